"""Generated pages reach MkDocs with their HTML blocks set aside (guongsang.blocks): the HTML
that comes out must be exactly what Markdown made of the whole page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
from bench.bench import make_ours
from mkdocs.config import load_config
from mkdocs.utils import meta as mkdocs_meta

from guongsang import blocks
from guongsang.site import SiteBuild

SITE = "https://guongsang.example.org/"
TODAY = dt.date(2026, 11, 18)


def generated_pages(root: Path) -> dict[str, str]:
    build = SiteBuild(root=root, site_url=SITE, today=TODAY, remember=False)
    return {out.uri: out.content.decode("utf-8") for out in build.run() if out.uri.endswith(".md")}


def converter(root: Path):  # noqa: ANN201
    config = load_config(str(root / "mkdocs.yml"))
    return lambda text: markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]).convert(text)


def both_ways(source: str, convert) -> tuple[dict, str, dict, str, blocks.SplitPage]:  # noqa: ANN001
    """(MkDocs' meta, Markdown's HTML of the whole page) and (ours, the HTML put back together)."""
    whole, meta = mkdocs_meta.get_data(source)
    split = blocks.split_page(source)
    assert split is not None
    joined = blocks.join_excluded(blocks.join_page(convert(split.markdown), split), split)
    return meta, convert(whole), split.meta, joined, split


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ours(tmp_path_factory.mktemp("corpus") / "project", 40, units=20)


@pytest.mark.parametrize("which", ["shipped", "corpus"])
def test_every_generated_page_renders_as_markdown_would_render_it(which: str, root: Path, corpus: Path) -> None:
    project = root if which == "shipped" else corpus
    convert = converter(project)
    pages = generated_pages(project)
    assert len(pages) > 40
    set_aside = 0
    for uri, source in sorted(pages.items()):
        meta, expected, our_meta, ours, split = both_ways(source, convert)
        assert our_meta == meta, uri
        assert ours == expected, uri
        set_aside += len(split.blocks)
        assert not our_html_left(split), uri
    assert set_aside > 4 * len(pages)  # the point: most of a page's HTML skips Markdown


def our_html_left(split: blocks.SplitPage) -> list[str]:
    """The paragraphs of our templates' HTML that Markdown still has to parse (outside the
    story body): a block that opens with one tag and ends with another (`</aside>` then a
    `<p>` on the next line) is not set aside, and costs a raw-HTML parse on every page."""
    outside = re.sub(rf"gs{split.token}x(\d+)", "", split.markdown)
    body = [int(n) for n in re.findall(rf"gs{split.token}x(\d+)", split.markdown) if split.blocks[int(n)] in (blocks.BODY_START, blocks.BODY_END)]
    if len(body) == 2:  # the story's own text may hold any HTML: not ours
        start, end = (split.placeholder(n) for n in body)
        outside = split.markdown[: split.markdown.index(start)] + split.markdown[split.markdown.index(end) :]
    # A <pre> may hold blank lines, so it cannot be cut at them: it is left to Markdown.
    return [part for part in re.split(r"\n\s*\n", outside) if part.lstrip().startswith("<") and "<pre" not in part]


def test_a_story_body_stays_markdown_html_and_all(root: Path) -> None:
    source = (
        '---\ntitle: "Bài"\n---\n\n# Bài\n\n<aside class="gs-meta">\n<dl><dt>a</dt></dl>\n</aside>\n\n'
        f"{blocks.BODY_START}\n\n"
        '<div markdown="1">\n**đậm**\n</div>\n\n<div class="x">\n\nđoạn *nghiêng*\n\n</div>\n\n'
        f"Đoạn **văn**.\n\n{blocks.BODY_END}\n"
    )
    meta, expected, our_meta, ours, split = both_ways(source, converter(root))
    assert ours == expected
    assert our_meta == meta == {"title": "Bài"}
    assert split.blocks == ['<aside class="gs-meta">\n<dl><dt>a</dt></dl>\n</aside>', blocks.BODY_START, blocks.BODY_END]
    assert "<strong>đậm</strong>" in ours and "<strong>văn</strong>" in ours


def test_text_cannot_pass_for_a_placeholder(root: Path) -> None:
    first = blocks.split_page('---\ntitle: "A"\n---\n\n<div class="a">A</div>\n')
    assert first is not None
    forged = first.placeholder(0)
    source = f'---\ntitle: "B"\n---\n\n<div class="b">B</div>\n\n{blocks.BODY_START}\n\n{forged}\n\n{blocks.BODY_END}\n'
    split = blocks.split_page(source)
    assert split is not None and split.token != first.token
    html = blocks.join_page(converter(root)(split.markdown), split)
    assert f"<p>{forged}</p>" in html and '<div class="a">' not in html


@pytest.mark.parametrize(
    ("block", "raw"),
    [
        ('<div class="x">\n<p>a</p>\n</div>', True),
        ("<!-- gs-body-start -->", True),
        ("<ul>\n<li><ul><li>x</li></ul></li>\n</ul>", True),
        ('<a href="x">inline first</a> then text', False),  # Markdown makes a paragraph of it
        ("<time>2017</time>", False),
        ("<div>\nno end", False),
        ('<div markdown="1">\n**x**\n</div>', False),  # md_in_html: Markdown inside
        ("<div>a</div>\ntext after", False),
        ("<!-- a --> b", False),
        ("text <div>x</div>", False),
    ],
)
def test_only_what_markdown_passes_through_is_set_aside(block: str, raw: bool) -> None:
    assert blocks.raw_html_block(block) is raw


def test_front_matter_not_ours_is_left_to_mkdocs() -> None:
    assert blocks.split_page("---\ntitle: plain yaml\n---\n\nx\n") is None
    assert blocks.split_page("---\ntitle: \"x\"\nno end\n") is None
    assert blocks.split_page(f'---\ntitle: "x"\n---\n\n{blocks.BODY_START}\n\nbody without its end\n') is None
    split = blocks.split_page("no front matter\n")
    assert split is not None and split.meta == {} and split.markdown == "no front matter\n"


def test_search_excluded_blocks_come_back_after_the_search_plugin() -> None:
    source = '---\ntitle: "T"\n---\n\n<ul class="a" data-search-exclude>\n<li>x</li>\n</ul>\n\n<p class="b">kept</p>\n'
    split = blocks.split_page(source)
    assert split is not None and split.excluded == {0}
    html = blocks.join_page(f"<p>{split.placeholder(0)}</p>\n<p>{split.placeholder(1)}</p>", split)
    assert "<li>x</li>" not in html and '<p class="b">kept</p>' in html  # what the search plugin reads
    assert blocks.join_excluded(html, split) == '<ul class="a" data-search-exclude>\n<li>x</li>\n</ul>\n\n<p class="b">kept</p>'


def test_anchors_in_blocks_count_for_link_validation() -> None:
    split = blocks.split_page('<section id="dinh-chinh">\n<a name="cu">x</a><h2 id="a&amp;b">y</h2>\n</section>\n')
    assert split is not None
    assert blocks.anchor_ids(split) == {"dinh-chinh", "cu", "a&b"}


def test_the_built_site_keeps_every_block(built_site: Path) -> None:
    story = next((built_site / "bai-viet" / "2017").glob("*/index.html")).read_text(encoding="utf-8")
    assert '<aside class="gs-meta"' in story and "gs-body-start" not in story
    assert not re.search(r"gs[0-9a-f]{16}x\d", story)  # no placeholder left behind
    listing = (built_site / "bai-viet" / "index.html").read_text(encoding="utf-8")
    assert '<ul class="gs-entries" data-search-exclude>' in listing
