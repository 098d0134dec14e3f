"""Reading content files: bytes → NFC text → safe YAML that remembers every field's line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .problems import Problem
from .text import nfc

MAX_BYTES = 512 * 1024  # a story is a few KB; anything near this is a mistake

Path_ = tuple  # a field path: ("honors", 2, "decision", "number")

_STR = "tag:yaml.org,2002:str"
_IMPLICIT = {
    "tag:yaml.org,2002:int": "số nguyên",
    "tag:yaml.org,2002:float": "số thực",
    "tag:yaml.org,2002:bool": "đúng/sai (yes/no/on/off)",
    "tag:yaml.org,2002:null": "rỗng (null)",
    "tag:yaml.org,2002:timestamp": "ngày",
}
_KNOWN_TAGS = {_STR, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", *_IMPLICIT}


def dotted(path: Path_) -> str:
    """("honors", 2, "decision") → "honors[2].decision"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Scalar:
    """How a scalar was written: its source text, the type YAML gave it, quoted or not."""

    text: str
    tag: str
    quoted: bool

    @property
    def coerced(self) -> str | None:
        """The YAML 1.1 type an unquoted value was silently turned into, if any."""
        if self.quoted or self.tag == _STR:
            return None
        return _IMPLICIT.get(self.tag)


@dataclass
class Doc:
    """A parsed YAML document with the line of every field."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    scalars: dict[Path_, Scalar] = field(default_factory=dict)
    first_line: int = 1  # line of the first YAML line within the file

    def line(self, path: Path_) -> int:
        """Line of a field, or of its nearest enclosing field that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), self.first_line)


@dataclass
class SourceText:
    path: str
    text: str


class _Reject(Exception):
    def __init__(self, code: str, line: int, message: str, *, field_: str = ""):
        super().__init__(message)
        self.code, self.line, self.message, self.field = code, line, message, field_


# libyaml when available: content checking must stay fast at 10,000 stories.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()  # stateless for scalar nodes
_RESOLVERS = _BaseLoader.yaml_implicit_resolvers
# The fast resolver below relies on the safe loader having neither wildcard nor path resolvers.
assert None not in _RESOLVERS and not _BaseLoader.yaml_path_resolvers


class _Loader(_BaseLoader):
    """The safe loader with PyYAML's resolver reduced to what the safe loader uses:
    libyaml calls these three for every node, and the general versions cost a
    fifth of parsing a story's front matter."""

    def resolve(self, kind, value, implicit):  # noqa: ANN001, ANN201 (PyYAML's signature)
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # noqa: ANN001, ANN201
        return None

    def ascend_resolver(self):  # noqa: ANN201
        return None
_ANCHOR_HINT = re.compile(r"[&*]")


def _reject_anchors(text: str, offset: int) -> None:
    """Refuse anchors and aliases instead of expanding them (alias bombs)."""
    if not _ANCHOR_HINT.search(text):
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise _Reject("GS107", event.start_mark.line + 1 + offset, "Không dùng neo '&' hay bí danh '*' trong YAML")


_ENCODINGS = (("utf-16", "UTF-16"), ("cp1258", "Windows-1258 (TCVN Windows)"), ("latin-1", "Latin-1"))


def read_text(path: Path, rel: str) -> tuple[SourceText | None, list[Problem]]:
    """Read a file as NFC text with LF line ends; never raise, report instead."""
    raw, problems = read_bytes(path, rel)
    if raw is None:
        return None, problems
    return decode_text(raw, rel)


def read_bytes(path: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or why they cannot be read (a symlink, an unreadable file)."""
    try:
        if path.is_symlink():
            return None, [Problem(rel, 0, "", "GS101", "Tệp là liên kết tượng trưng (symlink), không được đọc")]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(rel, 0, "", "GS101", f"Không đọc được tệp: {exc.strerror or exc}")]


def decode_text(raw: bytes, rel: str) -> tuple[SourceText | None, list[Problem]]:
    """A file's bytes as NFC text with LF line ends: size, BOM and encoding checked."""
    if len(raw) > MAX_BYTES:
        return None, [
            Problem(rel, 0, "", "GS103", f"Tệp nặng {len(raw) // 1024} KB, vượt giới hạn {MAX_BYTES // 1024} KB")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        looks = "không rõ"
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            looks = "UTF-16"
        else:
            for codec, label in _ENCODINGS[1:]:
                try:
                    raw.decode(codec)
                except UnicodeDecodeError:
                    continue
                looks = label
                break
        return None, [Problem(rel, line, "", "GS102", f"Tệp không phải UTF-8 (có vẻ là bảng mã {looks})")]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(rel, nfc(text)), []


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def parse_yaml(text: str, rel: str, *, first_line: int = 1) -> tuple[Doc | None, list[Problem]]:
    """Parse one YAML document safely, keeping lines; report, never raise."""
    offset = first_line - 1
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1 + offset
        return None, [Problem(rel, line, "", "GS106", "Dòng thụt lề bằng ký tự tab")]
    loader = _Loader(text)
    try:
        _reject_anchors(text, offset)
        node = loader.get_single_node()
        doc = Doc(rel, None, first_line=first_line)
        doc.data = _build(node, (), doc, offset) if node is not None else None
        return doc, []
    except _Reject as rej:
        return None, [Problem(rel, rej.line, rej.field, rej.code, rej.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        what = exc.problem or "lỗi cú pháp"
        return None, [Problem(rel, line, "", "GS105", f"YAML sai cú pháp: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, first_line, "", "GS105", f"YAML sai cú pháp: {exc}")]
    finally:
        loader.dispose()


def _build(node, path: Path_, doc: Doc, offset: int) -> Any:  # noqa: ANN001
    lines = doc.lines
    if path not in lines:  # a mapping value already has its key's line
        lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, ScalarNode):
        return _scalar(node, path, doc, offset)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Reject("GS105", key_node.start_mark.line + 1 + offset, "Khóa YAML phải là chữ", field_=dotted(path))
            key = key_node.value  # the whole text was NFC-normalised when read
            key_path = path + (key,)
            key_line = key_node.start_mark.line + 1 + offset
            if key in out:
                raise _Reject("GS108", key_line, f"Khóa '{key}' đã khai báo ở dòng {lines[key_path]}", field_=dotted(key_path))
            lines[key_path] = key_line
            out[key] = _build(value_node, key_path, doc, offset)
        return out
    return [_build(item, path + (i,), doc, offset) for i, item in enumerate(node.value)]


def _scalar(node: ScalarNode, path: Path_, doc: Doc, offset: int) -> Any:
    tag = node.tag
    if tag == _STR:  # most values: quoted, or plain text YAML leaves as text
        value = node.value
        doc.scalars[path] = Scalar(value, tag, node.style not in (None, ""))
        return value
    if tag not in _KNOWN_TAGS:
        raise _Reject("GS111", node.start_mark.line + 1 + offset, f"Thẻ YAML '{tag}' không được phép", field_=dotted(path))
    value = node.value
    doc.scalars[path] = Scalar(value, tag, node.style not in (None, ""))
    if tag == "tag:yaml.org,2002:timestamp":
        # Keep the text: PyYAML raises on impossible dates, and the checker
        # wants to say why ("2023 không phải năm nhuận").
        return value
    return yaml.SafeLoader.yaml_constructors[tag](_SCALARS, node)


def split_front_matter(src: SourceText) -> tuple[str | None, int, str, int]:
    """(front-matter text, its first line, body, body's first line); None when missing."""
    text = src.text
    if not text.startswith("---\n"):
        return None, 0, text, 1
    end = re.search(r"^(---|\.\.\.)[ ]*$", text[4:], re.MULTILINE)
    if end is None:
        return None, 0, text, 1
    fm = text[4 : 4 + end.start()]
    body_start = 4 + end.end()
    if text[body_start : body_start + 1] == "\n":
        body_start += 1
    body_line = text.count("\n", 0, body_start) + 1
    return fm, 2, text[body_start:], body_line


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """(date, "") or (None, the reason in Vietnamese)."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if not isinstance(value, str):
        return None, "phải là ngày dạng YYYY-MM-DD"
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not match:
        return None, f"'{value}' không đúng dạng YYYY-MM-DD"
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return None, f"tháng {month} không tồn tại"
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        if month == 2 and day == 29:
            return None, f"năm {year} không phải năm nhuận, tháng 2 không có ngày 29"
        return None, f"tháng {month} năm {year} không có ngày {day}"
