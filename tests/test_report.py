"""The `guongsang report` command: CSV and Markdown exports of the statistics for a year or quarter."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.cli import main
from guongsang import report
from guongsang.report import COLUMNS, csv_cell

SOURCE = 'source:\n  title: "Nguồn thử"\n'


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def story(root: Path, slug: str, date: str, units: list[str], subject: str = "tap-the") -> None:
    extra = ""
    if subject == "ca-nhan":
        extra = "person:\n  name: Hoa\nconsent:\n  date: 2017-01-02\n  recorded_by: Ban Tuyên giáo\nillustrative: true\n"
    write(
        root / "content" / "stories" / date[:4] / f"{slug}.md",
        f"---\ntitle: Bài {slug}\ndate: {date}\nsummary: Tóm tắt bài {slug}.\nsubject: {subject}\n"
        f"units:\n" + "".join(f"  - {u}\n" for u in units) + extra + SOURCE
        + "author: Ban Tuyên giáo\nreviewer: Trưởng ban\nstatus: published\n---\n\nMột câu chuyện người tốt, việc tốt.\n",
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two communes (one with a name a spreadsheet would run as a formula), a school,
    four stories in 2017 and honors with and without a decision date."""
    root = tmp_path / "du-an"
    write(root / "content" / "settings.yml", "organisation: Ban Tuyên giáo Huyện ủy Thử\n")
    write(
        root / "content" / "units" / "xa-a.yml",
        "name: Xã An, Bình \"Mới\"\nkind: xa\nhonors:\n"
        "  - year: 2017\n    title: Tổ chức tốt\n    form: bang-khen\n    level: tinh\n    issuer: UBND tỉnh\n"
        "    decision:\n      number: 123/QĐ-UBND\n      date: 2017-05-19\n    " + SOURCE.replace("\n  ", "\n      ")
        + "  - year: 2017\n    title: Làm tốt chuyên đề\n    form: ghi-nhan\n    level: huyen\n    issuer: Huyện ủy\n    "
        + SOURCE.replace("\n  ", "\n      "),
    )
    write(root / "content" / "units" / "xa-b.yml", "name: \"=1+2 Xã Bắc\"\nkind: xa\n")
    write(root / "content" / "units" / "truong.yml", "name: Trường THPT Thử\nkind: truong-hoc\n")
    story(root, "mot", "2017-04-03", ["xa-a"])
    story(root, "hai", "2017-05-15", ["xa-a", "truong"])
    story(root, "ba", "2017-11-20", ["truong"], subject="ca-nhan")
    story(root, "bon", "2018-01-08", ["xa-b"])
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args], env={"GUONGSANG_TODAY": "2026-11-18"})
    return result.exit_code, result.stdout, result.stderr


def rows(text: str) -> list[list[str]]:
    # CliRunner's standard output is not a terminal: a CSV there starts with a BOM (tested below).
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_report_is_a_registered_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "report" in result.stdout
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    assert "--quarter" in result.stdout and "--format" in result.stdout


def test_csv_for_a_year(project: Path) -> None:
    code, out, _ = run("--year", "2017", "--root", str(project))
    assert code == 0
    table = rows(out)
    assert tuple(table[0]) == COLUMNS
    assert table[1:8] == [
        ["tong-hop", "2017", "bai-viet", "Bài viết đã công bố", "3"],
        ["tong-hop", "2017", "bai-tap-the", "Bài về tập thể", "2"],
        ["tong-hop", "2017", "bai-ca-nhan", "Bài về cá nhân", "1"],
        ["tong-hop", "2017", "don-vi-co-bai", "Đơn vị có bài viết", "2"],
        ["tong-hop", "2017", "don-vi-chua-co-bai", "Đơn vị chưa có bài viết", "1"],
        ["tong-hop", "2017", "khen-thuong", "Lượt khen thưởng, ghi nhận còn hiệu lực", "2"],
        ["tong-hop", "2017", "khen-thuong-thu-hoi", "Lượt khen thưởng đã thu hồi", "0"],
    ]
    months = [r for r in table if r[0] == "bai-theo-thang"]
    assert len(months) == 12
    assert months[3] == ["bai-theo-thang", "2017", "2017-04", "Tháng 4/2017", "1"]
    assert [r for r in table if r[0] == "bai-theo-don-vi"] == [
        ["bai-theo-don-vi", "2017", "truong", "Trường THPT Thử", "2"],
        ["bai-theo-don-vi", "2017", "xa-a", 'Xã An, Bình "Mới"', "2"],
    ]
    assert [r[2:] for r in table if r[0] == "khen-thuong-theo-cap"] == [
        ["trung-uong", "Trung ương", "0"], ["tinh", "Cấp tỉnh", "1"], ["huyen", "Cấp huyện", "1"], ["xa", "Cấp xã", "0"],
    ]
    assert [r[2] for r in table if r[0] == "khen-thuong-theo-hinh-thuc" and r[4] != "0"] == ["ghi-nhan", "bang-khen"]
    # A content name that starts like a formula is defused for spreadsheets.
    assert [r for r in table if r[0] == "don-vi-chua-co-bai"] == [
        ["don-vi-chua-co-bai", "2017", "xa-b", "'=1+2 Xã Bắc", "0"],
    ]


def test_csv_for_a_quarter_counts_only_dated_decisions(project: Path) -> None:
    code, out, _ = run("--year", "2017", "--quarter", "2", "--root", str(project))
    assert code == 0
    table = {(r[0], r[2]): r for r in rows(out)[1:]}
    assert {r[1] for r in rows(out)[1:]} == {"2017-Q2"}
    assert table["tong-hop", "bai-viet"][4] == "2"
    assert table["tong-hop", "khen-thuong"][4] == "1"  # the Bằng khen of 19/05/2017
    assert table["tong-hop", "khen-thuong-khong-ngay"][4] == "1"  # the undated ghi nhận
    assert [k for (f, k) in table if f == "bai-theo-thang"] == ["2017-04", "2017-05", "2017-06"]


def test_markdown_report(project: Path) -> None:
    code, out, _ = run("--year", "2017", "--quarter", "4", "--format", "md", "--root", str(project))
    assert code == 0
    assert out.startswith("# Báo cáo số liệu Gương Sáng: Quý IV năm 2017\n\nBan Tuyên giáo Huyện ủy Thử. Số liệu tính đến ngày 18/11/2026:")
    assert "| Bài viết đã công bố | 1 |" in out
    assert "## Bài viết theo đơn vị\n\n| Đơn vị | Số lượng |\n|---|---:|\n| Trường THPT Thử | 1 |\n" in out
    assert "## Đơn vị chưa có bài viết\n\n- =1+2 Xã Bắc (`xa-b`)\n- Xã An, Bình &#34;Mới&#34; (`xa-a`)\n" in out


def test_csv_file_is_utf8_with_a_byte_order_mark_like_the_site_csvs(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.csv"
    code, out, err = run("--year", "2018", "--output", str(target), "--root", str(project))
    assert code == 0 and out == ""
    assert "Đã ghi báo cáo (Năm 2018)" in err
    data = target.read_bytes()
    assert data[:3] == b"\xef\xbb\xbf"  # Excel then reads UTF-8, not the Windows code page
    assert data[3:].startswith(b"chi_so,ky,ma,ten,so_luong\r\n")  # RFC 4180 line ends
    assert rows(data.decode("utf-8-sig"))[1] == ["tong-hop", "2018", "bai-viet", "Bài viết đã công bố", "1"]


def test_csv_redirected_to_a_file_has_a_byte_order_mark_on_a_terminal_none(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `guongsang report … > bao-cao.csv`: standard output is a file, bound for Excel.
    result = CliRunner().invoke(main, ["report", "--year", "2018", "--root", str(project)], env={"GUONGSANG_TODAY": "2026-11-18"})
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"\xef\xbb\xbfchi_so,ky,ma,ten,so_luong\r\n")
    monkeypatch.setattr(report, "writes_to_terminal", lambda: True)
    code, out, _ = run("--year", "2018", "--root", str(project))
    assert code == 0 and out.startswith("chi_so,")


def test_markdown_file_and_standard_output_have_no_byte_order_mark(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.md"
    code, _, _ = run("--year", "2018", "--format", "md", "--output", str(target), "--root", str(project))
    assert code == 0 and target.read_bytes().startswith("# Báo cáo".encode("utf-8"))
    code, out, _ = run("--year", "2018", "--format", "md", "--root", str(project))
    assert code == 0 and out.startswith("# Báo cáo")


def test_report_refuses_content_with_errors(project: Path) -> None:
    story(project, "loi", "2017-06-01", ["khong-co"])
    code, out, err = run("--year", "2017", "--root", str(project))
    assert code == 1 and out == ""
    assert "GS301" in err and "chưa lập được báo cáo" in err


def test_report_rejects_a_fifth_quarter(project: Path) -> None:
    code, _, err = run("--year", "2017", "--quarter", "5", "--root", str(project))
    assert code == 2 and "--quarter" in err


@pytest.mark.parametrize(
    "value, cell",
    [("=SUM(A1)", "'=SUM(A1)"), ("+84", "'+84"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("Xã An", "Xã An"), ("", "")],
)
def test_csv_cell_defuses_formulas(value: str, cell: str) -> None:
    assert csv_cell(value) == cell
