"""Reading content files: bytes → NFC text → safe YAML that remembers every field's line."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
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
    # Fields left empty because YAML read their value as a comment ("summary: #1 …").
    commented: set[Path_] = field(default_factory=set)

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


# How to tell the encodings a Vietnamese office file may still be in. cp1258 decodes
# nearly any byte string, so "it decodes" says nothing: each guess looks for bytes
# that only make sense as Vietnamese in that encoding.
_VOWELS = b"aeiouyAEIOUY"
# Windows-1258 writes most tones as a combining mark after the vowel: ̀ ́ ̃ ̉ ̣.
_CP1258_TONES = frozenset(b"\xcc\xec\xde\xd2\xf2")
_CP1258_VOWELS = frozenset(_VOWELS + b"\xe2\xea\xf4\xf5\xfd\xe3\xc2\xca\xd4\xd5\xdd\xc3")
# VNI writes a plain vowel followed by one byte for the marks: "a" + "ù" = "á".
_VNI_MARKS = frozenset(
    b"\xf9\xf8\xfb\xf5\xef\xe1\xe0\xe5\xe3\xe4\xe2\xe9\xe8\xfa\xfc\xeb\xea"
    b"\xd9\xd8\xdb\xd5\xcf\xc1\xc0\xc5\xc3\xc4\xc2\xc9\xc8\xda\xdc\xcb\xca"
)
_LETTER = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OLD_VIETNAMESE = "một bảng mã tiếng Việt cũ: TCVN3 (ABC), VNI hoặc Windows-1258"
_CONVERT = "Chuyển mã sang Unicode bằng công cụ chuyển mã của Unikey (Unikey Toolkit, Ctrl+Shift+F6), rồi lưu tệp với bảng mã UTF-8."
_ENCODING_FIX = {
    "UTF-16": "Trong VS Code: «Save with Encoding» → UTF-8.",
    "Windows-1258": "Trong VS Code: «Reopen with Encoding» → Vietnamese (Windows 1258), rồi «Save with Encoding» → UTF-8.",
    "TCVN3 (ABC)": _CONVERT,
    "VNI": _CONVERT,
    "Latin-1": "Trong VS Code: «Reopen with Encoding» → Western (ISO 8859-1), rồi «Save with Encoding» → UTF-8.",
}


def guess_encoding(raw: bytes) -> str:
    """The encoding a non-UTF-8 file most likely has ("" when no guess stands out)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(raw):
        return "UTF-16"
    head = raw[:65536]
    scores = {"TCVN3 (ABC)": 0, "VNI": 0, "Windows-1258": 0}
    high = 0
    for i, byte in enumerate(head):
        if byte < 0x80:
            continue
        high += 1
        before = head[i - 1] if i else 0x20
        after = head[i + 1] if i + 1 < len(head) else 0x20
        # TCVN3 puts its letters at 0xA1-0xBF, where the other encodings have
        # symbols (¸ µ ® ¬): such a byte between two letters is a TCVN3 letter.
        if 0xA1 <= byte <= 0xBF and (before in _LETTER or before >= 0x80) and (after in _LETTER or after >= 0x80):
            scores["TCVN3 (ABC)"] += 1
        if byte in _CP1258_TONES and before in _CP1258_VOWELS:
            scores["Windows-1258"] += 1
        elif byte in (0xD0, 0xF0) and before not in _LETTER and (after in _LETTER or after >= 0x80):
            scores["Windows-1258"] += 1  # Đ, đ at the start of a word
        if byte in _VNI_MARKS and before in _VOWELS:
            scores["VNI"] += 1
        elif byte in (0xD1, 0xF1) and before not in _LETTER and after in _VOWELS:
            scores["VNI"] += 1  # Ñ, ñ: VNI's Đ, đ
    best = max(scores, key=lambda k: scores[k])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] and ranked[0] > ranked[1]:
        return best
    if high and not ranked[0]:
        return "Latin-1"  # accented letters, none of them Vietnamese
    return ""


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of Latin text is NUL."""
    head = raw[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) * 3 >= len(even) or odd.count(0) * 3 >= len(odd)


def read_text(path: Path, rel: str) -> tuple[SourceText | None, list[Problem]]:
    """Read a file as NFC text with LF line ends; never raise, report instead."""
    raw, problems = read_bytes(path, rel)
    if raw is None:
        return None, problems
    return decode_text(raw, rel)


def read_bytes(path: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or why they cannot be read (a symlink, an unreadable file)."""
    try:
        mode = os.lstat(path).st_mode  # never open what is not a regular file: a FIFO blocks
        if stat.S_ISLNK(mode):
            return None, [Problem(rel, 0, "", "GS101", "Tệp là liên kết tượng trưng (symlink), không được đọc")]
        if not stat.S_ISREG(mode):
            return None, [Problem(rel, 0, "", "GS101", "Không phải tệp thường (FIFO, socket, thiết bị…), không được đọc")]
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
    # UTF-16 text without a BOM can be valid UTF-8 (Latin letters and NULs): look first.
    if b"\x00" in raw[:4096] and _looks_utf16(raw):
        return None, [_not_utf8(rel, 1, "UTF-16")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [_not_utf8(rel, line, guess_encoding(raw))]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(rel, nfc(text)), []


def _not_utf8(rel: str, line: int, looks: str) -> Problem:
    if looks:
        return Problem(rel, line, "", "GS102", f"Tệp không phải UTF-8 (có vẻ là bảng mã {looks})", _ENCODING_FIX[looks])
    return Problem(
        rel, line, "", "GS102", f"Tệp không phải UTF-8 và không rõ bảng mã (có thể là {_OLD_VIETNAMESE})", _CONVERT
    )


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def parse_yaml(text: str, rel: str, *, first_line: int = 1) -> tuple[Doc | None, list[Problem]]:
    """Parse one YAML document safely, keeping lines; report, never raise."""
    offset = first_line - 1
    tab = _TAB_INDENT.search(text)
    loader = _Loader(text)
    try:
        _reject_anchors(text, offset)
        node = loader.get_single_node()
        if tab:
            tab_line = _tab_indented_line(text, node)
            if tab_line is not None:
                return None, [_tab_problem(rel, tab_line + 1 + offset)]
        doc = Doc(rel, None, first_line=first_line)
        doc.data = _build(node, (), doc, offset) if node is not None else None
        _note_comments(doc, text, offset)
        return doc, []
    except _Reject as rej:
        return None, [Problem(rel, rej.line, rej.field, rej.code, rej.message)]
    except yaml.MarkedYAMLError as exc:
        if tab:  # the tab is the likeliest cause, and the clearer message
            return None, [_tab_problem(rel, text.count("\n", 0, tab.start()) + 1 + offset)]
        return None, [_syntax_problem(exc, text, rel, offset)]
    except yaml.reader.ReaderError as exc:
        # PyYAML's position can be off by a line (it counts in its read buffer): find the character.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        at = exc.position if at == -1 else at
        line = text.count("\n", 0, at) + 1 + offset
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        field = _key_at(text, text.count("\n", 0, at))
        return None, [Problem(rel, line, field, "GS209", f"Có ký tự điều khiển {char} (không nhìn thấy được) ở dòng {line}")]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, first_line, "", "GS105", f"YAML sai cú pháp (chi tiết: {_one_line(str(exc))})")]
    finally:
        loader.dispose()


def _tab_problem(rel: str, line: int) -> Problem:
    return Problem(rel, line, "", "GS106", "Dòng thụt lề bằng ký tự tab")


def _tab_indented_line(text: str, node: Any) -> int | None:
    """The first line (0-based) indented with a tab, outside block scalars (| and >), where a tab is text."""
    inside: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode):
            if current.style in ("|", ">"):
                last = current.end_mark.line if current.end_mark.column else current.end_mark.line - 1
                inside.update(range(current.start_mark.line + 1, last + 1))
        elif isinstance(current, MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        else:
            stack.extend(current.value)
    for match in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, match.start())
        if line not in inside:
            return line
    return None


def _note_comments(doc: Doc, text: str, offset: int) -> None:
    """Fields whose value YAML read as a comment ("summary: #1 …"): the checker says why they are empty."""
    if "#" not in text:
        return
    lines = text.split("\n")
    for path, scalar in doc.scalars.items():
        if scalar.text == "" and not scalar.quoted and path:
            index = doc.lines.get(path, 0) - 1 - offset
            if 0 <= index < len(lines) and _COMMENT_VALUE.search(lines[index]):
                doc.commented.add(path)


_COMMENT_VALUE = re.compile(r"(?:^|[:\-])[ \t]+#")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, offset: int = 0) -> Problem:
    """A YAML syntax error in Vietnamese, at the line where the mistake most likely is.

    PyYAML's own words are kept as a short technical note at the end, for whoever
    has to dig further; the message itself says what to change.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark.line if exc.context_mark else (mark.line if mark else 0)
    at = mark.line if mark else 0
    lines = text.split("\n")

    def line_text(index: int) -> str:
        return lines[index].strip() if 0 <= index < len(lines) else ""

    def char_at() -> str:
        index = getattr(mark, "index", None)
        return text[index] if index is not None and 0 <= index < len(text) else ""

    message, fix = "", ""
    if "mapping values are not allowed" in problem:
        here = lines[at] if 0 <= at < len(lines) else ""
        key, sep, value = here.partition(": ")
        if sep and (": " in value or value.rstrip().endswith(":")):
            quoted = value.strip().replace("\\", "\\\\").replace('"', '\\"')
            message = "Giá trị có dấu hai chấm ':' nên YAML tưởng là một trường mới"
            fix = f'Đặt cả giá trị trong ngoặc kép: {key.strip()}: "{quoted}"'
        else:
            message = "Dòng thụt lề sâu hơn các trường cùng cấp, hoặc giá trị có dấu ':'"
            fix = "Thụt lề đúng bằng các trường cùng cấp (2 dấu cách mỗi cấp); giá trị có ':' thì đặt trong ngoặc kép."
    elif "end of stream" in problem and "quoted scalar" in context:
        at = opened
        message = f"Dấu ngoặc mở ở dòng {opened + 1 + offset} chưa được đóng"
        fix = "Thêm dấu ngoặc đóng (\" hoặc ') ở cuối giá trị, cùng loại với dấu mở."
    elif "found unknown escape character" in problem:
        message = "Trong ngoặc kép, dấu '\\' phải đi kèm một ký tự thoát hợp lệ"
        fix = "Dùng ngoặc đơn '…' thay cho ngoặc kép, hoặc viết '\\\\' cho một dấu '\\'."
    elif "did not find expected '-' indicator" in problem:
        message = f"Danh sách mở ở dòng {opened + 1 + offset}: dòng này thụt lề không thẳng các mục '- '"
        fix = "Mỗi mục danh sách bắt đầu bằng '- ' và thẳng hàng với các mục khác."
    elif "did not find expected key" in problem:
        here = line_text(at)
        if here.startswith("- "):
            message = "Mục danh sách '- …' nằm sai chỗ: thụt lề không khớp các mục khác, hoặc thiếu tên trường phía trên"
            fix = "Thẳng hàng mục này với các mục '- ' khác, dưới đúng trường của nó."
        elif here.partition(": ")[2].lstrip()[:1] in ('"', "'"):
            message = "Có chữ sau dấu ngoặc đóng của giá trị"
            fix = "Đặt cả giá trị trong ngoặc kép, hoặc bỏ dấu ngoặc nếu giá trị không cần."
        else:
            message = f"Dòng này không khớp thụt lề của nhóm trường mở ở dòng {opened + 1 + offset}"
            fix = "Các trường cùng cấp thụt lề bằng nhau (2 dấu cách mỗi cấp)."
    elif "block sequence entries are not allowed" in problem:
        message = "Mục danh sách '- ' viết trên cùng dòng với tên trường"
        fix = "Xuống dòng cho mỗi mục '- …' (thụt lề dưới tên trường), hoặc đặt giá trị trong ngoặc kép nếu '-' là chữ."
    elif "could not find expected ':'" in problem:
        at = opened
        message = "Dòng thiếu dấu ':' sau tên trường (hoặc là dòng tiếp của giá trị nhiều dòng nhưng chưa thụt lề)"
        fix = "Viết 'trường: giá trị'; dòng tiếp của một giá trị dài thì thụt lề sâu hơn tên trường."
    elif "did not find expected ',' or ']'" in problem or "did not find expected ',' or '}'" in problem:
        closing = "]" if "]" in problem else "}"
        at = opened
        message = f"Dấu '{'[' if closing == ']' else '{'}' mở ở dòng {opened + 1 + offset} chưa đóng bằng '{closing}', hoặc thiếu dấu phẩy giữa các mục"
        fix = f"Thêm '{closing}' ở cuối; các mục cách nhau dấu phẩy; mục có dấu ',' hay ':' thì đặt trong ngoặc kép."
    elif "cannot start any token" in problem or "found undefined" in problem or "mapping keys are not allowed" in problem or "scanning an anchor" in context or "directive" in context:
        # A directive or anchor error points past the '%' or '&' it is about.
        if exc.context_mark is not None and ("directive" in context or "anchor" in context):
            char = text[exc.context_mark.index : exc.context_mark.index + 1]
        else:
            char = char_at()
        char = char.strip() or "?"
        message = f"Giá trị bắt đầu bằng ký tự đặc biệt '{char}' của YAML"
        fix = f'Đặt cả giá trị trong ngoặc kép, ví dụ: "{char}…"'
    else:
        message = "YAML sai cú pháp"
    technical = _one_line(f"{context} {problem}".strip())
    return Problem(rel, at + 1 + offset, "", "GS105", f"{message} (chi tiết: {technical})", fix)


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


_KEY_LINE = re.compile(r"^( *)(?:- +)?([^\s:#'\"\[\]{},&*!|>-][^:#\n]*?)[ ]*:(?:[ \t]|$)")


def _key_at(text: str, index: int) -> str:
    """The dotted field whose line is line `index` (0-based) of text, read from the
    indentation of the lines above it: "source.title"; "" when the line has no key."""
    lines = text.split("\n")
    keys: list[str] = []
    indent = None
    for line in reversed(lines[: index + 1]):
        m = _KEY_LINE.match(line)
        if m and (indent is None or len(m.group(1)) < indent):
            keys.append(m.group(2))
            indent = len(m.group(1))
            if indent == 0:
                break
        elif indent is None:
            item = re.match(r"( *)- ", line)
            if item is None:
                return ""  # a continued text: no key of its own
            indent = len(item.group(1)) + 1  # a list item: the key it belongs to
    return ".".join(reversed(keys))


_OPENING = re.compile(r"---[ \t]*\n")


def split_front_matter(src: SourceText) -> tuple[str | None, int, str, int]:
    """(front-matter text, its first line, body, body's first line); None when missing."""
    text = src.text
    opening = _OPENING.match(text)  # "--- " pasted with a trailing blank is still the opening
    if opening is None:
        return None, 0, text, 1
    start = opening.end()
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[start:], re.MULTILINE)
    if end is None:
        return None, 0, text, 1
    fm = text[start : start + end.start()]
    body_start = start + end.end()
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
