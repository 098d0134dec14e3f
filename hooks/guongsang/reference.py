"""The editor's guide: prose in a template, and every variable part (fields, examples, checker codes) read off the code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from . import fields as F
from .catalogue import Catalogue
from .problems import CODES, ERROR, Code
from .render import Output, Renderer
from .scaffold import dump_yaml

GUIDE_URI = "huong-dan-bien-tap.md"

# What the guide promises about the automation; tests/test_workflows.py holds
# .github/ to these words.
DAILY_REBUILD = "00:05"  # Vietnam time: publish.yml's cron, in UTC
CORRECTION_ISSUE = "Đề nghị đính chính"  # the name of .github/ISSUE_TEMPLATE/de-nghi-dinh-chinh.md
PREVIEW_ARTIFACT = "ban-xem-truoc"  # pull-request.yml's upload-artifact name

# The review checklist: the guide shows it and the pull-request template
# repeats it word for word (a test holds the two together).
REVIEW_CHECKLIST: tuple[str, ...] = (
    "Mọi sự việc, con số, tên người, tên đơn vị đã được đối chiếu với nguồn ghi trong 'source'.",
    "Bài viết bằng lời của mình, không chép nguyên văn nguồn; nguồn được ghi đủ tên, nơi đăng, ngày.",
    "Bài về cá nhân có 'consent' ghi ngày và người ghi nhận sự đồng ý; phạm vi đồng ý bao trùm những gì bài nêu.",
    "Không có dữ liệu cá nhân: số điện thoại, số CMND/CCCD, địa chỉ nhà riêng; trẻ dưới 18 tuổi chỉ nêu tên gọi.",
    "Mọi ảnh nằm trong docs/assets, có mô tả (alt) nói ảnh chụp gì, và được phép đăng.",
    "Đơn vị, chuyên đề, công việc đột phá và ngày kỷ niệm gắn với bài là đúng.",
    "Người duyệt đã ghi tên vào 'reviewer' trước khi đổi 'status' sang published.",
    "Bình luận tóm tắt thay đổi của pull request không báo đường dẫn nào bị mất hay lỗi nào của bộ kiểm tra.",
)

CODE_GROUPS = {
    "1": "Tệp, bảng mã và cú pháp YAML",
    "2": "Trường và giá trị",
    "3": "Tham chiếu giữa các mục",
    "4": "Dữ liệu cá nhân và an toàn",
    "5": "Đơn vị, vòng đời và khen thưởng",
    "6": "Chương trình chào cờ",
    "7": "Quy trình biên tập",
}

# Fields left out of the full examples because, next to the other examples,
# they would describe a contradiction the checker rejects (a successor on a
# dissolved unit, a revoking decision on an honor in force). Their rows in the
# tables still document them.
EXAMPLE_SKIP = {"unit": {"successor"}, "honor": {"revoked_by"}}


@dataclass(frozen=True)
class Row:
    """One line of a field table: a field, at its dotted place in the file."""

    name: str  # "honors[].decision.number"
    type: str
    required: bool
    meaning: str
    example: str
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FileReference:
    """Every field of one kind of content file, and a full example of it."""

    anchor: str
    title: str
    location: str
    schema: str  # schemas/<name>.schema.json, "" when none
    rows: tuple[Row, ...]
    example: str  # YAML text


@dataclass(frozen=True)
class CodeGroup:
    title: str
    codes: tuple[Code, ...]


def type_text(spec: F.Field) -> str:
    if spec.kind == F.ENUM:
        return "một giá trị trong danh sách"
    if spec.kind == F.LIST and spec.item is not None and spec.item.kind == F.OBJECT:
        return "danh sách nhóm trường"
    return spec.type_label


def example_text(spec: F.Field) -> str:
    """The example as it is written in YAML, on one line; "" for groups (their fields have rows)."""
    if spec.kind == F.OBJECT or (spec.kind == F.LIST and spec.item is not None and spec.item.kind == F.OBJECT):
        return ""
    value = yaml_value(spec, spec.example)
    if value is None or value == []:
        return ""
    text = dump_yaml({"x": value})[len("x:") :].strip()
    if isinstance(value, list):
        # A list example reads best as the flow form an editor can also type.
        return "[" + ", ".join(dump_yaml({"x": v})[len("x:") :].strip() for v in value) + "]"
    return text


def yaml_value(spec: F.Field, value: Any) -> Any:
    """fields.py writes dates as text; in YAML they are dates (no quotes)."""
    if spec.kind == F.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if spec.kind == F.LIST and isinstance(value, list) and spec.item is not None:
        return [yaml_value(spec.item, v) for v in value]
    return value


def flatten(spec: F.Field, prefix: str = "") -> Iterable[Row]:
    """Rows for every field under spec, groups before their own fields."""
    for child in spec.fields:
        name = prefix + child.name
        choices = tuple(zip(child.choices, child.choice_labels or child.choices))
        if child.kind == F.LIST and child.item is not None and child.item.kind == F.ENUM:
            choices = tuple(zip(child.item.choices, child.item.choice_labels or child.item.choices))
        yield Row(name, type_text(child), child.required, child.meaning, example_text(child), choices)
        if child.kind == F.OBJECT:
            yield from flatten(child, name + ".")
        elif child.kind == F.LIST and child.item is not None and child.item.kind == F.OBJECT:
            yield from flatten(child.item, name + "[].")


def example_data(spec: F.Field) -> Any:
    """A full example value of spec: every field, from the examples in fields.py."""
    if spec.kind == F.OBJECT:
        skip = EXAMPLE_SKIP.get(spec.name, set())
        return {f.name: example_data(f) for f in spec.fields if f.name not in skip}
    if spec.kind == F.LIST:
        assert spec.item is not None
        if spec.item.kind == F.OBJECT or not spec.example:
            return [example_data(spec.item)]
        return yaml_value(spec, list(spec.example))
    if spec.example is None and spec.kind == F.ENUM:
        return spec.choices[0]
    return yaml_value(spec, spec.example)


def build_file_references() -> tuple[FileReference, ...]:
    """The reference of every kind of content file, in the order an editor meets them."""
    story = F.STORY
    out = [
        FileReference(
            "bai-viet",
            "Bài viết (phần đầu)",
            "content/stories/<năm>/<slug>.md",
            "schemas/story.schema.json",
            tuple(flatten(story)),
            "---\n" + dump_yaml(example_data(story)) + "---\n\nThân bài viết bằng Markdown…\n",
        ),
        FileReference("don-vi", "Đơn vị", "content/units/<mã>.yml", "schemas/unit.schema.json", tuple(flatten(F.UNIT)), dump_yaml(example_data(F.UNIT))),
    ]
    for anchor, title, (filename, (key, spec)), schema in (
        ("chuyen-de", "Chuyên đề", ("topics.yml", F.COLLECTIONS["topics.yml"]), "topics"),
        ("van-ban", "Chỉ thị, kế hoạch và công việc đột phá", ("directives.yml", F.COLLECTIONS["directives.yml"]), "directives"),
        ("ngay-ky-niem", "Ngày kỷ niệm", ("commemorations.yml", F.COLLECTIONS["commemorations.yml"]), "commemorations"),
    ):
        out.append(
            FileReference(
                anchor,
                title,
                f"content/{filename}",
                f"schemas/{schema}.schema.json",
                tuple(flatten(spec, f"{key}[].")),
                dump_yaml({key: [example_data(spec)]}),
            )
        )
    out.append(
        FileReference(
            "chao-co",
            "Chương trình chào cờ",
            "content/programme/<năm>-<năm sau>.yml",
            "schemas/programme.schema.json",
            tuple(flatten(F.PROGRAMME)),
            dump_yaml(example_data(F.PROGRAMME)),
        )
    )
    out.append(
        FileReference(
            "thiet-lap", "Thiết lập chung", "content/settings.yml", "schemas/settings.schema.json", tuple(flatten(F.SETTINGS)), dump_yaml(example_data(F.SETTINGS))
        )
    )
    return tuple(out)


def minimal_story(day: dt.date | None = None) -> str:
    """The front matter every story needs, and nothing more: what an editor pastes first.
    A draft with no reviewer, never a published story's front matter. Dated `day` (the
    build's) when given, so pasted into that year's folder it is in the right one (GS211)."""
    data = {f.name: example_data(f) for f in F.STORY.fields if f.required}
    if day is not None:
        data["date"] = day
    data["status"] = "draft"
    return "---\n" + dump_yaml(data) + "---\n\nThân bài…\n"


def code_groups() -> tuple[CodeGroup, ...]:
    groups: dict[str, list[Code]] = {}
    for code in sorted(CODES.values(), key=lambda c: c.code):
        groups.setdefault(code.code[2], []).append(code)
    return tuple(CodeGroup(CODE_GROUPS.get(digit, f"Nhóm {digit}xx"), tuple(codes)) for digit, codes in sorted(groups.items()))


def generate_guide(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    yield r.page(
        GUIDE_URI,
        "guide_page.md",
        title="Hướng dẫn biên tập",
        description="Cách thêm, sửa, duyệt và đính chính bài; tra cứu mọi trường nội dung và mọi mã lỗi của bộ kiểm tra.",
        organisation=cat.settings.organisation,
        statuses=list(zip(F.STATUSES, F.STATUS_LABELS)),
        minimal_story=minimal_story(cat.today),
        story_year=cat.today.year,
        files=build_file_references(),
        groups=code_groups(),
        error=ERROR,
        checklist=REVIEW_CHECKLIST,
        read_aloud_max=cat.settings.read_aloud_max_minutes,
        daily_rebuild=DAILY_REBUILD,
        correction_issue=CORRECTION_ISSUE,
        preview_artifact=PREVIEW_ARTIFACT,
    )
