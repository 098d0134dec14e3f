"""Reading files and safe YAML: encodings, line positions, and what YAML would silently change."""

from pathlib import Path

import pytest

from guongsang import fields as F
from guongsang.validate import Validator
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


# -- encodings: which one a non-UTF-8 file most likely is ------------------------------

# "Xã Nam Tân đưa việc học tập và làm theo Bác", as old Vietnamese software saved it.
TCVN3 = b"name: X\xb7 Nam T\xa9n \xae\xada vi\xd6c h\xe4c t\xcbp v\xb5 l\xb5m theo B\xb8c\n"
VNI = b"name: Xa\xf5 Nam Ta\xe2n \xf1\xf6a vie\xe4c ho\xefc ta\xe4p va\xf8 la\xf8m theo Ba\xf9c\n"
CP1258 = b"name: Xa\xde Nam T\xe2n \xf0\xfda vi\xea\xf2c ho\xf2c t\xe2\xf2p va\xcc la\xccm theo B\xe1c\n"


@pytest.mark.parametrize(
    ("raw", "looks"),
    [
        pytest.param("name: Xã Hòa\n".encode("utf-16"), "có vẻ là bảng mã UTF-16", id="utf16-bom"),
        pytest.param("name: Xa Hoa\nkind: xa\n".encode("utf-16-le"), "có vẻ là bảng mã UTF-16", id="utf16le-no-bom"),
        pytest.param("name: Xã Hòa\n".encode("utf-16-be"), "có vẻ là bảng mã UTF-16", id="utf16be-no-bom"),
        pytest.param(TCVN3, "có vẻ là bảng mã TCVN3 (ABC)", id="tcvn3"),
        pytest.param(VNI, "có vẻ là bảng mã VNI", id="vni"),
        pytest.param(CP1258, "có vẻ là bảng mã Windows-1258", id="windows-1258"),
        pytest.param("name: Café Müller, crème brûlée\n".encode("latin-1"), "có vẻ là bảng mã Latin-1", id="latin-1"),
        pytest.param(b"name: T\xa9n va\xf8\n", "không rõ bảng mã (có thể là một bảng mã tiếng Việt cũ: TCVN3 (ABC), VNI hoặc Windows-1258)", id="unknown"),
    ],
)
def test_read_text_names_the_likely_encoding(tmp_path: Path, raw: bytes, looks: str) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes(raw)
    src, [problem] = read_text(path, "a.yml")
    assert src is None and problem.code == "GS102"
    assert problem.message.startswith("Tệp không phải UTF-8") and looks in problem.message
    assert "UTF-8" in problem.hint  # how to get back to UTF-8


# -- syntax errors: in Vietnamese, one line each, at the line to fix ---------------------


@pytest.mark.parametrize(
    ("text", "line", "message", "fix"),
    [
        pytest.param("a: 1\ntitle: Nam Sách: đưa học tập\n", 2, "Giá trị có dấu hai chấm ':'", 'title: "Nam Sách: đưa học tập"', id="colon-in-value"),
        pytest.param('a: 1\ntitle: "Nam Sách\nb: 2\nc: 3\n', 2, "Dấu ngoặc mở ở dòng 2 chưa được đóng", "dấu ngoặc đóng", id="unclosed-quote"),
        pytest.param("units:\n  - a\n - b\n", 3, "Mục danh sách '- …' nằm sai chỗ", "Thẳng hàng", id="list-item-misplaced"),
        pytest.param("a:\n  b: 1\n c: 2\n", 3, "không khớp thụt lề", "thụt lề bằng nhau", id="bad-indent"),
        pytest.param("a: `x`\n", 1, "ký tự đặc biệt '`'", 'ngoặc kép', id="backtick"),
        pytest.param("a: @x\n", 1, "ký tự đặc biệt '@'", 'ngoặc kép', id="at-sign"),
        pytest.param("a: 1\nb\nc: 2\n", 2, "thiếu dấu ':'", "trường: giá trị", id="key-without-colon"),
        pytest.param("a: [x, y\nb: 1\n", 1, "Dấu '[' mở ở dòng 1 chưa đóng", "']'", id="unclosed-bracket"),
        pytest.param('a: "x\\qy"\n', 1, "dấu '\\' phải đi kèm", "ngoặc đơn", id="bad-escape"),
        pytest.param('a: "x" y\n', 1, "chữ sau dấu ngoặc đóng", "ngoặc kép", id="text-after-quote"),
    ],
)
def test_syntax_errors_are_explained_in_vietnamese(text: str, line: int, message: str, fix: str) -> None:
    doc, [problem] = parse_yaml(text, "f.yml", first_line=1)
    assert doc is None and problem.code == "GS105"
    assert problem.line == line
    assert message in problem.message and fix in problem.hint
    assert "\n" not in problem.format()
    # PyYAML's English is only a technical note at the end, never the message itself.
    english, _, _ = problem.message.partition(" (chi tiết: ")
    assert not any(word in english for word in ("mapping", "expected", "found", "scanning"))


def test_control_character_is_gs209_with_its_code_point() -> None:
    doc, [problem] = parse_yaml("a: 1\ntitle: Xã\x07 Hòa\n", "f.yml", first_line=2)
    assert doc is None
    assert (problem.code, problem.line) == ("GS209", 3)
    assert "U+0007" in problem.message and "\n" not in problem.format()


def test_tab_inside_a_block_scalar_is_text_not_indentation() -> None:
    doc, problems = parse_yaml("a: |\n  x\n  \ty\nb: 1\n", "f.yml")
    assert problems == [] and doc.data == {"a": "x\n\ty\n", "b": 1}
    _, [problem] = parse_yaml("a: 1\n\tb: 2\n", "f.yml")
    assert (problem.code, problem.line) == ("GS106", 2)


# -- values YAML reads its own way ---------------------------------------------------------


def _check(text: str, spec) -> list:  # noqa: ANN001
    doc, problems = parse_yaml(text, "f.yml")
    assert problems == []
    validator = Validator(doc)
    validator.check(doc.data, spec)
    return validator.problems


@pytest.mark.parametrize(
    ("written", "message", "fix"),
    [
        ("010", "YAML đọc '010' thành 8", "day: 10"),
        ("0x13", "YAML đọc '0x13' thành 19", "day: 19"),
        ("08", "YAML không đọc '08' là số", "day: 8"),
        ("09", "YAML không đọc '09' là số", "day: 9"),
    ],
)
def test_integers_not_written_plainly_are_refused(written: str, message: str, fix: str) -> None:
    text = f"id: a\nday: {written}\nmonth: 5\nyear: 1890\nname: Ngày sinh\n"
    [problem] = _check(text, F.COMMEMORATION)
    assert (problem.code, problem.line, problem.field) == ("GS110", 2, "day")
    assert problem.message.startswith(message) and fix in problem.hint


def test_year_in_base_60_is_refused() -> None:
    [problem] = _check("id: a\nday: 19\nmonth: 5\nyear: 33:37\nname: Ngày sinh\n", F.COMMEMORATION)
    assert problem.message == "YAML đọc '33:37' thành 2017"


def test_a_value_read_as_a_comment_says_why_it_is_empty() -> None:
    [problem] = _check("id: a\nday: 19\nmonth: 5\nyear: 1890\nname: #1 Ngày sinh\n", F.COMMEMORATION)
    assert (problem.code, problem.field) == ("GS210", "name")
    assert "'#'" in problem.hint and 'name: "#1 …"' in problem.hint
