"""Statistics over the catalogue: the figures behind the statistics page and the `report` command."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from . import fields as F
from .catalogue import Catalogue
from .models import Honor, Story, Unit
from .text import collation_key

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A reporting period: a whole year, or one quarter of it."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and self.quarter not in ROMAN:
            raise ValueError(f"Quý phải từ 1 đến 4, không phải {self.quarter}")

    @property
    def start(self) -> dt.date:
        month = 1 if self.quarter is None else 3 * self.quarter - 2
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        """Machine form for exports: "2017" or "2017-Q2"."""
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"Năm {self.year}" if self.quarter is None else f"Quý {ROMAN[self.quarter]} năm {self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> range:
        return range(self.start.month, self.end.month + 1)


@dataclass(frozen=True)
class UnitCount:
    unit: Unit
    count: int


@dataclass(frozen=True)
class HonorCount:
    """Honors of one year (or period): active ones by level and by form, revoked apart."""

    year: int
    by_level: tuple[tuple[str, int], ...]  # every level of the schema, lowest first
    by_form: tuple[tuple[str, int], ...]  # every form of the schema, in schema order
    active: int
    revoked: int

    @property
    def total(self) -> int:
        return self.active + self.revoked

    def level(self, level: str) -> int:
        return dict(self.by_level)[level]


def stories_in(cat: Catalogue, period: Period) -> list[Story]:
    """Public stories dated within the period, newest first (the catalogue's order)."""
    return [s for s in cat.stories_by_year.get(period.year, ()) if period.contains(s.date)]


def honors_in(cat: Catalogue, period: Period) -> list[Honor]:
    """Honors of the period. An honor carries a year; a quarter needs its decision date,
    so honors without a dated decision count in whole-year periods only."""
    if period.quarter is None:
        return [h for h in cat.honors if h.year == period.year]
    return [
        h for h in cat.honors
        if h.year == period.year and h.decision is not None and h.decision.date is not None and period.contains(h.decision.date)
    ]


def count_stories_by_unit(cat: Catalogue, period: Period | None = None) -> list[UnitCount]:
    """Units with at least one story, most stories first, then by full name in Vietnamese
    order: the statistics table and the report show the full name («Xã An Bình» after
    «Ban Tổ chức»), and a list sorted by what it does not show looks unsorted."""
    if period is None:
        counts = {unit_id: len(stories) for unit_id, stories in cat.stories_by_unit.items() if stories}
    else:
        counts = Counter(unit_id for s in stories_in(cat, period) for unit_id in s.units)
    rows = [UnitCount(cat.units[unit_id], n) for unit_id, n in counts.items() if unit_id in cat.units]
    return sorted(rows, key=lambda r: (-r.count, collation_key(r.unit.name), r.unit.id))


def count_stories_by_year(cat: Catalogue) -> list[tuple[int, int]]:
    """(year, stories) from the first year with a story to the last, empty years included."""
    if not cat.stories_by_year:
        return []
    first, last = min(cat.stories_by_year), max(cat.stories_by_year)
    return [(year, len(cat.stories_by_year.get(year, ()))) for year in range(first, last + 1)]


def count_stories_by_month(cat: Catalogue, period: Period) -> list[tuple[int, int]]:
    """(month, stories) for every month of the period, empty months included."""
    counts = Counter(s.date.month for s in stories_in(cat, period))
    return [(month, counts.get(month, 0)) for month in period.months()]


def count_stories_by_subject(cat: Catalogue, period: Period | None = None) -> list[tuple[str, int]]:
    """(subject, stories) for every subject of the schema."""
    stories = cat.stories if period is None else stories_in(cat, period)
    counts = Counter(s.subject for s in stories)
    return [(subject, counts.get(subject, 0)) for subject in F.SUBJECTS]


def _count_honors(year: int, honors: list[Honor]) -> HonorCount:
    active = [h for h in honors if not h.revoked]
    levels = Counter(h.level for h in active)
    forms = Counter(h.form for h in active)
    return HonorCount(
        year=year,
        by_level=tuple((level, levels.get(level, 0)) for level in F.LEVELS),
        by_form=tuple((form, forms.get(form, 0)) for form in F.HONOR_FORMS),
        active=len(active),
        revoked=len(honors) - len(active),
    )


def count_honors_by_year(cat: Catalogue) -> list[HonorCount]:
    """One row per year having honors, newest first; revoked honors are counted apart."""
    by_year: dict[int, list[Honor]] = {}
    for honor in cat.honors:
        by_year.setdefault(honor.year, []).append(honor)
    return [_count_honors(year, by_year[year]) for year in sorted(by_year, reverse=True)]


def count_honors_in(cat: Catalogue, period: Period) -> HonorCount:
    return _count_honors(period.year, honors_in(cat, period))


def _existed_in(unit: Unit, period: Period) -> bool:
    return (unit.valid_from is None or unit.valid_from <= period.end) and (unit.valid_to is None or unit.valid_to >= period.start)


def uncovered_units(cat: Catalogue, period: Period) -> tuple[list[Unit], list[Unit]]:
    """Units that existed at some time in the period and have no story dated in it, by
    name in Vietnamese order ("Đồng Lạc" after the D's), in one pass: (missing, unknown).
    A unit whose parent had ended before the period is "unknown": nothing records its
    own fate, so it is counted neither as existing nor as ended."""
    covered = {unit_id for s in stories_in(cat, period) for unit_id in s.units}
    missing: list[Unit] = []
    unknown: list[Unit] = []
    for u in cat.units.values():
        if u.id not in covered and _existed_in(u, period):
            (missing if cat.ended_parent(u, period.start) is None else unknown).append(u)
    by_name = lambda u: (collation_key(u.name), u.id)  # noqa: E731
    return sorted(missing, key=by_name), sorted(unknown, key=by_name)


def find_units_without_stories(cat: Catalogue, period: Period) -> list[Unit]:
    """Units with no story in the period (uncovered_units), those of unknown state left out."""
    return uncovered_units(cat, period)[0]


def find_units_of_unknown_state(cat: Catalogue, period: Period) -> list[Unit]:
    """Units without a story in the period whose parent had ended before it (uncovered_units)."""
    return uncovered_units(cat, period)[1]


def coverage_years(cat: Catalogue) -> list[int]:
    """Years whose coverage gaps the committee looks at: the current one, and the
    latest year having stories when that differs (content often lags the calendar)."""
    years = [cat.today.year]
    if cat.stories_by_year:
        latest = max(cat.stories_by_year)
        if latest != cat.today.year:
            years.append(latest)
    return years


__all__ = [
    "HonorCount",
    "Period",
    "UnitCount",
    "count_honors_by_year",
    "count_honors_in",
    "count_stories_by_month",
    "count_stories_by_subject",
    "count_stories_by_unit",
    "count_stories_by_year",
    "coverage_years",
    "find_units_of_unknown_state",
    "find_units_without_stories",
    "uncovered_units",
    "honors_in",
    "stories_in",
]
