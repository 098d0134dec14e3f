"""The `guongsang` command line: check, new, schema, diff, fix, report, schedule."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import time
from pathlib import Path
from typing import Callable

import click

from .check import CheckResult, check_content
from .problems import WATCH_DONE, WATCH_START, Problem, format_problems
from .options import root_option
from .parallel import parallel_possible
from .site import TodayError, build_today

# Commands that live in their own modules, each exporting `command`.
COMMAND_MODULES: tuple[str, ...] = ("report", "cli_new", "schema", "diff", "fixer", "cli_schedule", "offline")

# click's own words (usage, help, errors), in Vietnamese for every command. click
# looks each one up through gettext in its modules; those lookups go through
# `_say` instead, which falls back to the English for anything not listed.
CLICK_WORDS: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Did you mean {possibility}?": "Có phải {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải một trong: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số.",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng các dạng {formats}.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    # The type's own name ("Directory") is set before this table applies: left out.
    "{name} {filename!r} does not exist.": "{filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{filename!r} là tệp, cần thư mục.",
    "{name} {filename!r} is a directory.": "{filename!r} là thư mục, cần tệp.",
    "{name} {filename!r} is not readable.": "{filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{filename!r} không ghi được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Aborted!": "Đã dừng.",
    "Error: invalid input": "Lỗi: giá trị không hợp lệ",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
}


def _say(message: str) -> str:
    return CLICK_WORDS.get(message, message)


def _say_n(singular: str, plural: str, n: int) -> str:
    return _say(singular if n == 1 else plural)


for _module in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
    _clicks = importlib.import_module(f"click.{_module}")
    if hasattr(_clicks, "_"):
        _clicks._ = _say
    if hasattr(_clicks, "ngettext"):
        _clicks.ngettext = _say_n


class Commands(click.Group):
    """The `guongsang` group: a wrong GUONGSANG_TODAY, in any command, is one line in Vietnamese and exit 2."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except TodayError as error:
            click.echo(f"Lỗi: {error}", err=True)
            ctx.exit(2)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--watch",
    is_flag=True,
    help="Kiểm tra lại mỗi khi một tệp trong content/ đổi (Ctrl+C để dừng); VS Code dùng nó để hiện lỗi ngay khi lưu tệp.",
)
def check(root: Path, fmt: str, base: str | None, watch: bool) -> None:
    """Kiểm tra toàn bộ nội dung; thoát với mã 1 nếu có lỗi."""
    require_content(root)
    if watch:
        watch_content(root, fmt)
        return
    today = build_today()
    result = check_content(root, today=today, parallel=parallel_possible())
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




def content_state(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under content/ with its size and modification time: a change to any shows."""
    found = []
    for path in sorted((root / "content").rglob("*")):
        try:
            info = path.lstat()
        except OSError:  # gone since it was listed
            continue
        found.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(found)


def watch_content(root: Path, fmt: str, *, interval: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> None:
    """Check, then check again whenever a file under content/ changes, until Ctrl+C.
    Each round's problems come between WATCH_START and WATCH_DONE lines, so that an
    editor (VS Code's background task, .vscode/tasks.json) replaces the last round's.
    Unchanged files are not parsed again (the cache `mkdocs serve` uses)."""
    previous: dict = {}
    state = None
    try:
        while True:
            now = content_state(root)
            if now != state:
                state = now
                click.echo(WATCH_START)
                result = check_content(root, previous, today=build_today())
                previous = dict(result.files)
                output = format_problems(result.problems, fmt)
                if output:
                    click.echo(output)
                click.echo(f"{WATCH_DONE}: {len(result.errors)} lỗi, {len(result.warnings)} cảnh báo.")
            sleep(interval)
    except KeyboardInterrupt:
        return


def require_content(root: Path) -> None:
    """Exit 2 when root has no content/: checking nothing must not pass as "0 lỗi"."""
    if (root / "content").is_dir():
        return
    project = next((p for p in root.parents if (p / "content").is_dir() and (p / "mkdocs.yml").is_file()), None)
    hint = f" Thư mục dự án có vẻ là {project}: chạy lệnh ở đó hoặc thêm --root {project}." if project else " Chạy lệnh ở thư mục dự án (nơi có content/ và mkdocs.yml) hoặc dùng --root <thư mục dự án>."
    click.echo(f"Lỗi: Không thấy thư mục content/ trong {root}.{hint}", err=True)
    sys.exit(2)


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
