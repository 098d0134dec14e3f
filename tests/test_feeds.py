"""RSS and Atom feeds: exact fields, stable ids, drafts kept out, hostile text kept as text;
the feed links in every page's head, and the Vietnamese 404 page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guongsang import feeds
from guongsang.catalogue import build_catalogue
from guongsang.check import check_content
from guongsang.models import Correction
from guongsang.render import Renderer, make_env

from minimal import STORY, write_minimal

SITE = "https://guongsang.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '"><img src=x onerror=alert(1)>'
S = "content/stories/2017/xa-dong-hoa.md"

HOSTILE_STORY = (
    STORY.replace("title: Xã Đông Hòa giữ đường làng sạch", "title: '\"><img src=x onerror=alert(1)>'")
    .replace("flag_ceremony: true", "flag_ceremony: true\ntags: [môi trường, '<b>đậm</b>']\ncorrections:\n  - date: 2017-06-01\n    text: 'Sửa tên thôn <b>&</b> xóm'")
)
LATER_STORY = STORY.replace("date: 2017-05-10", "date: 2017-08-02").replace("Xã Đông Hòa giữ đường làng sạch", "Thanh niên Đông Hòa trồng cây")
DRAFT_STORY = STORY.replace("date: 2017-05-10", "date: 2017-09-01").replace("status: published", "status: draft")


def catalogue(root: Path, files: dict, *, today: dt.date = dt.date(2026, 11, 18), preview: bool = False):
    write_minimal(root, files)
    result = check_content(root)
    assert not result.errors, [p.format() for p in result.errors]
    return build_catalogue(result.content, today=today, preview=preview)


@pytest.fixture
def cat(tmp_path: Path):
    return catalogue(
        tmp_path,
        {
            S: HOSTILE_STORY,
            "content/stories/2017/thanh-nien-trong-cay.md": LATER_STORY,
            "content/stories/2017/ban-nhap.md": DRAFT_STORY,
        },
    )


def render(cat, site_url: str = SITE) -> dict[str, str]:
    return {out.uri: out.content for out in feeds.generate_feeds(cat, Renderer(make_env(), site_url))}


def test_rss_channel_and_items_exact(cat) -> None:
    xml = render(cat)["rss.xml"]
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"')
    channel = ET.fromstring(xml).find("channel")
    assert channel.findtext("title") == "Gương Sáng — bài viết mới"
    assert channel.findtext("link") == SITE
    assert channel.findtext("language") == "vi"
    assert channel.find(f"{ATOM}link").attrib == {"href": SITE + "rss.xml", "rel": "self", "type": "application/rss+xml"}
    # The newest story's date, never the clock.
    assert channel.findtext("pubDate") == "Wed, 02 Aug 2017 00:00:00 +0700"
    assert channel.findtext("lastBuildDate") == "Wed, 02 Aug 2017 00:00:00 +0700"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Thanh niên Đông Hòa trồng cây", HOSTILE]  # no draft
    item = items[1]
    assert item.findtext("link") == SITE + "bai-viet/2017/xa-dong-hoa/"
    assert item.find("guid").attrib == {"isPermaLink": "false"}
    assert item.findtext("guid") == "tag:guongsang.example.org,2017:2017/xa-dong-hoa"
    assert item.findtext("pubDate") == "Wed, 10 May 2017 00:00:00 +0700"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ban Tuyên giáo"
    assert [(c.text, c.get("domain")) for c in item.findall("category")] == [
        ("Xã Đông Hòa", SITE + "don-vi/"),
        ("môi trường", None),
        ("<b>đậm</b>", None),
    ]
    assert item.findtext("description") == (
        "<p>Cách một xã gắn việc làm theo Bác với thu gom rác.</p>\n"
        f'<p><a href="{SITE}bai-viet/2017/xa-dong-hoa/">Đọc toàn bài</a></p>\n'
        "<p><strong>Đính chính</strong></p>\n"
        "<ul>\n"
        '<li><time datetime="2017-06-01">01/06/2017</time>: Sửa tên thôn &lt;b&gt;&amp;&lt;/b&gt; xóm</li>\n'
        "</ul>\n"
    )


def test_atom_feed_and_entries_exact(cat) -> None:
    feed = ET.fromstring(render(cat)["atom.xml"])
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert feed.findtext(f"{ATOM}id") == SITE
    assert feed.findtext(f"{ATOM}updated") == "2017-08-02T00:00:00+07:00"
    assert [(l.get("rel"), l.get("href")) for l in feed.findall(f"{ATOM}link")] == [("self", SITE + "atom.xml"), ("alternate", SITE)]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Ban Tuyên giáo"  # settings default
    entry = feed.findall(f"{ATOM}entry")[1]
    assert entry.findtext(f"{ATOM}id") == "tag:guongsang.example.org,2017:2017/xa-dong-hoa"
    assert entry.findtext(f"{ATOM}title") == HOSTILE
    assert entry.find(f"{ATOM}link").attrib == {"rel": "alternate", "type": "text/html", "href": SITE + "bai-viet/2017/xa-dong-hoa/"}
    assert entry.findtext(f"{ATOM}published") == "2017-05-10T00:00:00+07:00"
    assert entry.findtext(f"{ATOM}updated") == "2017-06-01T00:00:00+07:00"  # the correction's date
    assert [c.attrib for c in entry.findall(f"{ATOM}category")] == [
        {"term": "xa-dong-hoa", "scheme": SITE + "don-vi/", "label": "Xã Đông Hòa"},
        {"term": "môi trường"},
        {"term": "<b>đậm</b>"},
    ]
    assert entry.findtext(f"{ATOM}summary") == "Cách một xã gắn việc làm theo Bác với thu gom rác."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Đính chính" in content.text and "Sửa tên thôn &lt;b&gt;&amp;&lt;/b&gt; xóm" in content.text


@pytest.mark.parametrize("uri", ["rss.xml", "atom.xml"])
def test_hostile_text_never_becomes_markup(cat, uri: str) -> None:
    xml = render(cat)[uri]
    assert "<img" not in xml and "<b>" not in xml
    assert "&lt;img src=x onerror=alert(1)&gt;" in xml
    ET.fromstring(xml)  # still well-formed


def test_entry_id_survives_edits_but_not_moves(cat) -> None:
    story = cat.story_by_id["2017/xa-dong-hoa"]
    edited = dataclasses.replace(story, title="Tiêu đề mới", summary="Khác", date=dt.date(2017, 12, 31), body="Khác hẳn")
    assert feeds.story_tag(SITE, edited) == feeds.story_tag(SITE, story) == "tag:guongsang.example.org,2017:2017/xa-dong-hoa"
    assert feeds.story_tag("https://example.org/guong-sang/", story) == "tag:example.org,2017:guong-sang/2017/xa-dong-hoa"
    assert feeds.story_tag(SITE, dataclasses.replace(story, slug="ten-moi")) != feeds.story_tag(SITE, story)


def test_only_the_latest_fifty_public_stories(tmp_path: Path) -> None:
    base = catalogue(tmp_path, {})
    story = base.stories[0]
    many = [dataclasses.replace(story, slug=f"bai-{i:02d}", date=dt.date(2017, 1, 1) + dt.timedelta(days=i)) for i in range(60)]
    future = dataclasses.replace(story, slug="sap-dang", date=dt.date(2027, 1, 1))
    cat = build_catalogue(dataclasses.replace(base.content, stories=(*many, future)), today=dt.date(2026, 11, 18), preview=True)
    items = ET.fromstring(render(cat)["rss.xml"]).findall("channel/item")
    # Preview shows the future story on its page; feeds never carry it.
    assert len(items) == feeds.LATEST == 50
    assert items[0].findtext("link") == SITE + "bai-viet/2017/bai-59/"
    assert items[-1].findtext("link") == SITE + "bai-viet/2017/bai-10/"


def test_a_correction_brings_an_old_story_back_into_the_feeds(tmp_path: Path) -> None:
    base = catalogue(tmp_path, {})
    story = base.stories[0]
    newer = [dataclasses.replace(story, year=2018, slug=f"bai-{i:02d}", date=dt.date(2018, 1, 1) + dt.timedelta(days=i)) for i in range(55)]
    corrected = dataclasses.replace(story, corrections=(Correction(dt.date(2018, 2, 10), "Sửa tên thôn ZQXFEEDCORR."),))
    cat = build_catalogue(dataclasses.replace(base.content, stories=(*newer, corrected)), today=dt.date(2026, 11, 18))
    out = render(cat)
    items = ET.fromstring(out["rss.xml"]).findall("channel/item")
    links = [i.findtext("link").removeprefix(SITE) for i in items]
    assert len(links) == feeds.LATEST
    # By last update: the 2017 story corrected on 10/02/2018 comes after the story published
    # that day (bai-40), and pushes the oldest of the 55 out.
    assert links[:2] == ["bai-viet/2018/bai-54/", "bai-viet/2018/bai-53/"]
    assert links[14:17] == ["bai-viet/2018/bai-40/", story.url, "bai-viet/2018/bai-39/"]
    assert links[-1] == "bai-viet/2018/bai-06/"
    for uri in ("rss.xml", "atom.xml"):
        assert "ZQXFEEDCORR" in out[uri]
    feed = ET.fromstring(out["atom.xml"])
    assert feed.findtext(f"{ATOM}updated") == "2018-02-24T00:00:00+07:00"  # bai-54, the newest update
    channel = ET.fromstring(out["rss.xml"]).find("channel")
    assert channel.findtext("pubDate") == "Sat, 24 Feb 2018 00:00:00 +0700"  # the newest publication


def test_feeds_are_deterministic_and_follow_content_not_clock(cat, tmp_path: Path) -> None:
    first = render(cat)
    assert render(cat) == first
    later = build_catalogue(cat.content, today=dt.date(2030, 1, 1))
    assert render(later) == first


def test_empty_catalogue_dates_feed_by_build_day(tmp_path: Path) -> None:
    cat = catalogue(tmp_path, {}, today=dt.date(2017, 1, 1))  # the only story is dated later
    out = render(cat)
    assert ET.fromstring(out["rss.xml"]).find("channel/item") is None
    assert ET.fromstring(out["rss.xml"]).find("channel/lastBuildDate") is None
    assert ET.fromstring(out["atom.xml"]).findtext(f"{ATOM}updated") == "2017-01-01T00:00:00+07:00"


def test_feeds_need_site_url(cat) -> None:
    with pytest.raises(ValueError, match="site_url"):
        render(cat, site_url="")


# -- in the built site ---------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "prefix"),
    [("index.html", ""), ("bai-viet/index.html", "../"), ("gioi-thieu/index.html", "../"), ("404.html", "/")],
)
def test_every_page_links_both_feeds(built_site: Path, page: str, prefix: str) -> None:
    html = (built_site / page).read_text(encoding="utf-8")
    assert f'<link rel="alternate" type="application/rss+xml" title="Gương Sáng — bài viết mới (RSS)" href="{prefix}rss.xml">' in html
    assert f'<link rel="alternate" type="application/atom+xml" title="Gương Sáng — bài viết mới (Atom)" href="{prefix}atom.xml">' in html


def test_built_feeds_are_valid_and_absolute(built_site: Path) -> None:
    channel = ET.parse(built_site / "rss.xml").getroot().find("channel")
    links = [i.findtext("link") for i in channel.findall("item")]
    assert links and all(link.startswith(SITE + "bai-viet/") for link in links)
    for link in links:
        assert (built_site / link.removeprefix(SITE) / "index.html").is_file(), link
    entries = ET.parse(built_site / "atom.xml").getroot().findall(f"{ATOM}entry")
    assert len(entries) == len(links)


def test_404_page_is_vietnamese_with_absolute_links(built_site: Path) -> None:
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<title>Không tìm thấy trang - Gương Sáng</title>" in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    # Served at any address: links start from the site root.
    assert '<a href="/">Về trang chủ</a>' in html
    assert '<a href="/bai-viet/">Xem tất cả bài viết</a>' in html
    assert '<form class="gs-notfound-search" action="/" method="get" role="search">' in html
    assert '<input id="gs-notfound-q" type="search" name="q"' in html
    assert "Not found" not in html
