"""Repository automation: workflows, pre-commit and templates are valid, and the commands they call exist and pass."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from guongsang.cli import main
from guongsang.diff import MARKER

WORKFLOWS = ("pull-request.yml", "publish.yml")


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
            args = shlex.split(line.split(" > ")[0].replace('"$BASE_REF"', "origin/main"))
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
    assert "mkdocs build --strict --site-dir site" in lines
    assert 'guongsang diff "$BASE_REF" > diff.md' in lines
    assert wf["env"]["BASE_REF"] == "origin/${{ github.base_ref }}"
    script = next(s for s in steps(wf, "check") if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert f'const marker = "{MARKER}";' in script
    artifact = next(s for s in steps(wf, "check") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert artifact["with"]["path"] == "site/"


def test_publish_workflow(root: Path) -> None:
    wf = load(root, ".github/workflows/publish.yml")
    on = triggers(wf)
    assert on["push"] == {"branches": ["main"]}
    assert on["schedule"] == [{"cron": "5 17 * * *"}]  # 00:05 in Vietnam, UTC+7
    assert "workflow_dispatch" in on
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert list(wf["jobs"]) == ["build", "deploy"]
    assert wf["jobs"]["deploy"]["needs"] == "build"
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(wf, "deploy")] == ["actions/deploy-pages"]
    lines = run_lines(wf)
    assert 'echo "GUONGSANG_TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)" >> "$GITHUB_ENV"' in lines
    assert 'echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"' in lines
    assert "mkdocs build --strict --site-dir site" in lines
    assert "actions/upload-pages-artifact" in [s.get("uses", "").split("@")[0] for s in steps(wf, "build")]


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
    assert sorted({tuple(c[:1]) for c in commands}) == [("check",), ("diff",), ("fix",), ("schema",)]
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
        assert (root / pattern.strip("/")).exists(), pattern
