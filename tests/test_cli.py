"""The command line speaks Vietnamese: click's own usage and errors, a wrong GUONGSANG_TODAY, one problem per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.cli import main
from guongsang.problems import Problem

from minimal import STORY, write_minimal


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["report"], "Lỗi: Thiếu tùy chọn '--year'."),
        (["report", "--year", "abc"], "Lỗi: Giá trị không hợp lệ cho '--year': 'abc' không phải là số."),
        (["check", "--format", "xml"], "Lỗi: Giá trị không hợp lệ cho '--format': 'xml' không phải một trong"),
        (["chek"], "Lỗi: Không có lệnh 'chek'."),
        (["check", "--root", "/khong/co"], "'/khong/co' không tồn tại."),
        (["new", "unit"], "Lỗi: Thiếu đối số 'NAME'."),
    ],
)
def test_click_errors_are_in_vietnamese(args: list[str], says: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="guongsang")
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Cách dùng: guongsang" in result.stderr and "Xem hướng dẫn: 'guongsang" in result.stderr
    assert "Error" not in result.stderr and "Usage" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["new", "--help"], ["report", "--help"]])
def test_help_is_in_vietnamese(args: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="guongsang")
    assert result.exit_code == 0
    assert result.stdout.startswith("Cách dùng: guongsang")
    assert "Hiện hướng dẫn này rồi thoát." in result.stdout
    assert "Show this message" not in result.stdout and "Options:" not in result.stdout


@pytest.mark.parametrize("command", [["check"], ["report", "--year", "2017"], ["new", "story", "Tin vui", "-u", "xa-dong-hoa"]])
def test_a_wrong_today_is_one_vietnamese_line(tmp_path: Path, command: list[str]) -> None:
    write_minimal(tmp_path)
    result = CliRunner().invoke(main, [*command, "--root", str(tmp_path)], env={"GUONGSANG_TODAY": "2017-02-30"})
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: GUONGSANG_TODAY='2017-02-30' không phải một ngày có thật dạng YYYY-MM-DD (ví dụ 2017-05-19); sửa hoặc bỏ biến này.\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_problem_is_one_line_with_line_and_field(tmp_path: Path) -> None:
    """A newline in a link is written out; a problem with the whole file gets line 1, field "(tệp)"."""
    write_minimal(tmp_path, {"content/stories/2017/xa-dong-hoa.md": STORY + '\n<a href="java\nscript:alert(1)">x</a>\n', "content/ghi-chu.txt": "x"})
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("content/ghi-chu.txt:1: (tệp): Trong content/ không có chỗ cho tệp 'ghi-chu.txt'")
    assert lines[1].startswith("content/stories/2017/xa-dong-hoa.md:23: body: Liên kết 'java\\nscript:alert(1)' không an toàn [GS409]")


def test_a_problem_never_spans_two_lines() -> None:
    problem = Problem("content/units/a.yml", 0, "", "GS112", "Tên 'a\nb\tc\x07'")
    assert problem.format() == (
        "content/units/a.yml:1: (tệp): Tên 'a\\nb\\tcU+0007' [GS112] — " + problem.hint
    )
