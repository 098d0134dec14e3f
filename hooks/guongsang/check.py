"""The checker: every rule across files, each problem with file, line, field, code and fix."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import difflib
import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from . import safety
from .load import LoadedFile, Loader, load_content
from .models import Content, Story, Unit
from .problems import Problem
from .text import fold_tones, minutes, slugify
from .yamlio import Doc, dotted

# Party bodies write "45-QĐ/HU" (number-kind/issuer); State bodies "123/QĐ-UBND",
# sometimes with the year: "12/2017/QĐ-UBND".
_PARTY_NUMBER = re.compile(r"^\d+-[A-ZĐ]{2,6}(?:/[A-ZĐ0-9]{1,10})+$")
_STATE_NUMBER = re.compile(r"^\d+/(?:\d{4}/)?[A-ZĐ]{2,6}(?:-[A-ZĐ0-9]{1,12})+$")
_TYPED_ORDINAL = re.compile(r"\b\d+\s*năm\b", re.IGNORECASE)
_DECIDED_FORMS = ("giay-khen", "bang-khen", "co-thi-dua", "danh-hieu")
_PERSONAL_CODES = ("GS401", "GS402", "GS403")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


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

    def __init__(self, root: Path, content: Content, loader: Loader):
        self.root = root
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

    def report(self, path: str, line: int, field_: str, code: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(path, line, field_, code, message, fix))

    def run(self) -> list[Problem]:
        self._check_units()
        self._check_duplicate_ids()
        self._check_directives()
        self._check_topics()
        self._check_commemorations()
        for story in self.content.stories:
            self._check_story(story)
        for path, (body, body_line) in sorted(self.bodies.items()):
            self._check_story_text(path, self.docs.get(path), body, body_line, self.stories_by_path.get(path))
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
        seen_names: dict[str, Unit] = {}
        for unit in sorted(self.content.units, key=lambda u: u.id):
            key = fold_tones(unit.name)
            if key in seen_names:
                other = seen_names[key]
                self.report(unit.path, 1, "name", "GS307", f"Tên '{unit.name}' trùng với đơn vị '{other.id}' ({other.path})")
            else:
                seen_names[key] = unit
            self._check_unit(unit)
        self._check_parent_cycles()

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

    # -- ids ---------------------------------------------------------------

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
        if story.published and not story.reviewer and not self._faulty(path, "reviewer"):
            self.report(path, line("status"), "reviewer", "GS701", "Bài đã công bố (status: published) nhưng chưa có người duyệt")
        if story.subject == "ca-nhan":
            if story.person is None:
                self.report(path, line("subject"), "person", "GS201", "Bài về cá nhân cần trường 'person' (tên, có phải trẻ vị thành niên)")
            if story.consent is None:
                self.report(path, line("subject"), "consent", "GS405", "Bài về cá nhân chưa ghi nhận sự đồng ý công bố")
        if story.person and story.person.minor and len(story.person.name.split()) > 1:
            self.report(path, line("person", "name"), "person.name", "GS404", f"Trẻ vị thành niên được nêu đầy đủ '{story.person.name}'")
        doc = self.docs.get(path)
        if doc and "personal_data_exception" in doc.data and not story.personal_data_reviewed:
            self.report(path, line("personal_data_exception"), "personal_data_exception", "GS410", "Ngoại lệ dữ liệu cá nhân thiếu người duyệt, ngày hoặc lý do")
        self._check_withdrawal(story, line)
        for i, c in enumerate(story.corrections):
            if c.date < story.date:
                self.report(path, line("corrections", i), f"corrections[{i}].date", "GS704", f"Đính chính ngày {c.date:%d/%m/%Y} trước ngày đăng bài")
        for i, image in enumerate(story.images):
            why = safety.image_problem(image.src, self.docs_dir)
            if why:
                self.report(path, line("images", i, "src"), f"images[{i}].src", "GS407", why)
        if story.flag_ceremony:
            settings = self.content.settings
            took = minutes(story.words, settings.syllables_per_minute)
            if took > settings.read_aloud_max_minutes:
                self.report(path, line("flag_ceremony"), "flag_ceremony", "GS601", f"Đọc to mất khoảng {took} phút ({story.words} âm tiết), quá {settings.read_aloud_max_minutes} phút")

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

    def _check_story_text(self, path: str, doc: Doc | None, body: str, body_line: int, story: Story | None) -> None:
        """Personal data, HTML, links and images, also in stories whose fields are incomplete."""
        minor = bool(story and story.person and story.person.minor)
        skip = _PERSONAL_CODES if story and story.personal_data_reviewed else ()
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
            for f in safety.find_personal_data(joined, minor_context=minor):
                if f.code not in skip:
                    fpath = fpaths[bisect.bisect_right(starts, f.offset) - 1]
                    self.report(path, doc.line(fpath), dotted(fpath), f.code, f.message)
        # Body: personal data, HTML, links, images — at the line they are on.
        findings = [f for f in safety.find_personal_data(body, minor_context=minor) if f.code not in skip]
        visible = safety.blank_code(body)  # code is shown to readers, never run
        links = safety.find_links(visible)
        findings += safety.find_unsafe_html(visible)
        findings += safety.find_unsafe_links(links)
        for link in links:
            if not link.image:
                continue
            if not link.text.strip():
                findings.append(safety.Finding("GS406", link.offset, f"Ảnh '{link.url}' thiếu mô tả"))
            why = safety.image_problem(link.url, self.docs_dir) if safety.is_safe_url(link.url) else ""
            if why:
                findings.append(safety.Finding("GS407", link.offset, why))
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
                    self.report(story.path, line, f"aliases[{i}]", "GS703", f"Đường dẫn cũ '{alias}' là đường dẫn hiện tại của chính bài này")
                else:
                    owners[url] = story
                if not re.fullmatch(r"bai-viet/[a-z0-9\-/]+", url) or "//" in url:
                    self.report(story.path, line, f"aliases[{i}]", "GS206", f"Đường dẫn cũ '{alias}' phải có dạng bai-viet/<năm>/<slug>/ (chữ thường không dấu, số, '-' và '/')", "Chỉ chuyển hướng đường dẫn cũ của bài; không dùng đường dẫn của trang khác.")

    # -- programme ---------------------------------------------------------

    def _check_programmes(self) -> None:
        for prog in self.content.programmes:
            if prog.start >= prog.end:
                self.report(prog.path, 1, "end", "GS205", f"Ngày kết thúc {prog.end:%d/%m/%Y} không sau ngày bắt đầu {prog.start:%d/%m/%Y}")
            first_year = int(prog.id[:4])
            for name, day, year in (("start", prog.start, first_year), ("end", prog.end, first_year + 1)):
                if day.year != year:
                    self.report(prog.path, self._line(prog.path, (name,)) or 1, name, "GS211", f"Ngày {day:%d/%m/%Y} không thuộc năm {year} của năm học {prog.id}")
            for i, h in enumerate(prog.holidays):
                if h.start > h.end:
                    self.report(prog.path, self._line(prog.path, ("holidays", i)), f"holidays[{i}]", "GS205", f"Kỳ nghỉ '{h.name}': 'from' sau 'to'")
            pinned: dict[dt.date, str] = {}
            for i, pin in enumerate(prog.pins):
                where = f"pins[{i}]"
                week_line = self._line(prog.path, ("pins", i, "week"))
                story_line = self._line(prog.path, ("pins", i, "story"))
                if pin.week in pinned:
                    self.report(prog.path, week_line, where + ".week", "GS605", f"Tuần {pin.week:%d/%m/%Y} đã ghim bài '{pinned[pin.week]}'")
                pinned.setdefault(pin.week, pin.story)
                if pin.week.weekday() != 0:
                    self.report(prog.path, week_line, where + ".week", "GS604", f"Ngày {pin.week:%d/%m/%Y} không phải thứ Hai")
                if not prog.start <= pin.week <= prog.end or any(h.start <= pin.week <= h.end for h in prog.holidays):
                    self.report(prog.path, week_line, where + ".week", "GS603", f"Tuần {pin.week:%d/%m/%Y} không thuộc năm học {prog.id} hoặc rơi vào kỳ nghỉ")
                story = self.stories.get(pin.story)
                if story is None:
                    self._ref(prog.path, story_line, where + ".story", pin.story, "story", "GS309", "bài")
                elif not (story.published and story.flag_ceremony) and not self._faulty(story.path, "flag_ceremony") and not self._faulty(story.path, "status"):
                    self.report(prog.path, story_line, where + ".story", "GS602", f"Bài '{pin.story}' chưa công bố hoặc không có 'flag_ceremony: true'")


def check_content(root: Path, previous: Mapping[str, LoadedFile] | None = None) -> CheckResult:
    """Load and check everything under root; never raises on bad content.

    `previous` is an earlier result's `files`: files whose bytes are unchanged
    are not parsed again (the cross-file rules always run).
    """
    with collector_paused():
        content, loader = load_content(root, previous)
        problems = loader.problems + Checker(root, content, loader).run()
    return CheckResult(content, sorted(set(problems), key=Problem.sort_key), loader.loaded, loader.digests)


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
