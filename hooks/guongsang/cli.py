"""The `guongsang` command line: check, new, schema, diff, fix, report, schedule."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import click

from .check import CheckResult, check_content
from .problems import Problem, format_problems
from .options import root_option
from .site import build_today

# Commands that live in their own modules, each exporting `command`.
COMMAND_MODULES: tuple[str, ...] = ("report", "cli_new", "schema", "diff", "fixer", "cli_schedule")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Gương Sáng — công cụ biên tập nội dung người tốt, việc tốt."""


@main.command()
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: cho người đọc; json: cho máy; github: chú thích trong pull request.",
)
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="So với bản git REF (ví dụ origin/main): báo đường dẫn đã công bố bị mất mà không chuyển hướng (GS702).",
)
def check(root: Path, fmt: str, base: str | None) -> None:
    """Kiểm tra toàn bộ nội dung; thoát với mã 1 nếu có lỗi."""
    today = build_today()
    result = check_content(root, today=today)
    if base:
        add_lost_urls(result, root, base, today)
    output = format_problems(result.problems, fmt)
    if output:
        click.echo(output)
    if fmt == "text":
        c = result.content
        click.echo(
            f"Đã kiểm tra {len(c.stories)} bài, {len(c.units)} đơn vị, {len(c.topics)} chuyên đề, "
            f"{len(c.directives)} văn bản: {len(result.errors)} lỗi, {len(result.warnings)} cảnh báo.",
            err=True,
        )
    sys.exit(1 if result.errors else 0)


def add_lost_urls(result: CheckResult, root: Path, base: str, today: dt.date) -> None:
    """GS702 from comparing with git ref base; imported here because diff.py reads git."""
    from .diff import DiffError, lost_urls_since

    try:
        lost = lost_urls_since(root, base, today=today)
    except DiffError as error:
        click.echo(f"Lỗi: {error}", err=True)
        sys.exit(2)
    result.problems = sorted(result.problems + lost, key=Problem.sort_key)


for _name in COMMAND_MODULES:
    main.add_command(importlib.import_module(f"{__package__}.{_name}").command)
