"""Command-line options shared by every `guongsang` command (kept apart from cli.py, which imports the commands)."""

from __future__ import annotations

from pathlib import Path

import click


def _resolve_root(ctx: click.Context, param: click.Parameter, value: str | None) -> Path:
    return Path(value).resolve() if value else Path.cwd()


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    callback=_resolve_root,
    help="Thư mục dự án (chứa content/ và docs/); mặc định là thư mục hiện tại.",
)
