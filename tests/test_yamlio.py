"""Reading files and safe YAML: encodings, line positions, and what YAML would silently change."""

from pathlib import Path

import pytest

from guongsang.yamlio import parse_date, parse_yaml, read_text, split_front_matter


def test_lines_of_nested_fields() -> None:
    doc, problems = parse_yaml("a: 1\nb:\n  - x: 2\n    y: 3\n", "f.yml")
    assert problems == []
    assert doc.line(("b", 0, "y")) == 4
    assert doc.line(("b", 0, "missing")) == 3  # falls back to the enclosing item


def test_first_line_offset_for_front_matter() -> None:
    doc, _ = parse_yaml("title: A\ndate: 2017-01-01\n", "s.md", first_line=2)
    assert doc.line(("date",)) == 3


@pytest.mark.parametrize(
    "text,tag",
    [("v: 012", "số nguyên"), ("v: 7:30", "số nguyên"), ("v: no", "đúng/sai (yes/no/on/off)"), ("v: 1.5", "số thực"), ("v: 2017-05-19", "ngày"), ("v: ~", "rỗng (null)")],
)
def test_coerced_scalars_are_recorded(text: str, tag: str) -> None:
    doc, _ = parse_yaml(text, "f.yml")
    assert doc.scalars[("v",)].coerced == tag
    assert doc.scalars[("v",)].text == text[3:]


def test_quoted_scalars_are_text() -> None:
    doc, _ = parse_yaml('v: "012"', "f.yml")
    assert doc.data == {"v": "012"}
    assert doc.scalars[("v",)].coerced is None


def test_impossible_date_is_kept_as_text_not_crash() -> None:
    doc, problems = parse_yaml("d: 2023-02-29\n", "f.yml")
    assert problems == [] and doc.data == {"d": "2023-02-29"}
    assert parse_date(doc.data["d"]) == (None, "năm 2023 không phải năm nhuận, tháng 2 không có ngày 29")
    assert parse_date("2024-02-29")[0].isoformat() == "2024-02-29"
    assert parse_date("2017-13-01") == (None, "tháng 13 không tồn tại")
    assert parse_date("2017-04-31") == (None, "tháng 4 năm 2017 không có ngày 31")


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    doc, problems = parse_yaml(bomb, "f.yml")
    assert doc is None and [p.code for p in problems] == ["GS107"]


def test_read_text_normalises(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Ho\xcc\x80a\r\n---\rBody\r\n")
    src, problems = read_text(path, "a.md")
    assert problems == []
    assert src.text == "---\ntitle: Hòa\n---\nBody\n"
    fm, fm_line, body, body_line = split_front_matter(src)
    assert (fm, fm_line, body, body_line) == ("title: Hòa\n", 2, "Body\n", 4)


def test_read_text_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes("name: Xã Hòa\n".encode("utf-16"))
    src, [problem] = read_text(path, "a.yml")
    assert src is None and problem.code == "GS102" and "UTF-16" in problem.message
