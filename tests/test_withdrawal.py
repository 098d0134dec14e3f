"""Withdrawing a published story: its address keeps answering with a notice (when, why, on
whose decision) and nothing else, and the story is gone from everything else the site serves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build

STORY = "content/stories/2017/bot-hop-dai-them-viec-lam.md"
URL = "bai-viet/2017/bot-hop-dai-them-viec-lam/"
TITLE = "Bớt họp dài, thêm việc làm"
WITHDRAWAL = (
    "status: withdrawn\n"
    "aliases:\n  - bai-viet/2017/hop-ngan-gon/\n"
    "withdrawal:\n  date: 2018-03-01\n  reason: Số liệu về các cuộc họp trong bài chưa được kiểm chứng.\n  decided_by: Trưởng Ban Tuyên giáo Huyện ủy\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("status: published\n", WITHDRAWAL, 1), encoding="utf-8")
    site_dir = project / "site"
    built = mkdocs_build(project, site_dir)
    assert built.returncode == 0, built.stdout + built.stderr
    return site_dir


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_the_address_shows_the_notice_and_nothing_of_the_story(site: Path) -> None:
    html = read(site, URL + "index.html")
    assert "<title>Bài viết đã được gỡ - Gương Sáng</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "đã được gỡ khỏi trang ngày <time datetime=\"2018-03-01\">01/03/2018</time>, theo quyết định của Trưởng Ban Tuyên giáo Huyện ủy." in html
    assert "Số liệu về các cuộc họp trong bài chưa được kiểm chứng." in html
    assert TITLE not in html and "Văn phòng Huyện ủy chủ trì" not in html  # neither title nor summary


def test_an_old_address_leads_to_the_notice_without_naming_the_story(site: Path) -> None:
    html = read(site, "bai-viet/2017/hop-ngan-gon/index.html")
    assert 'content="0; url=../bot-hop-dai-them-viec-lam/"' in html
    assert TITLE not in html


@pytest.mark.parametrize(
    "rel",
    ["bai-viet/index.html", "bai-viet/nam/2017/index.html", "don-vi/van-phong-huyen-uy/index.html", "rss.xml", "atom.xml", "du-lieu/bai-viet.json", "du-lieu/bai-viet.csv", "search/search_index.json", "index.html", "thong-ke/index.html"],
)
def test_the_story_is_gone_from_everything_else(site: Path, rel: str) -> None:
    assert TITLE not in read(site, rel)


def test_no_handout_and_no_sitemap_entry(site: Path) -> None:
    # The handout's address (on printed sheets) leads to the notice, out of search engines; the story's text is gone.
    handout = read(site, "in/2017/bot-hop-dai-them-viec-lam/index.html")
    assert '<meta name="robots" content="noindex">' in handout and 'url=../../../bai-viet/2017/bot-hop-dai-them-viec-lam/"' in handout
    assert TITLE not in handout and "gs-handout" not in handout
    assert "in/2017/bot-hop-dai-them-viec-lam/" not in read(site, "sitemap.xml")
    assert URL not in read(site, "sitemap.xml")
    assert "bai-viet/2017/chat-luong-cong-vu-bat-dau-tu-tac-phong-moi-ngay/" in read(site, "sitemap.xml")


def test_the_open_data_counts_one_story_fewer(site: Path, built_site: Path) -> None:
    assert len(json.loads(read(site, "du-lieu/bai-viet.json"))) == len(json.loads(read(built_site, "du-lieu/bai-viet.json"))) - 1
