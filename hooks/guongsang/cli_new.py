"""`guongsang new story|unit`: scaffold a content file that passes the checker, and say where it is."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import fields as F
from .load import load_content
from .scaffold import ScaffoldError, Scaffold, plan_story, plan_unit, write_scaffold
from .site import build_today
from .options import root_option

def _write(root: Path, plan) -> None:  # noqa: ANN001
    content, _ = load_content(root)
    try:
        scaffold: Scaffold = plan(root, content)
        write_scaffold(root, scaffold)
    except ScaffoldError as error:
        click.echo(f"Lỗi: {error}", err=True)
        for problem in error.problems:
            click.echo(problem.format(), err=True)
        sys.exit(1)
    # The path alone on stdout, so scripts can open it; the advice on stderr.
    click.echo(scaffold.path)
    click.echo("Đã tạo tệp. Điền các dòng 'Cần viết: …' và các trường còn thiếu (xem «Hướng dẫn biên tập»), rồi chạy `guongsang check`.", err=True)


def ask_units() -> tuple[str, ...]:
    """Ask at the terminal; a story needs its units, and a guessed one would be wrong data."""
    try:
        answer = click.prompt("Mã đơn vị của bài (tên tệp trong content/units/, nhiều mã cách nhau dấu phẩy)", err=True)
    except click.Abort:
        click.echo("\nLỗi: Cần ít nhất một đơn vị: --unit <mã>.", err=True)
        sys.exit(1)
    return tuple(u.strip() for u in answer.split(",") if u.strip())


@click.group("new")
def command() -> None:
    """Tạo tệp nội dung mới (bài, đơn vị) hợp lệ, tên tệp lấy từ tiêu đề."""


@command.command("story")
@click.argument("title")
@click.option("--unit", "-u", "units", multiple=True, help="Mã đơn vị của bài (content/units/<mã>.yml); ghi nhiều lần nếu bài có nhiều đơn vị. Bỏ trống thì được hỏi.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Ngày đăng YYYY-MM-DD; mặc định là hôm nay.")
@click.option("--author", default=None, help="Người viết; mặc định là cơ quan ghi trong content/settings.yml.")
@root_option
def story(title: str, units: tuple[str, ...], day, author: str | None, root: Path) -> None:  # noqa: ANN001
    """Tạo bản nháp một bài về tập thể: content/stories/<năm>/<slug>.md."""
    when = day.date() if day else build_today()
    if not units:
        units = ask_units()
    units = tuple(dict.fromkeys(units))  # "-u a -u a" is one unit
    _write(
        root,
        lambda base, content: plan_story(
            base, content, title=title, day=when, units=units, author=author or content.settings.organisation
        ),
    )


@command.command("unit")
@click.argument("name")
@click.option("--kind", type=click.Choice(F.UNIT_KINDS), default=None, help="Loại đơn vị; bỏ trống nếu tên đã nói rõ (Xã, Phường, Thị trấn, Chi bộ…).")
@click.option("--parent", default="", help="Mã đơn vị cấp trên trực tiếp.")
@root_option
def unit(name: str, kind: str | None, parent: str, root: Path) -> None:
    """Tạo một đơn vị: content/units/<mã>.yml."""
    _write(root, lambda base, content: plan_unit(base, content, name=name, kind=kind or "", parent=parent))
