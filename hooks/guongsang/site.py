"""One site build: check → index → generate, and the per-page touches MkDocs asks for."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .catalogue import Catalogue, build_catalogue
from .check import check_content
from .problems import ContentError, format_problems
from .render import Output, Renderer, make_env, page_url
from .safety import sanitize_story_html

log = logging.getLogger("mkdocs.plugins.guongsang")

Generator = Callable[[Catalogue, Renderer], Iterable[Output]]

PREVIEW_ENV = "GUONGSANG_PREVIEW"
TODAY_ENV = "GUONGSANG_TODAY"


def build_today(environ: dict | None = None) -> dt.date:
    """The build's "today": GUONGSANG_TODAY, else SOURCE_DATE_EPOCH, else the clock.

    Reproducible builds pin it through SOURCE_DATE_EPOCH (the last commit); the
    daily rebuild passes the real date so scheduled stories appear on time.
    """
    env = os.environ if environ is None else environ
    if env.get(TODAY_ENV):
        return dt.date.fromisoformat(env[TODAY_ENV])
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def preview_requested(environ: dict | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(PREVIEW_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def generators() -> tuple[Generator, ...]:
    # Imported here so that each generator module stays downstream of this one.
    from . import pages

    return (pages.generate_pages,)


@dataclass
class SiteBuild:
    """State of one build, made fresh at every (re)build; nothing outlives it."""

    root: Path
    site_url: str
    today: dt.date
    preview: bool = False
    catalogue: Catalogue | None = None
    outputs: list[Output] = field(default_factory=list)
    story_pages: set[str] = field(default_factory=set)  # source paths of story pages

    def run(self) -> list[Output]:
        """Check all content (fail on any error), index it, generate every file."""
        result = check_content(self.root)
        if result.errors:
            raise ContentError(result.problems)
        for problem in result.warnings:
            log.info(problem.format())
        self.catalogue = build_catalogue(result.content, today=self.today, preview=self.preview)
        renderer = Renderer(make_env(), self.site_url)
        outputs: list[Output] = []
        for generate in generators():
            outputs.extend(generate(self.catalogue, renderer))
        seen: dict[str, Output] = {}
        for out in outputs:
            if out.uri in seen:
                raise ValueError(f"Hai bộ sinh trang cùng tạo '{out.uri}'")  # a bug, not content
            seen[out.uri] = out
        self.outputs = sorted(outputs, key=lambda o: o.uri)
        self.story_pages = {f"{s.url.rstrip('/')}.md" for s in self.catalogue.stories}
        return self.outputs

    def is_story_page(self, src_uri: str) -> bool:
        return src_uri in self.story_pages

    def page_html(self, src_uri: str, html: str) -> str:
        """Story bodies pass through the HTML sanitizer: the checker's second line of defence."""
        if src_uri not in self.story_pages:
            return html
        return sanitize_story_html(html)

    def post_build(self, site_dir: Path) -> None:
        """Work on the written site (offline copy); nothing yet beyond MkDocs' own output."""


def describe_error(error: ContentError) -> str:
    return "Nội dung có lỗi, chưa dựng được trang:\n" + format_problems(error.problems)


__all__ = ["SiteBuild", "build_today", "preview_requested", "describe_error", "page_url"]
