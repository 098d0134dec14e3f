"""The flag-ceremony programme: school years, weeks, choice rules, stability, the command line."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.catalogue import build_catalogue
from guongsang.check import check_content
from guongsang.cli import main
from guongsang.models import Commemoration, Content, Holiday, Pin, Programme, Story
from guongsang.schedule import (
    COMMEMORATION,
    PINNED,
    REASON_LABELS,
    REPEAT,
    ROTATION,
    SLIDE,
    SchoolYearError,
    build_schedule,
    ceremony_monday,
    default_programme,
    parse_school_year,
    school_year_of,
    school_years,
    suitable_stories,
    this_week,
)

D = dt.date
TODAY = D(2026, 8, 20)  # before the 2026-2027 school year: every test story is public
BAC = Commemoration("sinh-nhat-bac", 19, 5, 1890, "Ngày sinh Chủ tịch Hồ Chí Minh", "content/commemorations.yml", 1)
NHA_GIAO = Commemoration("nha-giao-viet-nam", 20, 11, 1982, "Ngày Nhà giáo Việt Nam", "content/commemorations.yml", 2)
TET_DUONG = Commemoration("tet-duong-lich", 1, 1, 1900, "Tết Dương lịch", "content/commemorations.yml", 3)
COMMEMORATIONS = (BAC, NHA_GIAO, TET_DUONG)
TET = Holiday("Nghỉ Tết Nguyên đán", D(2027, 2, 1), D(2027, 2, 14))
# Friday to Sunday: the Mondays on either side still have their ceremony.
LE_30_4 = Holiday("Nghỉ lễ 30/4 và 1/5", D(2027, 4, 30), D(2027, 5, 2))
PROGRAMME = Programme("2026-2027", D(2026, 9, 7), D(2027, 5, 28), "content/programme/2026-2027.yml", holidays=(TET, LE_30_4))


def story(slug: str, *, units: tuple[str, ...] = ("xa-a",), date: D = D(2020, 1, 6), **fields: object) -> Story:
    values = dict(
        year=date.year, slug=slug, path=f"content/stories/{date.year}/{slug}.md", title=f"Bài {slug}", date=date,
        summary="Tóm tắt.", subject="tap-the", units=units, body="Thân bài.", body_line=8, author="Ban Tuyên giáo",
        status="published", reviewer="Trưởng ban", flag_ceremony=True, words=360,
    )
    values.update(fields)
    return Story(**values)


def many(n: int, units: int = 6, prefix: str = "bai") -> list[Story]:
    return [story(f"{prefix}-{i:03d}", units=(f"don-vi-{i % units}",)) for i in range(n)]


def catalogue(stories, *, programmes=(PROGRAMME,), today: D = TODAY, preview: bool = False):  # noqa: ANN001, ANN201
    content = Content(stories=tuple(stories), commemorations=COMMEMORATIONS, programmes=tuple(programmes))
    return build_catalogue(content, today=today, preview=preview)


def picks(schedule) -> list[tuple[D, str]]:  # noqa: ANN001
    return [(w.monday, w.story.id if w.story else "") for w in schedule.weeks]


def changed_weeks(a, b) -> int:  # noqa: ANN001
    return sum(1 for x, y in zip(picks(a), picks(b), strict=True) if x != y)


# -- school years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start", "end", "weeks"),
    [
        ("2026-2027", D(2026, 9, 7), D(2027, 5, 31), 39),  # 5/9/2026 is a Saturday; 31/5/2027 a Monday
        ("2025-2026", D(2025, 9, 8), D(2026, 5, 31), 38),  # 5/9/2025 is a Friday
        ("2027-2028", D(2027, 9, 6), D(2028, 5, 31), 39),  # 5/9/2027 is a Sunday
    ],
)
def test_default_programme_runs_from_the_first_monday_after_5_september_to_31_may(name, start, end, weeks):
    programme = default_programme(name)
    assert (programme.id, programme.start, programme.end, programme.path, programme.holidays) == (name, start, end, "", ())
    schedule = build_schedule(catalogue([], programmes=()), name)
    assert len(schedule.weeks) == weeks
    assert schedule.weeks[0].monday == start
    assert all(w.monday.weekday() == 0 for w in schedule.weeks)
    assert schedule.weeks[-1].monday <= end < schedule.weeks[-1].monday + dt.timedelta(days=7)


@pytest.mark.parametrize("name", ["2026-2028", "2026", "26-27", "2026/2027", "năm học", ""])
def test_a_school_year_is_two_consecutive_years(name):
    with pytest.raises(SchoolYearError, match="2026-2027"):
        parse_school_year(name)


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2026, 7, 31), "2025-2026"), (D(2026, 8, 1), "2026-2027"), (D(2026, 11, 18), "2026-2027"), (D(2027, 5, 31), "2026-2027")],
)
def test_august_belongs_to_the_coming_school_year(day, year):
    assert school_year_of(day) == year


def test_the_site_shows_the_years_with_a_file_and_the_current_one_newest_first():
    older = Programme("2024-2025", D(2024, 9, 9), D(2025, 5, 30), "content/programme/2024-2025.yml")
    cat = catalogue([], programmes=(older, PROGRAMME), today=D(2027, 9, 1))
    assert school_years(cat) == ["2027-2028", "2026-2027", "2024-2025"]
    assert school_years(catalogue([], programmes=(PROGRAMME,), today=D(2026, 11, 18))) == ["2026-2027"]


# -- weeks --------------------------------------------------------------------


def test_holiday_weeks_are_skipped_by_their_monday():
    schedule = build_schedule(catalogue(many(40)), "2026-2027")
    skipped = [(w.monday, w.holiday.name) for w in schedule.weeks if not w.is_school_week]
    assert skipped == [(D(2027, 2, 1), TET.name), (D(2027, 2, 8), TET.name)]
    assert all(w.story is None and w.reason == "" for w in schedule.weeks if not w.is_school_week)
    # The Mondays around the 30/4 long weekend keep their ceremony.
    assert {w.monday for w in schedule.school_weeks} >= {D(2027, 4, 26), D(2027, 5, 3)}
    assert (len(schedule.weeks), len(schedule.school_weeks)) == (38, 36)


def test_a_week_lists_its_commemorations_with_the_ordinal_computed():
    schedule = build_schedule(catalogue([]), "2025-2026")
    week = schedule.week_of(D(2026, 5, 18))
    assert [(a.date, a.ordinal, a.label) for a in week.anniversaries] == [
        (D(2026, 5, 19), 136, "Kỷ niệm 136 năm Ngày sinh Chủ tịch Hồ Chí Minh")
    ]
    assert [a.label for a in build_schedule(catalogue([]), "2026-2027").week_of(D(2027, 5, 17)).anniversaries] == [
        "Kỷ niệm 137 năm Ngày sinh Chủ tịch Hồ Chí Minh"
    ]


def test_a_week_across_new_year_finds_the_commemoration_in_the_new_year():
    week = build_schedule(catalogue([]), "2026-2027").week_of(D(2026, 12, 28))
    assert [(a.date, a.ordinal) for a in week.anniversaries] == [(D(2027, 1, 1), 127)]


def test_a_week_without_any_suitable_story_says_so():
    schedule = build_schedule(catalogue([story("khong-phu-hop", flag_ceremony=False)]), "2026-2027")
    assert all(w.story is None and w.read_aloud == 0 and w.reason == "" for w in schedule.weeks)


def test_each_week_carries_read_aloud_minutes_and_grade_band():
    s = story("dai", words=481, grade_band="thcs")  # 481 syllables at 120 a minute: 5 minutes, rounded up
    week = build_schedule(catalogue([s]), "2026-2027").weeks[0]
    assert (week.story.id, week.read_aloud, week.story.grade_band, week.reason) == (s.id, 5, "thcs", ROTATION)
    assert week.url == "chao-co/2026-2027/#tuan-2026-09-07"


# -- choice rules -------------------------------------------------------------


def test_only_public_suitable_stories_are_read_never_drafts_even_in_preview():
    stories = [
        story("cong-bo"),
        story("nhap", status="draft", reviewer=""),
        story("dang-duyet", status="review"),
        story("khong-chao-co", flag_ceremony=False),
        story("chua-den-ngay", date=D(2026, 12, 1)),
    ]
    for preview in (False, True):
        schedule = build_schedule(catalogue(stories, preview=preview), "2026-2027")
        assert {w.story.id for w in schedule.school_weeks} == {"2020/cong-bo"}


def test_a_story_is_not_read_before_its_date():
    late = story("moi", date=D(2026, 10, 6))
    cat = catalogue([*many(3), late], today=D(2027, 6, 1))
    weeks = build_schedule(cat, "2026-2027").school_weeks
    assert all(w.story.id != late.id for w in weeks if w.monday < late.date)
    assert late.id in {w.story.id for w in weeks}


def test_a_story_tied_to_the_weeks_commemoration_wins_it():
    bac = story("ke-chuyen-bac", commemorations=("sinh-nhat-bac",), units=("truong-a",))
    teacher = story("thay-giao", commemorations=("nha-giao-viet-nam",), units=("truong-a",))
    schedule = build_schedule(catalogue([*many(60), bac, teacher], programmes=()), "2026-2027")
    assert (schedule.week_of(D(2027, 5, 17)).story, schedule.week_of(D(2027, 5, 17)).reason) == (bac, COMMEMORATION)
    assert (schedule.week_of(D(2026, 11, 16)).story, schedule.week_of(D(2026, 11, 16)).reason) == (teacher, COMMEMORATION)
    # Each is read once: with 60 other stories for 37 weeks, there is no reason to repeat them.
    assert [w.story for w in schedule.weeks].count(bac) == 1


def test_a_pin_beats_the_commemoration_and_is_read_in_its_week():
    bac = story("ke-chuyen-bac", commemorations=("sinh-nhat-bac",))
    pinned = story("ghim")
    programme = Programme(**{**PROGRAMME.__dict__, "pins": (Pin(D(2027, 5, 17), pinned.id, 14), Pin(D(2026, 9, 14), bac.id, 16))})
    schedule = build_schedule(catalogue([*many(10), bac, pinned], programmes=(programme,)), "2026-2027")
    assert (schedule.week_of(D(2027, 5, 17)).story, schedule.week_of(D(2027, 5, 17)).reason) == (pinned, PINNED)
    assert (schedule.week_of(D(2026, 9, 14)).story, schedule.week_of(D(2026, 9, 14)).reason) == (bac, PINNED)


def test_a_pin_of_a_story_not_yet_public_waits_and_its_week_is_chosen_as_usual():
    later = story("sau-nay", date=D(2027, 3, 1))
    programme = Programme(**{**PROGRAMME.__dict__, "pins": (Pin(D(2027, 3, 8), later.id, 14),)})
    week = build_schedule(catalogue([*many(10), later], programmes=(programme,), today=D(2026, 11, 18)), "2026-2027").week_of(D(2027, 3, 8))
    assert week.story is not None and week.story != later and week.reason in (ROTATION, REPEAT)


def test_no_story_repeats_while_an_unread_one_remains():
    schedule = build_schedule(catalogue(many(50)), "2026-2027")
    ids = [w.story.id for w in schedule.school_weeks]
    assert len(ids) == len(set(ids)) == 36


def test_with_fewer_stories_than_weeks_every_story_is_read_before_any_is_read_again():
    schedule = build_schedule(catalogue(many(10, units=5)), "2026-2027")
    ids = [w.story.id for w in schedule.school_weeks]
    assert len(set(ids[:10])) == 10
    counts = {i: ids.count(i) for i in set(ids)}
    assert max(counts.values()) - min(counts.values()) <= 1
    assert [w.reason for w in schedule.school_weeks[:10]] == [ROTATION] * 10
    assert {w.reason for w in schedule.school_weeks[10:]} == {REPEAT}
    # A story read again waits more than four weeks.
    for i, sid in enumerate(ids):
        assert sid not in ids[i + 1 : i + 5]


def same_unit_neighbours(schedule) -> int:  # noqa: ANN001
    weeks = schedule.school_weeks
    return sum(1 for a, b in zip(weeks, weeks[1:]) if a.story and b.story and set(a.story.units) & set(b.story.units))


def test_weeks_next_to_each_other_are_from_different_units():
    # Two units, twelve stories each, added unit after unit: the weeks alternate all year, the least possible.
    stories = [story(f"a-{i}", units=("don-vi-a",)) for i in range(12)] + [story(f"b-{i}", units=("don-vi-b",)) for i in range(12)]
    schedule = build_schedule(catalogue(stories, programmes=()), "2026-2027")
    units = "".join(w.story.units[0][-1] for w in schedule.school_weeks)
    assert units == "ba" * 19 + "b"
    assert same_unit_neighbours(schedule) == 0


def test_units_share_the_year_however_many_stories_each_has():
    stories = [story(f"{unit}-{i}", units=(unit,)) for unit, n in (("lon", 40), ("vua", 20), ("nho", 20)) for i in range(n)]
    weeks = build_schedule(catalogue(stories, programmes=()), "2026-2027").school_weeks
    counts = {u: sum(1 for w in weeks if w.story.units[0] == u) for u in ("lon", "vua", "nho")}
    # Half the stories are the first unit's, not half the weeks (picking stories, not units, would give it about 20).
    assert counts == {"lon": 13, "vua": 13, "nho": 13}


# -- the properties, on synthetic catalogues and the shipped content -------------
#
# 1. the same content (and build day) gives the same programme;
# 2. no week reads a story dated after its Monday, so a story published today
#    changes no week before today;
# 3. adding the newest story changes at most ceil(W/n) + 3 + SLIDE weeks, plus
#    two for each commemoration week it takes (W weeks not pinned, n suitable
#    stories), none before its date; it takes at most its share of the weeks left;
# 4. in date order, a week chosen by the rotation reads a story again only when
#    every suitable story available that Monday has been read (pins and
#    commemoration weeks excepted, and a story pinned or kept for the very next
#    week counts as read);
# 5. a tied story wins its commemoration week, a pin its week;
# 6. no story is read by the rotation in a week next to its own reading while
#    another story could be read there (one dated by then and not read in
#    either neighbouring week), judged with the stories dated by the later week
#    of the two: a story dated after it cannot change the earlier one;
# 7. a story whose pin or commemoration comes before the rotation reads any
#    story again has no earlier rotation reading, judged the same way.

BAC_DAY = Commemoration("sinh-nhat-bac", 19, 5, 1890, "Ngày sinh Chủ tịch Hồ Chí Minh", "content/commemorations.yml", 1)
DOAN = Commemoration("thanh-lap-doan", 26, 3, 1931, "Ngày thành lập Đoàn", "content/commemorations.yml", 4)
QDND = Commemoration("thanh-lap-qdnd", 22, 12, 1944, "Ngày thành lập Quân đội", "content/commemorations.yml", 5)
TIED_TO = ("sinh-nhat-bac", "nha-giao-viet-nam", "tet-duong-lich", "thanh-lap-doan", "thanh-lap-qdnd")


def random_catalogue(seed: int, today: D):  # noqa: ANN201
    """Stories of six units dated from 2016 to today, a fifth of them tied to a commemoration, and up to two pins."""
    rnd = random.Random(seed)
    n = rnd.choice([3, 5, 8, 11, 15, 25, 40, 60])
    stories = []
    for i in range(n):
        low = D(2016, 1, 1) if rnd.random() < 0.6 else D(2026, 6, 1)
        date = low + dt.timedelta(days=rnd.randrange((today - low).days + 1))
        tied = (rnd.choice(TIED_TO),) if rnd.random() < 0.2 else ()
        stories.append(story(f"s{i:03d}", date=date, units=(f"u{rnd.randrange(6)}",), commemorations=tied))
    mondays = [PROGRAMME.start + k * dt.timedelta(days=7) for k in range(38) if k not in (21, 22)]  # Tết
    pins = []
    for line in range(rnd.randrange(3)):
        pinned = rnd.choice(stories)
        pins.append(Pin(rnd.choice([m for m in mondays if m >= pinned.date] or mondays[-1:]), pinned.id, 10 + line))
    programme = Programme(**{**PROGRAMME.__dict__, "pins": tuple(pins)})
    return stories, programme, rnd


def catalogue_with(stories, programme, today: D):  # noqa: ANN001, ANN201
    content = Content(stories=tuple(stories), commemorations=(*COMMEMORATIONS, DOAN, QDND), programmes=(programme,))
    return build_catalogue(content, today=today)


def reading_order_breaks(cat, schedule) -> list[tuple[D, str, list[str]]]:  # noqa: ANN001
    """Rotation weeks that read a story again while a story available that Monday is still unread."""
    pool = suitable_stories(cat)
    read: set[str] = set()
    found = []
    weeks = schedule.school_weeks
    for k, week in enumerate(weeks):
        if week.story is None:
            continue
        if week.reason in (ROTATION, REPEAT) and week.story.id in read:
            # A story pinned or kept for a commemoration the very next week counts as read: reading it
            # in this week too would put it in two weeks in a row.
            after = weeks[k + 1] if k + 1 < len(weeks) else None
            soon = after.story.id if after and after.story and after.reason in (PINNED, COMMEMORATION) else ""
            unread = [s.id for s in pool if s.date <= week.monday and s.id not in read and s.id != soon]
            if unread:
                found.append((week.monday, week.story.id, unread))
        read.add(week.story.id)
    return found


def until(cat, day: D):  # noqa: ANN001, ANN201
    """The same content with only the stories dated on or before `day`: what the programme knew then."""
    stories = tuple(s for s in cat.content.stories if s.date <= day)
    return build_catalogue(dataclasses.replace(cat.content, stories=stories), today=cat.today)


def repeats_in_a_row(cat, schedule, *, then: bool = True) -> list[tuple[D, str]]:  # noqa: ANN001
    """Rotation weeks that read the story of a neighbouring week while another available story is read in neither."""
    pool = suitable_stories(cat)
    weeks = schedule.school_weeks
    found = []
    for k, week in enumerate(weeks):
        if week.story is None or week.reason not in (ROTATION, REPEAT):
            continue
        around = [weeks[j] for j in (k - 1, k + 1) if 0 <= j < len(weeks)]
        if week.story not in [w.story for w in around]:
            continue
        if not [s for s in pool if s.date <= week.monday and s not in [w.story for w in around]]:
            continue
        if then:  # judged by what was known by the later week of the two
            later = max(w.monday for w in around if w.story == week.story)
            earlier = until(cat, later)
            if (week.monday, week.story.id) not in repeats_in_a_row(earlier, build_schedule(earlier, schedule.id), then=False):
                continue
        found.append((week.monday, week.story.id))
    return found


def early_rotation_readings(cat, schedule, *, then: bool = True) -> list[tuple[D, str]]:  # noqa: ANN001
    """A story's first reading by the rotation in week i, while its pin or commemoration in week j > i comes
    before any rotation repeat and a story dated by week i is first read by the rotation only after j."""
    weeks = schedule.school_weeks
    first = {}
    for k, week in enumerate(weeks):
        if week.story is not None:
            first.setdefault(week.story.id, k)
    found = []
    for sid, i in first.items():
        if weeks[i].reason != ROTATION:
            continue
        fixed = [k for k in range(i + 1, len(weeks)) if weeks[k].story and weeks[k].story.id == sid and weeks[k].reason in (PINNED, COMMEMORATION)]
        if not fixed or any(weeks[k].reason == REPEAT for k in range(i + 1, fixed[0])):
            continue
        later = [s for s in suitable_stories(cat) if s.date <= weeks[i].monday and first.get(s.id, -1) > fixed[0] and weeks[first[s.id]].reason == ROTATION]
        if not later:
            continue
        if then:
            earlier = until(cat, weeks[i].monday)
            if (weeks[i].monday, sid) not in early_rotation_readings(earlier, build_schedule(earlier, schedule.id), then=False):
                continue
        found.append((weeks[i].monday, sid))
    return found


def assert_properties(cat, schedule) -> None:  # noqa: ANN001
    pool = {s.id: s for s in suitable_stories(cat)}
    for week in schedule.school_weeks:
        if week.story is not None:
            assert week.story.date <= week.monday
            assert week.story.id in pool
            assert (week.reason == REPEAT) == any(w.story == week.story for w in schedule.weeks if w.monday < week.monday) or week.reason in (PINNED, COMMEMORATION)
        tied = [s for s in pool.values() if s.date <= week.monday and {a.commemoration.id for a in week.anniversaries} & set(s.commemorations)]
        if tied and week.reason != PINNED:
            assert week.reason == COMMEMORATION and week.story in tied
    assert reading_order_breaks(cat, schedule) == []
    assert repeats_in_a_row(cat, schedule) == []
    assert early_rotation_readings(cat, schedule) == []


def bound(cat, schedule, newest: Story | None = None) -> int:  # noqa: ANN001
    """ceil(W/n) + 3 + SLIDE, plus two for each commemoration week the newest story takes.

    Its share and one more week, a swap for its first reading, one reading-order fix and one
    repair that moves a story at most SLIDE weeks along. Measured worst: ceil(W/n) + 6."""
    free = sum(1 for w in schedule.school_weeks if w.reason != PINNED)
    tied = sum(1 for w in schedule.school_weeks if w.reason == COMMEMORATION and w.story == newest)
    return math.ceil(free / len(suitable_stories(cat))) + 3 + SLIDE + 2 * tied


def share(cat, schedule, newest: Story) -> int:
    """The newest story's share of the weeks left from its date: ceil(R/n) + 1, plus its pinned and commemoration weeks."""
    left = [w for w in schedule.school_weeks if w.monday >= newest.date]
    fixed = sum(1 for w in left if w.story == newest and w.reason in (PINNED, COMMEMORATION))
    free = sum(1 for w in left if w.reason not in (PINNED, COMMEMORATION))
    return math.ceil(free / len(suitable_stories(cat))) + 1 + fixed


def changed_mondays(a, b) -> list[D]:  # noqa: ANN001
    return [x[0] for x, y in zip(picks(a), picks(b), strict=True) if x != y]


@pytest.mark.parametrize("seed", range(60))
def test_the_properties_hold_on_random_catalogues(seed: int):
    today = D(2026, 8, 1) + dt.timedelta(days=seed * 5)
    stories, programme, rnd = random_catalogue(seed, today)
    cat = catalogue_with(stories, programme, today)
    schedule = build_schedule(cat, "2026-2027")
    assert_properties(cat, schedule)
    assert build_schedule(catalogue_with(list(reversed(stories)), programme, today), "2026-2027") == schedule
    for pin in programme.pins:
        week = schedule.week_of(pin.week)
        first = min((p for p in programme.pins if p.week == pin.week), key=lambda p: p.line)
        assert (week.story.id, week.reason) == (first.story, PINNED)
    # The newest story, tied to a commemoration or not.
    tied = (rnd.choice(TIED_TO),) if seed % 2 else ()
    newest = story("zz-moi", date=today, units=(f"u{rnd.randrange(6)}",), commemorations=tied)
    cat2 = catalogue_with([*stories, newest], programme, today)
    after = build_schedule(cat2, "2026-2027")
    assert_properties(cat2, after)
    moved = changed_mondays(schedule, after)
    assert all(m >= today for m in moved)
    assert len(moved) <= bound(cat2, after, newest)
    assert sum(1 for w in after.school_weeks if w.story == newest) <= share(cat2, after, newest)
    # A back-dated story changes no week before its own date either.
    older = story("aa-cu", date=today - dt.timedelta(days=70), units=("u0",))
    cat3 = catalogue_with([*stories, older], programme, today)
    assert_properties(cat3, build_schedule(cat3, "2026-2027"))
    assert all(m >= older.date for m in changed_mondays(schedule, build_schedule(cat3, "2026-2027")))


def test_the_same_content_in_any_order_gives_the_same_programme():
    stories = many(30)
    a = build_schedule(catalogue(stories), "2026-2027")
    b = build_schedule(catalogue(list(reversed(stories))), "2026-2027")
    assert a == b and len({w.story.id for w in a.school_weeks}) == 30


def test_adding_one_story_moves_few_weeks():
    # 45 stories for 36 school weeks: the new story takes at most one week, from a story it outranks there.
    base = build_schedule(catalogue(many(45)), "2026-2027")
    moves = [changed_weeks(base, build_schedule(catalogue([*many(45), story(f"moi-{k}", units=(f"don-vi-{k % 6}",))]), "2026-2027")) for k in range(20)]
    assert max(moves) <= 1 and sum(moves) >= 5


def test_adding_one_story_when_stories_repeat_moves_its_share_of_weeks():
    # 12 stories for 36 weeks: the 13th takes about 36/13 weeks and nothing else moves.
    base = build_schedule(catalogue(many(12)), "2026-2027")
    moves = [changed_weeks(base, build_schedule(catalogue([*many(12), story(f"moi-{k}", units=(f"don-vi-{k % 6}",))]), "2026-2027")) for k in range(20)]
    assert set(moves) <= {2, 3, 4}  # ceil(36/13) + 1 = 4


def test_a_story_published_today_never_changes_a_past_week():
    today = D(2027, 1, 20)
    for stories in (many(45), many(11, units=4), [*many(8), story("doan", commemorations=("thanh-lap-doan",))]):
        cat = catalogue_with(stories, PROGRAMME, today)
        old = build_schedule(cat, "2026-2027")
        for tied in ((), ("thanh-lap-doan",), ("sinh-nhat-bac",)):
            new = build_schedule(catalogue_with([*stories, story("hom-nay", date=today, commemorations=tied)], PROGRAMME, today), "2026-2027")
            past = [w for w in old.weeks if w.monday < today]
            assert past and past == [w for w in new.weeks if w.monday < today]


@pytest.mark.parametrize("seed", range(40))
def test_a_week_depends_only_on_the_stories_dated_by_its_monday(seed: int):
    """What the site can promise without a state file: a story dated today changes no earlier week.
    (A story dated in the past, or a change of the programme file, can change any week.)"""
    today = D(2027, 5, 20)
    stories, programme, rnd = random_catalogue(seed, today)
    cat = catalogue_with(stories, programme, today)
    schedule = build_schedule(cat, "2026-2027")
    for week in rnd.sample(schedule.school_weeks, 3):
        assert build_schedule(until(cat, week.monday), "2026-2027").week_of(week.monday) == week


@pytest.mark.parametrize(("today", "old"), [(D(2026, 11, 25), 2), (D(2026, 11, 25), 3), (D(2027, 3, 10), 3), (D(2027, 3, 10), 5), (D(2027, 4, 14), 11)])
def test_a_story_published_during_the_year_takes_its_share_of_the_weeks_left_never_two_in_a_row(today, old):
    """The audit's case: with 3 old stories, one published on 10/3 took 9 of the 11 weeks left, 4 of them in a row."""
    stories = [story(f"cu-{i}", date=D(2017, 1, 1) + dt.timedelta(days=37 * i), units=(f"u{i % 3}",)) for i in range(old)]
    new = story("moi", date=today, units=("u9",))
    cat = catalogue_with([*stories, new], PROGRAMME, today)
    schedule = build_schedule(cat, "2026-2027")
    assert_properties(cat, schedule)
    ids = [w.story.id for w in schedule.school_weeks]
    assert all(a != b for a, b in zip(ids, ids[1:]))
    assert 1 <= ids.count(new.id) <= share(cat, schedule, new)


def test_a_pin_or_commemoration_in_the_first_round_is_the_storys_first_reading():
    # The shipped case: "Những chuyến đi về nguồn" was read on 2/11 by the rotation and again on 16/11 for
    # Nhà giáo while a 2018 story waited until 23/11. Its week 16/11 is now its first reading.
    # Both are older than the others: each was the only story once, and read from the first week.
    stories = [*many(9, units=5), story("nha-giao", date=D(2017, 3, 1), commemorations=("nha-giao-viet-nam",), units=("truong",))]
    pinned = story("ghim", date=D(2017, 1, 1), units=("ban",))
    programme = Programme(**{**PROGRAMME.__dict__, "pins": (Pin(D(2026, 10, 19), pinned.id, 10),)})
    cat = catalogue_with([*stories, pinned], programme, TODAY)
    schedule = build_schedule(cat, "2026-2027")
    assert_properties(cat, schedule)
    assert [(w.monday, w.reason) for w in schedule.school_weeks if w.story.id == "2017/nha-giao"][0] == (D(2026, 11, 16), COMMEMORATION)
    assert [(w.monday, w.reason) for w in schedule.school_weeks if w.story == pinned][0] == (D(2026, 10, 19), PINNED)


def test_a_story_tied_to_a_commemoration_is_read_first_in_the_rotation_too():
    # With fewer stories than weeks, a story kept for 26/3 is not left unread until March
    # while the others are read a second time in the autumn.
    doan = story("doan", commemorations=("thanh-lap-doan",), units=("doan",))
    cat = catalogue_with([*many(6, units=3), doan], PROGRAMME, TODAY)
    schedule = build_schedule(cat, "2026-2027")
    assert_properties(cat, schedule)
    first = next(w for w in schedule.school_weeks if w.story == doan)
    assert first.monday < D(2026, 11, 1) and first.reason == ROTATION
    assert schedule.week_of(D(2027, 3, 22)).story == doan


# -- this week ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "monday"),
    [(D(2026, 11, 16), D(2026, 11, 16)), (D(2026, 11, 20), D(2026, 11, 16)), (D(2026, 11, 21), D(2026, 11, 23)), (D(2026, 11, 22), D(2026, 11, 23))],
)
def test_this_week_is_the_coming_monday_from_saturday_on(today, monday):
    assert ceremony_monday(today) == monday
    week = this_week(catalogue(many(40), today=today))
    assert week.monday == monday and week.story is not None


def test_this_week_in_a_holiday_or_the_summer():
    assert this_week(catalogue(many(5), today=D(2027, 2, 3))).holiday == TET
    assert this_week(catalogue(many(5), today=D(2027, 7, 1))) is None


# -- the shipped programme ----------------------------------------------------


@pytest.fixture(scope="module")
def shipped(root: Path):  # noqa: ANN201
    result = check_content(root)
    assert not result.errors
    return build_catalogue(result.content, today=D(2026, 11, 18))


def test_the_shipped_programme_honours_its_file(shipped):
    schedule = build_schedule(shipped, "2026-2027")
    assert schedule.from_file and schedule.programme.start == D(2026, 9, 7)
    week = schedule.week_of(D(2027, 5, 17))
    assert (week.story.id, week.reason) == ("2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co", PINNED)
    assert [a.label for a in week.anniversaries] == ["Kỷ niệm 137 năm Ngày sinh Chủ tịch Hồ Chí Minh"]
    # Monday 3/5/2027 is the day off in lieu of 1/5, a Saturday.
    assert [w.monday for w in schedule.weeks if not w.is_school_week] == [D(2027, 1, 11), D(2027, 2, 1), D(2027, 2, 8), D(2027, 5, 3)]
    suitable = {s.id for s in shipped.stories if s.flag_ceremony}
    assert {s.id for s in schedule.stories()} == suitable
    assert_properties(shipped, schedule)
    assert same_unit_neighbours(schedule) == 0


SHIPPED_TODAYS = (D(2026, 8, 20), D(2026, 11, 18), D(2027, 1, 20), D(2027, 3, 10))


@pytest.mark.parametrize("today", SHIPPED_TODAYS)
@pytest.mark.parametrize("tied", [(), ("thanh-lap-doan",), ("nha-giao-viet-nam",), ("sinh-nhat-bac",)])
def test_publishing_a_story_today_changes_few_weeks_of_the_shipped_programme_and_none_before_today(shipped, today, tied):
    """11 suitable stories for 34 weeks: the audit's case, where one new story moved 7 to 15 weeks, up to 6 of them past."""
    content = shipped.content
    before = build_catalogue(content, today=today)
    template = next(s for s in content.stories if s.flag_ceremony)
    new = dataclasses.replace(template, slug="moi", year=today.year, path=f"content/stories/{today.year}/moi.md", date=today, commemorations=tied)
    after = build_catalogue(dataclasses.replace(content, stories=(*content.stories, new)), today=today)
    old, fresh = build_schedule(before, "2026-2027"), build_schedule(after, "2026-2027")
    assert_properties(after, fresh)
    moved = changed_mondays(old, fresh)
    assert moved and all(m >= today for m in moved)
    assert len(moved) <= bound(after, fresh, new)
    assert len(moved) <= 4  # measured: 1 to 4 weeks
    assert sum(1 for w in fresh.school_weeks if w.story == new) <= share(after, fresh, new)


def test_a_same_day_newcomer_sorting_first_changes_more_weeks_but_none_before_its_day(shipped):
    """Stories of one date are added by id: a newcomer whose id sorts before stories published that day
    is added before them, and their weeks are chosen again. Measured worst case on the shipped content: 10 weeks."""
    content = shipped.content
    template = next(s for s in content.stories if s.flag_ceremony)
    units = ("xa-nam-chinh", "xa-thanh-quang", "xa-hop-tien", "xa-dong-lac", "xa-phu-dien")
    worst = 0
    for today in (D(2026, 8, 20), D(2026, 11, 25), D(2027, 1, 20)):

        def published(slug: str, unit: str, tied: tuple[str, ...] = ()) -> Story:
            return dataclasses.replace(template, slug=slug, year=today.year, path=f"content/stories/{today.year}/{slug}.md", date=today, units=(unit,), commemorations=tied)

        batch = [published(f"m-{i}", unit) for i, unit in enumerate(units)]
        before = build_catalogue(dataclasses.replace(content, stories=(*content.stories, *batch)), today=today)
        for tied in ((), ("thanh-lap-doan",)):
            after = build_catalogue(dataclasses.replace(content, stories=(*content.stories, *batch, published("a-dau", "chi-cuc-thue-nam-sach", tied))), today=today)
            old, fresh = build_schedule(before, "2026-2027"), build_schedule(after, "2026-2027")
            assert_properties(after, fresh)
            moved = changed_mondays(old, fresh)
            assert all(m >= today for m in moved)
            worst = max(worst, len(moved))
    assert worst == 10


# -- checker rules for programme files ------------------------------------------


def write_programme(project: Path, text: str) -> None:
    (project / "content" / "programme" / "2026-2027.yml").write_text(text, encoding="utf-8")


PROGRAMME_FILE = """\
start: 2026-09-07
end: 2027-05-28
pins:
  - week: 2027-05-17
    story: 2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co
  - week: 2027-05-17
    story: 2017/tuoi-tre-nam-sach-dang-ky-phan-viec-thanh-nien-lam-theo-loi-bac
"""


def test_the_checker_reports_two_pins_in_one_week(project: Path):
    write_programme(project, PROGRAMME_FILE)
    found = [(p.line, p.field, p.code) for p in check_content(project).problems if p.path.startswith("content/programme/")]
    assert found == [(6, "pins[1].week", "GS605")]


def test_the_checker_reports_dates_outside_the_school_year_named_by_the_file(project: Path):
    write_programme(project, "start: 2025-09-08\nend: 2028-05-26\n")
    found = [(p.line, p.field, p.code) for p in check_content(project).problems if p.path.startswith("content/programme/")]
    assert found == [(1, "start", "GS211"), (2, "end", "GS211")]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # The example names the file's school year, not 2026-2027.
        ("2028-2029", "start: 2028-09-04\n", [(1, "end", "GS201", "Thêm dòng 'end: 2029-05-31'.")]),
        ("2028-2029", "end: 2029-05-25\n", [(1, "start", "GS201", "Thêm dòng 'start: 2028-09-11'.")]),
        (
            "2026-2027",
            "start: 2026-09-07\nend: 2027-05-28\nholidays:\n  - name: Tết\n    from: 2027-01-24\n    to: 2027-02-06\n"
            "  - name: Nghỉ thêm\n    from: 2027-01-31\n    to: 2027-02-13\n",
            [(8, "holidays[1].from", "GS612", "")],
        ),
    ],
)
def test_the_checker_reports_a_missing_date_and_overlapping_holidays(project: Path, name, text, expected):
    (project / "content" / "programme" / f"{name}.yml").write_text(text, encoding="utf-8")
    found = [p for p in check_content(project).problems if p.path == f"content/programme/{name}.yml"]
    assert [(p.line, p.field, p.code, p.fix if p.code == "GS201" else "") for p in found] == expected
    if expected[0][2] == "GS612":
        assert found[0].message == "Kỳ nghỉ 'Nghỉ thêm' (31/01/2027 – 13/02/2027, dòng 8) chồng lên kỳ nghỉ 'Tết' (24/01/2027 – 06/02/2027, dòng 5)"


def test_the_checker_warns_when_a_pin_waits_for_its_story(project: Path):
    """A pinned story dated after the build's day is not read yet: its week is chosen as usual until then."""
    write_programme(project, "start: 2026-09-07\nend: 2027-05-28\npins:\n  - week: 2027-05-17\n    story: 2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co\n")
    story_date = next(s.date for s in check_content(project).content.stories if s.id == "2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co")
    before = [p for p in check_content(project, today=story_date - dt.timedelta(days=1)).problems if p.path.startswith("content/programme/")]
    assert [(p.line, p.field, p.code, p.severity) for p in before] == [(5, "pins[0].story", "GS608", "warning")]
    assert f"đến ngày {story_date:%d/%m/%Y} mới đăng: tới lúc đó tuần 17/05/2027 tạm đọc bài khác" in before[0].message
    assert [p for p in check_content(project, today=story_date).problems if p.path.startswith("content/programme/")] == []


# -- the command --------------------------------------------------------------


@pytest.fixture
def run(root: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("GUONGSANG_TODAY", "2026-11-18")

    def invoke(*args: str):  # noqa: ANN202
        return CliRunner().invoke(main, ["schedule", *args, "--root", str(root)])

    return invoke


def test_schedule_prints_the_year_as_text(run):
    result = run("2026-2027")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Chương trình chào cờ đầu tuần năm học 2026-2027 (07/09/2026 – 28/05/2027)"
    assert len(lines) == 1 + 38
    assert "11/01/2027  Nghỉ: Tuần thi học kỳ I" in lines
    assert any(line.startswith("17/05/2027  Trường THPT Nam Sách kể chuyện Bác trong giờ chào cờ — ") and line.endswith("[chọn sẵn]  ★ Kỷ niệm 137 năm Ngày sinh Chủ tịch Hồ Chí Minh") for line in lines)


def test_schedule_prints_csv_a_spreadsheet_reads(run):
    result = run("2026-2027", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 38
    pinned = next(r for r in rows if r["tuan"] == "2027-05-17")
    assert pinned["ngay"] == "17/05/2027" and pinned["ly_do"] == "Ban Tuyên giáo chọn cho tuần này"
    assert {r["ly_do"] for r in rows} == {"", *REASON_LABELS.values()}
    assert pinned["dia_chi"] == "https://guongsang.example.org/bai-viet/2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co/"
    assert next(r for r in rows if r["tuan"] == "2027-02-01")["nghi"] == "Nghỉ Tết Nguyên đán Đinh Mùi"


def test_schedule_prints_ics_with_crlf(run):
    result = run("2026-2027", "--format", "ics")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert result.stdout_bytes.count(b"BEGIN:VEVENT") == 34


def test_schedule_without_a_programme_file_uses_the_defaults(run):
    result = run("2027-2028")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Chương trình chào cờ đầu tuần năm học 2027-2028 (06/09/2027 – 31/05/2028)",
        "(chưa có content/programme/2027-2028.yml: dùng ngày mặc định, chưa tính tuần nghỉ)",
    ]


def test_schedule_rejects_a_bad_school_year(run):
    result = run("2026-2028")
    assert result.exit_code == 2
    assert "Năm học '2026-2028' phải viết dạng <năm>-<năm sau>, ví dụ 2026-2027" in result.output


def test_schedule_refuses_content_with_errors(project: Path, monkeypatch: pytest.MonkeyPatch):
    write_programme(project, PROGRAMME_FILE)
    result = CliRunner().invoke(main, ["schedule", "2026-2027", "--root", str(project)])
    assert result.exit_code == 1
    assert "GS605" in result.output


# -- the site section (programme.py) -------------------------------------------


def generated(cat):  # noqa: ANN001, ANN201
    from guongsang.programme import generate_programme
    from guongsang.render import Renderer, make_env

    return {out.uri: out.content for out in generate_programme(cat, Renderer(make_env(), "https://guongsang.example.org/"))}


def test_the_section_has_an_index_and_a_page_and_calendar_per_year():
    older = Programme("2024-2025", D(2024, 9, 9), D(2025, 5, 30), "content/programme/2024-2025.yml")
    out = generated(catalogue(many(3), programmes=(older, PROGRAMME), today=D(2026, 11, 18)))
    assert sorted(out) == ["chao-co/2024-2025.ics", "chao-co/2024-2025.md", "chao-co/2026-2027.ics", "chao-co/2026-2027.md", "chao-co/index.md"]
    index = out["chao-co/index.md"]
    assert '<li><a href="2026-2027/">Năm học 2026-2027</a> <span class="gs-tag">năm học hiện tại</span><br>' in index
    assert index.index("2026-2027/") < index.index("2024-2025/")
    assert '<a href="2026-2027.ics">Lịch</a> · <a href="2026-2027.zip" download="chao-co-2026-2027.zip">Bản dùng không cần mạng</a>' in index


def test_the_year_page_shows_every_week():
    hostile = story("doc-hai", title='Bài <script>alert(1)</script> & "x"', units=("don-vi-x",), commemorations=("nha-giao-viet-nam",))
    pinned = story("ghim")
    programme = Programme(**{**PROGRAMME.__dict__, "pins": (Pin(D(2027, 5, 17), pinned.id, 14),)})
    page = generated(catalogue([*many(3), hostile, pinned], programmes=(programme,), today=D(2026, 11, 18)))["chao-co/2026-2027.md"]
    assert page.startswith('---\ntitle: "Chào cờ đầu tuần năm học 2026-2027"\n')
    assert "<script>" not in page
    assert (
        '<tr id="tuan-2026-11-16" class="gs-now" aria-current="date">\n'
        '<td data-label="Thứ Hai"><time datetime="2026-11-16">16/11/2026</time></td>\n'
        '<td data-label="Bài đọc"><a href="../../bai-viet/2020/doc-hai/">Bài &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;</a><br>'
        '<a class="gs-handout-link" href="../../in/2020/doc-hai/">Phiếu in</a></td>\n'
        '<td class="gs-minutes" data-label="Đọc to">3 phút</td>\n'
        "<td data-label=\"Kỷ niệm\">Kỷ niệm 44 năm Ngày Nhà giáo Việt Nam (20/11/2026)</td>\n"
        "<td data-label=\"Cấp học\">Mọi cấp học</td>\n"
        "</tr>"
    ) in page
    assert (
        '<tr id="tuan-2027-02-01" class="gs-holiday">\n<td data-label="Thứ Hai"><time datetime="2027-02-01">01/02/2027</time></td>\n'
        '<td colspan="2" data-label="Bài đọc">Nghỉ: Nghỉ Tết Nguyên đán</td>\n<td data-label="Kỷ niệm"></td>\n<td data-label="Cấp học"></td>\n</tr>'
    ) in page
    assert '<a href="../../bai-viet/2020/ghim/">Bài ghim</a> <span class="gs-tag" title="Ban Tuyên giáo chọn cho tuần này">chọn sẵn</span>' in page
    assert "36 buổi chào cờ, 5 bài khác nhau. Mỗi bài có phiếu in một trang A4." in page
    assert '<a class="md-button" href="../2026-2027.ics">Thêm vào lịch (iCalendar)</a>' in page


def test_the_year_page_names_the_first_ceremony_monday_not_the_start_day():
    saturday = Programme(**{**PROGRAMME.__dict__, "start": D(2026, 9, 5)})  # khai giảng, a Saturday
    page = generated(catalogue(many(3), programmes=(saturday,), today=D(2026, 11, 18)))["chao-co/2026-2027.md"]
    assert '<p class="gs-lead">Từ thứ Hai <time datetime="2026-09-07">07/09/2026</time> đến <time datetime="2027-05-28">28/05/2027</time>: ' in page
    assert "05/09/2026" not in page


def test_the_year_page_names_the_first_ceremony_when_the_first_monday_is_a_holiday():
    holiday = Holiday("Nghỉ bão", D(2026, 9, 7), D(2026, 9, 11))
    stormy = Programme(**{**PROGRAMME.__dict__, "start": D(2026, 9, 5), "holidays": (holiday,)})
    page = generated(catalogue(many(3), programmes=(stormy,), today=D(2026, 11, 18)))["chao-co/2026-2027.md"]
    assert '<p class="gs-lead">Từ thứ Hai <time datetime="2026-09-14">14/09/2026</time> đến ' in page


def test_the_section_says_what_the_rotation_guarantees():
    index = generated(catalogue(many(3), today=D(2026, 11, 18)))["chao-co/index.md"]
    assert (
        "không bài nào được đọc lại khi vẫn còn một bài phù hợp có ngày đăng không sau thứ Hai đó mà chưa được đọc lần nào. "
        "Riêng tuần Ban Tuyên giáo chọn sẵn bài và tuần có ngày kỷ niệm đọc bài dành cho tuần đó, dù bài ấy đã được đọc trước."
    ) in index
    assert "Vì vậy bài mới đăng với ngày đăng là hôm nay không làm đổi tuần nào đã qua." in index
    assert "đều có thể làm đổi cả những tuần đã qua" in index
    assert "các tuần đã qua không đổi" not in index


def test_a_year_without_a_file_says_it_uses_the_defaults_and_weeks_without_story_say_so():
    page = generated(catalogue([], programmes=(), today=D(2026, 11, 18)))["chao-co/2026-2027.md"]
    assert "Năm học này chưa có kế hoạch riêng: chương trình dùng ngày mặc định và chưa tính tuần nghỉ Tết, tuần thi." in page
    assert page.count('<td colspan="2" data-label="Bài đọc">Chưa có bài phù hợp cho tuần này</td>') == 39
    assert "39 buổi chào cờ, 0 bài khác nhau, 39 tuần chưa có bài phù hợp." in page


def test_this_weeks_block_for_the_home_page():
    from guongsang.render import make_env, relative

    cat = catalogue([story("tuan-nay", commemorations=("nha-giao-viet-nam",))], today=D(2026, 11, 18))
    html = make_env().get_template("programme_this_week.md").render(this_week=this_week(cat), link=lambda t: relative("", t))
    assert html == (
        '<section class="gs-this-week" aria-labelledby="chao-co-tuan-nay">\n'
        '<h2 id="chao-co-tuan-nay">Chào cờ tuần này</h2>\n'
        '<p>Thứ Hai <time datetime="2026-11-16">16/11/2026</time>: <a href="bai-viet/2020/tuan-nay/">Bài tuan-nay</a> — đọc to khoảng 3 phút, Mọi cấp học. '
        '<a href="in/2020/tuan-nay/">Phiếu in</a></p>\n'
        '<p class="gs-anniversary">Kỷ niệm 44 năm Ngày Nhà giáo Việt Nam (20/11/2026)</p>\n'
        '<p><a href="chao-co/2026-2027/#tuan-2026-11-16">Cả chương trình năm học 2026-2027</a></p>\n'
        "</section>\n"
    )
    empty = make_env().get_template("programme_this_week.md").render(this_week=None, link=lambda t: t)
    assert empty.strip() == ""


def test_the_built_site_has_the_section_in_its_navigation(built_site: Path):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="chao-co/"' in home
    page = (built_site / "chao-co" / "2026-2027" / "index.html").read_text(encoding="utf-8")
    assert '<tr id="tuan-2026-11-16" class="gs-now" aria-current="date">' in page
    assert (built_site / "chao-co" / "index.html").is_file()
