"""The checker: every rule across files, each problem with file, line, field, code and fix."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import difflib
import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from . import fields as F
from . import safety
from .load import LoadedFile, Loader, relpath
from .models import Content, Story, Unit, school_year_days
from .pagefit import LARGE_POINTS, fit_story, is_large_type
from .parallel import Worker, put
from .problems import Problem
from .text import fold, fold_tones, heading_anchors, minutes, slugify, toc_slugify, unpadded_dates
from .yamlio import Doc, dotted

# Party bodies write "45-QĐ/HU" (number-kind/issuer); State bodies "123/QĐ-UBND",
# sometimes with the year: "12/2017/QĐ-UBND".
_PARTY_NUMBER = re.compile(r"^\d+-[A-ZĐ]{2,6}(?:/[A-ZĐ0-9]{1,10})+$")
_STATE_NUMBER = re.compile(r"^\d+/(?:\d{4}/)?[A-ZĐ]{2,6}(?:-[A-ZĐ0-9]{1,12})+$")
_TYPED_ORDINAL = re.compile(r"\b\d+\s*năm\b", re.IGNORECASE)
_DECIDED_FORMS = ("giay-khen", "bang-khen", "co-thi-dua", "danh-hieu")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# An alias is an old story URL and nothing else: any other shape could be the
# address of a page the site generates (a listing, a unit), which it would replace.
_STORY_URL = re.compile(r"bai-viet/\d{4}/[a-z0-9]+(?:-[a-z0-9]+)*/")
# Ids a story page has whatever its text (templates/story.md): a body heading's anchor
# must not take one, or the page has two elements with one id.
STORY_PAGE_IDS = {"dinh-chinh": "mục «Đính chính»", "bai-lien-quan": "mục «Bài liên quan»"}
# An id the site's own pages take: content/units/index.yml would be written over the
# units directory (don-vi/index.md), a story or directive called so over its folder.
RESERVED_IDS = ("index",)
# How every placeholder of a new file starts (scaffold.TODO): one left behind is unwritten text.
PLACEHOLDER = "Cần viết:"
_LISTING_URLS = tuple(f"bai-viet/{kind}/" for kind in ("nam", "don-vi", "chuyen-de", "cong-viec", "loai")) + ("bai-viet/trang-",)


@dataclass(frozen=True)
class UnitName:
    """One way a unit is named (its name, short name or an alias) and what it denotes."""

    key: tuple[str, str]
    text: str
    field: str  # "name", "short_name", "aliases[2]"
    path: tuple  # the field's path in the unit's file
    alias: bool
    order: int


def split_kind(name: str) -> tuple[str, str]:
    """(the kind its first words announce, the rest as written): "Xã Nam Tân" → ("xa",
    "Nam Tân"); ("", name) when it starts with no kind word (F.UNIT_NAME_PREFIXES)."""
    words = name.split()
    for prefix, kind in F.UNIT_NAME_PREFIXES:
        n = len(prefix.split())
        if len(words) > n and " ".join(fold(w) for w in words[:n]) == prefix:
            return kind, " ".join(words[n:])
    return "", name


def unit_name_key(text: str, kind: str) -> tuple[str, str]:
    """What a unit name denotes: (kind, the name without its kind word), NFC, tone marks folded.

    "Xã Minh Tâm" and the bare "Minh Tâm" of a commune are one key; "Đảng bộ xã Nam Tân"
    is not "Xã Nam Tân": the kind word a name starts with says which kind it means.
    """
    named_kind, rest = split_kind(text)
    return (named_kind, _name_core(rest)) if named_kind else (kind, _name_core(text))


def _name_core(text: str) -> str:
    return re.sub(r"\s*-\s*", "-", fold_tones(text))


def unit_names(unit: Unit) -> list[UnitName]:
    names = [UnitName(unit_name_key(unit.name, unit.kind), unit.name, "name", ("name",), False, 0)]
    if unit.short_name:
        names.append(UnitName(unit_name_key(unit.short_name, unit.kind), unit.short_name, "short_name", ("short_name",), False, 1))
    for i, alias in enumerate(unit.aliases):
        names.append(UnitName(unit_name_key(alias, unit.kind), alias, f"aliases[{i}]", ("aliases", i), True, 2 + i))
    return names


def is_decision_number(number: str) -> bool:
    return bool(_PARTY_NUMBER.match(number) or _STATE_NUMBER.match(number))


@dataclass
class CheckResult:
    content: Content
    problems: list[Problem] = field(default_factory=list)
    # What loading each story and unit produced, and the digest of every content
    # file: the next build under `mkdocs serve` reuses the first, compares the second.
    files: dict[str, LoadedFile] = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def nearest(word: str, candidates: Iterable[str], n: int = 3) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=0.5)
    return ("Gần nhất: " + ", ".join(close) + ".") if close else ""


class Checker:
    """Cross-file rules over loaded content. One instance per check run."""

    def __init__(self, root: Path, content: Content, loader: Loader, today: dt.date | None = None):
        self.root = root
        self.today = today  # the build's day: a correction cannot be dated after it (None: not checked)
        self.docs_dir = root / "docs"
        self.content = content
        self.docs = loader.docs
        self.bodies = loader.bodies
        self.problems: list[Problem] = []
        self.units = {u.id: u for u in content.units}
        self.topics = {t.id: t for t in content.topics}
        self.directives = {d.id: d for d in content.directives}
        self.tasks = {t.id: t for d in content.directives for t in d.tasks}
        self.commemorations = {c.id: c for c in content.commemorations}
        self.stories = {s.id: s for s in content.stories}
        self.stories_by_path = {s.path: s for s in content.stories}
        self.tables = {
            "unit": self.units,
            "topic": self.topics,
            "directive": self.directives,
            "task": self.tasks,
            "commemoration": self.commemorations,
            "story": self.stories,
        }
        # Ids whose file or entry has errors of its own, and collections that could
        # not be read: references to them are not reported again as unknown.
        self.broken = {kind: loader.seen_ids[kind] - set(table) for kind, table in self.tables.items()}
        self.unreadable = loader.unreadable
        self.faulty_fields = {(p.path, p.field) for p in loader.problems}
        # Place and body names look like people's names ("học sinh Thái Tân"): the
        # minors scan must not take them for a child's full name.
        self.places = frozenset(n.lower() for u in content.units for n in (u.name, u.short_name, *u.aliases) if n)

    def report(self, path: str, line: int, field_: str, code: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(path, line, field_, code, message, fix))

    def run(self) -> list[Problem]:
        self.check_stories({*self.bodies, *(path for path in self.docs if path.startswith(STORY_FILES))})
        return self.check_across()

    def check_stories(self, paths: Iterable[str]) -> list[Problem]:
        """The rules of each story file on its own (its fields, references and text), for
        the files in `paths` (the content's stories must be theirs). They need nothing
        of another story: check_content shares them out between two processes."""
        for story in self.content.stories:
            self._check_story(story)
        paths = sorted(paths)
        for path in paths:
            if path in self.bodies:
                body, body_line = self.bodies[path]
                self._check_story_text(path, self.docs.get(path), body, body_line, self.stories_by_path.get(path))
        self._check_typed_dates(paths)
        return self.problems

    def check_across(self) -> list[Problem]:
        """Everything else: units, collections, and the rules between stories."""
        self._check_units()
        self._check_duplicate_ids()
        self._check_reserved_ids()
        self._check_directives()
        self._check_topics()
        self._check_commemorations()
        self._check_typed_dates([path for path in self.docs if not path.startswith(STORY_FILES)])
        self._check_urls()
        self._check_programmes()
        return self.problems

    # -- helpers -----------------------------------------------------------

    def _line(self, path: str, field_path: tuple) -> int:
        doc = self.docs.get(path)
        return doc.line(field_path) if doc else 0

    def _ref(self, path: str, line: int, field_: str, value: str, kind: str, code: str, what: str) -> bool:
        table = self.tables[kind]
        if value in table:
            return True
        if value in self.broken[kind] or kind in self.unreadable:
            return False  # its own file reports what is wrong there
        hint = nearest(value, table)
        if kind == "unit":
            wanted = slugify(value)
            by_alias = [u.id for u in self.units.values() if wanted in {slugify(a) for a in (u.name, u.short_name, *u.aliases) if a}]
            if by_alias:
                hint = "Có phải: " + ", ".join(sorted(by_alias)) + "?"
        self.report(path, line, field_, code, f"Không có {what} mã '{value}'", (hint + " " if hint else "") + "Sửa mã cho đúng hoặc tạo mục mới.")
        return False

    def _faulty(self, path: str, field_: str) -> bool:
        """Whether loading already reported this field (or one inside it)."""
        return any(p == path and (f == field_ or f.startswith(field_ + ".") or f.startswith(field_ + "[")) for p, f in self.faulty_fields)

    # -- units -------------------------------------------------------------

    def _check_units(self) -> None:
        for unit in sorted(self.content.units, key=lambda u: u.id):
            self._check_unit(unit)
        self._check_unit_names()
        self._check_parent_cycles()
        self._check_unit_labels()

    def _check_unit_names(self) -> None:
        """Two units that one name could mean: a name, short name or alias of one is a name,
        short name or alias of the other ("Xã Minh Tâm" beside xa-minh-tan's alias "Minh Tâm")."""
        by_key: dict[tuple[str, str], list[tuple[Unit, UnitName]]] = defaultdict(list)
        for unit in sorted(self.content.units, key=lambda u: u.id):
            for name in unit_names(unit):
                if name.key[1]:
                    by_key[name.key].append((unit, name))
        pairs: dict[tuple[str, str], list[tuple[Unit, UnitName, Unit, UnitName]]] = defaultdict(list)
        for entries in by_key.values():
            for a, name_a in entries:
                for b, name_b in entries:
                    if a.id < b.id:
                        pairs[(a.id, b.id)].append((a, name_a, b, name_b))
        for matches in pairs.values():
            # Report the unit whose short name makes the clash (the other unit is right
            # under its own name); else the unit whose own name is another's declared
            # alias; else the later id.
            flipped = [(b, nb, a, na) for a, na, b, nb in matches]
            a_short = [m for m in matches if m[1].field == "short_name" and m[3].field != "short_name"]
            b_short = [m for m in flipped if m[1].field == "short_name" and m[3].field != "short_name"]
            a_claims = any(not na.alias and nb.alias for _, na, _, nb in matches)
            b_claims = any(not nb.alias and na.alias for _, nb, _, na in flipped)
            if a_short or b_short:
                side = a_short if a_short and not b_short else b_short
            else:
                side = matches if a_claims and not b_claims else flipped
            unit, name, other, other_name = min(side, key=lambda m: (m[1].order, m[3].order))
            where = f"{other.path}:{self._line(other.path, other_name.path) or 1}"
            if name.field == "short_name" and other_name.field != "short_name":
                fix = (
                    f"Tên ngắn '{name.text}' đã là {('cách viết khác' if other_name.alias else 'tên')} của '{other.id}': "
                    "đổi 'short_name' này cho riêng đơn vị này, hoặc xóa dòng 'short_name'."
                )
            elif other_name.alias:
                fix = f"'{other_name.text}' là cách viết khác đã ghi của '{other.id}': xóa tệp này và dùng mã '{other.id}'."
            else:
                fix = f"Nếu là cùng một đơn vị: xóa tệp này, ghi '{name.text}' vào 'aliases' của '{other.id}'. Nếu là hai đơn vị khác nhau: đặt tên đầy đủ để phân biệt."
            self.report(
                unit.path,
                self._line(unit.path, name.path) or 1,
                name.field,
                "GS307",
                f"'{name.text}' trùng với '{other_name.text}' ({other_name.field}) của đơn vị '{other.id}' ({where})",
                fix,
            )

    def _check_unit(self, unit: Unit) -> None:
        doc_line = self._unit_line
        if unit.parent:
            self._ref(unit.path, doc_line(unit, "parent"), "parent", unit.parent, "unit", "GS301", "đơn vị cấp trên")
        if unit.successor:
            if self._ref(unit.path, doc_line(unit, "successor"), "successor", unit.successor, "unit", "GS301", "đơn vị kế tục"):
                succ = self.units[unit.successor]
                if unit.valid_to and succ.valid_to and succ.valid_to < unit.valid_to:
                    self.report(unit.path, doc_line(unit, "successor"), "successor", "GS501", f"Đơn vị kế tục '{succ.id}' đã kết thúc ({succ.valid_to:%d/%m/%Y}) trước đơn vị này ({unit.valid_to:%d/%m/%Y})")
            if not unit.ended_by or unit.ended_by == "giai-the":
                self.report(unit.path, doc_line(unit, "successor"), "ended_by", "GS501", "Có đơn vị kế tục nhưng 'ended_by' không phải sap-nhap hay doi-ten")
        if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
            self.report(unit.path, doc_line(unit, "valid_to"), "valid_to", "GS501", f"'valid_to' ({unit.valid_to:%d/%m/%Y}) trước 'valid_from' ({unit.valid_from:%d/%m/%Y})")
        if unit.ended_by and not unit.valid_to:
            self.report(unit.path, doc_line(unit, "ended_by"), "valid_to", "GS501", "Có 'ended_by' nhưng thiếu 'valid_to' (ngày cuối còn tồn tại)")
        if unit.ended_by in ("sap-nhap", "doi-ten") and not unit.successor:
            self.report(unit.path, doc_line(unit, "ended_by"), "successor", "GS501", "Đơn vị sáp nhập/đổi tên cần 'successor' (mã đơn vị kế tục)")
        for honor in unit.honors:
            where = f"honors[{honor.index}]"
            if honor.decision and not is_decision_number(honor.decision.number):
                self.report(unit.path, self._line(unit.path, ("honors", honor.index, "decision", "number")), where + ".decision.number", "GS208", f"Số quyết định '{honor.decision.number}' sai dạng")
            if honor.revoked_by and not is_decision_number(honor.revoked_by.number):
                self.report(unit.path, self._line(unit.path, ("honors", honor.index, "revoked_by", "number")), where + ".revoked_by.number", "GS208", f"Số quyết định '{honor.revoked_by.number}' sai dạng")
            if honor.form in _DECIDED_FORMS and honor.decision is None and not self._faulty(unit.path, where + ".decision"):
                self.report(unit.path, honor.line, where + ".decision", "GS503", f"Khen thưởng hình thức '{honor.form}' thiếu quyết định")
            if honor.revoked and honor.revoked_by is None:
                self.report(unit.path, honor.line, where + ".revoked_by", "GS502", "Khen thưởng đã thu hồi nhưng thiếu quyết định thu hồi")
            if not honor.revoked and honor.revoked_by is not None:
                self.report(unit.path, honor.line, where + ".status", "GS502", "Có 'revoked_by' nhưng 'status' chưa là revoked", "Ghi 'status: revoked' hoặc xóa 'revoked_by'.")
            if honor.decision and honor.decision.date and honor.decision.date.year < honor.year:
                self.report(unit.path, honor.line, where + ".year", "GS211", f"Quyết định ngày {honor.decision.date:%d/%m/%Y} trước năm khen {honor.year}")

    def _unit_line(self, unit: Unit, name: str) -> int:
        return self._line(unit.path, (name,)) or 1

    def _check_parent_cycles(self) -> None:
        for unit in sorted(self.content.units, key=lambda u: u.id):
            seen = {unit.id}
            current = unit.parent
            while current in self.units:
                if current in seen:
                    self.report(unit.path, self._unit_line(unit, "parent"), "parent", "GS308", f"Cây đơn vị vòng lặp qua '{current}'")
                    break
                seen.add(current)
                current = self.units[current].parent

    def _check_unit_labels(self) -> None:
        """Two units the site would show under one label (the short name, else the name):
        «Nam Sách» for the district and for the township. GS307 does not see it when the
        kinds differ ("Huyện Nam Sách" is not "Thị trấn Nam Sách"), but a reader does not
        see the kind in a list of links."""
        first: dict[str, Unit] = {}
        for unit in sorted(self.content.units, key=lambda u: u.id):
            label = fold_tones(" ".join(unit.label.split()))
            other = first.setdefault(label, unit)
            if other is unit or unit_name_key(unit.label, unit.kind) == unit_name_key(other.label, other.kind):
                continue  # the first with this label, or one GS307 already reports
            field_ = "short_name" if unit.short_name else "name"
            other_field = "short_name" if other.short_name else "name"
            where = f"{other.path}:{self._line(other.path, (other_field,)) or 1}"
            self.report(
                unit.path,
                self._unit_line(unit, field_),
                field_,
                "GS505",
                f"Trên trang web đơn vị này hiện là «{unit.label}», giống hệt đơn vị '{other.id}' ({where}, {other.name}): người đọc không phân biệt được hai liên kết",
                f"Đặt 'short_name' của đơn vị này (hoặc của '{other.id}') cho khác, thêm chữ chỉ loại, ví dụ «Huyện Nam Sách» và «TT Nam Sách».",
            )

    # -- ids ---------------------------------------------------------------

    def _check_reserved_ids(self) -> None:
        items = [
            *((u.id, u.path, 0, "", "đơn vị") for u in self.content.units),
            *((s.slug, s.path, 0, "", "bài") for s in self.content.stories),
            *((d.id, d.path, self._line(d.path, ("directives", d.index, "id")), "id", "văn bản") for d in self.content.directives),
        ]
        for item_id, path, line, field_, what in items:
            if item_id in RESERVED_IDS:
                self.report(path, line, field_, "GS215", f"Mã {what} '{item_id}' là tên trang mục lục của thư mục, trang {what} sẽ đè lên trang đó")

    def _check_typed_dates(self, paths: Iterable[str]) -> None:
        """Dates typed in text read dd/mm/yyyy, as the site writes every other date: in the
        fields and body of each file in `paths`."""
        texts = []
        for path in paths:
            doc = self.docs.get(path)
            # Not in 'aliases': they quote a source word for word, as it wrote its dates.
            if doc is not None:
                texts += [(path, doc.line(fpath), dotted(fpath), scalar.text) for fpath, scalar in doc.scalars.items() if "/" in scalar.text and "aliases" not in fpath]
            if path in self.bodies:
                body, body_line = self.bodies[path]
                texts.append((path, body_line, "body", body))
        for path, line, field_, text in texts:
            for offset, written, padded in unpadded_dates(text):
                at = safety.line_of(text, offset, line) if field_ == "body" else line
                self.report(path, at, field_, "GS216", f"Ngày '{written}' viết thiếu số 0", f"Viết '{padded}' (ngày/tháng hai chữ số).")

    def _check_duplicate_ids(self) -> None:
        groups = {
            "chuyên đề": [(t.id, t.path, self._line(t.path, ("topics", t.index, "id"))) for t in self.content.topics],
            "văn bản": [(d.id, d.path, self._line(d.path, ("directives", d.index, "id"))) for d in self.content.directives],
            "công việc đột phá": [(t.id, d.path, self._line(d.path, ("directives", d.index, "tasks", t.index, "id"))) for d in self.content.directives for t in d.tasks],
            "ngày kỷ niệm": [(c.id, c.path, self._line(c.path, ("commemorations", c.index, "id"))) for c in self.content.commemorations],
        }
        for what, items in groups.items():
            first: dict[str, tuple[str, int]] = {}
            for item_id, path, line in items:
                if item_id in first:
                    p0, l0 = first[item_id]
                    self.report(path, line, "id", "GS207", f"Mã {what} '{item_id}' đã dùng ở {p0}:{l0}")
                else:
                    first[item_id] = (path, line)

    # -- directives, topics, commemorations ----------------------------------

    def _check_directives(self) -> None:
        for d in self.content.directives:
            at = lambda *f: ("directives", d.index, *f)  # noqa: E731
            if d.implements:
                self._ref(d.path, self._line(d.path, at("implements")), "implements", d.implements, "directive", "GS304", "văn bản")
            if d.issuing_unit:
                self._ref(d.path, self._line(d.path, at("issuing_unit")), "issuing_unit", d.issuing_unit, "unit", "GS301", "đơn vị")
            if d.text_page and not (self.docs_dir / d.text_page).is_file():
                self.report(d.path, self._line(d.path, at("text_page")), "text_page", "GS101", f"Không có trang docs/{d.text_page}", "Tạo trang đó trong docs/ hoặc sửa đường dẫn.")
            for t in d.tasks:
                where = f"tasks[{t.index}]"
                self._ref(d.path, self._line(d.path, at("tasks", t.index, "lead")), where + ".lead", t.lead, "unit", "GS301", "đơn vị chủ trì")
                for j, unit_id in enumerate(t.coordinating):
                    self._ref(d.path, self._line(d.path, at("tasks", t.index, "coordinating", j)), f"{where}.coordinating[{j}]", unit_id, "unit", "GS301", "đơn vị phối hợp")

    def _check_topics(self) -> None:
        for t in self.content.topics:
            self._ref(t.path, self._line(t.path, ("topics", t.index, "directive")), "directive", t.directive, "directive", "GS304", "văn bản")

    def _check_commemorations(self) -> None:
        for c in self.content.commemorations:
            at = lambda f: self._line(c.path, ("commemorations", c.index, f))  # noqa: E731
            if c.date_in(2000) is None:  # a leap year: 29/2 is allowed
                self.report(c.path, at("day"), "day", "GS205", f"Tháng {c.month} không có ngày {c.day}")
            if _TYPED_ORDINAL.search(c.name):
                self.report(c.path, at("name"), "name", "GS504", f"Tên '{c.name}' có số năm kỷ niệm gõ tay")

    # -- stories -----------------------------------------------------------

    def _check_story(self, story: Story) -> None:
        path = story.path
        line = lambda *f: self._line(path, f) or 1  # noqa: E731
        for i, unit_id in enumerate(story.units):
            if self._ref(path, line("units", i), f"units[{i}]", unit_id, "unit", "GS301", "đơn vị"):
                unit = self.units[unit_id]
                if not unit.exists_on(story.date):
                    when = f"kết thúc {unit.valid_to:%d/%m/%Y}" if unit.valid_to and story.date > unit.valid_to else f"chỉ có từ {unit.valid_from:%d/%m/%Y}"
                    fix = f"Gắn bài với đơn vị kế tục '{unit.successor}'." if unit.successor else ""
                    self.report(path, line("units", i), f"units[{i}]", "GS306", f"Đơn vị '{unit_id}' {when}, trước ngày đăng {story.date:%d/%m/%Y}", fix)
        for i, topic_id in enumerate(story.topics):
            self._ref(path, line("topics", i), f"topics[{i}]", topic_id, "topic", "GS302", "chuyên đề")
        for i, task_id in enumerate(story.tasks):
            self._ref(path, line("tasks", i), f"tasks[{i}]", task_id, "task", "GS303", "công việc đột phá")
        for i, c_id in enumerate(story.commemorations):
            self._ref(path, line("commemorations", i), f"commemorations[{i}]", c_id, "commemoration", "GS305", "ngày kỷ niệm")
        for name in ("units", "topics", "tasks", "commemorations"):
            # A unit named twice would count twice in the statistics and the report.
            first: dict[str, int] = {}
            for i, ref in enumerate(getattr(story, name)):
                if ref in first:
                    self.report(path, line(name, i), f"{name}[{i}]", "GS207", f"'{ref}' đã có ở {name}[{first[ref]}]", f"Xóa dòng lặp lại '{ref}'.")
                first.setdefault(ref, i)
        if story.published and not story.reviewer and not self._faulty(path, "reviewer"):
            self.report(path, line("status"), "reviewer", "GS701", "Bài đã công bố (status: published) nhưng chưa có người duyệt")
        if story.reviewer and " ".join(story.reviewer.split()).casefold() == " ".join(story.author.split()).casefold():
            self.report(path, line("reviewer"), "reviewer", "GS706", f"Người duyệt '{story.reviewer}' cũng là tác giả của bài")
        if story.subject == "ca-nhan":
            if story.person is None:
                self.report(path, line("subject"), "person", "GS201", "Bài về cá nhân cần trường 'person' (tên, có phải trẻ vị thành niên)")
            if story.consent is None:
                self.report(path, line("subject"), "consent", "GS405", "Bài về cá nhân chưa ghi nhận sự đồng ý công bố")
        if story.person and story.person.minor and len(story.person.name.split()) > 1:
            self.report(path, line("person", "name"), "person.name", "GS404", f"Trẻ vị thành niên được nêu đầy đủ '{story.person.name}'")
        doc = self.docs.get(path)
        if doc and "personal_data_exception" in doc.data and not story.personal_data_reviewed:
            self.report(path, line("personal_data_exception"), "personal_data_exception", "GS410", "Ngoại lệ dữ liệu cá nhân thiếu người duyệt, ngày, lý do hoặc 'values' (những giá trị được phép)")
        for i, value in enumerate(story.personal_data_values):
            if any(f.code == "GS402" for f in safety.find_personal_data(value)):
                self.report(
                    path, line("personal_data_exception", "values", i), f"personal_data_exception.values[{i}]", "GS410",
                    "Ngoại lệ không bao giờ áp dụng cho số CMND/CCCD", "Xóa số này khỏi 'values' và khỏi bài.",
                )
        self._check_withdrawal(story, line)
        self._check_headings(story)
        self._check_placeholders(story)
        for i, c in enumerate(story.corrections):
            if c.date < story.date:
                self.report(path, line("corrections", i), f"corrections[{i}].date", "GS704", f"Đính chính ngày {c.date:%d/%m/%Y} trước ngày đăng bài")
            if self.today is not None and c.date > self.today:
                self.report(
                    path, line("corrections", i, "date"), f"corrections[{i}].date", "GS704",
                    f"Đính chính ngày {c.date:%d/%m/%Y} sau ngày dựng trang {self.today:%d/%m/%Y}", "Ghi ngày đính chính thật (hôm nay hoặc trước đó).",
                )
        for i, image in enumerate(story.images):
            why = safety.image_problem(image.src, self.docs_dir)
            if why:
                self.report(path, line("images", i, "src"), f"images[{i}].src", "GS407", why)
        if story.flag_ceremony:
            settings = self.content.settings
            took = minutes(story.words, settings.syllables_per_minute)
            if took > settings.read_aloud_max_minutes:
                self.report(path, line("flag_ceremony"), "flag_ceremony", "GS601", f"Đọc to mất khoảng {took} phút ({story.words} âm tiết), quá {settings.read_aloud_max_minutes} phút")
            fit = fit_story(story)
            if not is_large_type(fit):
                how = f"chữ {fit.size.points} pt" + (", hai cột" if fit.size.columns > 1 else "") + (", cắt bớt phần cuối" if fit.truncated else "")
                self.report(path, line("flag_ceremony"), "flag_ceremony", "GS611", f"Phiếu in chỉ vừa một trang A4 với {how}; bài đọc chào cờ cần chữ từ {LARGE_POINTS} pt, một cột")

    def _check_withdrawal(self, story: Story, line: Callable[..., int]) -> None:
        """A withdrawn story says when, why and on whose decision; nothing else has a withdrawal."""
        path = story.path
        doc = self.docs.get(path)
        given = bool(doc and "withdrawal" in doc.data)
        if story.withdrawn and story.withdrawal is None and not self._faulty(path, "withdrawal"):
            self.report(path, line("status"), "withdrawal", "GS705", "Bài đã gỡ (status: withdrawn) thiếu 'withdrawal': ngày gỡ, lý do, người quyết định")
        elif given and not story.withdrawn and not self._faulty(path, "status"):
            self.report(path, line("withdrawal"), "withdrawal", "GS705", f"Có 'withdrawal' nhưng 'status' là {story.status}, chưa là withdrawn")
        if story.withdrawal and story.withdrawal.date < story.date:
            self.report(path, line("withdrawal", "date"), "withdrawal.date", "GS705", f"Ngày gỡ {story.withdrawal.date:%d/%m/%Y} trước ngày đăng bài {story.date:%d/%m/%Y}")

    def _check_placeholders(self, story: Story) -> None:
        """Scaffold placeholders («Cần viết: …») left in a field or the body would go out
        on the page, the feeds and the open data once the story is public."""
        if story.withdrawn:
            return  # its text is no longer shown
        # A published story is public now or, dated ahead, on its day: an error. A draft
        # or one under review may still be being written: a reminder.
        if story.published:
            code, how = "GS707", "bài đã công bố, chữ này sẽ lên trang"
        else:
            code, how = "GS708", ("bản nháp" if story.status == "draft" else "bài đang duyệt") + ", cần điền trước khi công bố"
        doc = self.docs.get(story.path)
        for fpath, scalar in (doc.scalars.items() if doc else ()):
            if PLACEHOLDER in scalar.text:
                self.report(story.path, doc.line(fpath), dotted(fpath), code, f"Còn chữ «{PLACEHOLDER}» chưa điền ({how})")
        for match in re.finditer(re.escape(PLACEHOLDER), story.body):
            line = safety.line_of(story.body, match.start(), story.body_line)
            self.report(story.path, line, "body", code, f"Thân bài còn chữ «{PLACEHOLDER}» chưa điền ({how})")

    def _check_headings(self, story: Story) -> None:
        """Every heading of the body gets its own anchor: none shared by two headings (the
        site would number the second, "dong-lac_1", and a link to it breaks when a heading
        is added), none taken from the page's title or its fixed sections."""
        taken = {toc_slugify(story.title): f"tiêu đề bài «{story.title}»", **STORY_PAGE_IDS}
        for offset, text, anchor in heading_anchors(story.body):
            line = safety.line_of(story.body, offset, story.body_line)
            if anchor in taken:
                self.report(story.path, line, "body", "GS214", f"Tiêu đề «{text}» có neo #{anchor}, trùng với {taken[anchor]}")
            elif anchor:
                taken[anchor] = f"tiêu đề «{text}» ở dòng {line}"

    def _check_story_text(self, path: str, doc: Doc | None, body: str, body_line: int, story: Story | None) -> None:
        """Personal data, HTML, links and images, also in stories whose fields are incomplete."""
        minor = bool(story and story.person and story.person.minor)
        scan = {"minor_context": minor, "year": story.date.year if story else None, "places": self.places}
        # A reviewed exception allows only the values it names, and never an ID number.
        allowed = story.personal_data_values if story and story.personal_data_reviewed else ()
        # Front matter: every text value, at its own line.
        if doc is not None:
            # One scan over all values joined by NUL (no pattern crosses it), then
            # each finding is mapped back to its field: 20 times fewer scans.
            # A plain date (at most 8 digits in groups of 4-2-2, no letters) can hold no
            # personal data, and without the dates most front matter has no digits at all.
            fpaths = [
                f for f, s in doc.scalars.items()
                if not (f and f[0] in ("personal_data_exception", "consent")) and not (s.tag == _TIMESTAMP and _PLAIN_DATE.fullmatch(s.text))
            ]
            starts, pos = [], 0
            for fpath in fpaths:
                starts.append(pos)
                pos += len(doc.scalars[fpath].text) + 1
            joined = "\x00".join(doc.scalars[f].text for f in fpaths)
            for f in safety.find_personal_data(joined, **scan):
                if not (allowed and safety.is_excepted(f, allowed)):
                    fpath = fpaths[bisect.bisect_right(starts, f.offset) - 1]
                    self.report(path, doc.line(fpath), dotted(fpath), f.code, f.message)
        # Body: personal data, HTML, links, images — at the line they are on.
        findings = [f for f in safety.find_personal_data(body, **scan) if not (allowed and safety.is_excepted(f, allowed))]
        visible = safety.blank_code(body)  # code is shown to readers, never run
        links = safety.find_links(visible)
        findings += safety.find_unsafe_html(visible)
        findings += safety.find_unsafe_links(links)
        for image in safety.find_images(visible, links):  # Markdown, reference-style and <img>
            if not image.text.strip():
                findings.append(safety.Finding("GS406", image.offset, f"Ảnh '{image.url}' thiếu mô tả"))
            why = safety.image_problem(image.url, self.docs_dir) if safety.is_safe_url(image.url) else ""
            if why:
                findings.append(safety.Finding("GS407", image.offset, why))
        for f in findings:
            self.report(path, safety.line_of(body, f.offset, body_line), "body", f.code, f.message)

    # -- URLs --------------------------------------------------------------

    def _check_urls(self) -> None:
        owners: dict[str, Story] = {}
        for story in sorted(self.content.stories, key=lambda s: s.id):
            owners[story.url] = story
        for story in sorted(self.content.stories, key=lambda s: s.id):
            for i, alias in enumerate(story.aliases):
                url = alias.strip("/") + "/"
                line = self._line(story.path, ("aliases", i))
                if url in owners and owners[url] is not story:
                    self.report(story.path, line, f"aliases[{i}]", "GS703", f"Đường dẫn cũ '{alias}' trùng với bài {owners[url].path}")
                elif url in owners:
                    self.report(
                        story.path, line, f"aliases[{i}]", "GS703", f"Đường dẫn cũ '{alias}' là đường dẫn hiện tại của chính bài này",
                        "Xóa dòng này khỏi 'aliases': bài đã có địa chỉ đó, không cần chuyển hướng.",
                    )
                else:
                    owners[url] = story
                if not _STORY_URL.fullmatch(url):
                    why = " là trang danh sách bài do hệ thống tạo" if url == "bai-viet/" or url.startswith(_LISTING_URLS) else " không phải đường dẫn của một bài"
                    self.report(
                        story.path, line, f"aliases[{i}]", "GS206",
                        f"Đường dẫn cũ '{alias}'{why}: chỉ được có dạng bai-viet/<năm>/<slug>/ (năm 4 chữ số; slug chữ thường không dấu, số, '-')",
                        "Chỉ ghi đường dẫn cũ của chính bài này; chuyển hướng ở đường dẫn khác sẽ đè lên trang của site.",
                    )

    # -- programme ---------------------------------------------------------

    def _check_programmes(self) -> None:
        for prog in self.content.programmes:
            path = prog.path
            line = lambda *f: self._line(path, f) or 1  # noqa: E731
            first_year = int(prog.id[:4])
            example = "start: {}, end: {}".format(*school_year_days(first_year))
            if prog.start >= prog.end:
                self.report(path, line("end"), "end", "GS205", f"Ngày kết thúc {prog.end:%d/%m/%Y} không sau ngày bắt đầu {prog.start:%d/%m/%Y}", f"Ghi 'end' là ngày cuối năm học, sau 'start', ví dụ {example}.")
            for name, day, year in (("start", prog.start, first_year), ("end", prog.end, first_year + 1)):
                if day.year != year:
                    self.report(path, line(name), name, "GS211", f"Ngày {day:%d/%m/%Y} không thuộc năm {year} của năm học {prog.id}", f"Năm học {prog.id} bắt đầu trong năm {first_year}, kết thúc trong năm {first_year + 1}, ví dụ {example}; hoặc đổi tên tệp theo năm học.")
            for i, h in enumerate(prog.holidays):
                where = f"holidays[{i}]"
                if h.start > h.end:
                    self.report(path, line("holidays", i, "to"), where + ".to", "GS205", f"Kỳ nghỉ '{h.name}': 'to' ({h.end:%d/%m/%Y}) trước 'from' ({h.start:%d/%m/%Y})", "Ghi 'from' là ngày nghỉ đầu tiên, 'to' là ngày nghỉ cuối cùng.")
                elif prog.start < prog.end and (h.end < prog.start or h.start > prog.end):
                    self.report(path, line("holidays", i, "from"), where + ".from", "GS610", f"Kỳ nghỉ '{h.name}' ({h.start:%d/%m/%Y} – {h.end:%d/%m/%Y}) nằm ngoài năm học {prog.id} ({prog.start:%d/%m/%Y} – {prog.end:%d/%m/%Y})")
                elif h.start + dt.timedelta(days=-h.start.weekday() % 7) > h.end:
                    self.report(path, line("holidays", i, "from"), where + ".from", "GS609", f"Kỳ nghỉ '{h.name}' ({h.start:%d/%m/%Y} – {h.end:%d/%m/%Y}) không có thứ Hai nào: không bỏ buổi chào cờ nào")
                for k, other in enumerate(prog.holidays[:i]):
                    if h.start <= h.end and other.start <= other.end and h.start <= other.end and other.start <= h.end:
                        self.report(path, line("holidays", i, "from"), where + ".from", "GS612", f"Kỳ nghỉ '{h.name}' ({h.start:%d/%m/%Y} – {h.end:%d/%m/%Y}, dòng {line('holidays', i, 'from')}) chồng lên kỳ nghỉ '{other.name}' ({other.start:%d/%m/%Y} – {other.end:%d/%m/%Y}, dòng {line('holidays', k, 'from')})")
            pinned: dict[dt.date, str] = {}
            for i, pin in enumerate(prog.pins):
                where = f"pins[{i}]"
                week_line = self._line(path, ("pins", i, "week"))
                story_line = self._line(path, ("pins", i, "story"))
                if pin.week in pinned:
                    self.report(path, week_line, where + ".week", "GS605", f"Tuần {pin.week:%d/%m/%Y} đã ghim bài '{pinned[pin.week]}'")
                pinned.setdefault(pin.week, pin.story)
                if pin.week.weekday() != 0:
                    self.report(path, week_line, where + ".week", "GS604", f"Ngày {pin.week:%d/%m/%Y} không phải thứ Hai")
                holiday = next((h for h in prog.holidays if h.start <= pin.week <= h.end), None)
                if prog.start < prog.end and not prog.start <= pin.week <= prog.end:
                    self.report(path, week_line, where + ".week", "GS603", f"Tuần {pin.week:%d/%m/%Y} nằm ngoài năm học {prog.id} ({prog.start:%d/%m/%Y} – {prog.end:%d/%m/%Y})", f"Chọn một thứ Hai từ {prog.start:%d/%m/%Y} đến {prog.end:%d/%m/%Y}, ngoài tuần nghỉ.")
                elif holiday is not None:
                    self.report(path, week_line, where + ".week", "GS606", f"Tuần {pin.week:%d/%m/%Y} rơi vào kỳ nghỉ '{holiday.name}' ({holiday.start:%d/%m/%Y} – {holiday.end:%d/%m/%Y})")
                story = self.stories.get(pin.story)
                if story is None:
                    self._ref(path, story_line, where + ".story", pin.story, "story", "GS309", "bài")
                elif not (story.published and story.flag_ceremony) and not self._faulty(story.path, "flag_ceremony") and not self._faulty(story.path, "status"):
                    self.report(path, story_line, where + ".story", "GS602", f"Bài '{pin.story}' chưa công bố hoặc không có 'flag_ceremony: true'")
                elif story.date > pin.week:
                    self.report(path, story_line, where + ".story", "GS607", f"Bài '{pin.story}' đăng ngày {story.date:%d/%m/%Y}, sau tuần ghim {pin.week:%d/%m/%Y}")
                elif self.today is not None and story.date > self.today:
                    self.report(path, story_line, where + ".story", "GS608", f"Bài '{pin.story}' đến ngày {story.date:%d/%m/%Y} mới đăng: tới lúc đó tuần {pin.week:%d/%m/%Y} tạm đọc bài khác")

# Below this many story files a second process costs more than it saves.
SHARED_FROM = 400
# This process's share of the story files: a little more than half, as the worker also
# packs what it found and the build unpacks it (about a tenth of loading them).
OWN_SHARE = 0.53
STORY_FILES = "content/stories/"


def check_content(
    root: Path, previous: Mapping[str, LoadedFile] | None = None, *, today: dt.date | None = None, parallel: bool = False
) -> CheckResult:
    """Load and check everything under root; never raises on bad content.

    `previous` is an earlier result's `files`: files whose bytes are unchanged
    are not parsed again (the cross-file rules always run). `today`, the build's
    day, also rejects corrections dated after it. `parallel` lets a forked
    process load and check part of the story files (parallel.py; the caller
    knows whether a fork is safe), when there are enough of them and nothing
    is remembered from an earlier load; the result is the same.
    """
    with collector_paused():
        loader = Loader(root, previous)
        checked: list[list[Problem]] = []  # each story's own problems, when checked with its loading

        def stories(rest: Content, found: list[tuple[Path, int]]) -> list[Story]:
            if parallel and not loader.previous and len(found) >= SHARED_FROM:
                return _shared_stories(root, loader, rest, found, today, checked)
            return loader.load_story_list(found)

        content = loader.load(stories)
        checker = Checker(root, content, loader, today)
        problems = loader.problems + (checker.check_across() + [p for part in checked for p in part] if checked else checker.run())
    return CheckResult(content, sorted(set(problems), key=Problem.sort_key), loader.loaded, loader.digests)


def _shared_stories(
    root: Path, loader: Loader, rest: Content, found: list[tuple[Path, int]], today: dt.date | None, checked: list[list[Problem]]
) -> list[Story]:
    """Load the story files and check each on its own, the last 47 % in a forked process
    while this one does the first (OWN_SHARE); what the worker found is taken in as if
    found here (Loader.adopt). If the worker fails or cannot be started, this process
    does its part too."""

    def load_and_check(part: list[tuple[Path, int]]) -> tuple[list[Story], list[str], list[Problem]]:
        """The part's stories, its files' paths and the problems each file has on its own."""
        stories, paths = loader.load_story_list(part), [relpath(path, root) for path, _ in part]
        return stories, paths, Checker(root, replace(rest, stories=tuple(stories)), loader, today).check_stories(paths)

    share = round(len(found) * OWN_SHARE)
    mine, theirs = found[:share], found[share:]

    def work(folder: Path) -> None:
        start = len(loader.problems)
        _, paths, problems = load_and_check(theirs)
        files = {rel: loader.loaded[rel] for rel in paths if rel in loader.loaded}
        put(folder, "stories", (files, loader.problems[start:], problems))

    worker = Worker.start(work)  # None if no process can be started: this one does it all
    try:
        stories, _, problems = load_and_check(mine)
        shared = worker.result("stories", "stories") if worker is not None else None
    except BaseException:
        if worker is not None:
            worker.stop()  # its part is not needed: the error is this process's
        raise
    if worker is not None:
        worker.finish()
    checked.append(problems)
    if shared is None:
        more, _, problems = load_and_check(theirs)
    else:
        files, loading, problems = shared
        more = loader.adopt(files, loading)
    checked.append(problems)
    return stories + more


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Checking makes a few hundred thousand small objects and no reference cycles: the
    cyclic collector would walk them again and again and free nothing (a seventh of
    the time at 10,000 stories). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
