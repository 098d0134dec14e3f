"""Generated pages rendered and built on the second core, by MkDocs' own code (parallel.py).

Generated pages outside the navigation, from the last in the order MkDocs
builds pages, are read and turned from Markdown into HTML in the worker by
MkDocs' `_populate_page`, our hooks included, exactly as the build would; what
that leaves on the page (table of contents, title, anchors, links to other
pages' anchors, metadata) and what it logged come back, and the build puts them
on its own page object instead of rendering the page again (skip_render,
apply). `_populate_page` and `_build_page` are MkDocs' internal steps, not an
API: mkdocs is pinned to one version, and tests/test_parallel.py builds sites
with and without the worker and compares every file.

Once the two meet, the worker also builds the pages it rendered whole, as
MkDocs' `_build_page` does (template, plugins, hooks, the file written), in
MkDocs' order, and leaves what the search plugin indexed of each. The build,
at that page's turn among the templates, puts those entries in its own
search index where its plugin would have put them, and neither indexes,
renders nor writes it again: the page's template is one that writes nothing
(overrides/gs-built.html; Prebuilt, finish_page, WrittenPages). The page's HTML
never comes to the build: should the worker not build the page, the build
reads it from the worker's folder and builds the page itself.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .blocks import SplitPage
from .parallel import PAGES, Worker, claim, give_up, put

BUILT = "built"  # the kind of result the worker leaves for each page it built whole
BUILT_TEMPLATE = "gs-built.html"  # overrides/: writes page.content as it is
WHOLE = "whole"  # a rendered page's HTML and blocks, left for the build should it need them
# The plugins whose work on a page the build knows how to take back from the worker: the
# search plugin's entries. With any other plugin, the build renders every page itself.
SHAREABLE = frozenset({"search", "material/search"})


def shareable(config: MkDocsConfig) -> bool:
    hooks = set(config.hooks or {})
    """Whether the worker may render and build pages: no plugin but search (and our hooks)."""
    return all(name in SHAREABLE or name in hooks for name in config.plugins)


@dataclass
class RenderedPage:
    """What rendering left on a page, as the build needs it."""

    toc: Any  # mkdocs.structure.toc.TableOfContents
    title: str | None
    meta: dict
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # links to anchors, by the target's src_uri
    logs: list[tuple[str, int, str]] = field(default_factory=list)


def choose(files: Files, nav: Any, generated: set[str]) -> dict[str, str]:
    """The pages the worker may render, each with its result's key, in MkDocs' order: every
    generated page (the build asks for those through SiteBuild.page_source) outside the
    navigation (a page in it is the theme's active page, and gives its title to every
    other page's navigation). The worker takes them from the last, the build from the
    first (parallel.claim)."""
    in_nav = {page.file.src_uri for page in nav.pages}
    pages = [f.src_uri for f in files.documentation_pages() if f.src_uri in generated and f.src_uri not in in_nav]
    return {uri: f"{PAGES}-{n}" for n, uri in enumerate(pages)}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def render_pages(folder: Path, chosen: dict[str, str], config: MkDocsConfig, files: Files, splits: dict[str, SplitPage]) -> list[tuple[str, Page]]:
    """In the worker: render the chosen pages, from the last, and leave what each left
    behind, until it reaches one the build has claimed (the build goes from the first).
    The pages it rendered, with their keys, in MkDocs' order."""
    capture = _capture()
    done: list[tuple[str, Page]] = []
    for uri, key in reversed(chosen.items()):
        if not claim(folder, key):
            break  # the build got here first: it has the earlier ones too
        file = files.get_file_from_path(uri)
        if file is None:
            give_up(folder, PAGES)
            break
        page = file.page if file.page is not None else Page(None, file, config)  # as MkDocs' build does
        capture.records = []
        try:
            _populate_page(page, config, files)
        except Exception:  # noqa: BLE001 - the build renders it again and reports the error itself
            give_up(folder, PAGES)
            break
        links = {target.src_uri: dict(anchors) for target, anchors in page.links_to_anchors.items()} if page.links_to_anchors else page.links_to_anchors
        # The HTML and the blocks that go back after the search plugin stay here, and in the
        # folder should the build have to build the page itself (finish_page).
        put(folder, f"{key}-{WHOLE}", (page.content or "", splits.get(uri)))
        put(folder, key, RenderedPage(page.toc, page._title_from_render, page.meta, page.present_anchor_ids, links, capture.records))
        done.append((key, page))
    return done[::-1]


def _capture() -> _Capture:
    """What the worker logs is kept, to be logged by the build at the same point."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    capture = _Capture()
    logger.addHandler(capture)
    return capture


@dataclass
class BuiltPage:
    """What building a page whole left that the build needs: its search entries."""

    entries: list[dict]
    logs: list[tuple[str, int, str]] = field(default_factory=list)


def search_index(config: MkDocsConfig) -> Any:
    """Material's search index (the plugin's), or None without the search plugin."""
    plugin = next((p for name, p in config.plugins.items() if name.rsplit("/", 1)[-1] == "search"), None)
    return getattr(plugin, "search_index", None)


def build_pages(folder: Path, done: list[tuple[str, Page]], config: MkDocsConfig, files: Files, nav: Any) -> None:
    """In the worker, once it has rendered its pages: build each whole as MkDocs'
    build would (files written), in MkDocs' order, and leave its search entries."""
    if not done:
        return
    capture = _capture()
    # Every page names the pages of the navigation, with their titles and meta, which the
    # build has read and rendered: so does the worker, for them (what they log is the build's to say).
    for page in nav.pages:
        if page.markdown is None:
            try:
                _populate_page(page, config, files)
            except Exception:  # noqa: BLE001 - the build renders them and reports the error
                give_up(folder, BUILT)
                return
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    index = search_index(config)
    doc_files = files.documentation_pages()
    for key, page in done:
        capture.records = []
        before = len(index.entries) if index is not None else 0
        try:
            _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
        except Exception:  # noqa: BLE001 - the build renders it itself and reports the error
            give_up(folder, BUILT)
            return
        put(folder, f"{BUILT}-{key}", BuiltPage(index.entries[before:] if index is not None else [], capture.records))
        (folder / f"{key}-{WHOLE}.pickle").unlink(missing_ok=True)  # built: the build will not need it


@dataclass
class Prebuilt:
    """A page the worker rendered, kept by the build until its template's turn: the
    worker's result key, and its meta as it was (should the worker not build it)."""

    key: str
    meta: dict


def expect_built(page: Page, key: str) -> Prebuilt:
    """In the build, as it takes the worker's rendering of a page: its template writes the
    page as the worker built it, and the search plugin leaves it to the worker's entries."""
    kept = Prebuilt(key, page.meta)
    page.meta = {**page.meta, "template": BUILT_TEMPLATE, "search": {"exclude": True}}
    return kept


def finish_page(
    kept: Prebuilt, worker: Worker | None, page: Page, context: dict, config: MkDocsConfig, nav: Any, splits: dict[str, SplitPage]
) -> bool:
    """In the build, at the page's turn among the templates (after the plugins' page
    context): true if the worker built the page, whose file it wrote, its search entries
    put in the index here. False if not: the page has its HTML again (and `splits` its
    blocks), the plugins have had it as MkDocs would have given it to them, and the
    build renders its template (site.page_context)."""
    page.meta = kept.meta
    built = worker.result(f"{BUILT}-{kept.key}", BUILT) if worker is not None else None
    if built is not None:
        index = search_index(config)
        if index is not None:
            index.entries.extend(built.entries)
        _replay(built.logs)
        return True
    assert worker is not None  # a page is kept only when a worker rendered it
    whole = worker.result(f"{kept.key}-{WHOLE}", PAGES)  # left before the page's other results
    assert whole is not None
    page.content, split = whole
    if split is not None:
        splits[page.file.src_uri] = split
    for method in config.plugins.events["page_context"]:
        if inspect.ismethod(method):  # the plugins' (the hooks' part is the caller's)
            method(context, page=page, config=config, nav=nav)  # the search plugin's works in place
    return False


class WrittenPages(logging.Filter):
    """The pages the worker wrote, in the build: their template writes nothing there
    (overrides/gs-built.html), and MkDocs' word that it skipped a page whose template
    wrote nothing is not said of them. Installed on MkDocs' build logger while the
    pages are built (install, remove)."""

    LOGGER = "mkdocs.commands.build"

    def __init__(self) -> None:
        super().__init__()
        self.messages: set[str] = set()

    def add(self, page: Page) -> None:
        self.messages.add(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")  # MkDocs' _build_page

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.messages

    def install(self) -> None:
        logging.getLogger(self.LOGGER).addFilter(self)

    def remove(self) -> None:
        logging.getLogger(self.LOGGER).removeFilter(self)


def skip_render(page: Page) -> None:
    """In the build, for a page the worker rendered: MkDocs' render step (a Markdown
    instance of its own for every page, on no text) is left out for this page object;
    `apply` then puts the worker's results on it."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = ""

    page.render = render  # type: ignore[method-assign]


def apply(rendered: RenderedPage, page: Page, files: Files) -> None:
    """Put on the build's page what the worker's rendering left; its HTML stays with the
    worker, which builds the page whole (finish_page)."""
    page.toc = rendered.toc
    page._title_from_render = rendered.title
    page.meta = rendered.meta
    page.present_anchor_ids = rendered.anchors
    if rendered.links is not None:
        page.links_to_anchors = {target: anchors for uri, anchors in rendered.links.items() if (target := files.get_file_from_path(uri)) is not None}
    _replay(rendered.logs)


def _replay(logs: list[tuple[str, int, str]]) -> None:
    """Log in the build what the worker logged, as MkDocs' own lines (--strict counts them)."""
    for name, level, message in logs:
        logging.getLogger(name).log(level, message)
