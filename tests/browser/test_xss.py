"""A hostile canary story executes nothing: not on its page, in listings, in search results or in the feeds' HTML.

Three lines are tested. The canary that passes the checker carries its hostile
strings as text (title, summary, tags) and as code or escaped text (body): all
must be shown, never run. The same strings as raw HTML in the body must stop
the build (GS408, GS409). And if they slipped past the checker, the sanitizer
that every story page goes through must strip them.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from .conftest import (
    CANARY_RAW_BODY,
    CANARY_SLUG,
    CANARY_TITLE,
    CANARY_URL,
    CANARY_WORD,
    CANARY_YEAR,
    ROOT,
    canary_unit,
    copy_project,
    mkdocs_build,
    sample_catalogue,
    search,
    visit,
    write_canary,
)

pytestmark = pytest.mark.browser

# Did anything hostile run? Read after the page settled; a dialog would be caught by PageLog.
PWNED = "() => window.__pwned !== undefined || document.title === 'PWNED'"
# What a page must never hold, whatever its text says: handlers, script URLs, stray scripts.
HOSTILE_DOM = """(root) => {
    const found = [];
    for (const el of (root || document).querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase(), value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
            if (name.startsWith('on')) found.push(`${el.tagName.toLowerCase()}[${name}]`);
            if (/^(javascript|vbscript|data):/.test(value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
                && !(el.tagName === 'IMG' && value.startsWith('data:image/'))) found.push(`${el.tagName.toLowerCase()}[${name}=${attr.value}]`);
        }
        if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')) found.push('script: ' + el.textContent.slice(0, 60));
    }
    return found;
}"""


def assert_harmless(page, where: str) -> None:  # noqa: ANN001
    assert page.evaluate(PWNED) is False, f"{where}: mã độc đã chạy"
    assert page.log.dialogs == [], f"{where}: mã độc mở hộp thoại {page.log.dialogs}"
    assert page.evaluate(HOSTILE_DOM, None) == [], where


def click_every_link(page, selector: str) -> None:  # noqa: ANN001
    """A script URL runs only when clicked: click every link that has no ordinary target."""
    links = page.locator(f"{selector} a")
    for i in range(links.count()):
        href = (links.nth(i).get_attribute("href") or "").strip().lower()
        scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", href)
        if not href or (scheme and scheme.group(1) not in ("http", "https", "mailto", "tel")):
            links.nth(i).click(no_wait_after=True)


# -- the canary that passes the checker -----------------------------------------


@pytest.mark.parametrize(
    "path",
    [CANARY_URL, "", "bai-viet/", f"bai-viet/nam/{CANARY_YEAR}/", f"don-vi/{canary_unit()}/"],
    ids=["bai-viet", "trang-chu", "danh-sach", "danh-sach-nam", "don-vi"],
)
def test_canary_runs_nothing_where_it_is_listed(canary_site, new_page, path: str) -> None:
    page = new_page()
    url = canary_site.page(path)
    visit(page, url)
    assert "Canary" in page.locator("article").inner_text(), f"{url}: không thấy bài canary"
    assert_harmless(page, url)


def test_canary_page_shows_the_hostile_text_as_text(canary_site, new_page) -> None:
    page = new_page()
    visit(page, canary_site.page(CANARY_URL))
    assert page.locator("article h1").inner_text().rstrip("#").strip() == CANARY_TITLE
    summary = page.locator(".gs-summary").inner_text()
    assert '<img src=x onerror="window.__pwned=1' in summary
    assert '<a href="javascript:' in summary
    tags = page.locator(".gs-tag").all_inner_texts()
    assert "<script>window.__pwned=1;document.title='PWNED'</script>" in tags
    code = page.locator("article pre code").inner_text()
    assert '<img src=x onerror="window.__pwned=1' in code
    assert page.title().startswith("Canary <script>")
    click_every_link(page, "article")
    assert_harmless(page, "sau khi bấm các liên kết")


def test_canary_runs_nothing_in_search_results(canary_site, new_page) -> None:
    page = new_page()
    visit(page, canary_site.page(""))
    results = search(page, canary_site, CANARY_WORD)
    assert CANARY_URL in results.paths, results.paths
    # The result list renders the page's text as HTML: it must be shown, not run.
    assert "<script>" in page.locator(".md-search-result").inner_text()
    assert page.evaluate(HOSTILE_DOM, page.locator(".md-search-result").element_handle()) == []
    assert_harmless(page, "kết quả tìm kiếm")


def feed_html(served, path: str) -> list[str]:
    """The canary's HTML in a feed: RSS <description>, Atom <content type="html">."""
    root = ET.parse(served.root / path).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    found = []
    for item in root.iter("item"):
        if (item.findtext("link") or "").endswith(CANARY_URL):
            found.append(item.findtext("description"))
    for entry in root.iter(f"{atom}entry"):
        if any(link.get("href", "").endswith(CANARY_URL) for link in entry.iter(f"{atom}link")):
            found.append(entry.findtext(f"{atom}content"))
    return found


@pytest.mark.parametrize("kind", ["application/rss+xml", "application/atom+xml"], ids=["rss", "atom"])
def test_canary_runs_nothing_in_the_feeds_html(canary_site, new_page, kind: str) -> None:
    """A feed reader shows the entry's HTML as a page would: load it as one and see that nothing runs."""
    page = new_page()
    visit(page, canary_site.page(""))
    # The feed a reader finds, through the page's own <link rel="alternate">.
    href = page.locator(f'head link[rel="alternate"][type="{kind}"]').get_attribute("href")
    feed = canary_site.path_of(urljoin(page.url, href))
    entries = feed_html(canary_site, feed)
    assert len(entries) == 1, f"{feed}: không thấy bài canary"
    page.set_content(f"<!doctype html><html lang=vi><meta charset=utf-8><title>feed</title><body>{entries[0]}</body></html>")
    page.wait_for_load_state("load")
    assert '<img src=x onerror="window.__pwned=1' in page.locator("body").inner_text()
    click_every_link(page, "body")
    assert_harmless(page, feed)


# -- the checker's line: raw hostile HTML stops the build -----------------------


def test_raw_hostile_body_fails_the_build_with_gs408_and_gs409(tmp_path) -> None:
    project = copy_project(tmp_path / "project")
    write_canary(project, CANARY_RAW_BODY)
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    story = f"content/stories/{CANARY_YEAR}/{CANARY_SLUG}.md"
    lines = [line for line in output.splitlines() if story in line]
    assert any("GS408" in line and "<script>" in line for line in lines), output
    assert any("GS408" in line and "onerror" in line for line in lines), output
    assert any("GS409" in line and "javascript:" in line for line in lines), output
    assert not (tmp_path / "site" / CANARY_URL / "index.html").exists()


# -- the sanitizer's line: hostile HTML that got past the checker is stripped ------


@pytest.fixture(scope="module")
def story_html() -> tuple[str, str]:
    """A story page's HTML with the raw hostile body, rendered in-process as MkDocs would,
    before and after the sanitizer that SiteBuild.page_html applies to every story page."""
    import markdown
    from mkdocs.config import load_config

    from guongsang.pages import render_story_page
    from guongsang.render import Renderer, make_env
    from guongsang.safety import sanitize_story_body

    cat = sample_catalogue()
    story = dataclasses.replace(cat.stories[0], title=CANARY_TITLE, body=CANARY_RAW_BODY)
    config = load_config(str(ROOT / "mkdocs.yml"))
    output = render_story_page(cat, Renderer(make_env(), config.site_url), story)
    body = output.content.split("\n---\n", 1)[1]  # after the front matter
    rendered = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(body)
    assert "<!-- gs-body-start -->" in rendered and "<!-- gs-body-end -->" in rendered
    return rendered, sanitize_story_body(rendered)[0]


def load_fragment(page, fragment: str) -> None:  # noqa: ANN001
    page.set_content(f"<!doctype html><html lang=vi><meta charset=utf-8><title>bai</title><body><article>{fragment}</article></body></html>")
    page.wait_for_load_state("load")


def test_unsanitized_body_would_run_which_the_test_sees(story_html, new_page) -> None:
    """The control: without the sanitizer the raw body runs, and the test notices."""
    raw, _ = story_html
    page = new_page()
    load_fragment(page, raw)
    assert page.evaluate(PWNED) is True
    assert page.evaluate(HOSTILE_DOM, None) != []


def test_sanitizer_strips_what_got_past_the_checker(story_html, new_page) -> None:
    _, clean = story_html
    page = new_page()
    load_fragment(page, clean)
    assert page.locator("article a", has_text="bấm vào đây").count() == 1  # the text stays, the link goes
    click_every_link(page, "article")
    assert_harmless(page, "bài đã lọc")
    assert page.locator("article h1").inner_text().rstrip("#").strip() == CANARY_TITLE
