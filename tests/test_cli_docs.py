"""Every command and option of `guongsang` is documented in README.md, so the docs cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from guongsang.cli import main


def leaf_commands(group: click.Group = main, prefix: str = "guongsang") -> list[tuple[str, click.Command]]:
    out = []
    for name in sorted(group.commands):
        command = group.commands[name]
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out += leaf_commands(command, path)
        else:
            out.append((path, command))
    return out


COMMANDS = leaf_commands()


def section(readme: str, path: str) -> str | None:
    """The README text under the heading that names `path` in code, up to the next heading of its level or above."""
    lines = readme.splitlines()
    for i, line in enumerate(lines):
        heading = re.match(r"^(#+)\s", line)
        if heading and f"`{path}`" in line:
            level = len(heading.group(1))
            body = []
            for following in lines[i + 1 :]:
                other = re.match(r"^(#+)\s", following)
                if other and len(other.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body)
    return None


def documented_names(command: click.Command) -> list[str]:
    """What the README must show: every long option, and every argument as its metavar (TITLE)."""
    names = []
    for param in command.params:
        if isinstance(param, click.Option):
            names += [opt for opt in param.opts + param.secondary_opts if opt.startswith("--")]
        else:
            names.append(param.human_readable_name)
    return names


def test_commands_are_found() -> None:
    paths = [path for path, _ in COMMANDS]
    for expected in ("guongsang check", "guongsang new story", "guongsang new unit", "guongsang schema", "guongsang diff", "guongsang fix"):
        assert expected in paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_command_and_its_options_are_in_the_readme(root: Path, path: str, command: click.Command) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8") if (root / "README.md").is_file() else ""
    text = section(readme, path)
    assert text is not None, f"README.md has no heading naming `{path}`"
    missing = [name for name in documented_names(command) if name not in text]
    assert missing == [], f"README.md, section `{path}`, does not mention {missing}"
