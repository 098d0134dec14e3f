"""Checking a parsed YAML value against its declared fields (fields.py)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from . import fields as F
from .models import school_year_days
from .problems import Problem
from .text import invisible_chars, is_slug
from .yamlio import Doc, dotted, parse_date

Path_ = tuple


def suggest(word: str, candidates: list[str] | tuple[str, ...], n: int = 3) -> str:
    """" (có phải 'title'?)" style hint, or ""."""
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (có phải " + " hoặc ".join(f"'{c}'" for c in close) + "?)"


_URL_SCHEMES = ("http://", "https://")


class Validator:
    """Walks a document against a field spec; collects problems; returns clean values.

    Invalid values are dropped from the clean result so that later stages can
    go on and report every other problem in the same run.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.problems: list[Problem] = []

    def report(self, path: Path_, code: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(path), dotted(path), code, message, fix))

    def check(self, value: Any, spec: F.Field, path: Path_ = ()) -> Any:
        kind = spec.kind
        if value is None:
            if spec.required:
                fix = ""
                if path in self.doc.commented:
                    fix = f"Trong YAML, '#' sau dấu cách mở đầu ghi chú nên giá trị bị bỏ qua: đặt cả giá trị trong ngoặc kép, ví dụ {spec.name}: \"#1 …\"."
                self.report(path, "GS210", f"Trường '{spec.name}' đang để trống", fix)
            return None
        if kind == F.OBJECT:
            return self._object(value, spec, path)
        if kind == F.LIST:
            return self._list(value, spec, path)
        return self._scalar(value, spec, path)

    def _object(self, value: Any, spec: F.Field, path: Path_) -> dict | None:
        if not isinstance(value, dict):
            self.report(path, "GS203", f"'{spec.name}' phải là nhóm trường (dạng 'tên: giá trị'), không phải {_kind_of(value)}")
            return None
        names = [f.name for f in spec.fields]
        clean: dict[str, Any] = {}
        for key, item in value.items():
            child = spec.child(key)
            if child is None:
                self.report(path + (key,), "GS202", f"Trường '{key}' không được biết{suggest(key, names)}")
                continue
            checked = self.check(item, child, path + (key,))
            if checked is not None:
                clean[key] = checked
        for child in spec.fields:
            if child.required and child.name not in value:
                # The line is the enclosing object's: the field is not there to point at.
                self.problems.append(
                    Problem(
                        self.doc.path,
                        self.doc.line(path),
                        dotted(path + (child.name,)),
                        "GS201",
                        f"Thiếu trường bắt buộc '{child.name}' ({child.meaning})",
                        f"Thêm dòng '{child.name}: {_example_in(child, path, self.doc.path)}'.",
                    )
                )
        return clean

    def _list(self, value: Any, spec: F.Field, path: Path_) -> list | None:
        if not isinstance(value, list):
            self.report(path, "GS203", f"'{spec.name}' phải là danh sách (mỗi mục một dòng bắt đầu bằng '- '), không phải {_kind_of(value)}")
            return None
        if spec.required and not value:
            self.report(path, "GS210", f"Danh sách '{spec.name}' không được rỗng")
        assert spec.item is not None
        out = []
        for i, item in enumerate(value):
            checked = self.check(item, spec.item, path + (i,))
            if checked is not None:
                out.append(checked)
        return out

    def _scalar(self, value: Any, spec: F.Field, path: Path_) -> Any:
        kind = spec.kind
        scalar = self.doc.scalars.get(path)
        if kind in (F.TEXT, F.SLUG, F.URL, F.ENUM, F.REF) and not isinstance(value, str):
            coerced = scalar.coerced if scalar else None
            if coerced and not isinstance(value, (dict, list)):
                self.report(
                    path,
                    "GS110",
                    f"YAML đọc '{scalar.text}' thành {coerced}, không phải chữ",
                    f"Đặt trong ngoặc kép: {spec.name}: \"{scalar.text}\"",
                )
            else:
                self.report(path, "GS203", f"'{spec.name}' phải là chữ, không phải {_kind_of(value)}")
            return None
        if kind == F.DATE:
            day, why = parse_date(value)
            if day is None:
                self.report(path, "GS205", f"Ngày không hợp lệ: {why}")
            return day
        if kind == F.INT:
            if scalar and not scalar.quoted and not _PLAIN_INT.fullmatch(scalar.text):
                return self._odd_int(path, spec, scalar.text, value)
            if isinstance(value, bool) or not isinstance(value, int):
                self.report(path, "GS203", f"'{spec.name}' phải là số nguyên, không phải {_kind_of(value)}")
                return None
            if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
                self.report(path, "GS204", f"'{spec.name}' = {value} nằm ngoài khoảng {spec.minimum}–{spec.maximum}")
                return None
            return value
        if kind == F.BOOL:
            if not isinstance(value, bool):
                self.report(path, "GS203", f"'{spec.name}' phải là true hoặc false, không phải {_kind_of(value)}")
                return None
            if scalar and scalar.text.lower() not in ("true", "false"):
                self.report(path, "GS110", f"YAML đọc '{scalar.text}' thành đúng/sai", f"Viết rõ: {spec.name}: true hoặc {spec.name}: false")
                return None
            return value
        # text-like kinds from here on
        text = value.strip()
        hidden = invisible_chars(value)
        if hidden:
            self.report(path, "GS209", f"Có ký tự ẩn {', '.join(hidden)} trong '{spec.name}'")
            return None
        if not text:
            if spec.required:
                self.report(path, "GS210", f"Trường '{spec.name}' đang để trống")
            return None
        if kind == F.SLUG and not is_slug(text):
            self.report(path, "GS206", f"Mã '{text}' sai dạng")
            return None
        if kind == F.ENUM and text not in spec.choices:
            self.report(path, "GS204", f"'{text}' không phải giá trị cho phép của '{spec.name}'{suggest(text, spec.choices)}", "Chọn một trong: " + ", ".join(spec.choices) + ".")
            return None
        if kind == F.URL and not text.lower().startswith(_URL_SCHEMES):
            self.report(path, "GS409", f"Địa chỉ '{text}' phải bắt đầu bằng http:// hoặc https://")
            return None
        return text


    def _odd_int(self, path: Path_, spec: F.Field, text: str, value: Any) -> None:
        """A number not written as plain decimal: YAML 1.1 reads 010 as 8, 33:37 as 2017, 0x1F as 31."""
        number = isinstance(value, int) and not isinstance(value, bool)
        if _LEADING_ZERO.fullmatch(text):
            digits = text.replace("_", "").lstrip("+")
            meant = ("-" if digits.startswith("-") else "") + (digits.lstrip("-").lstrip("0") or "0")
            fix = f"Viết số thập phân không có số 0 ở đầu: {spec.name}: {meant}"
        elif number:
            fix = f"Viết số thập phân thường, chỉ gồm chữ số: {spec.name}: {value} (nếu đó là số muốn ghi)"
        else:
            return self.report(path, "GS203", f"'{spec.name}' phải là số nguyên, không phải {_kind_of(value)}")
        # 08 and 09 are not octal, so YAML leaves them as text.
        message = f"YAML đọc '{text}' thành {value}" if number else f"YAML không đọc '{text}' là số (vì số 0 ở đầu)"
        self.report(path, "GS110", message, fix)
        return None


# A plain decimal integer; anything else YAML 1.1 reads in its own way.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "đúng/sai"
    if isinstance(value, int):
        return "số"
    if isinstance(value, float):
        return "số thực"
    if isinstance(value, dict):
        return "nhóm trường"
    if isinstance(value, list):
        return "danh sách"
    return "chữ"


_PROGRAMME_FILE = re.compile(r"(?:^|/)content/programme/(\d{4})-\d{4}\.ya?ml$")


def _example_in(spec: F.Field, path: Path_, file: str) -> str:
    """The field's example; a programme file's start and end in the school year its name gives."""
    match = _PROGRAMME_FILE.search(file.replace("\\", "/"))
    if match and path == () and spec.name in ("start", "end"):
        start, end = school_year_days(int(match[1]))
        return (end if spec.name == "end" else start).isoformat()
    return _example(spec)


def _example(spec: F.Field) -> str:
    if spec.example is None:
        return "…"
    if isinstance(spec.example, bool):
        return "true" if spec.example else "false"
    if isinstance(spec.example, (list, dict)):
        return "…"
    return str(spec.example)
