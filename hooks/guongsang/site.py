"""One site build: check → index → generate, and the per-page touches MkDocs asks for."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping


from . import blocks
from .cache import BuildCache, content_key
from .catalogue import Catalogue, build_catalogue
from .check import check_content
from .load import LoadedFile
from .models import Content
from .parallel import PAGES, Worker, claim
from .problems import ContentError, format_problems
from .render import Output, Renderer, make_env, page_url
from .safety import sanitize_story_body

if TYPE_CHECKING:
    from .handout import HandoutMemo

# Where Material's header puts the page's title (partials/header.html): the title is
# the first occurrence of its escaped text after this.
TITLE_MARKER = 'data-md-component="header-topic"'
HANDOUTS = "handouts"  # the claim keys of handouts: "handouts-<n>", n a story's place in the catalogue
PAUSED = "paused"  # a marker file: the handout worker makes no more handouts (start_background)

log = logging.getLogger("mkdocs.plugins.guongsang")

Generator = Callable[[Catalogue, Renderer], Iterable[Output]]

PREVIEW_ENV = "GUONGSANG_PREVIEW"
TODAY_ENV = "GUONGSANG_TODAY"
# The day a build belongs to is Vietnam's (UTC+7, no daylight saving): a commit made
# at 06:00 in Hà Nội is that day's, not the day before (in UTC).
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


class TodayError(ValueError):
    """GUONGSANG_TODAY is not a real date; the message says so in Vietnamese."""


def build_today(environ: dict | None = None) -> dt.date:
    """The build's "today": GUONGSANG_TODAY, else SOURCE_DATE_EPOCH, else the clock.

    Reproducible builds pin it through SOURCE_DATE_EPOCH (the last commit); the
    daily rebuild passes the real date so scheduled stories appear on time.
    """
    env = os.environ if environ is None else environ
    if env.get(TODAY_ENV):
        try:
            return dt.date.fromisoformat(env[TODAY_ENV].strip())
        except ValueError:
            raise TodayError(f"{TODAY_ENV}='{env[TODAY_ENV]}' không phải một ngày có thật dạng YYYY-MM-DD (ví dụ 2017-05-19); sửa hoặc bỏ biến này.") from None
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=VIETNAM).date()
    return dt.datetime.now(VIETNAM).date()


def preview_requested(environ: dict | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(PREVIEW_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def generators() -> tuple[Generator, ...]:
    # Imported here so that each generator module stays downstream of this one.
    from . import exports, feeds, pages, programme, redirects, reference

    return (
        pages.generate_pages,
        feeds.generate_feeds,
        exports.generate_exports,
        reference.generate_guide,
        redirects.generate_redirects,
        programme.generate_programme,
    )


def handout_generator(memo: HandoutMemo | None = None) -> Generator:
    """The handouts, when the build makes them all itself (no second core: start_background).
    Under `mkdocs serve` the last build's are reused by what they are made from."""
    from . import handout

    return functools.partial(handout.generate_handouts, memo=memo)


@dataclass
class SiteBuild:
    """State of one build, made fresh at every (re)build; nothing outlives it.

    `previous` is what the last build handed over (BuildCache): under `mkdocs
    serve` unchanged files are not parsed again, unchanged content is not
    indexed and generated again, and a dirty rebuild skips unchanged outputs.
    """

    root: Path
    site_url: str
    today: dt.date
    preview: bool = False
    site_dir: str = ""
    previous: BuildCache = field(default_factory=BuildCache)
    remember: bool = True  # keep each file's load for the next build (only `mkdocs serve` has one)
    catalogue: Catalogue | None = None
    outputs: list[Output] = field(default_factory=list)
    story_pages: dict[str, int] = field(default_factory=dict)  # source paths of story pages → the story's place in the catalogue
    updated: dict[str, str] = field(default_factory=dict)  # story URL → its last update, its date or latest correction (SiteBuild.lastmod)
    files: Mapping[str, LoadedFile] = field(default_factory=dict)  # each story and unit file's load
    key: bytes = b""  # the content key (cache.content_key)
    reused: bool = False  # the catalogue and outputs are the last build's
    unchanged: set[str] = field(default_factory=set)  # outputs the last completed build wrote as they are
    splits: dict[str, blocks.SplitPage] = field(default_factory=dict)  # generated pages between read and render
    theme_pieces: dict[tuple[str, str], str] = field(default_factory=dict)  # SiteBuild.cached
    titled_pieces: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # SiteBuild.cached_titled
    parallel: bool = False  # give part of the work to a forked process (parallel.py)
    handouts: Mapping[bytes, Output] = field(default_factory=dict)  # this build's, by what they are made from
    renderer: Renderer | None = None
    worker: Worker | None = None  # the process forked at on_nav to render and build pages (start_background)
    handout_worker: Worker | None = None  # the process forked once the catalogue is made, for the handouts
    handout_markdown: Any = None  # handouts made with the pages: this process's Markdown (_handout_with_page)
    offloaded: dict[str, str] = field(default_factory=dict)  # pages the worker may render, with their keys
    rendered: dict[str, Any] = field(default_factory=dict)  # (key, offload.RenderedPage), between read and content
    built: dict[str, Any] = field(default_factory=dict)  # offload.Prebuilt: pages the worker builds whole, until their template
    env: Any = None  # MkDocs' template environment (on_env)
    written: Any = None  # offload.WrittenPages: the pages the worker wrote, while pages are built

    def run(self) -> list[Output]:
        """Check all content (fail on any error), index it, generate every file."""
        result = check_content(self.root, self.previous.files, today=self.today, parallel=self.parallel)
        if result.errors:
            raise ContentError(result.problems)
        for problem in result.warnings:
            log.info(problem.format())
        # A one-off build has no next build: its files' parsed documents (80 MiB at
        # 10,000 stories) are let go as soon as the check is done.
        self.files = result.files if self.remember else {}
        self.key = content_key(result.digests, today=self.today, preview=self.preview, site_url=self.site_url)
        written = self.previous.written(self.site_dir)
        self.reused = self.previous.reusable(self.key)
        if self.reused:
            assert self.previous.catalogue is not None
            self.catalogue, self.outputs = self.previous.catalogue, list(self.previous.outputs)
            self.handouts = self.previous.handouts
        else:
            self._generate(result.content)
        self.unchanged = {out.uri for out in self.outputs if written.get(out.uri, None) == out.content}
        self.previous = BuildCache()  # the last build's outputs are no longer needed: let them go
        self.story_pages = {f"{s.url.rstrip('/')}.md": n for n, s in enumerate(self.catalogue.stories)}
        from .feeds import updated_on

        self.updated = {s.url: updated_on(s).isoformat() for s in self.catalogue.stories}
        return self.outputs

    def _generate(self, content: Content) -> None:
        cat = self.catalogue = build_catalogue(content, today=self.today, preview=self.preview)
        renderer = self.renderer = Renderer(make_env(), self.site_url)
        # The handouts need only the catalogue: a second core makes them while this one
        # generates the pages, until the page worker starts (start_background). The rest
        # are made with the story pages, by whichever process renders the page
        # (_handout_with_page); any left at the end (a process died) by the build once
        # the workers are done (finish_background).
        def until_paused(folder: Path) -> Callable[[str], bool]:
            return lambda key: not (folder / PAUSED).exists() and claim(folder, key)

        if self.parallel:
            self.handout_worker = Worker.start(lambda folder: self._write_handouts(until_paused(folder)))
        if self.handout_worker is not None:
            outputs = generate_all(generators(), cat, renderer)
        else:
            from .handout import HandoutMemo

            memo = HandoutMemo(self.previous.handouts) if self.remember else None
            outputs = generate_all((*generators(), handout_generator(memo)), cat, renderer)
            self.handouts = memo.current if memo is not None else {}
        self.outputs = sorted_unique(outputs)

    def start_background(self, config: Any, files: Any, nav: Any) -> None:
        """Once MkDocs knows every file (its `on_nav`): fork the worker, which renders generated
        pages outside the navigation from the last (offload.py) and builds those pages whole,
        each story page's handout with it; the build renders pages from the first. Only with
        plugins whose page-level work the build knows how to take back (offload.SHAREABLE)."""
        if not self.parallel or self.catalogue is None or self.renderer is None:
            return
        from . import offload

        if not offload.shareable(config):
            return
        chosen = offload.choose(files, nav, {out.uri for out in self.outputs if out.uri.endswith(".md")})

        def work(folder: Path) -> None:
            done = offload.render_pages(folder, chosen, config, files, self.splits)
            offload.build_pages(folder, done, config, files, nav)

        self.worker = Worker.start(work)
        if self.worker is None:
            return  # no process could be started: the build renders every page
        self.offloaded = chosen
        if self.handout_worker is not None:
            (self.handout_worker.folder / PAUSED).touch()  # two processes for the pages, not three
        self.written = offload.WrittenPages()
        self.written.install()

    def _write_handouts(self, take: Callable[[str], bool]) -> None:
        """Write the handouts `take` lets this process make, straight into the site (whole
        or not at all: write_outputs)."""
        from .handout import make_markdown, render_handout

        assert self.catalogue is not None and self.renderer is not None
        cat, renderer, site_dir, md = self.catalogue, self.renderer, Path(self.site_dir), make_markdown()
        for n, story in enumerate(cat.stories):
            if take(f"{HANDOUTS}-{n}"):
                write_outputs([render_handout(cat, renderer, story, md)], site_dir)

    def _workers(self) -> list[Worker]:
        return [w for w in (self.worker, self.handout_worker) if w is not None]

    def stop_background(self) -> None:
        """The build failed: the workers' work is not needed."""
        for worker in self._workers():
            worker.stop()
        self.worker = self.handout_worker = None
        self._forget_written()

    def _forget_written(self) -> None:
        if self.written is not None:
            self.written.remove()
            self.written = None

    def finish_background(self) -> None:
        """Wait for the workers to end; then make any handout not written. Every story page
        made its handout (_handout_with_page): one is missing only when a process died, or
        was claimed by one that died before writing it."""
        self._forget_written()  # every page is built
        handouts = self.handout_worker
        for worker in self._workers():
            worker.finish()
        self.worker = self.handout_worker = None
        if handouts is None:
            return  # no handout worker: generation made them all (generate_handouts)
        assert self.catalogue is not None
        site_dir = Path(self.site_dir)
        stories = self.catalogue.stories
        missing = {f"{HANDOUTS}-{n}" for n, story in enumerate(stories) if not (site_dir / story.handout_url / "index.html").is_file()}
        self._write_handouts(missing.__contains__)
        sorted_unique([*self.outputs, *(Output(s.handout_url + "index.html", b"") for s in self.catalogue.stories)])  # no file made twice

    def cached(self, name: str, key: str, caller: Callable[[], str]) -> str:
        """A piece of the theme's page rendered once per key (overrides/main.html)."""
        if (name, key) not in self.theme_pieces:
            self.theme_pieces[name, key] = caller()
        return self.theme_pieces[name, key]

    def cached_titled(self, name: str, key: str, title: str, caller: Callable[[], str]) -> str:
        """A piece of the theme rendered once per key in which only the page's title differs
        (Material's header): kept as the text around the title's place after the topic
        marker. The title goes in as the theme writes it: MkDocs' template environment
        does not escape, and the titles of our pages come already escaped (render.py).
        Not kept when the title cannot be found there exactly once (then every page
        renders it itself). tests/test_theme_cache.py builds with and without this."""
        text = str(title) if title else ""
        around = self.titled_pieces.get((name, key))
        if around is not None and text:
            return around[0] + text + around[1]
        html = caller()
        start = html.find(TITLE_MARKER)
        at = html.find(text, start) if text and start >= 0 else -1
        if at >= 0 and html.find(text, at + 1) < 0:
            self.titled_pieces[name, key] = (str(html[:at]), str(html[at + len(text):]))
        return html

    def page_source(self, src_uri: str, source: str) -> str:
        """What MkDocs reads of a generated page: its Markdown, HTML blocks and front matter
        aside; nothing at all when the worker rendered the page (page_rendered)."""
        # Asked once per page: a second read must not wait for a page this process claimed.
        key = self.offloaded.pop(src_uri, None)
        if key is not None and self.worker is not None and not self.worker.claim(key):  # the worker has it
            rendered = self.worker.result(key, PAGES)
            if rendered is not None:
                self.rendered[src_uri] = (key, rendered)
                return ""
        split = blocks.split_page(source)
        if split is None:
            return source
        self.splits[src_uri] = split
        return split.markdown

    def page_read(self, page: Any) -> None:
        """A page MkDocs has read (its `on_page_markdown`): a generated page's meta is ours,
        read without YAML; a page the worker rendered is not rendered again (offload.skip_render)."""
        src_uri = page.file.src_uri
        split = self.splits.get(src_uri)
        if split is not None:
            page.meta = split.meta
        if src_uri in self.rendered:
            from . import offload

            offload.skip_render(page)

    def lastmod(self, url: str) -> str:
        """A page's date in the sitemap (overrides/sitemap.xml): a story's last update; "" for
        any other page, which keeps the build's day. By URL, not from the page's meta: a dirty
        rebuild does not read the pages it leaves alone."""
        return self.updated.get(url, "")

    def page_html(self, src_uri: str, html: str) -> tuple[str, set[str]]:
        """The page's HTML with its blocks back, and the anchors they define. Story bodies
        then pass through the HTML sanitizer: the checker's second line of defence."""
        split = self.splits.get(src_uri)
        anchors: set[str] = set()
        if split is not None:
            html, anchors = blocks.join_page(html, split), blocks.anchor_ids(split)
        number = self.story_pages.get(src_uri)
        if number is not None:
            html, body = sanitize_story_body(html)
            if self.handout_worker is not None:
                self._handout_with_page(number, body)
        return html, anchors

    def _handout_with_page(self, number: int, page_body: str) -> None:
        """While pages are built (in the build or the page worker), the handout of the story
        whose page this is, unless a process has claimed it: its body is made from the page's
        (handout.printable_from_page), without a second Markdown rendering where it can be."""
        assert self.handout_worker is not None and self.catalogue is not None and self.renderer is not None
        if not self.handout_worker.claim(f"{HANDOUTS}-{number}"):
            return
        from .handout import make_markdown, printable_from_page, render_handout

        if self.handout_markdown is None:
            self.handout_markdown = make_markdown()
        story = self.catalogue.stories[number]
        out = render_handout(self.catalogue, self.renderer, story, self.handout_markdown, printable_from_page(story, page_body))
        write_outputs([out], Path(self.site_dir))

    def page_rendered(self, src_uri: str, page: Any, files: Any) -> str | None:
        """For a page the worker rendered, its other results put on the page: no HTML ("")
        here, the worker builds the page whole (page_context). None for any other page."""
        taken = self.rendered.pop(src_uri, None)
        if taken is None:
            return None
        from . import offload

        key, rendered = taken
        offload.apply(rendered, page, files)
        self.built[src_uri] = offload.expect_built(page, key)  # the worker builds it whole too
        return ""

    def page_context(self, page: Any, context: dict, config: Any, nav: Any) -> None:
        """A page's turn among the templates, after the plugins': the blocks the search index
        skips go back, and the theme's pieces get their key. A page the worker built whole
        is its HTML as built (offload.finish_page); rendered here if the worker did not."""
        src_uri = page.file.src_uri
        kept = self.built.pop(src_uri, None)
        if kept is not None:
            from . import offload

            if offload.finish_page(kept, self.worker, page, context, config, nav, self.splits):
                assert self.written is not None
                self.written.add(page)
                page.content = ""  # overrides/gs-built.html writes nothing: the worker wrote the page
                return
        page.content = self.page_after_search(src_uri, page.content)
        context["gs_nav_key"] = theme_piece_key(page.url, [p.url for p in nav.pages])
        if kept is not None:  # the page's own template, since MkDocs renders gs-built.html
            assert self.env is not None
            page.content = self.env.get_template(page.meta.get("template", "main.html")).render(context)

    def page_after_search(self, src_uri: str, html: str) -> str:
        """The blocks the search index skips, once the search plugin has read the page."""
        split = self.splits.pop(src_uri, None)
        return blocks.join_excluded(html, split) if split is not None else html

    def handover(self) -> BuildCache:
        """What the next build may reuse, once this one has written the site."""
        return BuildCache(self.files, self.key, self.catalogue, tuple(self.outputs), self.site_dir, self.handouts)

    def post_build(self, site_dir: Path) -> None:
        """Work on the written site: the folded search index, the handouts, the offline copy."""
        from . import offline
        from .search import fold_site_index  # runs after Material's search plugin wrote its index

        assert self.catalogue is not None
        fold_site_index(site_dir, text_limit=search_text_limit(self.catalogue))
        self.finish_background()  # the handouts, made while MkDocs rendered the pages; the copy holds some
        offline.write_offline_copies(self.catalogue, site_dir, self.site_url)


# Without `search_text_limit` in settings.yml: every page's whole text while the site is
# small; beyond that, the start of each page, so that the index a phone downloads when
# its reader searches stays light (about 0.6 MB compressed per 1,000 stories instead
# of 1.9 MB: README, "Search").
FULL_TEXT_STORIES = 500
AUTO_TEXT_LIMIT = 1000


def search_text_limit(cat: Catalogue) -> int:
    """Characters of each page's text in the search index (0: all of it)."""
    chosen = cat.settings.search_text_limit
    if chosen is not None:
        return chosen
    return 0 if len(cat.stories) <= FULL_TEXT_STORIES else AUTO_TEXT_LIMIT


def theme_piece_key(page_url: str, nav_urls: list[str]) -> str:
    """Which pages share the theme's tabs and navigation sidebar ("" for none).

    Those come out the same on every page outside the navigation (nothing in them
    is active) in the same folder: their links are relative, and the same from
    "bai-viet/2017/a/" as from "bai-viet/2017/b/" unless a link leads inside the
    page's own folder."""
    if page_url in nav_urls or any(url.startswith(page_url) for url in nav_urls):
        return ""
    return posixpath.dirname(page_url.rstrip("/")) + "/"


def generate_all(generate: Iterable[Generator], cat: Catalogue, renderer: Renderer) -> list[Output]:
    # Kept as UTF-8, as it is written: half the memory of Vietnamese text held as
    # str, which takes two bytes a letter.
    return [
        Output(out.uri, out.content.encode("utf-8")) if isinstance(out.content, str) else out
        for generator in generate
        for out in generator(cat, renderer)
    ]


def write_outputs(outputs: Iterable[Output], site_dir: Path) -> list[str]:
    """Write files into the site, each whole or not at all (a temporary file renamed):
    a worker stopped halfway leaves no half-written file. Their paths."""
    written = []
    for out in outputs:
        target = site_dir / out.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        part.write_bytes(out.content if isinstance(out.content, bytes) else str(out.content).encode("utf-8"))
        os.replace(part, target)
        written.append(out.uri)
    return written


def sorted_unique(outputs: list[Output]) -> list[Output]:
    """The outputs by path; two with one path are a content error naming both pages
    (the checker's reserved ids should have caught it: this is the safety net)."""
    from .problems import Problem

    seen: dict[str, Output] = {}
    clashes = []
    for out in outputs:
        if out.uri in seen:
            first, second = describe_output(seen[out.uri]), describe_output(out)
            clashes.append(Problem(out.uri, 0, "", "GS703", f"Hai trang cùng ghi vào '{out.uri}': {first} và {second}",
                                   "Đổi mã (tên tệp trong content/) của đơn vị, bài hoặc văn bản có trang này."))
        seen.setdefault(out.uri, out)
    if clashes:
        raise ContentError(clashes)
    return sorted(outputs, key=lambda o: o.uri)


def describe_output(out: Output) -> str:
    """A generated file as a reader knows it: a page by its title, another file by its path."""
    import html
    import json
    import re

    text = out.content.decode("utf-8", "replace") if isinstance(out.content, bytes) else str(out.content)
    title = re.search(r'^title: (".*")$', text[:2000], re.MULTILINE) if out.uri.endswith(".md") else None
    return f"trang «{html.unescape(json.loads(title[1]))}»" if title else f"tệp {out.uri}"


def describe_error(error: ContentError) -> str:
    return "Nội dung có lỗi, chưa dựng được trang:\n" + format_problems(error.problems)


__all__ = ["SiteBuild", "build_today", "preview_requested", "describe_error", "page_url"]
