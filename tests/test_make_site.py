"""`make site`: a failed build, or a build with a warning, leaves the previous site in place."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT, copy_project

VENV = ROOT / ".venv"

pytestmark = pytest.mark.skipif(not (VENV / "bin" / ".installed").exists() or shutil.which("make") is None,
                                reason="needs the project's virtual environment and make")


def make_site(project: Path) -> subprocess.CompletedProcess:
    # The project's own environment is used as it is: -o keeps make from reinstalling it.
    args = ["make", "-s", "site", f"VENV={VENV}", "-o", f"{VENV}/bin/.installed", f"SOURCE_DATE_EPOCH={FIXED_EPOCH}"]
    environment = {**os.environ, "GUONGSANG_JOBS": "1"}
    return subprocess.run(args, cwd=project, capture_output=True, text=True, env=environment)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("make") / "project")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    result = make_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def any_story(project: Path) -> Path:
    return sorted((project / "content" / "stories").rglob("*.md"))[0]


def site_snapshot(project: Path) -> dict[str, bytes]:
    site = project / "site"
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_make_site_builds_into_site(made: Path) -> None:
    assert (made / "site" / "index.html").is_file()
    assert (made / "site" / "bai-viet" / "index.html").is_file()
    assert not (made / ".site-new").exists()


@pytest.mark.parametrize(("breakage", "expected"), [
    # A content error: the checker stops the build.
    (lambda text: text.replace("title:", "tittle:", 1), "GS"),
    # A warning only (a link to a page that does not exist): --strict must still stop it.
    (lambda text: text + "\n\nXem thêm [trang không có](../khong-co-trang-nay.md).\n", "khong-co-trang-nay.md"),
])
def test_failed_build_leaves_previous_site(made: Path, breakage, expected: str) -> None:
    before = site_snapshot(made)
    story = any_story(made)
    original = story.read_text(encoding="utf-8")
    story.write_text(breakage(original), encoding="utf-8")
    try:
        result = make_site(made)
    finally:
        story.write_text(original, encoding="utf-8")
    assert result.returncode != 0, "make site passed a broken build"
    assert expected in result.stdout + result.stderr
    assert site_snapshot(made) == before
    assert not (made / ".site-new").exists()  # the failed build is not left lying about
