"""MkDocs hooks: wiring only. Every decision lives in the guongsang package."""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from guongsang import site
from guongsang.cache import BuildCache
from guongsang.parallel import parallel_possible
from guongsang.problems import ContentError

# The build in progress. Replaced at every on_config, so nothing outlives a
# build under `mkdocs serve`.
_build: site.SiteBuild | None = None
# What the last build hands to the next under `mkdocs serve`: replaced whole
# after every build, never added to (cache.BuildCache).
_cache = BuildCache()
_serving = True  # set by on_startup: only `mkdocs serve` builds more than once
_dirty = False  # `mkdocs build --dirty`: MkDocs renders only some pages, the second core none


class GeneratedFile(File):
    """A generated file that knows whether the last completed build wrote it as it is:
    a dirty rebuild (`mkdocs serve --dirty`) then leaves it alone. MkDocs asks only then."""

    unchanged = False

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class GeneratedPage(GeneratedFile):
    """A generated Markdown page. MkDocs reads it with its HTML blocks and front matter
    already taken out (guongsang.blocks); they go back in on_page_markdown and after."""

    @property
    def content_string(self) -> str:
        assert _build is not None
        return _build.page_source(self.src_uri, File.content_string.fget(self))

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving, _dirty
    _serving, _dirty = command == "serve", dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _cache
    try:
        today = site.build_today()
    except site.TodayError as error:  # a mistyped GUONGSANG_TODAY: one line, no traceback
        raise PluginError(str(error)) from None
    _build = site.SiteBuild(
        root=Path(config.config_file_path).parent,
        site_url=config.site_url or "",
        today=today,
        preview=site.preview_requested(),
        site_dir=config.site_dir,
        previous=_cache,
        remember=_serving,
        parallel=not _serving and not _dirty and parallel_possible(),
    )
    _cache = _cache.loads_only()  # until this build completes, only the files' loads hold
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    assert _build is not None
    try:
        outputs = _build.run()
    except ContentError as error:
        raise PluginError(site.describe_error(error)) from None
    for out in outputs:
        if files.get_file_from_path(out.uri) is not None:
            raise PluginError(f"docs/{out.uri} trùng với một trang được sinh ra; đổi tên tệp trong docs/.")
        kind = GeneratedPage if out.uri.endswith(".md") else GeneratedFile
        file = kind.generated(config, out.uri, content=out.content)
        file.unchanged = out.uri in _build.unchanged
        files.append(file)
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    assert _build is not None
    _build.start_background(config, files, nav)  # every file is known now
    return nav


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    _build.page_read(page)
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    # MkDocs renders every page before writing any and keeps each page's source
    # and HTML to the end: at 10,000 stories, most of the build's memory. Neither
    # is read again once used (a page's title comes from its meta or its render).
    page.markdown = ""
    rendered = _build.page_rendered(page.file.src_uri, page, files)
    if rendered is not None:
        return rendered  # the worker rendered this page (guongsang.offload)
    html, anchors = _build.page_html(page.file.src_uri, html)
    if anchors and page.present_anchor_ids is not None:
        page.present_anchor_ids |= anchors
    return html


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    assert _build is not None
    env.globals["gs_cached"] = _build.cached
    env.globals["gs_cached_titled"] = _build.cached_titled
    env.globals["gs_lastmod"] = _build.lastmod
    _build.env = env
    return env


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    assert _build is not None
    # After the search plugin (hooks run after plugins): blocks it would skip go back only now.
    _build.page_context(page, context, config, nav)
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    page.content = None  # written out next; nothing reads it again
    return output


def on_build_error(*, error: Exception) -> None:
    if _build is not None:
        _build.stop_background()


def on_post_build(*, config: MkDocsConfig) -> None:
    global _cache
    assert _build is not None
    _build.post_build(Path(config.site_dir))
    _cache = _build.handover()
