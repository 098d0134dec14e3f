"""Open data: stories, units and honors as JSON and CSV, and the page that documents every column.

One list of columns per file serves the exporter and the documentation page,
so the two cannot drift apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import fields as F
from .catalogue import Catalogue
from .feeds import ATOM_URI, LATEST, RSS_URI, public_stories, require_site_url, updated_on
from .models import Honor, Source, Story, Unit
from .render import Output, Renderer

DATA_DIR = "du-lieu"
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); tab and carriage return can hide one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT = "chữ"
DATE = "ngày (YYYY-MM-DD)"
INT = "số nguyên"
BOOL = "true/false"
URL = "địa chỉ web"
LIST = "danh sách"
ID = "mã"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # one of the type labels above, shown on the documentation page
    meaning: str  # Vietnamese, shown on the documentation page
    value: Callable[[Any], Any]  # row → str | int | bool | date | list[str] | None
    choices: tuple[tuple[str, str], ...] = ()  # (code, Vietnamese label) for coded values


@dataclass(frozen=True)
class Dataset:
    name: str  # file stem: du-lieu/<name>.json and .csv
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Catalogue, str], list]  # (catalogue, site_url) → rows, in file order

    @property
    def json_uri(self) -> str:
        return f"{DATA_DIR}/{self.name}.json"

    @property
    def csv_uri(self) -> str:
        return f"{DATA_DIR}/{self.name}.csv"


def coded(codes: tuple[str, ...], labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(zip(codes, labels))


NO_SOURCE = Source(title="")


def source_columns(get: Callable[[Any], Source | None]) -> tuple[Column, ...]:
    """The four source columns, shared by stories and honors."""
    return (
        Column("source_title", TEXT, "Tên bài/tài liệu nguồn", lambda x: (get(x) or NO_SOURCE).title or None),
        Column("source_url", URL, "Địa chỉ web của nguồn (nếu có)", lambda x: (get(x) or NO_SOURCE).url or None),
        Column("source_publisher", TEXT, "Cơ quan/báo đăng nguồn", lambda x: (get(x) or NO_SOURCE).publisher or None),
        Column("source_date", DATE, "Ngày đăng nguồn", lambda x: (get(x) or NO_SOURCE).date),
    )


# -- the three files ----------------------------------------------------------


@dataclass(frozen=True)
class StoryRow:
    story: Story
    url: str
    unit_names: list[str]
    reading: int
    aloud: int


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    url: str
    honors: int
    stories: int


@dataclass(frozen=True)
class HonorRow:
    honor: Honor
    unit: Unit
    unit_url: str


def story_rows(cat: Catalogue, site_url: str) -> list[StoryRow]:
    rows = []
    for s in public_stories(cat):
        names = [cat.units[u].name for u in s.units if u in cat.units]
        rows.append(StoryRow(s, site_url + s.url, names, cat.reading_minutes(s), cat.read_aloud_minutes(s)))
    return rows


def unit_rows(cat: Catalogue, site_url: str) -> list[UnitRow]:
    counts: dict[str, int] = {}
    for story in public_stories(cat):
        for unit_id in story.units:
            counts[unit_id] = counts.get(unit_id, 0) + 1
    return [UnitRow(u, site_url + u.url, len(u.honors), counts.get(u.id, 0)) for u in cat.units.values()]


def honor_rows(cat: Catalogue, site_url: str) -> list[HonorRow]:
    # Newest year first, then as written in each unit's file: a total order.
    ordered = sorted(cat.honors, key=lambda h: (-h.year, h.unit_id, h.index))
    return [HonorRow(h, cat.units[h.unit_id], site_url + cat.units[h.unit_id].url) for h in ordered]


STORY_COLUMNS: tuple[Column, ...] = (
    Column("id", ID, "Mã bài: năm/slug; không đổi khi sửa nội dung bài", lambda r: r.story.id),
    Column("url", URL, "Địa chỉ trang bài", lambda r: r.url),
    Column("title", TEXT, "Tiêu đề bài", lambda r: r.story.title),
    Column("date", DATE, "Ngày đăng", lambda r: r.story.date),
    Column("updated", DATE, "Ngày cập nhật: ngày đính chính gần nhất, nếu không có thì là ngày đăng", lambda r: updated_on(r.story)),
    Column("summary", TEXT, "Tóm tắt", lambda r: r.story.summary),
    Column("subject", ID, "Bài về tập thể hay cá nhân", lambda r: r.story.subject, coded(F.SUBJECTS, F.SUBJECT_LABELS)),
    Column("units", LIST, "Mã các đơn vị của bài (xem cột id của don-vi)", lambda r: list(r.story.units)),
    Column("unit_names", LIST, "Tên các đơn vị của bài, cùng thứ tự với cột units", lambda r: r.unit_names),
    Column("topics", LIST, "Mã các chuyên đề bài phục vụ", lambda r: list(r.story.topics)),
    Column("tasks", LIST, "Mã các công việc đột phá bài góp phần", lambda r: list(r.story.tasks)),
    Column("commemorations", LIST, "Mã các ngày kỷ niệm bài gắn với", lambda r: list(r.story.commemorations)),
    Column("tags", LIST, "Thẻ chủ đề", lambda r: list(r.story.tags)),
    Column("audiences", LIST, "Bài dành cho ai", lambda r: list(r.story.audiences), coded(F.AUDIENCES, F.AUDIENCE_LABELS)),
    Column("flag_ceremony", BOOL, "Phù hợp đọc trong buổi chào cờ đầu tuần", lambda r: r.story.flag_ceremony),
    Column("grade_band", ID, "Cấp học phù hợp khi đọc chào cờ", lambda r: r.story.grade_band, coded(F.GRADE_BANDS, F.GRADE_BAND_LABELS)),
    Column("illustrative", BOOL, "Bài minh họa, nhân vật hư cấu", lambda r: r.story.illustrative),
    Column("author", TEXT, "Người viết", lambda r: r.story.author),
    Column("reviewer", TEXT, "Người duyệt", lambda r: r.story.reviewer or None),
    *source_columns(lambda r: r.story.source),
    Column("words", INT, "Số chữ (âm tiết) của thân bài", lambda r: r.story.words),
    Column("reading_minutes", INT, "Thời gian đọc thầm, phút", lambda r: r.reading),
    Column("read_aloud_minutes", INT, "Thời gian đọc to, phút", lambda r: r.aloud),
    Column("corrections", LIST, "Các đính chính, mỗi mục dạng «YYYY-MM-DD: nội dung»", lambda r: [f"{c.date.isoformat()}: {c.text}" for c in r.story.corrections]),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("id", ID, "Mã đơn vị", lambda r: r.unit.id),
    Column("url", URL, "Địa chỉ trang đơn vị", lambda r: r.url),
    Column("name", TEXT, "Tên đầy đủ", lambda r: r.unit.name),
    Column("short_name", TEXT, "Tên ngắn", lambda r: r.unit.short_name or None),
    Column("kind", ID, "Loại đơn vị", lambda r: r.unit.kind, coded(F.UNIT_KINDS, F.UNIT_KIND_LABELS)),
    Column("parent", ID, "Mã đơn vị cấp trên trực tiếp", lambda r: r.unit.parent or None),
    Column("aliases", LIST, "Cách viết khác đã gặp trong nguồn", lambda r: list(r.unit.aliases)),
    Column("description", TEXT, "Giới thiệu ngắn", lambda r: r.unit.description or None),
    Column("valid_from", DATE, "Ngày bắt đầu tồn tại (nếu biết)", lambda r: r.unit.valid_from),
    Column("valid_to", DATE, "Ngày cuối cùng còn tồn tại (trống: còn tồn tại)", lambda r: r.unit.valid_to),
    Column("ended_by", ID, "Lý do kết thúc", lambda r: r.unit.ended_by or None, coded(F.ENDINGS, F.ENDING_LABELS)),
    Column("successor", ID, "Mã đơn vị kế tục (sáp nhập vào / đổi tên thành)", lambda r: r.unit.successor or None),
    Column("standards", LIST, "Chuẩn mực đạo đức đơn vị đã công bố", lambda r: list(r.unit.standards)),
    Column("honor_count", INT, "Số lần khen thưởng, ghi nhận (kể cả đã thu hồi)", lambda r: r.honors),
    Column("story_count", INT, "Số bài đã công bố về đơn vị", lambda r: r.stories),
)

HONOR_COLUMNS: tuple[Column, ...] = (
    Column("key", ID, "Mã lần khen: đơn vị/năm/nội dung/người/số quyết định; dùng để đối chiếu giữa các lần tải", lambda r: r.honor.key),
    Column("unit_id", ID, "Mã đơn vị", lambda r: r.honor.unit_id),
    Column("unit_name", TEXT, "Tên đơn vị", lambda r: r.unit.name),
    Column("unit_url", URL, "Địa chỉ trang đơn vị", lambda r: r.unit_url),
    Column("year", INT, "Năm khen thưởng/ghi nhận", lambda r: r.honor.year),
    Column("title", TEXT, "Nội dung khen thưởng", lambda r: r.honor.title),
    Column("form", ID, "Hình thức", lambda r: r.honor.form, coded(F.HONOR_FORMS, F.HONOR_FORM_LABELS)),
    Column("level", ID, "Cấp khen", lambda r: r.honor.level, coded(F.LEVELS, F.LEVEL_LABELS)),
    Column("issuer", TEXT, "Cơ quan khen/ghi nhận", lambda r: r.honor.issuer),
    Column("person", TEXT, "Họ tên cá nhân được khen (trống: khen tập thể đơn vị)", lambda r: r.honor.person or None),
    Column("decision_number", TEXT, "Số quyết định khen", lambda r: r.honor.decision.number if r.honor.decision else None),
    Column("decision_date", DATE, "Ngày ký quyết định khen", lambda r: r.honor.decision.date if r.honor.decision else None),
    Column("status", ID, "Hiệu lực", lambda r: r.honor.status, (("active", "Còn hiệu lực"), ("revoked", "Đã thu hồi"))),
    Column("revoked_by_number", TEXT, "Số quyết định thu hồi", lambda r: r.honor.revoked_by.number if r.honor.revoked_by else None),
    Column("revoked_by_date", DATE, "Ngày quyết định thu hồi", lambda r: r.honor.revoked_by.date if r.honor.revoked_by else None),
    Column("revoked_reason", TEXT, "Lý do thu hồi", lambda r: (r.honor.revoked_by.reason or None) if r.honor.revoked_by else None),
    *source_columns(lambda r: r.honor.source),
)

DATASETS: tuple[Dataset, ...] = (
    Dataset("bai-viet", "Bài viết", "Mỗi dòng là một bài đã công bố, bài mới nhất trước.", STORY_COLUMNS, story_rows),
    Dataset("don-vi", "Đơn vị", "Mỗi dòng là một đơn vị (kể cả đơn vị đã sáp nhập, giải thể), xếp theo mã.", UNIT_COLUMNS, unit_rows),
    Dataset("khen-thuong", "Khen thưởng, ghi nhận", "Mỗi dòng là một lần khen thưởng hoặc ghi nhận (kể cả lần đã thu hồi), năm mới nhất trước.", HONOR_COLUMNS, honor_rows),
)


# -- writing ------------------------------------------------------------------


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_cell(value: Any) -> str | int:
    """One CSV cell: lists joined, dates ISO, booleans true/false, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return neutralise_formula(str(value))


def neutralise_formula(text: str) -> str:
    """A leading apostrophe makes a spreadsheet show "=1+1" as text instead of running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def records(dataset: Dataset, rows: list) -> list[dict[str, Any]]:
    return [{c.name: json_value(c.value(row)) for c in dataset.columns} for row in rows]


def to_json(dataset: Dataset, rows: list) -> str:
    return json.dumps(records(dataset, rows), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def to_csv(dataset: Dataset, rows: list) -> bytes:
    """RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark so that
    Excel shows Vietnamese letters instead of mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in dataset.columns])
    for row in rows:
        writer.writerow([csv_cell(c.value(row)) for c in dataset.columns])
    return buffer.getvalue().encode("utf-8-sig")


def render_data_page(cat: Catalogue, r: Renderer, counts: dict[str, int]) -> Output:
    return r.page(
        f"{DATA_DIR}/index.md",
        "open_data.md",
        title="Dữ liệu mở",
        description="Bản tin RSS, Atom và dữ liệu bài viết, đơn vị, khen thưởng dạng JSON, CSV.",
        organisation=cat.settings.organisation,
        datasets=DATASETS,
        counts=counts,
        rss_uri=RSS_URI,
        atom_uri=ATOM_URI,
        latest=LATEST,
        list_separator=LIST_SEPARATOR.strip(),
        formula_starts=[s for s in FORMULA_STARTS if s.isprintable()],
    )


def generate_exports(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    site_url = require_site_url(r)
    counts: dict[str, int] = {}
    for dataset in DATASETS:
        rows = dataset.rows(cat, site_url)
        counts[dataset.name] = len(rows)
        yield Output(dataset.json_uri, to_json(dataset, rows))
        yield Output(dataset.csv_uri, to_csv(dataset, rows))
    yield render_data_page(cat, r, counts)
