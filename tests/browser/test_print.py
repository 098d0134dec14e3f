"""Printing a story: what the story page offers as "one A4 page" prints on one A4 page (Chromium's PDF)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from .conftest import visit

pytestmark = pytest.mark.browser

ONE_PAGE = re.compile(r"một trang A4", re.IGNORECASE)
# window.print() opens a dialog a headless browser never shows: record the call instead.
RECORD_PRINT = "window.print = () => { window.__printCalls = (window.__printCalls || 0) + 1; };"


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF from Chromium (Skia writes every page object uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def print_a4(page) -> int:  # noqa: ANN001
    return pdf_pages(page.pdf(format="A4", print_background=True))


@pytest.fixture(scope="module")
def print_stories(catalogue) -> dict[str, str]:  # noqa: ANN001
    """The longest story (the hardest to fit) and the one with the most metadata."""
    longest = max(catalogue.stories, key=lambda s: (s.words, len(s.body), s.id))
    richest = max(catalogue.stories, key=lambda s: (len(s.units) + len(s.tags) + len(s.topics) + len(s.tasks), s.id))
    return {"dai-nhat": longest.url, "nhieu-thong-tin-nhat": richest.url}


@pytest.mark.parametrize("which", ["dai-nhat", "nhieu-thong-tin-nhat"])
def test_every_one_page_print_control_of_a_story_prints_one_a4_page(site, new_page, print_stories, which: str) -> None:
    page = new_page()
    page.add_init_script(RECORD_PRINT)
    url = site.page(print_stories[which])
    visit(page, url)
    controls = page.locator(".gs-actions").get_by_text(ONE_PAGE)
    labels = controls.all_inner_texts()
    assert labels, f"{url}: không có nút hay liên kết in một trang A4"
    results = {}
    for i, label in enumerate(labels):
        control = controls.nth(i)
        href = control.get_attribute("href")
        if href:  # a link to the print handout
            handout = new_page()
            visit(handout, urljoin(url, href))
            results[label] = print_a4(handout)
        else:  # a button that prints the page itself
            control.click()
            assert page.evaluate("window.__printCalls") == 1, f"«{label}» không gọi lệnh in"
            results[label] = print_a4(page)
    assert results == {label: 1 for label in labels}, f"{url}: số trang A4 khi in"


def test_page_count_is_read_from_the_pdf(site, new_page) -> None:
    """The counter is not blind: a page made three A4 pages long counts three."""
    page = new_page()
    page.set_content("<!doctype html><html lang=vi><body>" + '<p style="break-after: page">trang</p>' * 3 + "</body></html>")
    assert print_a4(page) == 3
