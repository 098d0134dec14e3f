"""Domain objects: frozen, typed, and each owning its URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .text import slugify


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    publisher: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Decision:
    number: str
    date: dt.date | None
    reason: str = ""


@dataclass(frozen=True)
class Honor:
    unit_id: str
    index: int  # position in the unit file, for messages
    year: int
    title: str
    form: str
    level: str
    issuer: str
    person: str = ""
    decision: Decision | None = None
    status: str = "active"
    revoked_by: Decision | None = None
    source: Source | None = None
    path: str = ""
    line: int = 0

    @property
    def key(self) -> str:
        """Stable identity across edits (used by diff, exports)."""
        who = slugify(self.person) if self.person else "tap-the"
        number = self.decision.number if self.decision else ""
        return f"{self.unit_id}/{self.year}/{slugify(self.title)}/{who}/{slugify(number)}".rstrip("/")

    @property
    def revoked(self) -> bool:
        return self.status == "revoked"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    path: str
    short_name: str = ""
    parent: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    ended_by: str = ""
    successor: str = ""
    lifecycle_source: Source | None = None
    standards: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    honors: tuple[Honor, ...] = ()

    @property
    def url(self) -> str:
        return f"don-vi/{self.id}/"

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def exists_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str


@dataclass(frozen=True)
class Withdrawal:
    date: dt.date
    reason: str
    decided_by: str


@dataclass(frozen=True)
class Person:
    name: str
    minor: bool = False
    role: str = ""


@dataclass(frozen=True)
class Consent:
    date: dt.date | None
    recorded_by: str
    note: str = ""


@dataclass(frozen=True)
class Story:
    year: int
    slug: str
    path: str
    title: str
    date: dt.date
    summary: str
    subject: str
    units: tuple[str, ...]
    body: str
    body_line: int
    author: str
    status: str
    source: Source | None = None
    topics: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    commemorations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    flag_ceremony: bool = False
    grade_band: str = "moi-cap"
    reviewer: str = ""
    person: Person | None = None
    consent: Consent | None = None
    illustrative: bool = False
    personal_data_reviewed: bool = False
    # What the reviewed exception allows, as written in the story: phone numbers, addresses.
    personal_data_values: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    aliases: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    withdrawal: Withdrawal | None = None
    words: int = 0  # Vietnamese: one word per syllable

    # Computed once a story: listings, related stories and sorting ask millions of
    # times at 10,000 stories. (Not fields: equality, hashing and repr ignore them.)
    @cached_property
    def id(self) -> str:
        return f"{self.year}/{self.slug}"

    @cached_property
    def url(self) -> str:
        return f"bai-viet/{self.year}/{self.slug}/"

    @cached_property
    def handout_url(self) -> str:
        return f"in/{self.year}/{self.slug}/"

    @cached_property
    def print_fit(self) -> tuple[int, int | None]:
        """The type size its one printed page takes (pagefit.choose_fit): the checker,
        the story page and the handout all ask, and the count is the costly part."""
        from .pagefit import choose_fit  # pagefit reads this module

        return choose_fit(self)

    @cached_property
    def order(self) -> tuple[int, str]:
        """Newest first, then by id: a total order, so output never depends on file order."""
        return (-self.date.toordinal(), self.id)

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"


@dataclass(frozen=True)
class Topic:
    id: str
    year: int
    title: str
    level: str
    directive: str
    path: str
    line: int
    index: int = 0  # position in its file, for exact field lines
    quarters: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    description: str = ""
    source: Source | None = None

    @property
    def url(self) -> str:
        return f"chuyen-de/#{self.id}"

    @property
    def period_label(self) -> str:
        if self.quarters:
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
            return "Quý " + ", ".join(roman[q] for q in self.quarters) + f" năm {self.year}"
        if self.months:
            return "Tháng " + ", ".join(str(m) for m in self.months) + f" năm {self.year}"
        return f"Năm {self.year}"


@dataclass(frozen=True)
class Task:
    id: str
    directive: str
    number: int
    title: str
    lead: str
    line: int
    index: int = 0
    coordinating: tuple[str, ...] = ()
    coordinating_note: str = ""

    @property
    def url(self) -> str:
        return f"van-ban/{self.directive}/#{self.id}"


@dataclass(frozen=True)
class Directive:
    id: str
    kind: str
    number: str
    issuer: str
    title: str
    path: str
    line: int
    index: int = 0
    date: dt.date | None = None
    summary: str = ""
    implements: str = ""
    issuing_unit: str = ""
    text_page: str = ""
    source: Source | None = None
    tasks: tuple[Task, ...] = ()

    @property
    def url(self) -> str:
        return f"van-ban/{self.id}/"


@dataclass(frozen=True)
class Commemoration:
    id: str
    day: int
    month: int
    year: int
    name: str
    path: str
    line: int
    index: int = 0
    source: Source | None = None
    aliases: tuple[str, ...] = ()  # other wordings in sources, word for word, slips included

    def ordinal(self, year: int) -> int:
        """Anniversary number in a given year: computed, never typed."""
        return year - self.year

    def label(self, year: int) -> str:
        n = self.ordinal(year)
        return f"Kỷ niệm {n} năm {self.name}" if n > 0 else self.name

    def date_in(self, year: int) -> dt.date | None:
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class Holiday:
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Pin:
    week: dt.date
    story: str
    line: int


def school_year_days(first_year: int) -> tuple[dt.date, dt.date]:
    """A school year's flag ceremonies without a programme file saying otherwise: from
    the first Monday on or after the national opening day (khai giảng, 5 September)
    to 31 May. The schedule uses them, and the checker's examples show them."""
    opening = dt.date(first_year, 9, 5)
    return opening + dt.timedelta(days=-opening.weekday() % 7), dt.date(first_year + 1, 5, 31)


@dataclass(frozen=True)
class Programme:
    """A school year's flag-ceremony settings: content/programme/<2026-2027>.yml."""

    id: str
    start: dt.date
    end: dt.date
    path: str
    holidays: tuple[Holiday, ...] = ()
    pins: tuple[Pin, ...] = ()

    @property
    def url(self) -> str:
        return f"chao-co/{self.id}/"


@dataclass(frozen=True)
class Settings:
    organisation: str = "Ban Tuyên giáo"
    syllables_per_minute: int = 120
    words_per_minute: int = 200
    read_aloud_max_minutes: int = 5
    search_text_limit: int | None = None  # characters of each page's text in the search index; 0: all; None: by size (site.py)


@dataclass(frozen=True)
class Content:
    """Everything loaded from content/, before cross-checking."""

    stories: tuple[Story, ...] = ()
    units: tuple[Unit, ...] = ()
    topics: tuple[Topic, ...] = ()
    directives: tuple[Directive, ...] = ()
    commemorations: tuple[Commemoration, ...] = ()
    programmes: tuple[Programme, ...] = ()
    settings: Settings = field(default_factory=Settings)
