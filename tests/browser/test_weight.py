"""Page weight: a story page's HTML, CSS and JavaScript transfer under 200 KB compressed."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import pytest

from .conftest import visit

pytestmark = pytest.mark.browser

BUDGET = 200_000  # bytes, gzip-compressed
# What web servers commonly use (zlib's default); the figure is what a reader downloads.
GZIP_LEVEL = 6
CODE_TYPES = ("text/html", "text/css", "javascript")
INDEX = "search/search_index.json"


@dataclass(frozen=True)
class Transfer:
    url: str
    content_type: str
    size: int  # bytes as served
    compressed: int  # bytes gzip-compressed


def record(page) -> list[Transfer]:  # noqa: ANN001
    """Every successful response of the page, its workers' included, as it arrives."""
    transfers: list[Transfer] = []

    def on_response(response) -> None:  # noqa: ANN001
        if response.status != 200:
            return
        body = response.body()
        kind = response.headers.get("content-type", "").split(";")[0]
        transfers.append(Transfer(response.url, kind, len(body), len(gzip.compress(body, GZIP_LEVEL, mtime=0))))

    page.on("response", on_response)
    return transfers


def heaviest_story(site, catalogue) -> str:  # noqa: ANN001
    return max((s.url for s in catalogue.stories), key=lambda url: ((site.root / url / "index.html").stat().st_size, url))


def test_story_page_transfers_under_200_kb_compressed(site, catalogue, new_page, capsys) -> None:
    """What a first view of the heaviest story page costs (every response, the worker's
    included; the search index is not one of them: it waits until the reader searches)."""
    page = new_page()
    transfers = record(page)
    url = site.page(heaviest_story(site, catalogue))
    visit(page, url)
    first_view = list(transfers)
    code = [t for t in first_view if any(kind in t.content_type for kind in CODE_TYPES)]
    kinds = {t.content_type for t in code}
    assert {"text/html", "text/css"} <= kinds and any("javascript" in k for k in kinds), kinds
    assert not [t.url for t in first_view if INDEX in t.url], "trang vừa mở đã tải chỉ mục tìm kiếm"
    total = sum(t.compressed for t in code)
    everything = sum(t.compressed for t in first_view)
    # Then the reader searches: the index (and the worker's language files) arrive.
    page.locator("input.md-search__input").focus()
    page.wait_for_function("() => window.guongsangSearch && window.guongsangSearch.state.ready")
    on_search = transfers[len(first_view):]
    index = [t for t in on_search if INDEX in t.url]
    assert index, "mở ô tìm kiếm mà không tải chỉ mục"
    with capsys.disabled():
        print(
            f"\nTrọng lượng trang bài viết {site.path_of(url)}, lần xem đầu: HTML, CSS, JS {total / 1000:.1f} kB (gzip -{GZIP_LEVEL}), "
            f"{sum(t.size for t in code) / 1000:.1f} kB chưa nén, {len(code)} tệp; mọi thứ tải về {everything / 1000:.1f} kB nén, "
            f"{len(first_view)} tệp, không có chỉ mục tìm kiếm. Khi tìm kiếm: chỉ mục {index[0].compressed / 1000:.1f} kB nén "
            f"({index[0].size / 1000:.1f} kB chưa nén), cả thảy {sum(t.compressed for t in on_search) / 1000:.1f} kB nén."
        )
    assert total < BUDGET, "\n".join(f"{t.compressed:>8} {t.url}" for t in sorted(code, key=lambda t: -t.compressed))
    assert everything < BUDGET
