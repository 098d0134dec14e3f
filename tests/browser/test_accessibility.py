"""axe-core (from npm, injected into the page) on the main pages: no serious or critical WCAG 2 violation."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, SitePages, audit, visit

pytestmark = pytest.mark.browser

# Light and dark follow the reader's system setting; a phone shows the drawer and the search button.
SETTINGS = {
    "sang": {"viewport": DESKTOP, "color_scheme": "light"},
    "toi": {"viewport": DESKTOP, "color_scheme": "dark"},
    "dien-thoai": {"viewport": PHONE, "color_scheme": "light"},
}


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("name", SitePages.NAMES)
def test_no_serious_or_critical_violation(site, pages, new_page, name: str, setting: str) -> None:
    page = new_page(**SETTINGS[setting])
    url = site.page(getattr(pages, name))
    visit(page, url)
    violations = audit(page)
    assert violations == [], f"{url} ({setting}):\n{describe(violations)}"


def test_the_audit_finds_a_violation_when_there_is_one(site, new_page) -> None:
    """The audit is not blind: a page made to fail (an image without alt text) fails it."""
    page = new_page()
    visit(page, site.page(""))
    page.evaluate("""() => { const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
                             document.querySelector('article').append(img); }""")
    assert "image-alt" in [v["id"] for v in audit(page)]
