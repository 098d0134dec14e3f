"""The flag-ceremony programme: one story for every school Monday of a school year.

A school year is named "2026-2027". Its dates, holiday weeks and pinned stories
come from content/programme/<năm-năm>.yml; without that file the defaults
apply: from the first Monday on or after 5 September (the national opening
day) to the last Monday on or before 31 May, with no holiday weeks (Tết moves
with the lunar calendar, so it must be written in the file).

A week is the Monday of the ceremony and the six days after it. It is a
holiday week when its Monday falls inside a holiday (from–to, both included):
a holiday that starts on a Tuesday does not cancel that Monday's ceremony.

Who may be read: published stories that are public at build time (drafts never
appear, even in preview) and marked `flag_ceremony: true`, and only in weeks
whose Monday is on or after the story's date — a story is not read before it
is published. That last rule also keeps the past stable: a story published
today can only change weeks from today on.

How the story of each school week is chosen, in three passes:

1. Pins. The board's pins (checked by the checker) are honoured first. A pin
   whose story is not (yet) public is left out, and its week is chosen below.
2. Commemoration weeks, in date order: of the unread stories tied to one of
   the week's commemorations (`commemorations:` in the story), the one ranked
   first for that week wins it.
3. Every other week, in date order, among the eligible stories given the
   fewest weeks so far (pinned and commemoration weeks included: the
   no-repeat rule, a story comes back only once every eligible story has its
   week), preferring one not read in the four weeks around: first a unit —
   the story's first unit — avoiding a unit read the week before or after if
   another can go, else the unit ranked first for the week; then that unit's
   story ranked first for the week. Choosing the unit first spreads the weeks
   across units, however many stories one unit has.

The rank of a story or a unit for a week is a hash of the week's date and its
id (rendezvous hashing): it does not depend on which other stories exist, so
the same content gives the same programme, and adding a story changes only
the weeks it wins, plus the few weeks that the story it displaced wins in
turn. With more suitable stories than school weeks that is at most a few
weeks (0 to 4, 1.5 on average, over 20 additions to a 45-story fixture); with
fewer, the programme repeats stories in rounds and the new story lengthens
every round, so more weeks move (9 to 21 of 36 with 12 stories).
tests/test_schedule.py pins both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from .catalogue import Catalogue
from .models import Commemoration, Holiday, Programme, Story

# The opening ceremony (khai giảng) is on 5 September; school ends in late May.
DEFAULT_START = (9, 5)
DEFAULT_END = (5, 31)
# From this month on, a day belongs to the school year that starts that autumn:
# in August schools prepare the coming year.
NEW_YEAR_MONTH = 8
# Weeks on either side in which a story of the same unit counts against a candidate.
SPREAD_WEEKS = 1
# A story read again (when there are fewer stories than weeks) waits this many
# weeks after or before its other reading, if another can go.
REPEAT_WEEKS = 4

PINNED = "ghim"
COMMEMORATION = "ky-niem"
ROTATION = "xoay-vong"
REPEAT = "doc-lai"
REASON_LABELS = {
    PINNED: "Ban Tuyên giáo chọn cho tuần này",
    COMMEMORATION: "Gắn với ngày kỷ niệm trong tuần",
    ROTATION: "Lần lượt theo chương trình",
    REPEAT: "Đọc lại (đã đọc hết các bài phù hợp)",
}

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


class SchoolYearError(ValueError):
    """A school year name that is not "<năm>-<năm sau>"."""


@dataclass(frozen=True)
class Anniversary:
    """A commemoration day falling in a week, with its computed ordinal."""

    commemoration: Commemoration
    date: dt.date

    @property
    def ordinal(self) -> int:
        return self.commemoration.ordinal(self.date.year)

    @property
    def label(self) -> str:
        return self.commemoration.label(self.date.year)


@dataclass(frozen=True)
class Week:
    """One Monday of the school year and what is read at its ceremony."""

    school_year: str
    monday: dt.date
    story: Story | None = None
    reason: str = ""
    read_aloud: int = 0  # minutes, 0 without a story
    anniversaries: tuple[Anniversary, ...] = ()
    holiday: Holiday | None = None

    @property
    def is_school_week(self) -> bool:
        return self.holiday is None

    @property
    def anchor(self) -> str:
        return f"tuan-{self.monday.isoformat()}"

    @property
    def url(self) -> str:
        return f"chao-co/{self.school_year}/#{self.anchor}"

    @property
    def sunday(self) -> dt.date:
        return self.monday + 6 * ONE_DAY

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, "")


@dataclass(frozen=True)
class Schedule:
    """A school year's programme, week by week."""

    programme: Programme
    weeks: tuple[Week, ...]

    @property
    def id(self) -> str:
        return self.programme.id

    @property
    def url(self) -> str:
        return self.programme.url

    @property
    def calendar_url(self) -> str:
        return f"chao-co/{self.id}.ics"

    @property
    def offline_url(self) -> str:
        return f"chao-co/{self.id}.zip"

    @property
    def from_file(self) -> bool:
        return bool(self.programme.path)

    @property
    def school_weeks(self) -> list[Week]:
        return [w for w in self.weeks if w.is_school_week]

    def stories(self) -> list[Story]:
        """Every story of the programme once, in the order of its first week."""
        seen: dict[str, Story] = {}
        for week in self.weeks:
            if week.story is not None and week.story.id not in seen:
                seen[week.story.id] = week.story
        return list(seen.values())

    def week_of(self, monday: dt.date) -> Week | None:
        for week in self.weeks:
            if week.monday == monday:
                return week
        return None


# -- school years ------------------------------------------------------------


def parse_school_year(name: str) -> int:
    """The first calendar year of "2026-2027"; SchoolYearError for anything else."""
    match = _SCHOOL_YEAR.match(name.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise SchoolYearError(f"Năm học '{name}' phải viết dạng <năm>-<năm sau>, ví dụ 2026-2027")
    return int(match[1])


def school_year_of(day: dt.date) -> str:
    first = day.year if day.month >= NEW_YEAR_MONTH else day.year - 1
    return f"{first}-{first + 1}"


def first_monday_on_or_after(day: dt.date) -> dt.date:
    return day + ((7 - day.weekday()) % 7) * ONE_DAY


def default_programme(school_year: str) -> Programme:
    first = parse_school_year(school_year)
    return Programme(
        id=f"{first}-{first + 1}",
        start=first_monday_on_or_after(dt.date(first, *DEFAULT_START)),
        end=dt.date(first + 1, *DEFAULT_END),
        path="",
    )


def programme_for(cat: Catalogue, school_year: str) -> Programme:
    """The programme file of that school year, or the defaults."""
    parse_school_year(school_year)
    for programme in cat.content.programmes:
        if programme.id == school_year.strip():
            return programme
    return default_programme(school_year)


def school_years(cat: Catalogue) -> list[str]:
    """Years the site shows, newest first: those with a programme file, and the current one."""
    names = {p.id for p in cat.content.programmes} | {school_year_of(cat.today)}
    return sorted(names, reverse=True)


# -- choosing ----------------------------------------------------------------


def suitable_stories(cat: Catalogue) -> list[Story]:
    """Public stories marked for the flag ceremony, by id. Drafts never, preview or not."""
    return sorted((s for s in cat.stories if s.flag_ceremony and cat.is_public(s)), key=lambda s: s.id)


def rank(monday: dt.date, key: str) -> int:
    """A story's or unit's place in the queue for that week, independent of every other one."""
    digest = hashlib.sha256(f"{monday.isoformat()}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def primary_unit(story: Story) -> str:
    return story.units[0] if story.units else ""


def anniversaries_in(cat: Catalogue, monday: dt.date) -> tuple[Anniversary, ...]:
    """Commemorations from Monday to Sunday, in date order (a week can straddle New Year)."""
    sunday = monday + 6 * ONE_DAY
    found = []
    for c in cat.commemorations.values():
        for year in sorted({monday.year, sunday.year}):
            day = c.date_in(year)
            if day is not None and monday <= day <= sunday:
                found.append(Anniversary(c, day))
    return tuple(sorted(found, key=lambda a: (a.date, a.commemoration.id)))


def holiday_on(programme: Programme, day: dt.date) -> Holiday | None:
    for holiday in programme.holidays:
        if holiday.start <= day <= holiday.end:
            return holiday
    return None


def mondays(programme: Programme) -> list[dt.date]:
    out, day = [], first_monday_on_or_after(programme.start)
    while day <= programme.end:
        out.append(day)
        day += ONE_WEEK
    return out


class _Chooser:
    """The three passes over one school year; lives for one build_schedule call."""

    def __init__(self, cat: Catalogue, programme: Programme):
        self.cat = cat
        self.programme = programme
        self.pool = suitable_stories(cat)
        self.by_id = {s.id: s for s in self.pool}
        self.school = [m for m in mondays(programme) if holiday_on(programme, m) is None]
        self.index = {m: i for i, m in enumerate(self.school)}
        self.picks: dict[dt.date, tuple[Story, str]] = {}
        self.uses: Counter[str] = Counter()

    def eligible(self, monday: dt.date) -> list[Story]:
        return [s for s in self.pool if s.date <= monday]

    def take(self, monday: dt.date, story: Story, reason: str) -> None:
        self.picks[monday] = (story, reason)
        self.uses[story.id] += 1

    def nearby_units(self, monday: dt.date) -> Counter[str]:
        i = self.index[monday]
        units: Counter[str] = Counter()
        for other in self.school[max(0, i - SPREAD_WEEKS) : i + SPREAD_WEEKS + 1]:
            if other in self.picks:
                units.update(set(self.picks[other][0].units))
        return units

    def read_near(self, story: Story, monday: dt.date) -> bool:
        i = self.index[monday]
        near = self.school[max(0, i - REPEAT_WEEKS) : i + REPEAT_WEEKS + 1]
        return any(m in self.picks and self.picks[m][0].id == story.id for m in near)

    def choose(self) -> dict[dt.date, tuple[Story, str]]:
        for pin in sorted(self.programme.pins, key=lambda p: (p.week, p.line)):
            story = self.by_id.get(pin.story)
            if pin.week in self.index and pin.week not in self.picks and story is not None:
                self.take(pin.week, story, PINNED)
        for monday in self.school:
            if monday in self.picks:
                continue
            ids = {a.commemoration.id for a in anniversaries_in(self.cat, monday)}
            tied = [s for s in self.eligible(monday) if ids & set(s.commemorations) and not self.uses[s.id]]
            if tied:
                self.take(monday, min(tied, key=lambda s: rank(monday, s.id)), COMMEMORATION)
        for monday in self.school:
            if monday in self.picks:
                continue
            candidates = self.eligible(monday)
            if not candidates:
                continue
            least = min(self.uses[s.id] for s in candidates)
            candidates = [s for s in candidates if self.uses[s.id] == least]
            candidates = [s for s in candidates if not self.read_near(s, monday)] or candidates
            near = self.nearby_units(monday)
            # Units rank in their own namespace: a unit id never equals a story id ("năm/slug").
            units = sorted({primary_unit(s) for s in candidates})
            unit = min(units, key=lambda u: (near[u], rank(monday, "don-vi/" + u)))
            best = min((s for s in candidates if primary_unit(s) == unit), key=lambda s: rank(monday, s.id))
            self.take(monday, best, REPEAT if self.uses[best.id] else ROTATION)
        return self.picks


def build_schedule(cat: Catalogue, school_year: str) -> Schedule:
    """The whole school year, holiday weeks included (shown as skipped)."""
    programme = programme_for(cat, school_year)
    picks = _Chooser(cat, programme).choose()
    weeks = []
    for monday in mondays(programme):
        story, reason = picks.get(monday, (None, ""))
        weeks.append(
            Week(
                school_year=programme.id,
                monday=monday,
                story=story,
                reason=reason,
                read_aloud=cat.read_aloud_minutes(story) if story else 0,
                anniversaries=anniversaries_in(cat, monday),
                holiday=holiday_on(programme, monday),
            )
        )
    return Schedule(programme, tuple(weeks))


def ceremony_monday(day: dt.date) -> dt.date:
    """The Monday a teacher prepares for: this week's, or the coming one from Saturday."""
    if day.weekday() >= 5:
        return first_monday_on_or_after(day)
    return day - day.weekday() * ONE_DAY


def this_week(cat: Catalogue) -> Week | None:
    """The week of the build's "today" (for the home page); None outside the school year."""
    monday = ceremony_monday(cat.today)
    return build_schedule(cat, school_year_of(monday)).week_of(monday)
