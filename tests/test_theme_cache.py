"""Pieces of Material's page rendered once and reused (overrides/main.html: SiteBuild.cached
and cached_titled) make exactly the pages Material makes when it renders every piece itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench.bench import make_ours
from conftest import FIXED_EPOCH, ROOT, copy_project, files_of

# The same build with every cached piece rendered again on every page.
RENDER_EVERYTHING = """
import sys
import guongsang.site as site
site.SiteBuild.cached = lambda self, name, key, caller: caller()
site.SiteBuild.cached_titled = lambda self, name, key, title, caller: caller()
from mkdocs.__main__ import cli
cli(["build", "--strict", "-f", sys.argv[1], "-d", sys.argv[2]])
"""


def build(project: Path, site: Path, *, cached: bool) -> dict[str, bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1", "GUONGSANG_JOBS": "1"}
    if cached:
        script = ["-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    else:
        script = ["-c", RENDER_EVERYTHING, str(project / "mkdocs.yml"), str(site)]
    done = subprocess.run([sys.executable, *script], capture_output=True, text=True, env=env, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return files_of(site)


HOSTILE_TITLES = ['Bớt họp & thêm việc: "nói ít"', "Tác phong <b>công vụ</b> 'mỗi ngày'", '"><img src=x onerror=alert(1)>']


def with_hostile_titles(project: Path) -> Path:
    """Stories of one folder whose titles need escaping, after one that does not."""
    stories = sorted((project / "content" / "stories").rglob("*.md"))[1:1 + len(HOSTILE_TITLES)]
    for story, title in zip(stories, HOSTILE_TITLES):
        text = story.read_text(encoding="utf-8")
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        story.write_text(re.sub(r"^title: .*$", lambda _: f'title: "{quoted}"', text, count=1, flags=re.M), encoding="utf-8")
    return project


@pytest.mark.parametrize("which", ["shipped", "corpus", "hostile"])
def test_cached_theme_pieces_change_no_page(which: str, tmp_path: Path) -> None:
    if which == "shipped":
        project = ROOT
    elif which == "corpus":
        project = make_ours(tmp_path / "project", 40, units=20)
    else:
        project = with_hostile_titles(copy_project(tmp_path / "project"))
    made = build(project, tmp_path / "cached", cached=True)
    expected = build(project, tmp_path / "plain", cached=False)
    assert made.keys() == expected.keys()
    assert [name for name in made if made[name] != expected[name]] == []
    pages = [name for name in made if name.endswith("index.html") and b'data-md-component="header-topic"' in made[name]]
    assert len(pages) > 50


def test_the_title_goes_in_as_the_theme_writes_it() -> None:
    """MkDocs' template environment does not escape: our titles come escaped, and go in as they are."""
    import datetime as dt

    from guongsang.site import SiteBuild

    build_ = SiteBuild(root=ROOT, site_url="", today=dt.date(2026, 11, 18))
    header = '<nav><div data-md-component="header-topic"><span>{}</span></div><label>x</label></nav>'
    render = lambda title: lambda: header.format(title)  # noqa: E731
    first = build_.cached_titled("header", "bai-viet/2017/", "Xã Đồng Lạc", render("Xã Đồng Lạc"))
    escaped = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    second = build_.cached_titled("header", "bai-viet/2017/", escaped, render("never rendered"))
    assert first == header.format("Xã Đồng Lạc")
    assert second == header.format(escaped)
    # A title found twice after the marker cannot be told apart from the rest: never kept.
    twice = '<div data-md-component="header-topic">x</div><label>x</label>'
    assert build_.cached_titled("header", "don-vi/", "x", lambda: twice) == twice
    assert ("header", "don-vi/") not in build_.titled_pieces
