"""Loading content/: every file read, parsed, checked against its fields, turned into models."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from . import fields as F
from .models import (
    Commemoration,
    Consent,
    Content,
    Correction,
    Decision,
    Directive,
    Holiday,
    Honor,
    Image,
    Person,
    Pin,
    Programme,
    Settings,
    Source,
    Story,
    Task,
    Topic,
    Unit,
    Withdrawal,
)
from .problems import Problem
from .text import count_words, is_slug
from .validate import Validator, suggest
from .yamlio import Doc, SourceText, decode_text, parse_yaml, read_bytes, split_front_matter

# How the story files are loaded (Loader.load): from everything else loaded, and
# the story files with their folder's year, to the stories.
StoryLoading = Callable[[Content, list[tuple[Path, int]]], list[Story]]

_YEAR_DIR = re.compile(r"^\d{4}$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def relpath(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def file_digest(raw: bytes) -> bytes:
    """What identifies a file's content between two builds (not a security measure)."""
    return hashlib.sha1(raw).digest()


@dataclass(frozen=True)
class LoadedFile:
    """What loading one story or unit file produced, kept for the next build while its bytes are the same."""

    digest: bytes
    model: Any  # the Story or Unit, or None when its fields were incomplete
    doc: Doc | None
    body: tuple[str, int] | None  # a story's body and its first line
    problems: tuple[Problem, ...]


class Loader:
    """Reads one content tree. Fresh per build: holds no state between builds.

    `previous` is what an earlier build loaded, by file (LoadedFile): a file
    whose bytes have not changed is not parsed again, so that editing one story
    of 10,000 under `mkdocs serve` does not re-read the other 9,999. Every file
    is still read and hashed, so nothing stale survives an edit.
    """

    def __init__(self, root: Path, previous: Mapping[str, LoadedFile] | None = None):
        self.root = root
        self.content_dir = root / "content"
        self.previous = previous or {}
        # What this run loaded, for the next one; files that are gone drop out.
        self.loaded: dict[str, LoadedFile] = {}
        # The digest of every content file read, loaded or not.
        self.digests: dict[str, bytes] = {}
        self.problems: list[Problem] = []
        # Every parsed YAML document by path, for checks that need lines, and
        # every story body, checked even when its front matter is incomplete.
        self.docs: dict[str, Doc] = {}
        self.bodies: dict[str, tuple[str, int]] = {}
        # Ids of every file found, loaded or not: a reference to a file that has
        # its own errors is not reported a second time as "unknown".
        self.seen_ids: dict[str, set[str]] = {k: set() for k in ("unit", "story", "topic", "directive", "task", "commemoration")}
        # Collections whose file could not be parsed: every reference into them is unverifiable.
        self.unreadable: set[str] = set()

    # -- entry point -------------------------------------------------------

    def load(self, stories: StoryLoading | None = None) -> Content:
        """Everything under content/. The story files are loaded last, by `stories(content,
        files)` when given (check.py shares them with a second core), where `content` is
        everything else, already loaded."""
        self._check_top_level()
        settings = self._load_settings()
        found = self._story_files()
        rest = Content(
            units=tuple(self._load_units()),
            topics=tuple(self._load_collection("topics.yml", _topic)),
            directives=tuple(self._load_collection("directives.yml", _directive)),
            commemorations=tuple(self._load_collection("commemorations.yml", _commemoration)),
            programmes=tuple(self._load_programmes()),
            settings=settings,
        )
        loaded = stories(rest, found) if stories is not None else self.load_story_list(found)
        return dataclasses.replace(rest, stories=tuple(loaded))

    def adopt(self, files: Mapping[str, LoadedFile], problems: Iterable[Problem]) -> list[Story]:
        """Take in what another process loaded from some story files (its LoadedFile per
        file and every problem it found while loading): as if loaded here. Their stories,
        in the order given."""
        self.problems.extend(problems)
        for rel, memo in files.items():
            self.loaded[rel] = memo
            self.digests[rel] = memo.digest
            if memo.doc is not None:
                self.docs[rel] = memo.doc
            if memo.body is not None:
                self.bodies[rel] = memo.body
        return [memo.model for memo in files.values() if memo.model is not None]

    # -- files -------------------------------------------------------------

    def _read(self, path: Path) -> SourceText | None:
        rel = relpath(path, self.root)
        raw = self._read_bytes(path, rel)
        if raw is None:
            return None
        src, problems = decode_text(raw, rel)
        self.problems.extend(problems)
        return src

    def _read_bytes(self, path: Path, rel: str) -> bytes | None:
        raw, problems = read_bytes(path, rel)
        self.problems.extend(problems)
        if raw is not None:
            self.digests[rel] = file_digest(raw)
        return raw

    def _remembered(self, path: Path, load: Callable[[str, SourceText], Any]) -> Any:
        """load(rel, src) for a file, or what it gave last time for the same bytes.

        A file's load may add problems, its Doc and its body, and nothing else:
        those are what LoadedFile keeps and gives back.
        """
        rel = relpath(path, self.root)
        raw = self._read_bytes(path, rel)
        if raw is None:
            return None
        memo = self.previous.get(rel)
        if memo is not None and memo.digest == self.digests[rel]:
            self.problems.extend(memo.problems)
            if memo.doc is not None:
                self.docs[rel] = memo.doc
            if memo.body is not None:
                self.bodies[rel] = memo.body
        else:
            start = len(self.problems)
            src, problems = decode_text(raw, rel)
            self.problems.extend(problems)
            model = load(rel, src) if src is not None else None
            memo = LoadedFile(self.digests[rel], model, self.docs.get(rel), self.bodies.get(rel), tuple(self.problems[start:]))
        self.loaded[rel] = memo
        return memo.model

    def _parse(self, text: str, rel: str, first_line: int = 1) -> Doc | None:
        doc, problems = parse_yaml(text, rel, first_line=first_line)
        self.problems.extend(problems)
        if doc is not None:
            self.docs[rel] = doc
        return doc

    def _validate(self, doc: Doc, value: Any, spec: F.Field, path: tuple = ()) -> dict | None:
        validator = Validator(doc)
        clean = validator.check(value, spec, path)
        self.problems.extend(validator.problems)
        return clean

    def _stray(self, path: Path, expected: str) -> None:
        self.problems.append(
            Problem(relpath(path, self.root), 0, "", "GS112", f"Tệp không thuộc loại nội dung nào ở đây (cần {expected})")
        )

    def _check_top_level(self) -> None:
        """Every entry directly under content/ is a known file or folder: nothing there is silently skipped."""
        if not self.content_dir.is_dir():
            return
        for path in sorted(self.content_dir.iterdir()):
            if _ignorable(path):
                continue
            wanted_dir = path.name in _TOP_FOLDERS
            if (path.name in _TOP_FILES or wanted_dir) and (path.is_dir() == wanted_dir or path.is_symlink()):
                continue  # a symlink is reported when it is read
            known = [*(f"{n}/" for n in _TOP_FOLDERS), *_TOP_FILES]
            what = "thư mục" if path.is_dir() else "tệp"
            hint = suggest(path.name + ("/" if path.is_dir() else ""), known)
            self.problems.append(
                Problem(
                    relpath(path, self.root),
                    0,
                    "",
                    "GS112",
                    f"Trong content/ không có chỗ cho {what} '{path.name}'{hint}",
                    "Trong content/ chỉ có: " + ", ".join(known) + ". Sửa tên cho đúng, chuyển ảnh sang docs/assets, hoặc xóa.",
                )
            )

    def _files(self, folder: Path) -> list[Path]:
        """Every file under folder, sorted. Nothing is followed or opened here: a symlinked
        folder and anything that is not a regular file (a FIFO would block the read) is
        GS101; a symlinked file is reported when it is read."""
        if folder.is_symlink():
            self._not_read(folder, "Thư mục là liên kết tượng trưng (symlink), không được đọc")
            return []
        if not folder.is_dir():
            return []
        found: list[Path] = []
        pending = [folder]
        while pending:
            try:
                with os.scandir(pending.pop()) as entries:
                    for entry in entries:
                        path = Path(entry.path)
                        if _ignorable(path):
                            continue
                        if entry.is_symlink():
                            if entry.is_dir():
                                self._not_read(path, "Thư mục là liên kết tượng trưng (symlink), không được đọc")
                            else:
                                found.append(path)
                        elif entry.is_dir(follow_symlinks=False):
                            pending.append(path)
                        elif entry.is_file(follow_symlinks=False):
                            found.append(path)
                        else:
                            self._not_read(path, "Không phải tệp thường (FIFO, socket, thiết bị…), không được đọc")
            except OSError as exc:
                self._not_read(folder, f"Không đọc được thư mục: {exc.strerror or exc}")
        return sorted(found)

    def _not_read(self, path: Path, message: str) -> None:
        self.problems.append(Problem(relpath(path, self.root), 0, "", "GS101", message, "Thay bằng thư mục hoặc tệp thật nằm trong content/, hoặc xóa."))

    # -- stories -----------------------------------------------------------

    def _story_files(self) -> list[tuple[Path, int]]:
        """Every story file with its folder's year; anything else there is GS112."""
        base = self.content_dir / "stories"
        found: list[tuple[Path, int]] = []
        for path in self._files(base):
            parts = path.relative_to(base).parts
            if path.suffix != ".md" or len(parts) != 2 or not _YEAR_DIR.match(parts[0]):
                self._stray(path, "content/stories/<năm>/<slug>.md")
                continue
            self.seen_ids["story"].add(f"{parts[0]}/{path.stem}")
            found.append((path, int(parts[0])))
        return found

    def load_story_list(self, found: list[tuple[Path, int]]) -> list[Story]:
        stories = []
        for path, year in found:
            story = self._load_story(path, year)
            if story is not None:
                stories.append(story)
        return stories

    def _load_story(self, path: Path, folder_year: int) -> Story | None:
        return self._remembered(path, lambda rel, src: self._read_story(rel, src, path, folder_year))

    def _read_story(self, rel: str, src: SourceText, path: Path, folder_year: int) -> Story | None:
        fm, fm_line, body, body_line = split_front_matter(src)
        if fm is None:
            self.problems.append(Problem(rel, 1, "", "GS104", "Bài không mở đầu bằng phần đầu '---'"))
            return None
        doc = self._parse(fm, rel, fm_line)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(rel, fm_line, "", "GS109", "Phần đầu của bài phải là các dòng 'trường: giá trị'"))
            return None
        self.bodies[rel] = (body, body_line)
        data = self._validate(doc, doc.data, F.STORY) or {}
        slug = path.stem
        if not is_slug(slug):
            self.problems.append(Problem(rel, 0, "", "GS212", f"Tên tệp '{path.name}' không phải slug"))
        if not body.strip():
            self.problems.append(Problem(rel, body_line, "", "GS213", "Bài chưa có nội dung"))
        date = data.get("date")
        if date is not None and date.year != folder_year:
            self.problems.append(
                Problem(rel, doc.line(("date",)), "date", "GS211", f"Ngày {date:%d/%m/%Y} không thuộc năm {folder_year} của thư mục", f"Chuyển tệp sang content/stories/{date.year}/ hoặc sửa ngày.")
            )
        required = ("title", "date", "summary", "subject", "units", "author", "status")
        if any(data.get(k) is None for k in required):
            return None  # already reported; nothing to index
        return Story(
            year=folder_year,
            slug=slug,
            path=rel,
            title=data["title"],
            date=data["date"],
            summary=data["summary"],
            subject=data["subject"],
            units=tuple(data["units"]),
            body=body,
            body_line=body_line,
            author=data["author"],
            status=data["status"],
            source=_source(data.get("source")),
            topics=tuple(data.get("topics", ())),
            tasks=tuple(data.get("tasks", ())),
            commemorations=tuple(data.get("commemorations", ())),
            tags=tuple(data.get("tags", ())),
            audiences=tuple(data.get("audiences", ())),
            flag_ceremony=bool(data.get("flag_ceremony", False)),
            grade_band=data.get("grade_band", "moi-cap"),
            reviewer=data.get("reviewer", ""),
            person=Person(**data["person"]) if "name" in data.get("person", {}) else None,
            consent=_consent(data.get("consent")),
            illustrative=bool(data.get("illustrative", False)),
            personal_data_reviewed=len(data.get("personal_data_exception", {})) == 4 and bool(data["personal_data_exception"]["values"]),
            personal_data_values=tuple(data.get("personal_data_exception", {}).get("values", ())),
            images=tuple(Image(**i) for i in data.get("images", ()) if "src" in i and "alt" in i),
            aliases=tuple(data.get("aliases", ())),
            corrections=tuple(Correction(c["date"], c["text"]) for c in data.get("corrections", ()) if len(c) == 2),
            withdrawal=Withdrawal(**data["withdrawal"]) if len(data.get("withdrawal", {})) == 3 else None,
            words=count_words(body),
        )

    # -- units -------------------------------------------------------------

    def _load_units(self) -> list[Unit]:
        units = []
        first: dict[str, Path] = {}
        for path in self._files(self.content_dir / "units"):
            if path.suffix not in (".yml", ".yaml") or path.parent != self.content_dir / "units":
                self._stray(path, "content/units/<mã>.yml")
                continue
            self.seen_ids["unit"].add(path.stem)
            unit = self._load_unit(path)
            if path.stem in first:
                # xa-a.yml beside xa-a.yaml: one id, two units; keep the first for references.
                other = relpath(first[path.stem], self.root)
                self.problems.append(
                    Problem(relpath(path, self.root), 0, "", "GS207", f"Mã đơn vị '{path.stem}' đã dùng ở {other}", f"Gộp hai tệp {other} và {path.name} thành một, hoặc đổi tên một tệp.")
                )
                continue
            first[path.stem] = path
            if unit is not None:
                units.append(unit)
        return units

    def _load_yaml_mapping(self, path: Path, what: str) -> Doc | None:
        src = self._read(path)
        if src is None:
            return None
        return self._parse_mapping(relpath(path, self.root), src, what)

    def _parse_mapping(self, rel: str, src: SourceText, what: str) -> Doc | None:
        doc = self._parse(src.text, rel)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(rel, 1, "", "GS109", f"Tệp {what} phải là các dòng 'trường: giá trị'"))
            return None
        return doc

    def _load_unit(self, path: Path) -> Unit | None:
        return self._remembered(path, lambda rel, src: self._read_unit(rel, src, path))

    def _read_unit(self, rel: str, src: SourceText, path: Path) -> Unit | None:
        doc = self._parse_mapping(rel, src, "đơn vị")
        if doc is None:
            return None
        data = self._validate(doc, doc.data, F.UNIT) or {}
        unit_id = path.stem
        if not is_slug(unit_id):
            self.problems.append(Problem(rel, 0, "", "GS212", f"Tên tệp '{path.name}' không phải mã hợp lệ"))
        if data.get("name") is None or data.get("kind") is None:
            return None
        honors = []
        for i, h in enumerate(data.get("honors", ())):
            if not all(k in h for k in ("year", "title", "form", "level", "issuer")):
                continue
            honors.append(
                Honor(
                    unit_id=unit_id,
                    index=i,
                    year=h["year"],
                    title=h["title"],
                    form=h["form"],
                    level=h["level"],
                    issuer=h["issuer"],
                    person=h.get("person", ""),
                    decision=_decision(h.get("decision")),
                    status=h.get("status", "active"),
                    revoked_by=_decision(h.get("revoked_by")),
                    source=_source(h.get("source")),
                    path=rel,
                    line=doc.line(("honors", i)),
                )
            )
        return Unit(
            id=unit_id,
            name=data["name"],
            kind=data["kind"],
            path=rel,
            short_name=data.get("short_name", ""),
            parent=data.get("parent", ""),
            aliases=tuple(data.get("aliases", ())),
            description=data.get("description", ""),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            ended_by=data.get("ended_by", ""),
            successor=data.get("successor", ""),
            lifecycle_source=_source(data.get("lifecycle_source")),
            standards=tuple(data.get("standards", ())),
            sources=tuple(s for s in (_source(x) for x in data.get("sources", ())) if s),
            honors=tuple(honors),
        )

    # -- single files ------------------------------------------------------

    def _load_collection(self, name: str, build) -> list:  # noqa: ANN001
        path = self.content_dir / name
        if not path.exists():
            return []
        key, spec = F.COLLECTIONS[name]
        kind = spec.name
        doc = self._load_yaml_mapping(path, name)
        if doc is None:
            self.unreadable.add(kind)
            if kind == "directive":
                self.unreadable.add("task")
            return []
        for raw in _mappings(doc.data.get(key)):
            self.seen_ids[kind].add(str(raw.get("id")))
            for task in _mappings(raw.get("tasks")):
                self.seen_ids["task"].add(str(task.get("id")))
        wrapper = F.Field(name, F.OBJECT, name, fields=(F.Field(key, F.LIST, key, item=spec, required=True),))
        data = self._validate(doc, doc.data, wrapper) or {}
        out = []
        for i, item in enumerate(data.get(key, ())):
            if all(item.get(f.name) is not None for f in spec.fields if f.required):
                out.append(build(item, doc, (key, i)))
        return out

    def _load_programmes(self) -> list[Programme]:
        out = []
        for path in self._files(self.content_dir / "programme"):
            rel = relpath(path, self.root)
            match = _SCHOOL_YEAR.match(path.stem)
            if path.suffix != ".yml" or not match or int(match[2]) != int(match[1]) + 1:
                self._stray(path, "content/programme/<năm>-<năm sau>.yml, ví dụ 2026-2027.yml")
                continue
            doc = self._load_yaml_mapping(path, "chương trình chào cờ")
            if doc is None:
                continue
            data = self._validate(doc, doc.data, F.PROGRAMME) or {}
            if data.get("start") is None or data.get("end") is None:
                continue
            out.append(
                Programme(
                    id=path.stem,
                    start=data["start"],
                    end=data["end"],
                    path=rel,
                    holidays=tuple(Holiday(h["name"], h["from"], h["to"]) for h in data.get("holidays", ()) if len(h) == 3),
                    pins=tuple(
                        Pin(p["week"], p["story"], doc.line(("pins", i)))
                        for i, p in enumerate(data.get("pins", ()))
                        if len(p) == 2
                    ),
                )
            )
        return out

    def _load_settings(self) -> Settings:
        path = self.content_dir / "settings.yml"
        if not path.exists():
            return Settings()
        doc = self._load_yaml_mapping(path, "thiết lập")
        if doc is None:
            return Settings()
        data = self._validate(doc, doc.data, F.SETTINGS) or {}
        return Settings(**data)


# What content/ holds, and nothing else.
_TOP_FOLDERS = ("stories", "units", "programme")
_TOP_FILES = ("settings.yml", *F.COLLECTIONS)


def _mappings(value: Any) -> list[dict]:
    """The mapping items of a raw YAML list, whatever else it holds."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _ignorable(path: Path) -> bool:
    # Editors' backup and OS files are not content; everything else is looked at.
    return path.name in (".DS_Store", "Thumbs.db", ".gitkeep") or path.name.endswith("~")


def _source(data: dict | None) -> Source | None:
    if not data or "title" not in data:
        return None
    return Source(data["title"], data.get("url", ""), data.get("publisher", ""), data.get("date"))


def _decision(data: dict | None) -> Decision | None:
    if not data or "number" not in data:
        return None
    return Decision(data["number"], data.get("date"), data.get("reason", ""))


def _consent(data: dict | None) -> Consent | None:
    if not data or "recorded_by" not in data or "date" not in data:
        return None
    return Consent(data["date"], data["recorded_by"], data.get("note", ""))


def _topic(item: dict, doc: Doc, path: tuple) -> Topic:
    return Topic(
        id=item["id"],
        year=item["year"],
        title=item["title"],
        level=item["level"],
        directive=item["directive"],
        path=doc.path,
        line=doc.line(path),
        index=path[-1],
        quarters=tuple(item.get("quarters", ())),
        months=tuple(item.get("months", ())),
        description=item.get("description", ""),
        source=_source(item.get("source")),
    )


def _directive(item: dict, doc: Doc, path: tuple) -> Directive:
    tasks = tuple(
        Task(
            id=t["id"],
            directive=item["id"],
            number=t["number"],
            title=t["title"],
            lead=t["lead"],
            line=doc.line(path + ("tasks", i)),
            index=i,
            coordinating=tuple(t.get("coordinating", ())),
            coordinating_note=t.get("coordinating_note", ""),
        )
        for i, t in enumerate(item.get("tasks", ()))
        if all(k in t for k in ("id", "number", "title", "lead"))
    )
    return Directive(
        id=item["id"],
        kind=item["kind"],
        number=item["number"],
        issuer=item["issuer"],
        title=item["title"],
        path=doc.path,
        line=doc.line(path),
        index=path[-1],
        date=item.get("date"),
        summary=item.get("summary", ""),
        implements=item.get("implements", ""),
        issuing_unit=item.get("issuing_unit", ""),
        text_page=item.get("text_page", ""),
        source=_source(item.get("source")),
        tasks=tasks,
    )


def _commemoration(item: dict, doc: Doc, path: tuple) -> Commemoration:
    return Commemoration(
        id=item["id"],
        day=item["day"],
        month=item["month"],
        year=item["year"],
        name=item["name"],
        path=doc.path,
        line=doc.line(path),
        index=path[-1],
        source=_source(item.get("source")),
        aliases=tuple(item.get("aliases", ())),
    )


def load_content(root: Path, previous: Mapping[str, LoadedFile] | None = None) -> tuple[Content, Loader]:
    """Read every content file under root/content; never raises on bad content."""
    loader = Loader(root, previous)
    content = loader.load()
    return content, loader
