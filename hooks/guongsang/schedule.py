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
takes weeks on or after its own date. So a week depends only on the stories
dated on or before its Monday, the programme file and the settings, and
nothing is stored between builds. A story dated today (the normal case)
changes no earlier week. A story dated in the past (an archive story),
marking an old story suitable or no longer suitable, and any edit of the
programme file (a pin, a holiday, the dates, even for a week still to come)
can change any week, past ones included. When a story is added:

1. It takes the weeks it is pinned to (a pin beats everything), then each
   week of a commemoration it is tied to (`commemorations:`), unless another
   tied story ranks before it for that week. A story that loses its first
   reading to it takes a week read again (at most that one fix, no chain).
2. Its first reading: a pin or commemoration before the first week (on or
   after its date) where the rotation reads some story again is its first
   reading. Otherwise it takes a week no later than that one: that week, or
   an earlier first reading whose story is read again by then anyway (its
   pin or commemoration becomes its first reading), or, if that parts two
   neighbours of one unit, an earlier first reading whose story moves to
   that week. This keeps the reading order: no story is read again, in a
   week chosen by the rotation, while a suitable story available by that
   Monday has not been read at all; a story pinned or kept for the very next
   week counts as read, since reading it in both weeks would put it twice
   in a row.
3. If every week from its date on is still a first reading (more stories
   than weeks), it takes one week from a story it outranks there, or from a
   unit that has at least two weeks more than its own.
4. Then, while some story has, from its date on, at least two readings more
   than it, it takes one of the later readings (never a first reading) of
   such a story: a story published late takes its share of the weeks left,
   not of the whole year. It prefers a week that parts a story from its own
   reading the week before or after, then one not within four weeks of its
   own readings, then the story read most, then neighbours of other units.
5. No story is read by the rotation in a week next to its own reading while
   another story could be read there: the new story, or else the least read
   story already read, takes such a week. A week already past for the new
   story cannot change: two readings in a row can stay when a story dated
   between them took the week after (judged with the stories known then, the
   rule holds).
6. A story whose pin or commemoration now comes before the first repeated
   week gives its earlier rotation week to the last first reading of the
   round, whose week becomes a second reading.
7. At most one repair (REPAIRS) parts two neighbouring weeks of one unit that
   this add left side by side: a swap with another rotation week, or, in the
   first round, moving one story up to SLIDE weeks along the row (the weeks
   between move back by one), keeping every rule above.

At most one reading-order fix per pin or commemoration week, one swap for
the first reading and one repair: no chain of moves. Adding a story dated
after every other changes no week before its date, and at most
ceil(W/n) + 3 + SLIDE weeks, plus two for each commemoration week it takes
(W weeks not pinned, n suitable stories); it is read at most ceil(R/n) + 1
times in the R free weeks from its date, plus its pinned and commemoration
weeks. Measured on 1,500 random catalogues of 1 to 90 stories with ties,
pins and holidays: ceil(W/n) + 3 (plus two a commemoration week) or fewer
in all but 2, the worst ceil(W/n) + 6. Stories of one date are added
in id order, so a newcomer whose id sorts before stories published the same
day is added before them and their weeks are chosen again: with five stories
published that day on the shipped content it changed up to 10 weeks (none
before that day). 5,000 suitable stories take about 0.3 s a school year.

Pinned and commemoration weeks are exceptions to the reading order: their
story is read there even if it was read before.

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
from .models import Commemoration, Holiday, Programme, Story, school_year_days

# From this month on, a day belongs to the school year that starts that autumn:
# in August schools prepare the coming year.
NEW_YEAR_MONTH = 8
# A story read again (when there are fewer stories than weeks) waits this many
# weeks after or before its other reading, if another week can go to it.
REPEAT_WEEKS = 4
# Swaps an add may make to part neighbouring weeks of one unit.
REPAIRS = 1
# How far a repair may move a story along the row.
SLIDE = 5

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
    start, end = school_year_days(first)
    return Programme(id=f"{first}-{first + 1}", start=start, end=end, path="")


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
        # A pinned week is its story's from the start: who holds it until then does not count as its neighbour.
        self.pin_of: list[str | None] = [None] * n
        for sid, weeks in self.pins.items():
            for i in weeks:
                self.pin_of[i] = sid
        self.pool = sorted(suitable_stories(cat), key=lambda s: (s.date, s.id))
        self.story_digest = {s.id: _digest(s.id) for s in self.pool}
        self.units = {s.id: frozenset(s.units) or frozenset({""}) for s in self.pool}
        self.first_week: dict[str, int] = {}
        self.moved = 0
        self.changed: set[int] = set()

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
        self.changed.add(i)
        return old if old is not story else None

    def is_repeat(self, i: int) -> bool:
        story = self.holder[i]
        return story is not None and self.readings[story.id][0] < i

    def read_at(self, j: int, story: Story) -> bool:
        """Whether the story is read in week j for good (a pinned week is its pinned story's)."""
        return 0 <= j < len(self.school) and self.holder[j] is story and self.pin_of[j] in (None, story.id)

    def next_to(self, story: Story, i: int) -> bool:
        """Whether the story is read in a school week next to week i."""
        return self.read_at(i - 1, story) or self.read_at(i + 1, story)

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
        self.moved = 0  # reading-order fixes made while adding this story: at most one swap more
        self.changed = set()
        for i in self.pins.get(story.id, ()):
            self.give_locked(i, story, PINNED, start)
        self.take_commemorations(story, start)
        for i in range(start, len(self.school)):
            if self.holder[i] is None:  # only the first story finds empty weeks
                self.set(i, story)
        self.take_first_reading(story, start, swap=not self.moved)
        if not self.count(story):
            self.take_one(story, start)
        self.balance(story, start)
        self.part_neighbours(story, start)
        self.let_fixed_readings_come_first(start)
        self.repair_units(start)

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

    def take_first_reading(self, story: Story, start: int, *, swap: bool) -> None:
        """Read the story before the rotation reads any story again.

        A pinned or commemoration reading before that week is its first reading.
        Otherwise it takes the first repeated week r, or an earlier first reading
        whose story is read again by r anyway (at its own pin or commemoration
        first: that reading becomes its first), or, with `swap`, an earlier first
        reading whose story moves to r, if that parts two neighbours of one unit.
        Never a week next to its own reading: its pin or commemoration in the
        week after r then stands for its first reading.
        """
        r = self.first_repeat(start, story)
        own = self.first(story)
        if r is None or (own is not None and own <= r):
            return
        holder, locked, readings = self.holder, self.locked, self.readings
        best = None
        for i in range(start, r + 1):
            other = holder[i]
            if locked[i] or other is None or other is story:
                continue
            if self.next_to(story, i):
                # Its rotation reading the week after r moves to r; that week goes to r's story, or else
                # to the least read story read before it and not next to it.
                after = i + 1
                if i == r and not self.read_at(i - 1, story) and not locked[after]:
                    if self.read_at(after + 1, other):
                        others = {h.id: h for h in holder[:i] if h is not None and h is not story and not self.read_at(after + 1, h)}
                        other = min(others.values(), key=lambda h: (len(readings[h.id]), self.rank(after, h)), default=None)
                    if other is not None:
                        option = (True, self.conflicts({i: story, after: other}), 4, i, self.rank(i, story), other)
                        best = min(best, option) if best else option
                continue
            kind = 1
            if i < r:
                theirs = readings[other.id]
                later = theirs[1] if len(theirs) > 1 else None
                if later is None or later > r or not (locked[later] or later == r):
                    continue
                kind = 0 if locked[later] else 2
            option = (kind > 0, self.conflicts({i: story}), kind, i, self.rank(i, story), None)
            best = min(best, option) if best else option
        if swap and r > start:
            for w in range(start, r):
                other = holder[w]
                if locked[w] or other is None or other is story or self.next_to(story, w) or readings[other.id][0] != w:
                    continue
                if any(self.read_at(j, other) for j in (r - 1, r + 1) if j != w):
                    continue
                option = (True, self.conflicts({w: story, r: other}), 3, w, self.rank(w, story), other)
                if best is None or option[1] < best[1]:
                    best = min(best, option) if best else option
        if best is None:
            return
        kind, w, other = best[2], best[3], best[5]
        self.set(w, story)
        if kind == 4:
            self.set(w + 1, other)
            self.moved += 1
        elif other is not None:
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
        """Take later readings from stories read, from the story's date on, at least twice more.

        Counting only the weeks from its date on, a story published late in the
        year takes its share of the weeks left, not a share of the whole year.
        """
        readings = self.readings
        while True:
            own = readings.get(story.id)
            if not own:
                return
            mine = len(own)
            best = None
            for i in range(start, len(self.school)):
                other = self.holder[i]
                if self.locked[i] or other is None or other is story:
                    continue
                theirs = readings[other.id]
                if theirs[0] == i:
                    continue
                count = len(theirs) - bisect.bisect_left(theirs, start)
                if count < mine + 2 or self.next_to(story, i):
                    continue
                key = (not self.next_to(other, i), self.near_own(story, i), -count, self.conflicts({i: story}), not self.near_own(other, i), self.rank(i, story), i)
                best = min(best, key) if best else key
            if best is None:
                return
            self.set(best[-1], story)

    def part_neighbours(self, story: Story, start: int) -> None:
        """A rotation week that reads the story of a week next to it goes to another story, if one can take it.

        The new story first; else the least read story already read before that
        week (so the week stays a second reading) and not next to it.
        """
        holder, locked, readings = self.holder, self.locked, self.readings
        pairs = [i for i in range(max(start - 1, 0), len(self.school) - 1) if holder[i] is not None and holder[i] is holder[i + 1]]
        for i in sorted({j for i in pairs for j in (i, i + 1) if j >= start}):
            other = holder[i]
            if locked[i] or other is None or not self.next_to(other, i):
                continue
            theirs = readings[other.id]
            if theirs[0] == i and not (len(theirs) > 1 and theirs[1] == i + 1 and locked[i + 1]):
                continue  # its first reading, unless its pin or commemoration comes the week after
            if other is not story and not self.next_to(story, i):
                self.set(i, story)
                continue
            others = {h.id: h for h in holder[:i] if h is not None and h is not other and not self.next_to(h, i)}
            best = min(others.values(), key=lambda h: (len(readings[h.id]), self.rank(i, h)), default=None)
            if best is not None:
                self.set(i, best)

    def let_fixed_readings_come_first(self, start: int) -> None:
        """A story whose pin or commemoration comes before the rotation reads any story
        again has that as its first reading: its earlier rotation week changes places
        with the last first reading of the round, which becomes its second reading."""
        holder, locked, readings, n = self.holder, self.locked, self.readings, len(self.school)
        for i in range(start, n):
            x = holder[i]
            if x is None or locked[i] or readings[x.id][0] != i or len(readings[x.id]) < 2:
                continue
            j = readings[x.id][1]
            if not locked[j]:
                continue
            r = self.first_repeat(i, x)
            end = n if r is None else r
            if j > end:
                continue
            k = next((k for k in range(end - 1, j, -1) if not locked[k] and holder[k] is not None), None)
            y = holder[k] if k is not None else None
            if y is None or readings[y.id][0] != k or self.first_week[y.id] > i:
                continue
            if any(self.read_at(m, y) for m in (i - 1, i + 1)):
                continue
            # Week k becomes a second reading: the story's own, or else the least read story not next to it.
            z = x if not self.next_to(x, k) else None
            if z is None:
                others = {id(h): h for h in holder[:k] if h is not None and h is not y and not self.next_to(h, k)}
                z = min(others.values(), key=lambda h: (len(readings[h.id]), self.rank(k, h)), default=None)
            if z is None:
                continue
            self.set(i, y)
            self.set(k, z)

    def repair_units(self, start: int) -> None:
        """Part two neighbouring weeks of one unit that this add left side by side.

        Either swap one of them with another rotation week, or move one of them
        a few weeks on (the weeks between move back by one, as when a teacher
        pushes a card along a row), whichever leaves fewest such pairs, keeping
        every other rule. At most REPAIRS changes, each only from the story's date on.
        """
        n, holder, locked = len(self.school), self.holder, self.locked
        done = 0
        near = sorted({k for c in self.changed for k in (c - 1, c, c + 1) if start <= k < n})
        for k in near:
            a = holder[k]
            if a is None or locked[k] or not self.same_unit_next(k):
                continue
            best = None
            for m in range(start, n):
                b = holder[m]
                if b is None or b is a or locked[m] or not self.can_swap(k, m):
                    continue
                gain = self.conflicts({k: b, m: a})
                if gain < 0:
                    option = (gain, 2, abs(m - k), {k: b, m: a})
                    best = min(best, option, key=lambda o: o[:3]) if best else option
            for step in (1, -1):
                moved = self.slide(k, step, start)
                if moved is not None:
                    option = (self.conflicts(moved), len(moved), 0, moved)
                    if option[0] < 0:
                        best = min(best, option, key=lambda o: o[:3]) if best else option
            if best is not None:
                for i, story in sorted(best[3].items()):
                    self.set(i, story)
                done += 1
                if done == REPAIRS:
                    return

    def same_unit_next(self, k: int) -> bool:
        """Whether week k's story shares a unit with the story of a week next to it."""
        a = self.holder[k]
        return any(0 <= j < len(self.school) and self.holder[j] is not None and self.units[a.id] & self.units[self.holder[j].id] for j in (k - 1, k + 1))

    def slide(self, k: int, step: int, start: int) -> dict[int, Story] | None:
        """Move week k's story SLIDE weeks at most in direction `step` (the weeks between
        shift back by one) to the first place that parts it from its unit; None if none."""
        n, holder, locked, readings = len(self.school), self.holder, self.locked, self.readings
        a = holder[k]
        if readings[a.id][0] != k:
            return None  # only first readings slide: in the first round the order of stories is free
        row = [a]
        for d in range(1, SLIDE + 1):
            p = k + step * d
            if not (start <= p < n) or locked[p] or holder[p] is None or holder[p] is a:
                return None
            b = holder[p]
            if readings[b.id][0] != p or self.first_week[b.id] > p - step or self.first_week[a.id] > p:
                return None
            row.append(b)
            # a goes to p; every week from k on takes the story of the week after it
            moved = {k + step * j: row[j + 1] for j in range(d)}
            moved[p] = a
            lo, hi = min(k, p), max(k, p)
            if any(len(readings[x.id]) > 1 and readings[x.id][1] <= hi for x in row):
                return None  # a first reading would come after the story's second
            seq = [holder[lo - 1] if lo > 0 else None] + [moved[i] for i in range(lo, hi + 1)] + [holder[hi + 1] if hi + 1 < n else None]
            if any(x is not None and x is y for x, y in zip(seq, seq[1:])):
                continue
            if self.conflicts(moved) < 0:
                return moved
        return None

    def can_swap(self, k: int, m: int) -> bool:
        """Whether the stories of rotation weeks k and m can change places: both dated by then,
        neither next to itself, and each week stays a first reading or a second one as it was."""
        a, b, readings = self.holder[k], self.holder[m], self.readings
        if self.first_week[a.id] > m or self.first_week[b.id] > k:
            return False
        if any(self.read_at(j, a) for j in (m - 1, m + 1) if j != k) or any(self.read_at(j, b) for j in (k - 1, k + 1) if j != m):
            return False
        first_a, first_b = readings[a.id][0] == k, readings[b.id][0] == m
        if first_a != first_b:
            return False
        if first_a:  # both first readings: no second reading may come between them
            low, high = min(k, m), max(k, m)
            r = self.first_repeat(low, a)
            if r is not None and r < high:
                return False
            later_a = readings[a.id][1] if len(readings[a.id]) > 1 else None
            later_b = readings[b.id][1] if len(readings[b.id]) > 1 else None
            return (later_a is None or later_a > m) and (later_b is None or later_b > k)
        return readings[a.id][0] < m and readings[b.id][0] < k

    def keep_reading_order(self, story: Story, start: int) -> None:
        """A story that lost its first reading takes the first week read again after it."""
        self.take_first_reading(story, max(start, self.first_week[story.id]), swap=False)
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
    """The whole school year, holiday weeks included (shown as skipped); made once per
    catalogue and year (the year's page, its calendar, the home page and the offline
    copy all ask)."""
    programme = programme_for(cat, school_year)
    if programme.id not in cat.schedules:
        cat.schedules[programme.id] = _build_schedule(cat, programme)
    return cat.schedules[programme.id]


def _build_schedule(cat: Catalogue, programme: Programme) -> Schedule:
    chooser = _Chooser(cat, programme)
    picks = chooser.choose()
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
