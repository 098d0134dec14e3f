"""JSON Schemas (draft 2020-12) for editors, generated from fields.py so that editor and checker agree."""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import fields as F
from .problems import WATCH_DONE, WATCH_START
from .text import invisible_chars
from .options import root_option

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"
VSCODE_SETTINGS = ".vscode/settings.json"
VSCODE_EXTENSIONS = ".vscode/extensions.json"
VSCODE_TASKS = ".vscode/tasks.json"
# VS Code offers to install these when the folder is opened: the YAML extension reads the schemas.
RECOMMENDED_EXTENSIONS = ("redhat.vscode-yaml",)

# Patterns are written with \u escapes so that the JSON files show no invisible
# characters themselves, and so that both ECMAScript (the editor) and Python's
# re read them the same way. [0-9], never \d: \d matches any Unicode digit in Python.
_SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
_STORY_ID = "^[0-9]{4}/[a-z0-9]+(-[a-z0-9]+)*$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_URL = "^[Hh][Tt][Tt][Pp][Ss]?://"
_NOT_BLANK = "\\S"

_TEXT_KINDS = (F.TEXT, F.URL, F.REF)
_VISIBLE_REF = "#/$defs/visible"
_COMMENT = (
    "Sinh tự động bởi `guongsang schema` từ hooks/guongsang/fields.py; đừng sửa tay. "
    "Chỉ dùng các từ khóa có cùng nghĩa ở draft-07, bản phần mở rộng YAML của VS Code hiểu."
)


@functools.cache  # a constant of the checker's rules, not build state
def invisible_pattern() -> str:
    """A character class of what the checker calls invisible (GS209), read off the checker itself."""
    codes = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and invisible_chars(chr(c))]
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    parts = [f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges]
    return "[" + "".join(parts) + "]"


@dataclass(frozen=True)
class SchemaFile:
    """One schema file, the spec it is generated from, and the content files it describes."""

    name: str
    spec: F.Field
    title: str
    globs: tuple[str, ...] = ()  # content files the YAML extension validates with it
    wrapper_key: str = ""  # collection files hold one list under this key
    note: str = ""

    @property
    def path(self) -> str:
        return f"{SCHEMA_DIR}/{self.name}.schema.json"


SCHEMA_FILES: tuple[SchemaFile, ...] = (
    SchemaFile(
        "story",
        F.STORY,
        "Phần đầu (front matter) của một bài",
        note=(
            "Phần đầu nằm trong tệp Markdown nên phần mở rộng YAML của VS Code không tự kiểm tra được; "
            "lệnh `guongsang check` kiểm tra nó. Lược đồ này dành cho công cụ đọc được phần đầu Markdown."
        ),
    ),
    SchemaFile("unit", F.UNIT, "Tệp đơn vị content/units/<mã>.yml", ("content/units/*.yml", "content/units/*.yaml")),
    SchemaFile("topics", F.TOPIC, "Tệp chuyên đề content/topics.yml", ("content/topics.yml",), "topics"),
    SchemaFile("directives", F.DIRECTIVE, "Tệp văn bản content/directives.yml", ("content/directives.yml",), "directives"),
    SchemaFile(
        "commemorations", F.COMMEMORATION, "Tệp ngày kỷ niệm content/commemorations.yml", ("content/commemorations.yml",), "commemorations"
    ),
    SchemaFile("programme", F.PROGRAMME, "Chương trình chào cờ content/programme/<năm-năm>.yml", ("content/programme/*.yml",)),
    SchemaFile("settings", F.SETTINGS, "Thiết lập chung content/settings.yml", ("content/settings.yml",)),
)

# Rules the checker adds on top of fields.py (check.py), mirrored so that the
# editor shows them while typing: (when the object is like this, it must be like that).
# The agreement test keeps the two in step.


def _when(name: str, condition: dict[str, Any]) -> dict[str, Any]:
    """The field is there and meets the condition (as an "if", or as a "then")."""
    return {"properties": {name: condition}, "required": [name]}


_STORY_RULES = (
    (_when("subject", {"const": "ca-nhan"}), {"required": ["person", "consent"]}),  # GS201, GS405
    (_when("status", {"const": "published"}), _when("reviewer", {"type": "string", "pattern": _NOT_BLANK})),  # GS701
    (_when("status", {"const": "withdrawn"}), {"required": ["withdrawal"]}),  # GS705
)
_PERSON_RULES = (
    # A minor is named by one given name only (GS404).
    (_when("minor", {"const": True}), {"properties": {"name": {"pattern": "^\\s*\\S+\\s*$"}}}),
)
_HONOR_RULES = (
    (_when("form", {"enum": ["giay-khen", "bang-khen", "co-thi-dua", "danh-hieu"]}), {"required": ["decision"]}),  # GS503
    (_when("status", {"const": "revoked"}), {"required": ["revoked_by"]}),  # GS502
    (_when("revoked_by", {"type": "object"}), _when("status", {"const": "revoked"})),  # GS502
)
_UNIT_RULES = (
    (_when("ended_by", {"enum": ["sap-nhap", "doi-ten"]}), {"required": ["successor", "valid_to"]}),  # GS501
    (_when("ended_by", {"const": "giai-the"}), {"required": ["valid_to"]}),  # GS501
    (_when("successor", {"type": "string"}), _when("ended_by", {"enum": ["sap-nhap", "doi-ten"]})),  # GS501
)
_RULES = {"story": _STORY_RULES, "person": _PERSON_RULES, "honor": _HONOR_RULES, "unit": _UNIT_RULES}

# Constraints of single fields that fields.py has no word for. The name of a
# commemoration carries no typed ordinal ("Kỷ niệm 128 năm …", GS504): the site computes it.
_FIELD_RULES = {
    ("commemoration", "name"): {"not": {"pattern": "(^|[^0-9A-Za-z_])[0-9]+\\s*(năm|Năm|NĂM)($|[^0-9A-Za-z_])"}},
}


def _describe(spec: F.Field) -> str:
    text = spec.meaning
    if spec.kind == F.ENUM and spec.choice_labels:
        text += " — " + "; ".join(f"{c}: {label}" for c, label in zip(spec.choices, spec.choice_labels))
    if spec.kind == F.DATE:
        text += " (dạng YYYY-MM-DD)"
    if spec.kind == F.REF:
        text += f" (mã {F.REF_LABELS.get(spec.ref, spec.ref)})"
    return text


def _example(value: Any) -> Any:
    """Examples as JSON sees them: a YAML date is text to an editor."""
    if isinstance(value, dict):
        return {k: _example(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_example(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _core(spec: F.Field) -> dict[str, Any]:
    """The value's own constraints, before optional fields are allowed to be empty."""
    kind = spec.kind
    if kind == F.OBJECT:
        return object_schema(spec)
    if kind == F.LIST:
        assert spec.item is not None
        out: dict[str, Any] = {"type": "array", "items": field_schema(spec.item, in_list=True)}
        if spec.required:
            out["minItems"] = 1
        return out
    if kind == F.INT:
        out = {"type": "integer"}
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
        return out
    if kind == F.BOOL:
        return {"type": "boolean"}
    if kind == F.DATE:
        # A YAML date reaches an editor as text (YAML 1.2 has no date type), and
        # the checker reads both; the pattern checks the shape, the checker the calendar.
        return {"type": "string", "pattern": _DATE, "format": "date"}
    if kind == F.ENUM:
        return {"type": "string", "enum": list(spec.choices)}
    if kind == F.SLUG:
        return {"type": "string", "pattern": _SLUG}
    out = {"type": "string"}
    if kind == F.URL:
        out["pattern"] = _URL
    elif kind == F.REF:
        out["pattern"] = _STORY_ID if spec.ref == "story" else _SLUG
    elif spec.required:
        out["pattern"] = _NOT_BLANK
    if kind in _TEXT_KINDS:
        # Inside allOf, not beside "type": draft-07 tools (the YAML extension)
        # ignore every keyword next to a "$ref".
        out["allOf"] = [{"$ref": _VISIBLE_REF}]
    return out


def field_schema(spec: F.Field, *, in_list: bool = False) -> dict[str, Any]:
    """Schema of one field: its description, example, and what the checker accepts."""
    out: dict[str, Any] = {"description": _describe(spec)}
    if spec.example is not None and spec.example != [] and not in_list:
        out["examples"] = [_example(spec.example)]
    core = _core(spec)
    # The checker lets an optional field be written empty ("reviewer:"); a
    # required one is reported (GS210), and so is an empty list item.
    if not spec.required and not in_list:
        core["type"] = [core["type"], "null"]
        if "enum" in core:
            core["enum"] = [*core["enum"], None]
    out.update(core)
    return out


def object_schema(spec: F.Field) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: {**field_schema(f), **_FIELD_RULES.get((spec.name, f.name), {})} for f in spec.fields},
        "additionalProperties": False,
    }
    required = [f.name for f in spec.fields if f.required]
    if required:
        out["required"] = required
    rules = _RULES.get(spec.name, ())
    if rules:
        out["allOf"] = [{"if": condition, "then": then} for condition, then in rules]
    return out


def build_schema(sf: SchemaFile) -> dict[str, Any]:
    """The whole JSON Schema document of one kind of file."""
    if sf.wrapper_key:
        body: dict[str, Any] = {
            "type": "object",
            "properties": {
                sf.wrapper_key: {
                    "description": sf.spec.meaning,
                    "type": "array",
                    "minItems": 1,
                    "items": object_schema(sf.spec),
                }
            },
            "required": [sf.wrapper_key],
            "additionalProperties": False,
        }
    else:
        body = object_schema(sf.spec)
    description = sf.spec.meaning + "."
    if sf.note:
        description += " " + sf.note
    return {
        "$schema": DIALECT,
        "$comment": _COMMENT,
        "title": sf.title,
        "description": description,
        **body,
        "$defs": {
            "visible": {
                "description": "Không chứa ký tự ẩn hay ký tự điều khiển (GS209)",
                "not": {"type": "string", "pattern": invisible_pattern()},
            }
        },
    }


def vscode_settings() -> dict[str, Any]:
    """Workspace settings: schemas for the YAML extension, and files saved the way the checker wants them."""
    return {
        "yaml.schemas": {f"./{sf.path}": list(sf.globs) for sf in SCHEMA_FILES if sf.globs},
        # The checker reads YAML 1.1 (PyYAML): so does the editor, so that `no`, `on`,
        # `7:30` and `012` in a text field show as wrong while typing, and "no" does not.
        "yaml.yamlVersion": "1.1",
        "files.encoding": "utf8",
        "files.eol": "\n",
        "files.insertFinalNewline": True,
        "files.trimTrailingWhitespace": True,
        # Two spaces at the end of a Markdown line are a line break: keep them.
        "[markdown]": {"files.trimTrailingWhitespace": False},
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
        # Saved a second after typing stops: the checking task (tasks.json) then shows
        # the problems of what was just typed, front matter of stories included.
        "files.autoSave": "afterDelay",
        "files.autoSaveDelay": 1000,
    }


# One line of `guongsang check`: path:line: field: message [CODE] — fix, warnings marked.
# JavaScript regular expressions (VS Code reads them), written so Python reads them too.
PROBLEM_ERROR = r"^(.+?):(\d+): ((.+?): .+ \[(GS\d{3})\] — .*)$"
PROBLEM_WARNING = r"^(.+?):(\d+): ((.+?): .+ \[(GS\d{3})\] \(cảnh báo\) — .*)$"


def vscode_tasks() -> dict[str, Any]:
    """A task VS Code starts with the folder: `guongsang check --watch`, its problems in the
    editor's Problems panel and underlined in the files, again after every save (with
    settings' auto-save, as one types). Story front matter sits in Markdown, which the
    YAML extension does not read: this is how it is checked in the editor."""
    def matcher(pattern: str, severity: str) -> dict[str, Any]:
        return {
            "owner": "guongsang",
            "source": "guongsang",
            "severity": severity,
            "fileLocation": ["relative", "${workspaceFolder}"],
            "pattern": {"regexp": pattern, "file": 1, "line": 2, "message": 3, "code": 5},
            "background": {"activeBegins": True, "beginsPattern": f"^{WATCH_START}", "endsPattern": f"^{WATCH_DONE}"},
        }

    return {
        "version": "2.0.0",
        "tasks": [
            {
                "label": "Gương Sáng: kiểm tra nội dung khi lưu",
                "type": "process",
                "command": "${workspaceFolder}/.venv/bin/guongsang",
                "windows": {"command": "${workspaceFolder}\\.venv\\Scripts\\guongsang.exe"},
                "args": ["check", "--watch"],
                "isBackground": True,
                "runOptions": {"runOn": "folderOpen"},
                "presentation": {"reveal": "never", "panel": "dedicated"},
                "problemMatcher": [matcher(PROBLEM_ERROR, "error"), matcher(PROBLEM_WARNING, "warning")],
            }
        ],
    }


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_files() -> dict[str, str]:
    """Every file `guongsang schema` writes, by path relative to the project root."""
    files = {sf.path: to_json(build_schema(sf)) for sf in SCHEMA_FILES}
    files[VSCODE_SETTINGS] = to_json(vscode_settings())
    files[VSCODE_EXTENSIONS] = to_json({"recommendations": list(RECOMMENDED_EXTENSIONS)})
    files[VSCODE_TASKS] = to_json(vscode_tasks())
    return dict(sorted(files.items()))


def write_files(root: Path) -> tuple[list[str], list[str]]:
    """Write the files that differ; (written, unchanged) paths."""
    written, unchanged = [], []
    for rel, text in render_files().items():
        target = root / rel
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            unchanged.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(rel)
    return written, unchanged


def stale_files(root: Path) -> list[str]:
    """Paths whose committed text is not what fields.py generates now."""
    out = []
    for rel, text in render_files().items():
        target = root / rel
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            out.append(rel)
    return out


@click.command("schema")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Không ghi; thoát với mã 1 nếu lược đồ trong kho đã cũ so với fields.py.")
def command(root: Path, check_only: bool) -> None:
    """Sinh lược đồ JSON (schemas/*.schema.json) và .vscode/settings.json để trình soạn thảo kiểm tra khi gõ."""
    base = root
    if check_only:
        stale = stale_files(base)
        for rel in stale:
            click.echo(f"{rel}: đã cũ, chạy `guongsang schema` để sinh lại")
        sys.exit(1 if stale else 0)
    written, unchanged = write_files(base)
    for rel in written:
        click.echo(f"Đã ghi {rel}")
    click.echo(f"{len(written)} tệp đã ghi, {len(unchanged)} tệp không đổi.", err=True)
