"""MkDocs hooks: wiring only. Every decision lives in the guongsang package."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from guongsang import site
from guongsang.problems import ContentError

# The build in progress. Replaced at every on_config, so nothing outlives a
# build under `mkdocs serve`.
_build: site.SiteBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = site.SiteBuild(
        root=Path(config.config_file_path).parent,
        site_url=config.site_url or "",
        today=site.build_today(),
        preview=site.preview_requested(),
    )
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
        files.append(File.generated(config, out.uri, content=out.content))
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    return _build.page_html(page.file.src_uri, html)


def on_post_build(*, config: MkDocsConfig) -> None:
    assert _build is not None
    _build.post_build(Path(config.site_dir))
