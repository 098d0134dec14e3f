"""The main pages in a real browser: they fit a phone and a desktop, log no errors, and every link resolves."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, SitePages, broken_links, visit

pytestmark = pytest.mark.browser

VIEWPORTS = {"dien-thoai": PHONE, "may-tinh": DESKTOP}

# Elements wider than the viewport, except inside a box that scrolls or clips on its
# own (a wide table in its scrolling wrapper is fine; the page itself must not scroll).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5 || box.left >= width) continue;
        let boxed = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') { boxed = true; break; }
        }
        if (boxed) continue;
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + [...el.classList].map(c => '.' + c).join('');
        found.push(`${name} (phải ${Math.round(box.right)}px)`);
    }
    return {scrollWidth: document.scrollingElement.scrollWidth, width, found: found.slice(0, 8)};
}"""

LINK_TARGETS = "() => [...document.querySelectorAll('a[href], area[href], link[href]')].map(e => e.getAttribute('href'))"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", SitePages.NAMES)
def test_page_fits_the_screen_and_logs_no_error(site, pages, new_page, name: str, viewport: str) -> None:
    page = new_page(VIEWPORTS[viewport])
    url = site.page(getattr(pages, name))
    visit(page, url)
    layout = page.evaluate(OVERFLOWING)
    problems = [f"trang rộng {layout['scrollWidth']}px > {layout['width']}px"] if layout["scrollWidth"] > layout["width"] else []
    problems += [f"tràn màn hình: {element}" for element in layout["found"]]
    problems += page.log.errors
    assert problems == [], f"{url} ({viewport})"


@pytest.mark.parametrize("name", SitePages.NAMES)
def test_every_internal_link_resolves(site, pages, new_page, name: str) -> None:
    page = new_page()
    url = site.page(getattr(pages, name))
    response = page.goto(url)  # links are in the HTML; the theme's scripts add none
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '—'}"
    targets = page.evaluate(LINK_TARGETS)
    assert targets, f"{url}: không có liên kết nào"
    assert broken_links(site, url, targets) == []

