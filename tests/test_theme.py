"""The theme's tabs and navigation sidebar are rendered once per folder of pages outside the
navigation (overrides/main.html, SiteBuild.cached): on every page they must still lead to
the same pages."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

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
