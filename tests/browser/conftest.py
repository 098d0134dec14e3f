"""Browser fixtures: the built site served on localhost, one Debian chromium per session, fresh contexts.

Playwright drives the system's chromium (never a downloaded browser); axe-core
comes from npm (package.json). `make browser-deps` installs both; when one is
missing the tests fail and say how to install it, they are never skipped.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import textwrap
import threading
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from conftest import FIXED_EPOCH, ROOT, copy_project, mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
# Every wait is on a condition; this only bounds how long a broken page may hang.
TIMEOUT_MS = 15_000

# -- the hostile canary ----------------------------------------------------

# What every hostile string tries to do; the tests read both back, and neither may ever happen.
PWNED = "window.__pwned=1;document.title='PWNED'"
CANARY_TITLE = f"Canary <script>{PWNED}</script> tiêu đề"
CANARY_SUMMARY = f'Tóm tắt <img src=x onerror="{PWNED}"> <a href="javascript:{PWNED}">bấm</a>'
CANARY_SOURCE = f"Nguồn <script>{PWNED}</script>"
# A link field the checker's ^https?:// pattern lets through, carrying markup that would
# leave the href attribute if it were not escaped.
CANARY_SOURCE_URL = f"https://example.org/nguon\"><img src=x onerror=\"{PWNED}\">' onmouseover='{PWNED}"
CANARY_TAGS = (f"<script>{PWNED}</script>", f"<svg onload={PWNED}>")
CANARY_YEAR = 2017
CANARY_SLUG = "canary-kiem-tra-ma-doc"
CANARY_URL = f"bai-viet/{CANARY_YEAR}/{CANARY_SLUG}/"
# A word found only in the canary, for the search test.
CANARY_WORD = "Canary"

# Hostile text the checker accepts: shown in code spans and blocks, or written escaped.
CANARY_SAFE_BODY = textwrap.dedent(
    f"""\
    Đoạn mở đầu của bài kiểm tra, viết để xem trang có chạy mã lạ hay không.

    Mã trong dòng: `<script>{PWNED}</script>`, `<img src=x onerror="{PWNED}">`
    và `[x](javascript:{PWNED})`.

    ```html
    <script>{PWNED}</script>
    <img src=x onerror="{PWNED}">
    <a href="javascript:{PWNED}">bấm</a>
    ```

    Chữ đã thoát: &lt;script&gt;{PWNED}&lt;/script&gt; và &lt;img src=x onerror="{PWNED}"&gt;.
    """
)
# Hostile markup the checker must refuse: raw HTML (GS408) and an unsafe link (GS409).
CANARY_RAW_BODY = textwrap.dedent(
    f"""\
    Đoạn mở đầu của bài kiểm tra.

    <script>{PWNED}</script>

    <img src="x" alt="ảnh" onerror="{PWNED}">

    [bấm vào đây](javascript:{PWNED})
    """
)


def canary_unit() -> str:
    """A unit of the shipped content, so that the canary passes the reference checks."""
    units = sorted(p.stem for p in (ROOT / "content" / "units").glob("*.yml"))
    assert units, "content/units/ không có đơn vị nào"
    return units[0]


def canary_story(body: str) -> str:
    """The canary's Markdown file. JSON strings are valid double-quoted YAML scalars."""
    quote = functools.partial(json.dumps, ensure_ascii=False)
    tags = "".join(f"  - {quote(t)}\n" for t in CANARY_TAGS)
    return (
        "---\n"
        f"title: {quote(CANARY_TITLE)}\n"
        "date: 2017-12-30\n"
        f"summary: {quote(CANARY_SUMMARY)}\n"
        "subject: tap-the\n"
        f"units:\n  - {canary_unit()}\n"
        f"tags:\n{tags}"
        "audiences:\n  - nguoi-dan\n"
        "flag_ceremony: false\n"
        f"source:\n  title: {quote(CANARY_SOURCE)}\n  url: {quote(CANARY_SOURCE_URL)}\n"
        "  publisher: Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "author: Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "reviewer: Lãnh đạo Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "status: published\n"
        "---\n\n" + body
    )


def write_canary(project: Path, body: str) -> Path:
    path = project / "content" / "stories" / str(CANARY_YEAR) / f"{CANARY_SLUG}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canary_story(body), encoding="utf-8")
    return path


# A story written in NFD (as some editors and pasted text produce): search finds it like NFC text.
NFD_SLUG = "bai-viet-to-hop-nfd"
NFD_URL = f"bai-viet/{CANARY_YEAR}/{NFD_SLUG}/"
NFD_TITLE = "Thôn Quỳnh Khê giữ gìn nếp sống văn hóa"
NFD_WORD = "Khê"  # in no shipped story


def write_nfd_story(project: Path) -> Path:
    story = (
        "---\n"
        f"title: {NFD_TITLE}\n"
        "date: 2017-12-29\n"
        "summary: Bà con thôn Quỳnh Khê cùng giữ đường làng sạch đẹp.\n"
        "subject: tap-the\n"
        f"units:\n  - {canary_unit()}\n"
        "audiences:\n  - nguoi-dan\n"
        "flag_ceremony: false\n"
        "source:\n  title: Bài thử chữ tổ hợp\n"
        "author: Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "reviewer: Lãnh đạo Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "status: published\n"
        "---\n\nMỗi sáng Chủ nhật, bà con thôn Quỳnh Khê cùng nhau quét dọn đường làng.\n"
    )
    path = project / "content" / "stories" / str(CANARY_YEAR) / f"{NFD_SLUG}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unicodedata.normalize("NFD", story), encoding="utf-8")
    return path


# -- serving ---------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@dataclass(frozen=True)
class Served:
    """A built site served over HTTP on localhost."""

    root: Path
    url: str  # ends in "/"

    def page(self, path: str) -> str:
        return self.url + path

    def path_of(self, url: str) -> str:
        """The site path of a served URL, query dropped, fragment kept: "don-vi/x/#lich-su"."""
        parts = urlsplit(url)
        path = unquote(parts.path).lstrip("/")
        return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")

    def file_of(self, url: str) -> Path | None:
        """The file the server answers a URL with; None when it answers 404."""
        target = self.root / unquote(urlsplit(url).path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None


def serve(site_dir: Path) -> Iterator[Served]:
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site_dir, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[Served]:
    """The shipped content, built once with --strict (tests/conftest.py), served."""
    yield from serve(built_site)


@pytest.fixture(scope="session")
def canary_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped content plus the hostile canary story (which passes the checker) and a story
    written in NFD, served."""
    project = copy_project(tmp_path_factory.mktemp("canary"))
    write_canary(project, CANARY_SAFE_BODY)
    write_nfd_story(project)
    site_dir = project / "site-built"
    result = mkdocs_build(project, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    yield from serve(site_dir)


# -- the browser -----------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    assert CHROMIUM.is_file(), "Chưa có chromium của Debian: chạy `make chromium`."
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong in a page: console errors, uncaught exceptions, failed requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self, page) -> None:  # noqa: ANN001 - playwright's Page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("requestfailed", lambda r: self.errors.append(f"requestfailed: {r.url} ({r.failure})"))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:  # noqa: ANN001
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """Open pages, each in a fresh context: no cache, storage or service worker shared."""
    contexts = []

    def open_page(viewport: dict = DESKTOP, **options: object):  # noqa: ANN202
        context = browser.new_context(viewport=viewport, locale="vi-VN", service_workers="block", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.log = PageLog()
        page.log.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def visit(page, url: str):  # noqa: ANN001, ANN201
    """Load a page and wait until the network is quiet: the theme's late requests are in."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '—'}"
    return response


# -- the pages under test -----------------------------------------------------


@dataclass(frozen=True)
class SitePages:
    """The site paths the page tests visit, chosen from the shipped content."""

    home: str
    story: str
    unit: str
    honor_roll: str
    programme: str
    stats: str

    NAMES = ("home", "story", "unit", "honor_roll", "programme", "stats")


def sample_catalogue():  # noqa: ANN201
    from guongsang.catalogue import build_catalogue
    from guongsang.check import check_content
    from guongsang.site import build_today

    result = check_content(ROOT)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    return build_catalogue(result.content, today=build_today({"SOURCE_DATE_EPOCH": FIXED_EPOCH}))


@pytest.fixture(scope="session")
def catalogue():  # noqa: ANN201
    return sample_catalogue()


@pytest.fixture(scope="session")
def pages(catalogue) -> SitePages:  # noqa: ANN001
    """The richest page of each kind: the story with the most metadata, the unit with the most
    honors and stories, the newest honor roll and school year."""
    cat = catalogue
    story = max(cat.stories, key=lambda s: (len(s.units) + len(s.tags) + len(s.topics) + len(s.tasks), s.id))
    unit = max(cat.units.values(), key=lambda u: (len(u.honors), len(cat.stories_by_unit.get(u.id, ())), u.id))
    programmes = sorted(cat.content.programmes, key=lambda p: p.id)
    return SitePages(
        home="",
        story=story.url,
        unit=unit.url,
        honor_roll=f"bang-vang/{cat.honor_years()[0]}/",
        # The URL is the model's, so the test stands before the page exists.
        programme=programmes[-1].url if programmes else "chao-co/2026-2027/",
        stats="thong-ke/",
    )


# -- page text and links -------------------------------------------------------


class PageText(HTMLParser):
    """A page's ids (the targets of #fragment links) and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value or "")
        if tag in ("script", "style", "svg"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


@functools.lru_cache(maxsize=256)
def read_page(path: Path) -> PageText:
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_text(served: Served, url: str) -> str:
    """The visible text of a served page, NFC, lower-cased: for "does it contain …" checks."""
    target = served.file_of(url)
    assert target is not None, f"{url}: không có tệp"
    return unicodedata.normalize("NFC", html.unescape(read_page(target).text)).lower()


def broken_links(served: Served, page_url: str, targets: list[str]) -> list[str]:
    """Same-site links of a page that lead nowhere: no file, or no element with the #fragment."""
    broken: list[str] = []
    for href in sorted(set(targets)):
        absolute = urljoin(page_url, href)
        if not absolute.startswith(served.url):
            continue
        target_url, fragment = urldefrag(absolute)
        target = served.file_of(target_url)
        if target is None:
            broken.append(f"{href} → {served.path_of(target_url)}: không có trang")
        elif fragment and target.suffix == ".html" and unquote(fragment) not in read_page(target).ids:
            broken.append(f"{href}: không có neo #{unquote(fragment)} trong {served.path_of(target_url)}")
    return broken


# -- search ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    count: int  # what the result line says: "12 tài liệu liên quan"
    paths: list[str]  # site path of each result, best first, "?h=" dropped
    titles: list[str]
    texts: list[str]  # each result's own words (its page's and its sections' titles and text), NFC


_RESULT_COUNT = re.compile(r"(\d+) tài liệu|Không tìm thấy")
# search-fold.js reports the worker's state: ready once the index is loaded, and how many
# queries it has not answered yet.
_SEARCH_SETTLED = """(query) => {
    const s = window.guongsangSearch && window.guongsangSearch.state;
    return !!s && s.ready && s.pending === 0 && s.query === query;
}"""


def open_search(page) -> object:  # noqa: ANN001
    """Open the search box (on a phone, from the header's search button) and focus it."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator('label.md-header__button[for="__search"]').click()
    box.focus()
    return box


def search(page, served: Served, query: str) -> SearchResults:  # noqa: ANN001
    """Type a query into Material's search box and wait for the worker's answer to it.

    "Không tìm thấy" is read only once the worker is ready and has answered this very
    query: an answer to an earlier one (the empty box, on focus) says nothing."""
    from playwright.sync_api import expect

    box = open_search(page)
    page.wait_for_function("() => window.guongsangSearch && window.guongsangSearch.state.ready")
    box.fill(query)
    # The theme reads the box on keyup (and just after focus), not on input events.
    box.press("End")
    page.wait_for_function(_SEARCH_SETTLED, arg=query)
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(_RESULT_COUNT)
    match = _RESULT_COUNT.search(meta.inner_text())
    count = int(match.group(1)) if match.group(1) else 0
    if count:
        expect(page.locator(".md-search-result__list > li").first).to_be_visible()
    found = page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__list > li.md-search-result__item')].map(li => {
            const link = li.querySelector('a.md-search-result__link');
            const heading = link.querySelector('h1, h2');
            const own = [...li.querySelectorAll('article')].map(a => a.textContent).join(' ');
            return [link.href, (heading || link).textContent.trim(), own];
        })"""
    )
    return SearchResults(
        count,
        [served.path_of(href) for href, _, _ in found],
        [title for _, title, _ in found],
        [" ".join(unicodedata.normalize("NFC", text).split()) for _, _, text in found],
    )


# -- axe-core ------------------------------------------------------------------


def audit(page) -> list[dict]:  # noqa: ANN001
    """axe-core's serious and critical violations of WCAG 2 A/AA rules on the loaded page."""
    assert AXE.is_file(), "Chưa có axe-core: chạy `make browser-deps` (npm install)."
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n')[1].trim())}));
        }"""
    )
