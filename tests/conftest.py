"""Shared fixtures: the project root, scratch projects, and one built copy of the sample site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The sample site is built as of a fixed day, whatever the clock says.
FIXED_EPOCH = "1795000000"  # 2026-11-18


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project's content, docs and config, to edit freely."""
    for name in ("content", "docs", "overrides"):
        shutil.copytree(ROOT / name, dest / name, symlinks=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "hooks").mkdir()
    shutil.copy2(ROOT / "hooks" / "mkdocs_hooks.py", dest / "hooks" / "mkdocs_hooks.py")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def mkdocs_build(project_dir: Path, site_dir: Path, *, env: dict | None = None, strict: bool = True) -> subprocess.CompletedProcess:
    """`mkdocs build`, never with --quiet: MkDocs then makes no warning records, and --strict has nothing to count."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    args = [sys.executable, "-m", "mkdocs", "build", "-f", str(project_dir / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.insert(4, "--strict")
    return subprocess.run(args, capture_output=True, text=True, env=environment, cwd=project_dir)


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample content, built once per test session with --strict."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir
