"""Repository automation: workflows, pre-commit and templates are valid, and the commands they call exist and pass."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from guongsang.cli import main
from guongsang.diff import MARKER
from guongsang.reference import CORRECTION_ISSUE, DAILY_REBUILD, PREVIEW_ARTIFACT

WORKFLOWS = ("pull-request.yml", "publish.yml", "tests.yml")


def load(root: Path, rel: str) -> dict:
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for job in workflow["jobs"].values() for step in job.get("steps", ()) for line in step.get("run", "").splitlines()]


def guongsang_commands(lines: list[str]) -> list[list[str]]:
    """Argument lists of every `guongsang …` line, shell redirections cut off."""
    out = []
    for line in lines:
        if line.startswith("guongsang "):
            args = shlex.split(line.split(" > ")[0].replace('"$BASE_REF"', "origin/main").replace('"$BEFORE"', "HEAD~1"))
            out.append(args[1:])
    return out


def resolve(args: list[str]) -> click.Context:
    """Parse a command line as `guongsang` would, without running it: unknown commands or options fail."""
    ctx = main.make_context("guongsang", list(args), resilient_parsing=True)
    name, command, rest = main.resolve_command(ctx, list(args))
    assert command is not None, args
    assert not isinstance(command, click.Group), "the automation calls leaf commands only"
    return command.make_context(name, rest, parent=ctx)


def test_pull_request_workflow(root: Path) -> None:
    wf = load(root, ".github/workflows/pull-request.yml")
    assert triggers(wf) == {"pull_request": {"branches": ["main"]}}
    assert wf["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert list(wf["jobs"]) == ["check"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(wf, "check")]
    assert uses.count("actions/checkout") == 1
    checkout = steps(wf, "check")[0]
    assert checkout["with"]["fetch-depth"] == 0  # the diff needs the base branch
    assert {"actions/setup-python", "actions/github-script", "actions/upload-artifact"} <= set(uses)
    lines = run_lines(wf)
    assert 'guongsang check --format github --base "$BASE_REF"' in lines
    assert "guongsang fix --check --format github" in lines  # one annotation per line to fix
    assert "mkdocs build --strict --site-dir site" in lines
    assert 'guongsang diff "$BASE_REF" > diff.md' in lines
    assert wf["env"]["BASE_REF"] == "origin/${{ github.base_ref }}"
    script = next(s for s in steps(wf, "check") if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert f'const marker = "{MARKER}";' in script
    assert "if (!body.startsWith(marker)) {" in script  # an empty or failed summary is never posted


def step_running(workflow: dict, job: str, line: str) -> dict:
    return next(s for s in steps(workflow, job) if line in [x.strip() for x in s.get("run", "").splitlines()])


def test_pull_request_keeps_building_after_a_failed_check(root: Path) -> None:
    """A whitespace nit found by `fix --check` must not hide the build's errors, the summary or the preview."""
    wf = load(root, ".github/workflows/pull-request.yml")
    check = steps(wf, "check")
    first = check.index(step_running(wf, "check", 'guongsang check --format github --base "$BASE_REF"'))
    for step in check[first + 1 :]:
        assert "!cancelled()" in step.get("if", ""), step["name"]
    diff = step_running(wf, "check", 'guongsang diff "$BASE_REF" > diff.md')
    for step in check[check.index(diff) + 1 :]:
        if step.get("uses", "").startswith("actions/upload-artifact"):
            continue
        assert f"steps.{diff['id']}.outcome == 'success'" in step["if"], step["name"]


def test_pull_request_uploads_a_preview_with_the_stories_under_review(root: Path) -> None:
    wf = load(root, ".github/workflows/pull-request.yml")
    preview = step_running(wf, "check", "mkdocs build --strict --site-dir preview")
    assert preview["env"] == {"GUONGSANG_PREVIEW": "1"}
    # Staff have no web server: the preview is copied to open from disk (tests/test_offline.py opens it).
    disk = step_running(wf, "check", "guongsang offline-copy preview ban-xem-truoc")
    assert f"steps.{preview['id']}.outcome == 'success'" in disk["if"]
    artifact = next(s for s in steps(wf, "check") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert artifact["with"]["path"] == "ban-xem-truoc/"
    assert artifact["with"]["name"] == PREVIEW_ARTIFACT
    assert f"steps.{disk['id']}.outcome == 'success'" in artifact["if"]
    # The zip holds the copy's files at its top: the step says to open index.html, no server.
    assert "nhấp đúp index.html" in artifact["name"] and "http.server" not in artifact["name"]


def test_publish_workflow(root: Path) -> None:
    wf = load(root, ".github/workflows/publish.yml")
    on = triggers(wf)
    assert on["push"] == {"branches": ["main"]}
    assert on["schedule"] == [{"cron": "5 17 * * *"}]  # 00:05 in Vietnam, UTC+7
    assert "workflow_dispatch" in on
    # Writing to Pages only where nothing of the project runs: not in the build.
    assert wf["permissions"] == {"contents": "read"}
    assert "permissions" not in wf["jobs"]["build"]
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert list(wf["jobs"]) == ["build", "deploy"]
    for name in ("build", "deploy"):
        assert wf["jobs"][name]["timeout-minutes"] <= 20, name
    assert wf["jobs"]["deploy"]["needs"] == "build"
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(wf, "deploy")] == ["actions/deploy-pages"]
    lines = run_lines(wf)
    assert 'echo "GUONGSANG_TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)" >> "$GITHUB_ENV"' in lines
    assert 'echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"' in lines
    assert "mkdocs build --strict --site-dir site" in lines
    assert "actions/upload-pages-artifact" in [s.get("uses", "").split("@")[0] for s in steps(wf, "build")]
    assert steps(wf, "build")[0]["with"]["fetch-depth"] == 0  # the commit before the push, to compare with


def test_the_guide_gives_the_daily_rebuild_time_of_the_cron(root: Path) -> None:
    minute, hour, *_ = triggers(load(root, ".github/workflows/publish.yml"))["schedule"][0]["cron"].split()
    vietnam = (int(hour) * 60 + int(minute) + 7 * 60) % (24 * 60)  # UTC+7, no daylight saving
    assert f"{vietnam // 60:02d}:{vietnam % 60:02d}" == DAILY_REBUILD


def run_publish_check(root: Path, repo: Path, before: str) -> list[str]:
    """The publish workflow's check step, in a scratch git repository, with a stand-in `guongsang` that prints its arguments."""
    script = step_running(load(root, ".github/workflows/publish.yml"), "build", "guongsang check --format github")["run"]
    bin_dir = repo / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "guongsang").write_text('#!/bin/sh\necho "guongsang $*"\n', encoding="utf-8")
    (bin_dir / "guongsang").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "BEFORE": before, "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_publish_compares_a_push_with_the_commit_before_it(root: Path, tmp_path: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    before = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    assert run_publish_check(root, tmp_path, before) == [f"guongsang check --format github --base {before}"]
    assert run_publish_check(root, tmp_path, "") == ["guongsang check --format github"]  # the daily run
    assert run_publish_check(root, tmp_path, "0" * 40) == ["guongsang check --format github"]  # a new branch
    lost = run_publish_check(root, tmp_path, "1" * 40)  # history pushed over: said, not hidden
    assert lost[0].startswith("::warning title=GS702::") and lost[1:] == ["guongsang check --format github"]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_action_is_pinned_to_a_major_version(root: Path, name: str) -> None:
    wf = load(root, f".github/workflows/{name}")
    for job in wf["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
            assert step.get("name"), step


def test_commands_in_workflows_and_hooks_exist(root: Path) -> None:
    lines = [line for name in WORKFLOWS for line in run_lines(load(root, f".github/workflows/{name}"))]
    hooks = load(root, ".pre-commit-config.yaml")["repos"][0]["hooks"]
    lines += [hook["entry"] for hook in hooks]
    commands = guongsang_commands(lines)
    assert sorted({tuple(c[:1]) for c in commands}) == [("check",), ("diff",), ("fix",), ("offline-copy",), ("schema",)]
    for args in commands:
        resolve(args)


@pytest.mark.parametrize(
    "args",
    [["check", "--format", "github"], ["fix", "--check"], ["schema", "--check"]],
    ids=lambda a: " ".join(a),
)
def test_workflow_commands_pass_on_the_shipped_content(root: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--root", str(root)])
    assert result.exit_code == 0, result.output
    if args[0] == "check":
        assert result.stdout == ""  # no annotation: nothing wrong


def test_pre_commit_hooks(root: Path) -> None:
    config = load(root, ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hooks = {h["id"]: h for h in repo["hooks"]}
    assert list(hooks) == ["guongsang-fix", "guongsang-check", "guongsang-schema"]
    assert all(h["language"] == "system" for h in hooks.values())
    fix = re.compile(hooks["guongsang-fix"]["files"])
    for path in ("content/stories/2017/x.md", "content/units/xa-a.yml", "content/topics.yaml", "docs/gioi-thieu.md"):
        assert fix.search(path), path
    for path in ("docs/assets/stylesheets/guongsang.css", "hooks/guongsang/cli.py", "README.md"):
        assert not fix.search(path), path
    assert hooks["guongsang-check"]["pass_filenames"] is False


def test_templates_and_owners_exist(root: Path) -> None:
    template = (root / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "## Danh sách kiểm tra khi duyệt" in template
    owners = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    patterns = [line.split()[0] for line in owners.splitlines() if line.strip() and not line.startswith("#")]
    assert "/content/" in patterns
    for pattern in patterns:
        assert list(root.glob(pattern.strip("/"))), pattern
    # Everything that runs or builds has an owner, not only the code.
    for path in ("Makefile", ".ci/run", ".pre-commit-config.yaml", "package.json", "package-lock.json", "hooks/mkdocs_hooks.py"):
        assert any(path == p.strip("/") or path.startswith(p.strip("/") + "/") or Path(path).match(p.strip("/")) for p in patterns), path


def test_a_correction_has_an_issue_template_the_guide_names(root: Path) -> None:
    template = (root / ".github/ISSUE_TEMPLATE/de-nghi-dinh-chinh.md").read_text(encoding="utf-8")
    front = yaml.safe_load(template.split("---\n")[1])
    assert front["name"] == CORRECTION_ISSUE
    for heading in ("## Bài cần đính chính", "## Chỗ sai", "## Nội dung đúng", "## Nguồn chứng minh"):
        assert heading in template


def test_the_test_suite_runs_on_pull_requests_and_main(root: Path) -> None:
    """The same entry point as CI: .ci/run installs what the tests need and calls make test."""
    wf = load(root, ".github/workflows/tests.yml")
    on = triggers(wf)
    assert on["pull_request"]["branches"] == ["main"] and on["push"]["branches"] == ["main"]
    assert "bash .ci/run" in run_lines(wf)
    assert wf["jobs"]["test"]["container"].startswith("debian:")  # Debian's chromium, never a downloaded one
    assert "make test" in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1]
