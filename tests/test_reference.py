"""The editor's guide: field reference and code table read off the code, examples that pass the checker."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from guongsang import fields as F
from guongsang import schema
from guongsang.catalogue import build_catalogue
from guongsang.load import load_content
from guongsang.problems import CODES
from guongsang.reference import (
    REVIEW_CHECKLIST,
    Row,
    build_file_references,
    code_groups,
    generate_guide,
    minimal_story,
)
from guongsang.render import Renderer, make_env
from guongsang.validate import Validator
from guongsang.yamlio import SourceText, parse_yaml, split_front_matter

REFERENCES = {ref.anchor: ref for ref in build_file_references()}
SPECS = {
    "bai-viet": (F.STORY, "story"),
    "don-vi": (F.UNIT, "unit"),
    "chuyen-de": (F.COLLECTIONS["topics.yml"], "topics"),
    "van-ban": (F.COLLECTIONS["directives.yml"], "directives"),
    "ngay-ky-niem": (F.COLLECTIONS["commemorations.yml"], "commemorations"),
    "chao-co": (F.PROGRAMME, "programme"),
    "thiet-lap": (F.SETTINGS, "settings"),
}


def all_paths(spec: F.Field, prefix: str = "") -> list[str]:
    """Every field's dotted name, walked independently of reference.flatten."""
    out = []
    for child in spec.fields:
        out.append(prefix + child.name)
        if child.fields:
            out += all_paths(child, prefix + child.name + ".")
        if child.item is not None and child.item.fields:
            out += all_paths(child.item, prefix + child.name + "[].")
    return out


def test_every_file_kind_is_referenced() -> None:
    assert list(REFERENCES) == list(SPECS)
    assert [r.location for r in REFERENCES.values()] == [
        "content/stories/<năm>/<slug>.md",
        "content/units/<mã>.yml",
        "content/topics.yml",
        "content/directives.yml",
        "content/commemorations.yml",
        "content/programme/<năm>-<năm sau>.yml",
        "content/settings.yml",
    ]


@pytest.mark.parametrize("anchor", list(SPECS))
def test_every_field_has_a_row(anchor: str) -> None:
    spec, _ = SPECS[anchor]
    if isinstance(spec, tuple):  # a collection: (key, item spec)
        key, item = spec
        expected = [f"{key}[].{p}" for p in all_paths(item)]
    else:
        expected = all_paths(spec)
    assert [row.name for row in REFERENCES[anchor].rows] == expected
    assert all(row.meaning for row in REFERENCES[anchor].rows)


def test_rows_say_type_requirement_meaning_and_example() -> None:
    story = {row.name: row for row in REFERENCES["bai-viet"].rows}
    assert story["date"] == Row("date", "ngày (YYYY-MM-DD)", True, "Ngày đăng (bài ngày tương lai chờ đến ngày mới hiện)", "2017-05-10")
    assert story["units"] == Row("units", "danh sách (mã đơn vị)", True, "Các đơn vị của bài (ít nhất một)", "[xa-nam-tan]")
    assert story["flag_ceremony"].example == "true"
    assert story["source.title"].example == "'Nam Sách: đưa học tập và làm theo Bác thành việc thường xuyên'"
    assert story["status"].choices == (("draft", "Bản nháp"), ("review", "Đang duyệt"), ("published", "Đã công bố"), ("withdrawn", "Đã gỡ"))
    assert story["images"].example == ""  # a group: its fields have their own rows
    unit = {row.name: row for row in REFERENCES["don-vi"].rows}
    assert unit["honors[].decision.number"] == Row(
        "honors[].decision.number", "chữ", True, "Số quyết định, dạng Đảng '45-QĐ/HU' hoặc Nhà nước '123/QĐ-UBND'", "45-QĐ/HU"
    )
    topics = {row.name: row for row in REFERENCES["chuyen-de"].rows}
    assert topics["topics[].quarters"].example == "[2, 3, 4]"


def _editor_data(value: object) -> object:
    if isinstance(value, dict):
        return {k: _editor_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_editor_data(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("anchor", list(SPECS))
def test_full_examples_pass_the_checker_and_the_schema(anchor: str) -> None:
    spec, schema_name = SPECS[anchor]
    text = REFERENCES[anchor].example
    if anchor == "bai-viet":
        text, *_ = split_front_matter(SourceText("x.md", text))
    doc, problems = parse_yaml(text, "x.yml")
    assert problems == [] and doc is not None
    if isinstance(spec, tuple):
        key, item = spec
        spec = F.Field("file", F.OBJECT, "", fields=(F.Field(key, F.LIST, key, item=item, required=True),))
    validator = Validator(doc)
    validator.check(doc.data, spec)
    assert validator.problems == []
    document = schema.build_schema(next(sf for sf in schema.SCHEMA_FILES if sf.name == schema_name))
    assert list(jsonschema.Draft202012Validator(document).iter_errors(_editor_data(yaml.safe_load(text)))) == []


def test_minimal_story_is_the_required_fields_as_a_draft() -> None:
    text = minimal_story()
    front, *_ = split_front_matter(SourceText("x.md", text))
    data = yaml.safe_load(front)
    assert list(data) == [f.name for f in F.STORY.fields if f.required]
    assert data["status"] == "draft"
    doc, _ = parse_yaml(front, "x.md")
    validator = Validator(doc)
    validator.check(doc.data, F.STORY)
    assert validator.problems == []


def test_code_table_lists_every_code_once_in_order() -> None:
    groups = code_groups()
    listed = [c.code for g in groups for c in g.codes]
    assert listed == sorted(CODES)
    assert [g.title for g in groups] == [
        "Tệp, bảng mã và cú pháp YAML",
        "Trường và giá trị",
        "Tham chiếu giữa các mục",
        "Dữ liệu cá nhân và an toàn",
        "Đơn vị, vòng đời và khen thưởng",
        "Chương trình chào cờ",
        "Quy trình biên tập",
    ]


def test_guide_page_source(root: Path) -> None:
    content, _ = load_content(root)
    cat = build_catalogue(content, today=dt.date(2026, 11, 18))
    (out,) = list(generate_guide(cat, Renderer(make_env(), "https://example.org/")))
    assert out.uri == "huong-dan-bien-tap.md"
    assert out.content.startswith('---\ntitle: "Hướng dẫn biên tập"\n')
    assert (
        '<tr id="gs702"><td><code>GS702</code></td><td>Lỗi</td><td>Đường dẫn đã công bố bị mất</td>'
        "<td>Bài đổi tên tệp hoặc đổi năm: thêm đường dẫn cũ vào &#39;aliases&#39; của bài mới. Bài bị xóa hoặc trở lại bản nháp:"
        " khôi phục bài đã công bố và gỡ bằng &#39;status: withdrawn&#39; (ghi &#39;withdrawal&#39;)."
    ) in out.content
    # The template to paste is a draft dated the build's day, in the folder step 1 names.
    assert "date: 2026-11-18\n" in out.content and "status: draft\n" in out.content and "reviewer:" not in out.content.split("mau-phan-dau")[1].split("</code></pre>")[0]
    assert "(ví dụ `2026`; chưa có thì gõ `2026/`" in out.content
    assert '<tr id="gs601"><td><code>GS601</code></td><td>Cảnh báo</td>' in out.content
    assert "### Bài viết \\(phần đầu\\) { #bai-viet }" in out.content
    assert "<td><code>honors[].decision.number</code></td><td>chữ</td><td>có</td>" in out.content


def _text(page: str) -> str:
    article = page[page.index("<article") : page.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "", article))


def test_guide_is_built_in_the_nav_and_complete(built_site: Path) -> None:
    page = (built_site / "huong-dan-bien-tap" / "index.html").read_text(encoding="utf-8")
    for code in CODES:
        assert f'id="{code.lower()}"' in page
    text = _text(page)
    for item in REVIEW_CHECKLIST:
        assert item in text
    for ref in REFERENCES.values():
        for row in ref.rows:
            assert f"<code>{html.escape(row.name, quote=False)}</code>" in page
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="huong-dan-bien-tap/"' in home
    assert "huong-dan-bien-tap/</loc>" in (built_site / "sitemap.xml").read_text(encoding="utf-8")


def test_pull_request_template_repeats_the_checklist(root: Path) -> None:
    template = (root / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line[len("- [ ] ") :] for line in template.splitlines() if line.startswith("- [ ] ")]
    assert boxes == list(REVIEW_CHECKLIST)
