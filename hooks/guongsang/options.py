"""Command-line options shared by every `guongsang` command (kept apart from cli.py, which imports the commands)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .catalogue import Catalogue, build_catalogue
from .check import check_content
from .problems import format_problems
from .site import build_today


def _resolve_root(ctx: click.Context, param: click.Parameter, value: str | None) -> Path:
    return Path(value).resolve() if value else Path.cwd()


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    callback=_resolve_root,
    help="Thư mục dự án (chứa content/ và docs/); mặc định là thư mục hiện tại.",
)


def checked_catalogue(root: Path, refusal: str) -> Catalogue:
    """The catalogue as of the build's today, or exit 1 with the checker's errors and `refusal`."""
    result = check_content(root)
    if result.errors:
        click.echo(format_problems(result.errors), err=True)
        click.echo(refusal, err=True)
        sys.exit(1)
    return build_catalogue(result.content, today=build_today())
