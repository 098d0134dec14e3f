"""Scaffolding: new story and unit files that pass the checker, named from their Vietnamese title."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import fields as F
from .check import PLACEHOLDER, CheckResult, check_content, nearest, split_kind, unit_name_key, unit_names
from .models import Content
from .problems import Problem
from .text import slugify

MAX_SLUG = 80  # long enough for a headline, short enough for a readable URL

# Placeholders say what to write; they start the same way so a reviewer spots
# any left behind, and they keep the file valid until the editor fills them in.
TODO = PLACEHOLDER + " "  # what the checker looks for (GS707, GS708)
STORY_BODY = (
    f"{TODO}nội dung bài. Mỗi đoạn cách nhau một dòng trống; tiêu đề mục bắt đầu bằng \"## \".\n\n"
    "Ý nghĩa và ví dụ của từng trường ở phần đầu: xem trang «Hướng dẫn biên tập» của trang web.\n"
)

# Name prefixes that say a unit's kind without doubt; the checker reads names the same way.


class ScaffoldError(Exception):
    """The file cannot be made as asked; the message says why, in Vietnamese."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Scaffold:
    """A file to create: its path relative to the project root and its text."""

    path: str
    text: str


def slug_for(title: str, *, limit: int = MAX_SLUG) -> str:
    """ASCII slug of a Vietnamese title, cut at a word boundary: "Đồng Lạc" → "dong-lac"."""
    slug = slugify(title)
    if len(slug) > limit:
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[: cut if cut > 0 else limit].strip("-")
    return slug


def unique_slug(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3, … — the first one not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def guess_kind(name: str) -> str:
    """The unit kind its name announces ("Xã Nam Tân" → "xa"), or "" when unsure."""
    return split_kind(name)[0]


def short_name_of(name: str, kind: str) -> str:
    """"Xã Nam Tân" → "Nam Tân" when the name starts with its kind's own word.

    "" when what is left starts with another kind word: "xã Nam Tân" of «Đảng bộ
    xã Nam Tân» names the commune, "Trường THPT Nam Sách" of «Chi bộ Trường THPT
    Nam Sách» the school, not this unit.
    """
    named_kind, rest = split_kind(name)
    return rest if named_kind and named_kind == kind and not split_kind(rest)[0] else ""


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the sample content does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        super().increase_indent(flow, False)


def dump_yaml(data: dict) -> str:
    """YAML as an editor would write it: block style, UTF-8 letters, quoted only when needed."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)


def _taken_story_slugs(root: Path, content: Content, year: int) -> set[str]:
    folder = root / "content" / "stories" / str(year)
    taken = {p.stem for p in folder.iterdir()} if folder.is_dir() else set()
    prefix = f"bai-viet/{year}/"
    for story in content.stories:
        for alias in story.aliases:
            url = alias.strip("/") + "/"
            if url.startswith(prefix):
                taken.add(url[len(prefix) :].rstrip("/"))
    return taken


def _check_units(content: Content, units: tuple[str, ...]) -> None:
    known = {u.id for u in content.units}
    for unit_id in units:
        if unit_id not in known:
            hint = nearest(unit_id, known)
            raise ScaffoldError(f"Không có đơn vị mã '{unit_id}'." + (f" {hint}" if hint else ""))


def plan_story(
    root: Path,
    content: Content,
    *,
    title: str,
    day: dt.date,
    units: tuple[str, ...],
    author: str,
) -> Scaffold:
    """A draft story about a collective, dated `day`, in content/stories/<year>/<slug>.md."""
    title = " ".join(title.split())
    base = slug_for(title)
    if not base:
        raise ScaffoldError(f"Tiêu đề '{title}' không có chữ hay số nào để đặt tên tệp.")
    if not units:
        raise ScaffoldError("Cần ít nhất một đơn vị (--unit).")
    _check_units(content, units)
    slug = unique_slug(base, _taken_story_slugs(root, content, day.year))
    front = {
        "title": title,
        "date": day,
        "summary": f"{TODO}tóm tắt 1–2 câu: ai đã làm việc tốt gì, ở đâu.",
        "subject": "tap-the",
        "units": list(units),
        "source": {"title": f"{TODO}tên bài hoặc tài liệu nguồn để người duyệt đối chiếu."},
        "author": author,
        "reviewer": "",
        "status": "draft",
    }
    return Scaffold(f"content/stories/{day.year}/{slug}.md", "---\n" + dump_yaml(front) + "---\n\n" + STORY_BODY)


def plan_unit(root: Path, content: Content, *, name: str, kind: str = "", parent: str = "") -> Scaffold:
    """A unit in content/units/<id>.yml; its kind from --kind or from its name."""
    name = " ".join(name.split())
    base = slug_for(name)
    if not base:
        raise ScaffoldError(f"Tên '{name}' không có chữ hay số nào để đặt mã đơn vị.")
    kind = kind or guess_kind(name)
    if not kind:
        raise ScaffoldError(
            f"Không đoán được loại của đơn vị '{name}'; ghi rõ --kind, một trong: {', '.join(F.UNIT_KINDS)}."
        )
    if kind not in F.UNIT_KINDS:
        raise ScaffoldError(f"Loại '{kind}' không có; chọn một trong: {', '.join(F.UNIT_KINDS)}.")
    _refuse_known_name(content, name, kind)
    if parent:
        _check_units(content, (parent,))
    # Files that failed to load still hold their name.
    folder = root / "content" / "units"
    taken = {u.id for u in content.units} | ({p.stem for p in folder.iterdir()} if folder.is_dir() else set())
    unit_id = unique_slug(base, taken)
    data: dict = {"name": name}
    short = short_name_of(name, kind)
    if short and any(known.key == unit_name_key(short, kind) for u in content.units for known in unit_names(u)):
        short = ""  # a short name that already means another unit would make the two clash (GS307)
    if short:
        data["short_name"] = short
    data["kind"] = kind
    if parent:
        data["parent"] = parent
    return Scaffold(f"content/units/{unit_id}.yml", dump_yaml(data))


def _refuse_known_name(content: Content, name: str, kind: str) -> None:
    """A second unit for a spelling that already names one ("Xã Minh Tâm" is xa-minh-tan's alias) is refused."""
    wanted = unit_name_key(name, kind)
    for unit in sorted(content.units, key=lambda u: u.id):
        for known in unit_names(unit):
            if known.key != wanted:
                continue
            if known.alias:
                raise ScaffoldError(
                    f"Có phải đơn vị '{unit.id}' (cách viết khác '{known.text}', tệp {unit.path})? "
                    "Không tạo đơn vị thứ hai cho cùng một nơi; dùng mã đó."
                )
            raise ScaffoldError(f"Đã có đơn vị '{unit.name}' (mã {unit.id}, tệp {unit.path}); ghi cách viết khác vào 'aliases' của nó.")


def _error_keys(result: CheckResult) -> set[tuple]:
    return {(p.path, p.field, p.code, p.message) for p in result.problems if p.severity == "error"}


def write_scaffold(root: Path, scaffold: Scaffold) -> Path:
    """Create the file (never overwrite), then keep it only if the checker finds no
    new error anywhere: a new unit can clash with an existing file, and the error
    may be reported on that file."""
    target = root / scaffold.path
    checked = check_content(root)
    before = _error_keys(checked)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(scaffold.text)
    except FileExistsError:
        raise ScaffoldError(f"Tệp {scaffold.path} đã có; không ghi đè.") from None
    after = check_content(root, checked.files)  # only the new file is parsed again
    problems = [p for p in after.problems if p.severity == "error" and (p.path, p.field, p.code, p.message) not in before]
    if problems:
        target.unlink()
        raise ScaffoldError(f"Tệp {scaffold.path} chưa hợp lệ nên không được tạo.", problems)
    return target
