"""Problems in the editor as one types: `guongsang check --watch` and the VS Code task that
reads it (.vscode/tasks.json, written by `guongsang schema`). Story front matter sits in
Markdown, which the YAML extension does not read: this is how the editor checks it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from guongsang.cli import watch_content
from guongsang.problems import WATCH_DONE, WATCH_START
from guongsang.schema import PROBLEM_ERROR, PROBLEM_WARNING, render_files, vscode_tasks


def story_of(project: Path) -> Path:
    return sorted((project / "content" / "stories").rglob("*.md"))[0]


def test_watching_checks_again_after_a_save_and_marks_each_round(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = story_of(project)
    rounds = []

    def sleep(_: float) -> None:
        rounds.append(None)
        if len(rounds) == 1:  # the editor saves a mistake in the front matter
            story.write_text(story.read_text(encoding="utf-8").replace("title:", "tittle:", 1), encoding="utf-8")
        elif len(rounds) == 3:  # nothing changed in between: no third round
            raise KeyboardInterrupt

    watch_content(project, "text", interval=0, sleep=sleep)
    out = capsys.readouterr().out.splitlines()
    starts = [i for i, line in enumerate(out) if line == WATCH_START]
    ends = [i for i, line in enumerate(out) if line.startswith(WATCH_DONE)]
    assert len(starts) == len(ends) == 2
    first, second = out[starts[0] : ends[0] + 1], out[starts[1] : ends[1] + 1]
    assert first[-1] == f"{WATCH_DONE}: 0 lỗi, 0 cảnh báo."
    rel = story.relative_to(project).as_posix()
    assert any(line.startswith(f"{rel}:") and "tittle" in line for line in second)
    assert second[-1].startswith(f"{WATCH_DONE}: ") and "0 lỗi" not in second[-1]


def js_regexp(pattern: str) -> re.Pattern:
    return re.compile(pattern)  # these patterns use nothing JavaScript and Python read differently


@pytest.mark.parametrize(
    ("line", "severity", "code"),
    [
        ("content/stories/2017/a.md:3: tittle: Trường 'tittle' không được biết [GS202] — Sửa thành 'title'.", "error", "GS202"),
        ("content/units/xa-a.yml:1: (tệp): Mã đơn vị 'index' trùng [GS215] — Đổi mã [x] — y.", "error", "GS215"),
        ("content/stories/2017/a.md:9: flag_ceremony: Đọc to mất 6 phút [GS601] (cảnh báo) — Rút gọn bài.", "warning", "GS601"),
    ],
)
def test_the_editor_reads_each_problem_line_once_with_its_severity(line: str, severity: str, code: str) -> None:
    error, warning = js_regexp(PROBLEM_ERROR).match(line), js_regexp(PROBLEM_WARNING).match(line)
    found = error if severity == "error" else warning
    other = warning if severity == "error" else error
    assert found is not None and other is None
    assert found.group(1) == line.split(":")[0] and found.group(5) == code
    assert found.group(3).startswith(line.split(": ", 1)[1][:10])


def test_the_task_starts_with_the_folder_and_waits_for_each_round() -> None:
    task = vscode_tasks()["tasks"][0]
    assert task["args"] == ["check", "--watch"] and task["isBackground"] and task["runOptions"]["runOn"] == "folderOpen"
    for matcher in task["problemMatcher"]:
        assert re.match(matcher["background"]["beginsPattern"], WATCH_START)
        assert re.match(matcher["background"]["endsPattern"], f"{WATCH_DONE}: 1 lỗi, 0 cảnh báo.")
    assert json.loads(render_files()[".vscode/tasks.json"]) == vscode_tasks()


def test_the_real_check_output_is_what_the_editor_reads(project: Path) -> None:
    from click.testing import CliRunner

    from guongsang.cli import main

    story = story_of(project)
    story.write_text(story.read_text(encoding="utf-8").replace("title:", "tittle:", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(project)])
    lines = [line for line in result.output.splitlines() if "[GS" in line]
    assert lines and all(js_regexp(PROBLEM_ERROR).match(line) or js_regexp(PROBLEM_WARNING).match(line) for line in lines)
    assert isinstance(main, click.Group)
