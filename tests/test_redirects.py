"""Redirect pages: an old story URL from `aliases` leads to the story, from any host and from the file system."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import copy_project, mkdocs_build
from guongsang.catalogue import build_catalogue
from guongsang.models import Content, Story, Unit
from guongsang.redirects import generate_redirects, render_redirect
from guongsang.render import Renderer, make_env

UNIT = Unit(id="xa-a", name="Xã A", kind="xa", path="content/units/xa-a.yml")


def make_story(slug: str, *, status: str = "published", aliases: tuple[str, ...] = (), title: str = "Bài") -> Story:
    return Story(
        year=2018, slug=slug, path=f"content/stories/2018/{slug}.md", title=title, date=dt.date(2018, 3, 1),
        summary="Tóm tắt.", subject="tap-the", units=("xa-a",), body="Thân.", body_line=12,
        author="Ban", status=status, reviewer="Trưởng ban", aliases=aliases,
    )


def renderer(site_url: str = "https://guongsang.example.org/") -> Renderer:
    return Renderer(make_env(), site_url)


def test_redirect_page_golden() -> None:
    story = make_story("moi", title='Bài <script>alert("x")</script> & "trích"')
    out = render_redirect(renderer(), story, "/bai-viet/2017/cu")
    assert out.uri == "bai-viet/2017/cu/index.html"
    assert out.content == (
        "<!doctype html>\n"
        '<html lang="vi">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        "<title>Bài đã chuyển địa chỉ: Bài &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;trích&#34;</title>\n"
        '<link rel="canonical" href="https://guongsang.example.org/bai-viet/2018/moi/">\n'
        '<meta http-equiv="refresh" content="0; url=../../2018/moi/">\n'
        "</head>\n"
        "<body>\n"
        "<p>Bài «Bài &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;trích&#34;» đã chuyển sang địa chỉ mới: "
        '<a href="../../2018/moi/">Bài &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;trích&#34;</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def test_without_site_url_the_canonical_link_is_relative() -> None:
    out = render_redirect(renderer(""), make_story("moi"), "bai-viet/2018/cu/")
    assert '<link rel="canonical" href="../moi/">' in out.content


def test_only_public_stories_redirect_sorted() -> None:
    content = Content(
        stories=(
            make_story("b", aliases=("bai-viet/2017/b-cu/", "bai-viet/2016/b-cu/")),
            make_story("a", aliases=("bai-viet/2017/a-cu/",)),
            make_story("nhap", status="draft", aliases=("bai-viet/2017/nhap-cu/",)),
        ),
        units=(UNIT,),
    )
    cat = build_catalogue(content, today=dt.date(2026, 11, 18))
    assert [o.uri for o in generate_redirects(cat, renderer())] == [
        "bai-viet/2017/a-cu/index.html",
        "in/2017/a-cu/index.html",
        "bai-viet/2016/b-cu/index.html",
        "bai-viet/2017/b-cu/index.html",
        "in/2016/b-cu/index.html",
        "in/2017/b-cu/index.html",
        # the folders above them (folder_redirects)
        "bai-viet/2016/index.html",
        "bai-viet/2017/index.html",
        "bai-viet/2018/index.html",
        "in/index.html",
        "in/2016/index.html",
        "in/2017/index.html",
        "in/2018/index.html",
    ]
    preview = build_catalogue(content, today=dt.date(2026, 11, 18), preview=True)
    assert "bai-viet/2017/nhap-cu/index.html" in [o.uri for o in generate_redirects(preview, renderer())]


def test_old_handouts_follow_the_story_and_a_withdrawn_storys_lead_to_its_notice() -> None:
    withdrawn = make_story("go", status="withdrawn", aliases=("bai-viet/2017/go-cu/",))
    content = Content(stories=(make_story("moi", aliases=("bai-viet/2017/cu/",)), withdrawn), units=(UNIT,))
    pages = {o.uri: o.content for o in generate_redirects(build_catalogue(content, today=dt.date(2026, 11, 18)), renderer())}
    refresh = {uri: re.search(r'content="0; url=([^"]+)"', html).group(1) for uri, html in pages.items()}
    assert refresh == {
        "bai-viet/2017/cu/index.html": "../../2018/moi/",
        "in/2017/cu/index.html": "../../2018/moi/",  # from in/2017/cu/ to in/2018/moi/
        "bai-viet/2017/go-cu/index.html": "../../2018/go/",  # the notice (test_withdrawal.py)
        # A withdrawn story has no handout: its addresses, current and old, lead to the notice.
        "in/2018/go/index.html": "../../../bai-viet/2018/go/",
        "in/2017/go-cu/index.html": "../../../bai-viet/2018/go/",
        # Folders without a page of their own: the year's listing, or all stories if it has none.
        "bai-viet/2018/index.html": "../nam/2018/",
        "bai-viet/2017/index.html": "../",
        "in/2018/index.html": "../../bai-viet/nam/2018/",
        "in/2017/index.html": "../../bai-viet/",
        "in/index.html": "../bai-viet/",
    }
    assert '<link rel="canonical" href="https://guongsang.example.org/in/2018/moi/">' in pages["in/2017/cu/index.html"]


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample site after one story moved to a new slug, keeping its old URL as an alias."""
    project = copy_project(tmp_path_factory.mktemp("redirects") / "project")
    pinned = "".join(p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.yml"))
    old = next(
        p
        for p in sorted((project / "content/stories").rglob("*.md"))
        if "status: published" in p.read_text(encoding="utf-8") and p.stem not in pinned
    )
    year = old.parent.name
    new = old.with_name("da-doi-ten.md")
    text = old.read_text(encoding="utf-8").replace("\nstatus: published", f"\naliases:\n  - bai-viet/{year}/{old.stem}/\nstatus: published", 1)
    new.write_text(text, encoding="utf-8")
    old.unlink()
    site = tmp_path_factory.mktemp("redirects-site")
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site, f"bai-viet/{year}/{old.stem}/"


def test_old_url_leads_to_the_story(moved_site: tuple[Path, str]) -> None:
    site, old_url = moved_site
    page = (site / old_url / "index.html").read_text(encoding="utf-8")
    target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page).group(1)
    assert target == "../da-doi-ten/"
    assert f'<a href="{target}">' in page
    assert ((site / old_url / target).resolve() / "index.html").is_file()
    assert re.search(r'<link rel="canonical" href="https://[^"]+/bai-viet/\d{4}/da-doi-ten/">', page)


def test_old_handout_leads_to_the_handout(moved_site: tuple[Path, str]) -> None:
    site, old_url = moved_site
    old_handout = "in/" + old_url.removeprefix("bai-viet/")
    page = (site / old_handout / "index.html").read_text(encoding="utf-8")
    target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page).group(1)
    assert target == "../da-doi-ten/"
    assert "gs-handout" in ((site / old_handout / target).resolve() / "index.html").read_text(encoding="utf-8")


def test_redirects_are_not_pages(moved_site: tuple[Path, str]) -> None:
    site, old_url = moved_site
    assert old_url not in (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = [doc["location"] for doc in json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]]
    assert not any(loc.startswith(old_url) for loc in locations)
