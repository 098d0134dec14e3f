"""The theme's tabs and navigation sidebar are rendered once per folder of pages outside the
navigation (overrides/main.html, SiteBuild.cached): on every page they must still lead to
the same pages. And none of the theme's words is left in English."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from guongsang.site import theme_piece_key

_TABS = re.compile(r'<nav class="md-tabs".*?</nav>', re.DOTALL)
_SIDEBAR = re.compile(r'data-md-type="navigation".*?data-md-type="toc"', re.DOTALL)
_HREF = re.compile(r'href="([^"#]*)"')


def targets(site: Path, page: Path, piece: re.Pattern) -> set[str]:
    """Where the piece's links lead, as site paths."""
    html = page.read_text(encoding="utf-8")
    match = piece.search(html)
    assert match, f"{page}: {piece.pattern}"
    here = posixpath.dirname(page.relative_to(site).as_posix())
    found = set()
    for href in _HREF.findall(match[0]):
        if href and not re.match(r"^[a-z]+:", href):
            found.add(posixpath.normpath(posixpath.join(here, href)))
    return found


@pytest.mark.parametrize("piece", [_TABS, _SIDEBAR], ids=["tabs", "sidebar"])
def test_every_page_has_the_same_navigation(built_site: Path, piece: re.Pattern) -> None:
    pages = sorted(p for p in built_site.rglob("index.html") if not p.relative_to(built_site).parts[0] in ("in", "search"))
    pages = [p for p in pages if 'class="md-header"' in p.read_text(encoding="utf-8")]  # theme pages, not redirects
    expected = targets(built_site, built_site / "index.html", piece)
    assert len(expected) >= 8
    wrong = {p.relative_to(built_site).as_posix() for p in pages if targets(built_site, p, piece) != expected}
    assert wrong == set()
    assert len(pages) > 100


def test_pieces_are_shared_within_a_folder_only_outside_the_navigation() -> None:
    nav = ["", "bai-viet/", "don-vi/", "van-ban/ct-05/"]
    assert theme_piece_key("bai-viet/2017/a/", nav) == theme_piece_key("bai-viet/2017/b/", nav) == "bai-viet/2017/"
    assert theme_piece_key("don-vi/x/", nav) != theme_piece_key("van-ban/x/", nav)  # same depth, other links
    assert theme_piece_key("bai-viet/", nav) == ""  # in the navigation: its own item is active
    assert theme_piece_key("van-ban/", nav) == ""  # a navigation item lies inside it


# -- no English on the site ----------------------------------------------------

_MATERIAL = Path(material.__file__).parent / "templates" / "partials"
# Settings, not words: the text direction and the search tokenizer's configuration.
_NOT_WORDS = {"language", "direction", "search.config.lang", "search.config.pipeline", "search.config.separator"}
_ENTRY = re.compile(r'^\s*"([a-z.]+)": "((?:[^"\\]|\\.)*)"', re.MULTILINE)
_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def material_english() -> set[str]:
    """What Material writes in English where our Vietnamese strings leave a gap, and its footer credit."""
    en = dict(_ENTRY.findall((_MATERIAL / "languages" / "en.html").read_text(encoding="utf-8")))
    return {text for key, text in en.items() if key not in _NOT_WORDS} | {"Made with"}


class _Reader(HTMLParser):
    """The text a reader sees or hears: text outside scripts and code, and labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre"):
            self._hidden += 1
        self.texts += [value.strip() for name, value in attrs if name in _ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def english_on(html: str, english: set[str]) -> set[str]:
    """English strings in a page: a one-word string when it is a whole text or label
    ("Tabs"), a phrase anywhere in one ("Made with Material for MkDocs")."""
    reader = _Reader()
    reader.feed(html)
    found = set()
    for text in reader.texts:
        found |= {e for e in english if text == e or (" " in e and e in text)}
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.DOTALL)
    if config:  # the search box's messages, which the theme's script shows
        found |= {e for e in json.loads(config[1])["translations"].values() if e in english}
    return found


def test_english_finder_finds_what_material_writes_by_default() -> None:
    english = material_english()
    page = (
        '<nav class="md-tabs" aria-label="Tabs"></nav><p>Trang</p>'
        '<div class="md-copyright">Made with <a href="#">Material for MkDocs</a></div>'
        '<script>var x = "Search"</script><code>Search</code><button title="In bài">In</button>'
    )
    assert english_on(page, english) == {"Tabs", "Made with"}


def test_the_built_site_has_no_english_from_the_theme(built_site: Path) -> None:
    english = material_english()
    assert {"Tabs", "Back to top", "Skip to content", "Made with"} <= english
    pages = [p for p in built_site.rglob("*.html") if 'class="md-header"' in p.read_text(encoding="utf-8")]
    assert len(pages) > 100
    found = {p.relative_to(built_site).as_posix(): english_on(p.read_text(encoding="utf-8"), english) for p in pages}
    assert {page: words for page, words in found.items() if words} == {}
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Các mục chính"' in index
    assert "Trang được dựng bằng phần mềm tự do" in index
