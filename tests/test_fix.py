"""`guongsang fix`: NFC, LF, no BOM, no trailing spaces — and never a change of meaning."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

import markdown
import pytest
import yaml
from click.testing import CliRunner

from guongsang.check import check_content
from guongsang.cli import main
from guongsang.fixer import fix_text

NFD = unicodedata.normalize("NFD", "Xã Nam Tân")
NFC = "Xã Nam Tân"
EXTENSIONS = ["toc", "attr_list", "tables", "footnotes", "admonition", "md_in_html", "def_list"]


def render(text: str) -> str:
    """The page as a reader sees it: Python-Markdown's HTML (the site's renderer), front matter
    left out, text in NFC as the loader reads it, and white space collapsed outside <pre> as
    a browser does."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    html = unicodedata.normalize("NFC", markdown.markdown(text, extensions=EXTENSIONS))
    parts = re.split(r"(<pre>.*?</pre>)", html, flags=re.DOTALL)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"\s*(</?(?:p|li|ul|ol|h[1-6]|td|th|dd|dt|div)>)\s*", r"\1", re.sub(r"\s+", " ", parts[i]))
    return "".join(parts)


# (name, file name, input bytes, fixed text or None when untouched, changes, notes, blockers)
CASES = [
    pytest.param(
        "x.md",
        ("\ufeff---\r\ntitle: " + NFD + "  \r\n---\r\n\r\nĐoạn " + NFD + ". \r\n").encode(),
        "---\ntitle: " + NFC + "\n---\n\nĐoạn " + NFC + ".\n",
        ["bỏ BOM", "đổi xuống dòng CRLF/CR thành LF", "chuẩn hóa Unicode NFC (2 dòng)", "bỏ dấu cách cuối dòng (2 dòng)"],
        [],
        [],
        id="bom-crlf-nfd-trailing",
    ),
    pytest.param(
        "x.md",
        b"Dong mot  \ndong hai.\n",
        None,
        [],
        ["dòng 1: giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn"],
        [],
        id="hard-break-kept",
    ),
    pytest.param(
        "x.md",
        b"Dong mot\t\ndong hai.\n",
        None,
        [],
        ["dòng 1: giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn"],
        [],
        id="tab-is-a-hard-break-too",
    ),
    pytest.param(
        "x.md",
        b"Cuoi doan.  \n\nDoan sau. \n   \nHet.   ",
        "Cuoi doan.\n\nDoan sau.\n\nHet.",
        ["bỏ dấu cách cuối dòng (4 dòng)"],
        [],
        [],
        id="paragraph-ends-and-blank-lines",
    ),
    pytest.param(
        "x.md",
        ("Van.  \n\n```\nma  \n" + NFD + "\n```\n\n~~~~\nx \n~~~~\n").encode(),
        "Van.\n\n```\nma  \n" + NFD + "\n```\n\n~~~~\nx \n~~~~\n",
        ["bỏ dấu cách cuối dòng (1 dòng)"],
        ["dòng 5: chữ chưa chuẩn NFC trong khối mã, giữ nguyên"],
        [],
        id="fenced-code-untouched",
    ),
    pytest.param(
        "x.md",
        b"<pre>\nmot  \nhai \n</pre>\n\n    ma thut le  \n",
        None,
        [],
        ["dòng 6: giữ dấu cách cuối dòng trong đoạn thụt lề (có thể là khối mã)"],
        [],
        id="pre-and-indented-code-untouched",
    ),
    pytest.param(
        "u.yml",
        b"name: Xa A  \ndescription: |\n  dong mot  \n  dong hai\nkind: xa \n",
        "name: Xa A\ndescription: |\n  dong mot  \n  dong hai\nkind: xa\n",
        ["bỏ dấu cách cuối dòng (2 dòng)"],
        ["dòng 3: giữ dấu cách cuối dòng vì nằm trong giá trị nhiều dòng (| hoặc >)"],
        [],
        id="yaml-block-value-kept",
    ),
    pytest.param(
        "u.yml",
        b"name: Xa A\nhonors:\n\t- year: 2017\n\t  title: x\n",
        None,
        [],
        [],
        [
            "dòng 3: thụt lề bằng tab lẫn dấu cách, không tự đổi được; thay bằng dấu cách (2 dấu mỗi cấp)",
            "dòng 4: thụt lề bằng tab lẫn dấu cách, không tự đổi được; thay bằng dấu cách (2 dấu mỗi cấp)",
        ],
        id="yaml-tabs-mixed-with-spaces",
    ),
    pytest.param(
        "u.yml",
        b"name: Xa A\nsource:\n\ttitle: Bao cao\n\tpublisher: Huyen uy\n",
        "name: Xa A\nsource:\n  title: Bao cao\n  publisher: Huyen uy\n",
        ["đổi tab thụt lề thành dấu cách (2 dòng)"],
        [],
        [],
        id="yaml-tab-indent-unambiguous",
    ),
    pytest.param(
        "u.yml",
        b"name: \"Xa\tA\"\n",
        None,
        [],
        ["dòng 1: có ký tự tab trong giá trị, giữ nguyên"],
        [],
        id="yaml-tab-inside-a-value",
    ),
    pytest.param(
        "x.md",
        "Tên: Đồng Lạc\n".encode("latin-1", "replace"),
        None,
        [],
        [],
        ["dòng 1: tệp không phải UTF-8, không sửa; lưu lại với bảng mã UTF-8"],
        id="not-utf8",
    ),
    pytest.param(
        "x.md",
        "Tên\n".encode("utf-16"),
        None,
        [],
        [],
        ["tệp mã hóa UTF-16, không sửa; lưu lại với bảng mã UTF-8"],
        id="utf16",
    ),
    pytest.param("x.md", ("---\ntitle: " + NFC + "\n---\n\nSạch.\n").encode(), None, [], [], [], id="clean"),
    pytest.param(
        "x.md",
        "Đoạn một.\u00a0\ndòng hai.\u00a0 \n\nĐoạn hai.\u00a0\n".encode(),
        "Đoạn một.\ndòng hai.\n\nĐoạn hai.\n",
        ["bỏ dấu cách cuối dòng (3 dòng)"],
        [],
        [],
        id="trailing-no-break-space",
    ),
    pytest.param(
        "x.md",
        "Dòng một\u00a0  \ndòng hai.\n\n\u00a0\n".encode(),
        None,
        [],
        ["dòng 1: giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn"],
        [],
        id="no-break-space-before-a-hard-break-or-alone-kept",
    ),
    pytest.param(
        "u.yml",
        "name: Xa A \n# ghi chú\u00a0\n".encode(),
        "name: Xa A\n# ghi chú\n",
        ["bỏ dấu cách cuối dòng (2 dòng)"],
        [],
        [],
        id="yaml-no-break-space-in-a-comment",
    ),
    pytest.param(
        "u.yml",
        "name: Xa A\u00a0\nkind: xa \n".encode(),
        "name: Xa A\u00a0\nkind: xa\n",
        ["bỏ dấu cách cuối dòng (1 dòng)"],
        [],
        [],
        id="yaml-no-break-space-in-a-value-is-data",
    ),
    # Kept too, but not called a line break in a paragraph: they are not one.
    pytest.param(
        "x.md",
        b"| Cot | Cot hai |  \n|-----|---------|\n| a   | b       |  \n| c   | d       |\n",
        None,
        [],
        ["dòng 1: giữ dấu cách cuối dòng ở hàng của bảng (không tự bỏ; xóa tay được)", "dòng 3: giữ dấu cách cuối dòng ở hàng của bảng (không tự bỏ; xóa tay được)"],
        [],
        id="table-rows-are-not-paragraph-breaks",
    ),
    pytest.param(
        "x.md",
        b'<div class="x">  \ndong trong div  \n</div>\n\nDoan  \nthuong.\n',
        None,
        [],
        [
            "dòng 1: giữ dấu cách cuối dòng trong khối HTML (không tự bỏ; xóa tay được)",
            "dòng 2: giữ dấu cách cuối dòng trong khối HTML (không tự bỏ; xóa tay được)",
            "dòng 5: giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn",
        ],
        [],
        id="html-block-lines-are-not-paragraph-breaks",
    ),
    pytest.param(
        "x.md",
        b"## Tieu de  \nDoan.\n",
        None,
        [],
        ["dòng 1: giữ dấu cách cuối dòng ở dòng tiêu đề (không tự bỏ; xóa tay được)"],
        [],
        id="heading-is-not-a-paragraph-break",
    ),
]


@pytest.mark.parametrize(("name", "raw", "fixed", "changes", "notes", "blockers"), CASES)
def test_fix_text(name: str, raw: bytes, fixed: str | None, changes: list[str], notes: list[str], blockers: list[str]) -> None:
    result = fix_text(raw, name)
    assert (result.text, result.changes, result.notes, result.blockers) == (fixed, changes, notes, blockers)


@pytest.mark.parametrize(("name", "raw", "fixed"), [(p.values[0], p.values[1], p.values[2]) for p in CASES if p.values[2] is not None])
def test_fixing_never_changes_the_page_or_the_data(name: str, raw: bytes, fixed: str) -> None:
    before = unicodedata.normalize("NFC", raw.decode("utf-8-sig").replace("\r\n", "\n"))
    if name.endswith(".md"):
        assert render(fixed) == render(before)
    else:
        expected = yaml.safe_load(before.replace("\t", "  ")) if "\t" in before else yaml.safe_load(before)
        assert yaml.safe_load(fixed) == expected


def test_hard_break_is_a_break_in_python_markdown() -> None:
    # Why the fixer keeps it: there is no other way to write it that this renderer reads.
    assert render("a  \nb") == "<p>a<br /> b</p>"
    assert render("a\\\nb") == "<p>a\\ b</p>"


def write_bad_story(project: Path) -> Path:
    story = next(iter(sorted((project / "content/stories").rglob("*.md"))))
    text = story.read_text(encoding="utf-8").replace("\n", "\r\n").replace("title: ", "title: " + NFD[:0], 1)
    story.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"\r\n\r\n", b" \r\n\r\n", 1))
    return story


def test_check_mode_reports_and_writes_nothing(project: Path) -> None:
    story = write_bad_story(project)
    before = story.read_bytes()
    result = CliRunner().invoke(main, ["fix", "--check", "--root", str(project)])
    assert result.exit_code == 1
    rel = story.relative_to(project).as_posix()
    blank = next(n for n, line in enumerate(story.read_bytes().split(b"\r\n"), 1) if line.endswith(b" "))
    assert result.stdout.splitlines() == [
        f"{rel}: cần sửa: bỏ BOM; đổi xuống dòng CRLF/CR thành LF; bỏ dấu cách cuối dòng (1 dòng)",
        f"{rel}:{blank}: cần sửa: bỏ dấu cách cuối dòng",
    ]
    assert "Cần sửa 1/" in result.stderr
    assert story.read_bytes() == before


def test_fix_rewrites_atomically_and_keeps_meaning(project: Path) -> None:
    story = write_bad_story(project)
    story.chmod(0o640)
    before = check_content(project)
    result = CliRunner().invoke(main, ["fix", "--root", str(project)])
    assert result.exit_code == 0, result.output
    rel = story.relative_to(project).as_posix()
    assert f"{rel}: đã sửa: bỏ BOM" in result.stdout
    raw = story.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and b" \n" not in raw
    assert stat.S_IMODE(story.stat().st_mode) == 0o640
    assert [p.name for p in story.parent.iterdir() if p.name.startswith(".")] == []
    after = check_content(project)
    assert after.content == before.content and after.problems == before.problems
    again = CliRunner().invoke(main, ["fix", "--check", "--root", str(project)])
    assert again.exit_code == 0 and again.stdout == ""


def test_only_named_files_are_fixed(project: Path) -> None:
    story = write_bad_story(project)
    unit = project / "content/units/xa-nam-tan.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "# ghi chú   \n", encoding="utf-8")
    rel = unit.relative_to(project).as_posix()
    result = CliRunner().invoke(main, ["fix", rel, "--root", str(project)])
    last = len(unit.read_text(encoding="utf-8").splitlines())
    assert result.stdout == f"{rel}: đã sửa: bỏ dấu cách cuối dòng (1 dòng)\n{rel}:{last}: đã sửa: bỏ dấu cách cuối dòng\n"
    assert story.read_bytes().startswith(b"\xef\xbb\xbf")


def test_unreadable_and_linked_files_are_left_for_a_person(project: Path) -> None:
    bad = project / "content/units/xa-nam-tan.yml"
    bad.write_bytes("name: Xã Nam Tân\n".encode("cp1258", "replace"))
    link = project / "content/units/lien-ket.yml"
    os.symlink(bad, link)
    result = CliRunner().invoke(main, ["fix", "--root", str(project)])
    assert result.exit_code == 1
    assert "content/units/lien-ket.yml: lỗi: là liên kết tượng trưng (symlink), không sửa" in result.stdout.splitlines()
    # A line's report starts "path:N:", as changes do: editors and terminals jump to it.
    assert "content/units/xa-nam-tan.yml:1: lỗi: tệp không phải UTF-8, không sửa; lưu lại với bảng mã UTF-8" in result.stdout.splitlines()
    assert bad.read_bytes() == "name: Xã Nam Tân\n".encode("cp1258", "replace")


def test_shipped_content_is_already_clean(root: Path) -> None:
    result = CliRunner().invoke(main, ["fix", "--check", "--root", str(root)])
    assert result.exit_code == 0, result.stdout


def test_check_gives_one_github_annotation_per_line(project: Path) -> None:
    story = write_bad_story(project)
    text = story.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    story.write_text(text + "Thêm " + NFD + ".\u00a0\n", encoding="utf-8", newline="\r\n")
    lines = text.split("\n")  # the last is the line added
    rel = story.relative_to(project).as_posix()
    result = CliRunner().invoke(main, ["fix", "--check", "--format", "github", "--root", str(project)])
    assert result.exit_code == 1
    blank, last = next(n for n, line in enumerate(lines, 1) if line.endswith(" ")), len(lines)
    assert result.stdout.splitlines() == [
        f"::error file={rel},title=GS113::Tệp cần đổi xuống dòng CRLF/CR thành LF — Chạy `guongsang fix`, hoặc lưu lại tệp với bảng mã UTF-8 (không BOM), xuống dòng kiểu LF.",
        f"::error file={rel},line={blank},title=GS113::Dòng cần bỏ dấu cách cuối dòng — Chạy `guongsang fix`, hoặc xóa dấu cách ở cuối dòng này.",
        f"::error file={rel},line={last},title=GS113::Dòng cần chuẩn hóa Unicode NFC; bỏ dấu cách cuối dòng — Chạy `guongsang fix`,"
        " hoặc gõ lại các chữ có dấu của dòng này (chữ dán từ Word hay PDF thường là dạng tổ hợp); xóa dấu cách ở cuối dòng này.",
    ]


def test_github_format_after_writing_names_only_what_a_person_must_fix(project: Path) -> None:
    write_bad_story(project)
    unit = project / "content/units/xa-nam-tan.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "honors:\n\t- year: 2017\n\t  title: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", "--format", "github", "--root", str(project)])
    assert result.exit_code == 1
    assert all(line.startswith("::error file=content/units/xa-nam-tan.yml,line=") for line in result.stdout.splitlines()), result.stdout
    assert "title=GS113::Thụt lề bằng tab lẫn dấu cách, không tự đổi được" in result.stdout


def test_notes_name_their_line_as_changes_do(project: Path) -> None:
    story = next(iter(sorted((project / "content/stories").rglob("*.md"))))
    rel = story.relative_to(project).as_posix()
    text = story.read_text(encoding="utf-8").rstrip("\n") + "\n"
    n = len(text.split("\n"))  # the first line appended
    story.write_text(text + "\nDòng một  \ndòng hai. \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", "--check", "--root", str(project)])
    assert result.stdout.splitlines() == [
        f"{rel}: cần sửa: bỏ dấu cách cuối dòng (1 dòng)",
        f"{rel}:{n + 2}: cần sửa: bỏ dấu cách cuối dòng",
        f"{rel}:{n + 1}: ghi chú: giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn",
    ]


def paste_paragraphs(story: Path, count: int, trailing: int) -> list[int]:
    """Append `count` paragraphs, the first `trailing` of them ending in a space; their line numbers."""
    text = story.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = len(text.split("\n")) + 1  # after one blank line
    paragraphs = [f"Đoạn dán số {i}." + (" " if i < trailing else "") for i in range(count)]
    story.write_text(text + "\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return [first + 2 * i for i in range(trailing)]


@pytest.mark.parametrize("trailing", [15, 9])
def test_a_file_with_many_lines_to_fix_is_one_github_annotation(project: Path, trailing: int) -> None:
    """GitHub shows 10 annotations a step: 15 pasted lines would hide 5 of them."""
    story = next(iter(sorted((project / "content/stories").rglob("*.md"))))
    rel = story.relative_to(project).as_posix()
    numbers = paste_paragraphs(story, 15, trailing)
    result = CliRunner().invoke(main, ["fix", "--check", "--format", "github", "--root", str(project)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file={rel},line={numbers[0]},title=GS113::{trailing} dòng cần sửa — bỏ dấu cách cuối dòng: dòng {', '.join(map(str, numbers))}"
        " — Chạy `guongsang fix`, hoặc sửa tay: xóa dấu cách ở cuối các dòng đó."
    ]


def test_eight_lines_to_fix_keep_an_annotation_each(project: Path) -> None:
    story = next(iter(sorted((project / "content/stories").rglob("*.md"))))
    rel = story.relative_to(project).as_posix()
    numbers = paste_paragraphs(story, 15, 8)
    result = CliRunner().invoke(main, ["fix", "--check", "--format", "github", "--root", str(project)])
    assert [line.split(",title=")[0] for line in result.stdout.splitlines()] == [f"::error file={rel},line={n}" for n in numbers]
