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
is published, nor is it pinned before.

How the weeks are shared: the programme is built by adding the suitable
stories one at a time in date order (then by id), each taking the weeks it
should have from the programme of the stories before it; a story only ever
takes weeks on or after its own date. So week W depends only on the stories
dated on or before W's Monday: a story published today changes no week before
today, and the past is frozen by construction. Adding the newest story changes
only the weeks it takes (about one in n, for n suitable stories), plus at most
one week for each story that lost its first reading to it. When a story is added:

1. It takes the weeks it is pinned to (a pin beats everything), then each
   week of a commemoration it is tied to (`commemorations:`), unless another
   tied story ranks before it for that week.
2. It takes its first reading no later than the first week (on or after its
   date) where some story is read a second time; that is what keeps the
   reading order: no story is read again, in a week chosen by the rotation,
   while a suitable story available by that Monday has not been read at all.
   If a neighbouring week has a story of the same unit, the new story may
   instead take an earlier first reading and hand that week's story the later
   week.
3. If every week from its date on is still a first reading (more stories
   than weeks), it takes one week from a story it outranks there, or from a
   unit that has at least two weeks more than its own.
4. Then, while some story has at least two readings more than it, it takes
   one of the later readings (never a first reading) of the story read most,
   preferring a week whose neighbours are of other units and that is not
   within four weeks of its own readings. Once even, it may take one more
   week, only to part two neighbouring weeks of one unit, and only if no
   other story moved while it was added.

Measured: adding the newest story changes at most ceil(W/n) + 1 weeks (W
weeks not pinned); a back-dated story changes no week before its date but may
change many after it. 5,000 suitable stories take about 0.3 s a school year.

Pinned and commemoration weeks are exceptions to the reading order: their
story is read there even if it was read before. A story that loses its first
reading to a pin or a commemoration takes the first repeated week after it.

The rank of a story for a week is a hash of the two (rendezvous hashing): it
does not depend on which other stories exist, so the same content gives the
same programme. tests/test_schedule.py checks every property above on the
shipped content and on synthetic catalogues.
"""

from __future__ import annotations

import bisect
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
# A story read again (when there are fewer stories than weeks) waits this many
# weeks after or before its other reading, if another week can go to it.
REPEAT_WEEKS = 4

PINNED = "ghim"
COMMEMORATION = "ky-niem"
ROTATION = "xoay-vong"
REPEAT = "doc-lai"
REASON_LABELS = {
    PINNED: "Ban Tuyên giáo chọn cho tuần này",
    COMMEMORATION: "Gắn với ngày kỷ niệm trong tuần",
    ROTATION: "Lần lượt theo chương trình",
    REPEAT: "Đọc lại (các bài phù hợp có đến tuần này đều đã đọc)",
}

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)
_MASK = (1 << 64) - 1


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
    # What decided the week: the suitable stories available that Monday, and the
    # newest date among them and the corrections of its story. Both only grow
    # while stories are published, which the calendar feed uses as its revision.
    candidates: int = 0
    updated: dt.date | None = None

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


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _mix(x: int) -> int:
    """splitmix64's finaliser: two digests combined into one well-spread 64-bit rank."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def rank(monday: dt.date, key: str) -> int:
    """A story's place in the queue for that week, independent of every other story."""
    return _mix(_digest(monday.isoformat()) ^ _digest(key))


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


def valid_pins(cat: Catalogue, programme: Programme, weeks: list[dt.date]) -> dict[str, list[dt.date]]:
    """The pins the programme honours now: story id → its pinned weeks.

    A pin the checker reports as an error (a week outside the year, in a
    holiday or not a Monday, a second pin in a week, a story unknown,
    unsuitable or dated after the week) is left out: content with errors is
    never built. A pin whose story is not public yet (warning GS608) waits
    for it: until then its week is chosen like any other.
    """
    school = set(weeks)
    suitable = {s.id: s for s in suitable_stories(cat)}
    honoured: dict[str, list[dt.date]] = {}
    taken: set[dt.date] = set()
    for pin in sorted(programme.pins, key=lambda p: (p.week, p.line)):
        if pin.week not in school or pin.week in taken:
            continue
        taken.add(pin.week)
        story = suitable.get(pin.story)
        if story is not None and story.date <= pin.week:
            honoured.setdefault(story.id, []).append(pin.week)
    return honoured


class _Chooser:
    """Builds one school year's programme by adding the suitable stories one at a
    time (see the module's docstring); lives for one build_schedule call.

    Weeks are indices into the school Mondays. `readings` holds each story's
    weeks in order, so a week is a first reading when it is its story's first.
    """

    def __init__(self, cat: Catalogue, programme: Programme):
        self.school = [m for m in mondays(programme) if holiday_on(programme, m) is None]
        n = len(self.school)
        self.holder: list[Story | None] = [None] * n
        self.locked = [""] * n  # PINNED or COMMEMORATION: only a pin or a better tied story takes it
        self.readings: dict[str, list[int]] = {}
        self.unit_weeks: Counter[str] = Counter()
        self.week_digest = [_digest(m.isoformat()) for m in self.school]
        self.tied = [frozenset(a.commemoration.id for a in anniversaries_in(cat, m)) for m in self.school]
        pins = valid_pins(cat, programme, self.school)
        index = {m: i for i, m in enumerate(self.school)}
        self.pins = {sid: [index[w] for w in weeks] for sid, weeks in pins.items()}
        self.pool = sorted(suitable_stories(cat), key=lambda s: (s.date, s.id))
        self.story_digest = {s.id: _digest(s.id) for s in self.pool}
        self.units = {s.id: frozenset(s.units) or frozenset({""}) for s in self.pool}
        self.first_week: dict[str, int] = {}
        self.moved = 0

    # -- the state -------------------------------------------------------

    def rank(self, i: int, story: Story) -> int:
        return _mix(self.week_digest[i] ^ self.story_digest[story.id])

    def count(self, story: Story) -> int:
        return len(self.readings.get(story.id, ()))

    def first(self, story: Story) -> int | None:
        weeks = self.readings.get(story.id)
        return weeks[0] if weeks else None

    def set(self, i: int, story: Story, locked: str = "") -> Story | None:
        """Give week i to story; the story that had it, if another one."""
        old = self.holder[i]
        if old is not None:
            self.readings[old.id].remove(i)
            self.unit_weeks[primary_unit(old)] -= 1
        bisect.insort(self.readings.setdefault(story.id, []), i)
        self.unit_weeks[primary_unit(story)] += 1
        self.holder[i] = story
        self.locked[i] = locked
        return old if old is not story else None

    def is_repeat(self, i: int) -> bool:
        story = self.holder[i]
        return story is not None and self.readings[story.id][0] < i

    def first_repeat(self, start: int, besides: Story) -> int | None:
        """The first week from `start` where the rotation reads a story again."""
        holder, locked, readings = self.holder, self.locked, self.readings
        for i in range(start, len(self.school)):
            story = holder[i]
            if story is not None and story is not besides and not locked[i] and readings[story.id][0] < i:
                return i
        return None

    def conflicts(self, moved: dict[int, Story]) -> int:
        """How many more pairs of neighbouring weeks read stories of the same unit once `moved` is done."""
        pairs = {(j, j + 1) for i in moved for j in (i - 1, i) if 0 <= j and j + 1 < len(self.school)}
        change = 0
        for a, b in pairs:
            for weeks, sign in ((self.holder, -1), (None, 1)):
                x = moved.get(a, self.holder[a]) if weeks is None else weeks[a]
                y = moved.get(b, self.holder[b]) if weeks is None else weeks[b]
                if x is not None and y is not None and self.units[x.id] & self.units[y.id]:
                    change += sign
        return change

    def near_own(self, story: Story, i: int) -> bool:
        """Whether the story is read in another week within REPEAT_WEEKS of week i."""
        weeks = self.readings.get(story.id, [])
        k = bisect.bisect_left(weeks, i - REPEAT_WEEKS)
        return any(j != i for j in weeks[k : k + 3] if j <= i + REPEAT_WEEKS)

    # -- adding a story --------------------------------------------------

    def add(self, story: Story) -> None:
        start = bisect.bisect_left(self.school, story.date)
        if start == len(self.school):
            return
        self.first_week[story.id] = start
        self.moved = 0  # weeks given to other stories while adding this one
        for i in self.pins.get(story.id, ()):
            self.give_locked(i, story, PINNED, start)
        self.take_commemorations(story, start)
        self.take_first_reading(story, start)
        for i in range(start, len(self.school)):
            if self.holder[i] is None:  # only the first story finds empty weeks
                self.set(i, story)
        if not self.count(story):
            self.take_one(story, start)
        self.balance(story, start)

    def give_locked(self, i: int, story: Story, reason: str, start: int) -> None:
        lost = self.set(i, story, reason)
        if lost is not None:
            self.keep_reading_order(lost, start)

    def take_commemorations(self, story: Story, start: int) -> None:
        ids = set(story.commemorations)
        if not ids:
            return
        for i in range(start, len(self.school)):
            if not self.tied[i] & ids or self.locked[i] == PINNED:
                continue
            holder = self.holder[i]
            if self.locked[i] == COMMEMORATION and holder is not None and self.rank(i, holder) < self.rank(i, story):
                continue
            self.give_locked(i, story, COMMEMORATION, start)

    def take_first_reading(self, story: Story, start: int) -> None:
        """Read the story before the rotation reads any story again."""
        r = self.first_repeat(start, story)
        own = self.first(story)
        if r is None or (own is not None and own <= r):
            return
        # Take that week, or an earlier first reading whose story moves to it,
        # whichever puts fewer stories of one unit side by side.
        best = (self.conflicts({r: story}), 0, self.rank(r, story), r)
        for w in range(start, r):
            other = self.holder[w]
            if self.locked[w] or other is None:
                continue
            option = (self.conflicts({w: story, r: other}), 1, self.rank(w, story), w)
            best = min(best, option)
        w = best[3]
        if w == r:
            self.set(r, story)
        else:
            other = self.set(w, story)
            assert other is not None
            self.set(r, other)
            self.moved += 1

    def outranks(self, story: Story, other: Story, i: int) -> bool:
        unit, their_unit = primary_unit(story), primary_unit(other)
        if unit != their_unit:
            mine, theirs = self.unit_weeks[unit], self.unit_weeks[their_unit]
            if theirs >= mine + 2:
                return True  # units share the weeks, however many stories each has
            if theirs <= mine:
                return False
        return self.rank(i, story) < self.rank(i, other)

    def take_one(self, story: Story, start: int) -> None:
        """More stories than weeks: one week, from a story it outranks there."""
        best = None
        for i in range(start, len(self.school)):
            other = self.holder[i]
            if self.locked[i] or other is None or other is story or not self.outranks(story, other, i):
                continue
            key = (self.conflicts({i: story}), -self.unit_weeks[primary_unit(other)], -self.count(other), self.rank(i, story), i)
            best = min(best, key) if best else key
        if best is not None:
            lost = self.set(best[-1], story)
            if lost is not None:
                self.keep_reading_order(lost, start)

    def balance(self, story: Story, start: int) -> None:
        """Take later readings from stories read at least twice more, until none is."""
        evened = False
        while True:
            own = self.readings.get(story.id)
            if not own:
                return
            best = None
            for i in range(max(start, own[0] + 1), len(self.school)):
                other = self.holder[i]
                if self.locked[i] or other is None or other is story:
                    continue
                theirs = self.readings[other.id]
                if len(theirs) < len(own) + 1 or theirs[0] == i:
                    continue
                # A week near its holder's other reading is the best to take: both stories end up spaced.
                key = (len(theirs) < len(own) + 2, -len(theirs), self.conflicts({i: story}), self.near_own(story, i), not self.near_own(other, i), self.rank(i, story), i)
                best = min(best, key) if best else key
            # Once the counts are even, one more week only to part two stories of one
            # unit, and only if no other story moved: the change stays within its share plus one.
            if best is None or (best[0] and (evened or self.moved or best[2] >= 0)):
                return
            evened = evened or best[0]
            self.set(best[-1], story)

    def keep_reading_order(self, story: Story, start: int) -> None:
        """A story that lost its first reading takes the first week read again after it."""
        r = self.first_repeat(max(start, self.first_week[story.id]), story)
        own = self.first(story)
        if r is not None and (own is None or own > r):
            self.set(r, story)
            self.moved += 1

    def choose(self) -> dict[dt.date, tuple[Story, str]]:
        for story in self.pool:
            self.add(story)
        picks = {}
        for i, story in enumerate(self.holder):
            if story is not None:
                reason = self.locked[i] or (REPEAT if self.is_repeat(i) else ROTATION)
                picks[self.school[i]] = (story, reason)
        return picks


def build_schedule(cat: Catalogue, school_year: str) -> Schedule:
    """The whole school year, holiday weeks included (shown as skipped)."""
    programme = programme_for(cat, school_year)
    chooser = _Chooser(cat, programme)
    picks = chooser.choose()
    dates = [s.date for s in chooser.pool]
    weeks = []
    for monday in mondays(programme):
        story, reason = picks.get(monday, (None, ""))
        available = bisect.bisect_right(dates, monday)
        changed = [c.date for c in story.corrections] if story else []
        if available:
            changed.append(dates[available - 1])
        weeks.append(
            Week(
                school_year=programme.id,
                monday=monday,
                story=story,
                reason=reason,
                read_aloud=cat.read_aloud_minutes(story) if story else 0,
                anniversaries=anniversaries_in(cat, monday),
                holiday=holiday_on(programme, monday),
                candidates=available,
                updated=max(changed, default=None),
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
