"""Story pages rendered on the second core, by MkDocs' own code (parallel.py).

Story pages, from the last in the order MkDocs builds pages, are read and
turned from Markdown into HTML in the worker by MkDocs' `_populate_page`, our
hooks included, exactly as the build would; what that leaves on the page (its HTML,
table of contents, title, anchors, links to other pages' anchors, metadata)
and what it logged come back, and the build puts them on its own page object
instead of rendering the page again. `_populate_page` is MkDocs' internal
step, not an API: mkdocs is pinned to one version, and tests/test_parallel.py
builds sites with and without the worker and compares every file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .blocks import SplitPage
from .parallel import PAGES, claim, give_up, put



@dataclass
class RenderedPage:
    """What rendering left on a page, as the build needs it."""

    content: str
    toc: Any  # mkdocs.structure.toc.TableOfContents
    title: str | None
    meta: dict
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # links to anchors, by the target's src_uri
    split: SplitPage | None  # the blocks that go back after the search plugin (blocks.join_excluded)
    logs: list[tuple[str, int, str]] = field(default_factory=list)


def choose(files: Files, story_pages: set[str]) -> dict[str, str]:
    """The story pages the worker may render, each with its result's key, in MkDocs' order.
    The worker takes them from the last, the build from the first (parallel.claim)."""
    pages = [f.src_uri for f in files.documentation_pages() if f.src_uri in story_pages]
    return {uri: f"{PAGES}-{n}" for n, uri in enumerate(pages)}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def render_pages(folder: Path, chosen: dict[str, str], config: MkDocsConfig, files: Files, splits: dict[str, SplitPage]) -> None:
    """In the worker: render the chosen pages, from the last, and leave what each left
    behind, until it reaches one the build has claimed (the build goes from the first)."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):  # what the pages log is logged again by the build
        logger.removeHandler(handler)
    capture = _Capture()
    logger.addHandler(capture)
    for uri, key in reversed(chosen.items()):
        if not claim(folder, key):
            return  # the build got here first: it has the earlier ones too
        file = files.get_file_from_path(uri)
        if file is None:
            give_up(folder, PAGES)
            return
        page = file.page if file.page is not None else Page(None, file, config)  # as MkDocs' build does
        capture.records = []
        try:
            _populate_page(page, config, files)
        except Exception:  # noqa: BLE001 - the build renders it again and reports the error itself
            give_up(folder, PAGES)
            return
        links = {target.src_uri: dict(anchors) for target, anchors in page.links_to_anchors.items()} if page.links_to_anchors else page.links_to_anchors
        put(folder, key, RenderedPage(page.content or "", page.toc, page._title_from_render, page.meta, page.present_anchor_ids, links, splits.pop(uri, None), capture.records))
        page.content = None  # sent: the worker needs it no more


def apply(rendered: RenderedPage, page: Page, files: Files) -> str:
    """Put on the build's page what the worker's rendering left; the page's HTML."""
    page.toc = rendered.toc
    page._title_from_render = rendered.title
    page.meta = rendered.meta
    page.present_anchor_ids = rendered.anchors
    if rendered.links is not None:
        page.links_to_anchors = {target: anchors for uri, anchors in rendered.links.items() if (target := files.get_file_from_path(uri)) is not None}
    for name, level, message in rendered.logs:
        logging.getLogger(name).log(level, message)
    return rendered.content
