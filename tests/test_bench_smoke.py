"""A tiny benchmark run: the synthetic corpus checks clean and builds with our hooks, and a dirty
rebuild in one process (as under `mkdocs serve --dirty`) rewrites only what an edit changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.bench import MAX_PEAK_MIB, Cost, Row, make_stock, table, verdicts
from bench.bench import make_ours as make_project
from conftest import FIXED_EPOCH, files_of, mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config

from guongsang.check import check_content

EDITED = "content/stories/2016/bai-mau-00001.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", 20, units=20)


def test_the_synthetic_corpus_checks_clean_and_builds(project: Path, tmp_path: Path) -> None:
    result = check_content(project)
    assert result.problems == []
    assert len(result.content.stories) == 20
    assert sum(s.subject == "ca-nhan" for s in result.content.stories) == 4
    site = tmp_path / "site"
    built = mkdocs_build(project, site)
    assert built.returncode == 0, built.stdout + built.stderr
    assert len(list(site.glob("bai-viet/20[0-9][0-9]/bai-mau-*/index.html"))) == 20
    # An old address (aliases) redirects to the story.
    assert "bai-mau-00007" in (site / "bai-viet" / "2022" / "bai-cu-00007" / "index.html").read_text(encoding="utf-8")


def test_the_stock_project_holds_the_same_story_files(project: Path, tmp_path: Path) -> None:
    stock = make_stock(tmp_path / "stock", project)
    ours = sorted(p.relative_to(project / "content" / "stories") for p in (project / "content" / "stories").glob("*/*.md"))
    theirs = sorted(p.relative_to(stock / "docs" / "bai-viet") for p in (stock / "docs" / "bai-viet").glob("*/*.md"))
    assert ours == theirs and len(ours) == 20
    assert (stock / "docs" / "bai-viet" / EDITED.removeprefix("content/stories/")).read_bytes() == (project / EDITED).read_bytes()
    assert "hooks" not in (stock / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_report_puts_ours_next_to_stock_with_the_ratio() -> None:
    rows = [
        Row(1000, Cost(0.5, 0.5, 60), Cost(20.0, 19.0, 200), Cost(10.0, 10.0, 90)),
        Row(10000, Cost(4.0, 3.9, 300), Cost(210.0, 200.0, 900), Cost(100.0, 100.0, 400), (31.25, 6.5)),
    ]
    assert table(rows)[2:] == [
        "1,000 | 0.5 | 20.0 | 200 | 10.0 | 90 | 2.00 | 19.0 | 10.0 | 1.90 | –",
        "10,000 | 4.0 | 210.0 | 900 | 100.0 | 400 | 2.10 | 200.0 | 100.0 | 2.00 | 31.2 (6.50)",
    ]
    assert verdicts(rows) == [
        "- build ≤ 1.15× stock at 10,000: 2.10× wall, 2.00× CPU — NOT MET",
        "- linear growth (10,000 vs 1,000: ≤ 11×): 10.5× wall, 10.5× CPU — met",
        "- check ≤ 5 s at 10,000: 4.0 s wall, 3.9 s CPU — met",
        f"- peak ≤ {MAX_PEAK_MIB} MiB at 10,000: 900 MiB — met",
    ]
    # Judged on the wall clock a two-core machine waits for; the second core's time shows in the CPU figure.
    rows[-1] = Row(10000, Cost(4.5, 7.2, 300), Cost(110.0, 190.0, 900), Cost(100.0, 100.0, 400))
    assert verdicts(rows)[0] == "- build ≤ 1.15× stock at 10,000: 1.10× wall, 1.90× CPU — met"
    assert verdicts(rows)[2] == "- check ≤ 5 s at 10,000: 4.5 s wall, 7.2 s CPU — met"


def test_a_dirty_rebuild_after_one_edit_rewrites_only_what_changed(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = tmp_path / "site"

    def rebuild(dirty: bool) -> None:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, dirty=dirty)

    rebuild(dirty=False)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    story = project / EDITED
    story.write_text(story.read_text(encoding="utf-8").replace('title: "', 'title: "Đã sửa: ', 1), encoding="utf-8")
    rebuild(dirty=True)
    rewritten = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.stat().st_mtime_ns != before.get(p)}
    assert {"bai-viet/2016/bai-mau-00001/index.html", "in/2016/bai-mau-00001/index.html", "bai-viet/nam/2016/index.html"} <= rewritten
    assert not rewritten & {"in/2015/bai-mau-00000/index.html", "gioi-thieu/index.html", "du-lieu/don-vi.json"}
    assert len(rewritten) < len(before) / 4
    # What the dirty rebuild left is what a fresh build makes, but for the search
    # index: Material merges a dirty rebuild's entries into the last index.
    fresh = tmp_path / "fresh"
    assert mkdocs_build(project, fresh).returncode == 0
    dirty_files, fresh_files = files_of(site), files_of(fresh)
    for files in (dirty_files, fresh_files):
        files.pop("search/search_index.json")
    assert dirty_files.keys() == fresh_files.keys()
    assert [name for name in dirty_files if dirty_files[name] != fresh_files[name]] == []
