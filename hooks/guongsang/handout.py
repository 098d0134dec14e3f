"""One-page print handouts: every story on one A4 sheet, with its address and a QR code.

A handout is a small static HTML file at in/<year>/<slug>/ (Story.handout_url),
not a MkDocs page: a second MkDocs page per story would double the build
time, while this costs about 3 ms a story (a third of it the QR code, another
third Markdown), spent on a second core during `mkdocs build` (parallel.py).

One page is guaranteed by choosing the type size before rendering: the text's
lines are counted for each size (a paragraph, list item or heading starts a
line; syllables fill lines at the size's measured rate) and the largest size
whose page holds them wins. A story too long even for the smallest size
prints its first paragraphs and points to the full text. tests/test_handout.py
prints every shipped handout and the limit cases in Chromium and asserts one
A4 page each.
"""

from __future__ import annotations

import hashlib
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import markdown
import segno
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .catalogue import Catalogue
from .models import Story
from .render import Output, Renderer, relative
from .safety import sanitize_html
from .text import count_words


@dataclass(frozen=True)
class Size:
    """One type size, measured: Chromium, A4, Liberation Serif (Times New Roman's metrics)."""

    css_class: str
    per_line: float  # syllables in a line of text (a column's line in two columns)
    gap: float  # lines lost per block: the half-empty last line and the spacing
    lines: float  # lines of text on the page, footer and a two-line title included
    columns: int


# Measured by printing filler text in paragraphs of 8 to 250 syllables (3.7
# letters a syllable; Vietnamese prose averages 3.4) and keeping the most that
# still printed on one page: 14 pt holds 35 lines of 18.5 syllables; the other
# sizes' syllables a line scale from it, and their line count is the least
# measured, but for 10 pt, whose measurements scattered most, scaled from 14 pt
# too. 240 random texts (paragraphs, lists, headings, titles of 6 to 30
# syllables, corrections) then all printed on one page.
SIZES: tuple[Size, ...] = (
    Size("gs-fit-14", per_line=18.5, gap=0.35, lines=34.8, columns=1),
    Size("gs-fit-13", per_line=19.9, gap=0.35, lines=37.6, columns=1),
    Size("gs-fit-12", per_line=10.4, gap=0.35, lines=77.5, columns=2),
    Size("gs-fit-11", per_line=11.35, gap=0.35, lines=89.4, columns=2),
    Size("gs-fit-10", per_line=12.5, gap=0.35, lines=95.0, columns=2),
)
MARGIN = 1.5  # lines kept free on each page, per column
CALIBRATION_TITLE = 17  # syllables of the title used in the measurement
TITLE_SCALE = 1.5 * 1.15 / 1.25  # a title line's height in text lines (font size × line height)
CORRECTION_LINES = 1.5  # a correction in the footer, in text lines per column
# The QR code's mask is fixed: letting segno score all eight costs five times
# as much (6 ms instead of 1 ms a story, at 10,000 stories a minute of build)
# and a scanner reads any mask.
QR_MASK = 0

_BLOCKS = re.compile(r"\n\s*\n")
# A line that starts a new rendered line inside a block: list items, headings, quotes, table rows.
_BREAK = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|>|\|)\s", re.MULTILINE)


class _Printable(Treeprocessor):
    """Drops images (the page has no room; the QR code leads to them) and link targets."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    _remove_keeping_tail(parent, child)
                elif child.tag == "a":
                    child.attrib.clear()
            for child in list(parent):
                if child.tag == "p" and not (child.text or "").strip() and len(child) == 0:
                    _remove_keeping_tail(parent, child)


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    tail = child.tail or ""
    index = list(parent).index(child)
    if index:
        before = parent[index - 1]
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(child)


class _PrintableExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_Printable(md), "gs-printable", 0)


@dataclass(frozen=True)
class Fit:
    css_class: str
    blocks: tuple[str, ...]  # the Markdown blocks printed
    truncated: bool


def body_blocks(body: str) -> list[str]:
    return [b.strip() for b in _BLOCKS.split(body.strip()) if b.strip()]


def block_lines(block: str, size: Size) -> float:
    """Lines a Markdown block takes: each list item, heading or row starts a line of its own."""
    parts = [p for p in _BREAK.split(block) if p.strip()] or [block]
    return sum(math.ceil(max(1, count_words(p)) / size.per_line) + size.gap for p in parts)


def title_lines(title: str, size: Size) -> float:
    """Extra lines of a title longer than the measured one (full width, larger type)."""
    per_title_line = size.per_line * size.columns / 1.5
    extra = math.ceil(count_words(title) / per_title_line) - math.ceil(CALIBRATION_TITLE / per_title_line)
    return extra * TITLE_SCALE * size.columns


def room(size: Size, story: Story) -> float:
    """Lines left for the text once the title and footer have theirs."""
    taken = title_lines(story.title, size) + len(story.corrections) * CORRECTION_LINES * size.columns
    return size.lines - MARGIN * size.columns - taken


def fit_story(story: Story) -> Fit:
    """The largest type that holds the story on one page; else its first blocks at the smallest."""
    blocks = body_blocks(story.body)
    for size in SIZES:
        if sum(block_lines(b, size) for b in blocks) <= room(size, story):
            return Fit(size.css_class, tuple(blocks), False)
    size = SIZES[-1]
    # The note pointing to the full text takes a block too.
    kept, used, limit = [], block_lines("x", size), room(size, story)
    for block in blocks:
        used += block_lines(block, size)
        if used > limit:
            break
        kept.append(block)
    return Fit(size.css_class, tuple(kept), True)


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code; segno writes only path data, nothing from content."""
    code = segno.make(url, error="m", mask=QR_MASK, micro=False, boost_error=False)
    return Markup(code.svg_inline(scale=1, border=2, omitsize=True, svgclass="gs-qr", lineclass=None))


def make_markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "footnotes", "attr_list", "def_list", "admonition", _PrintableExtension()])


def render_handout(cat: Catalogue, r: Renderer, story: Story, md: markdown.Markdown) -> Output:
    here = story.handout_url
    fit = fit_story(story)
    md.reset()
    body = Markup(sanitize_html(md.convert("\n\n".join(fit.blocks))))
    address = r.site_url + story.url if r.site_url else ""
    html = r.template("handout.html").render(
        link=lambda target: relative(here, target),
        story=story,
        body=body,
        fit=fit,
        address=address,
        qr=qr_svg(address) if address else Markup(""),
        aloud=cat.read_aloud_minutes(story),
        organisation=cat.settings.organisation,
    )
    return Output(f"{here}index.html", html)


def handout_key(cat: Catalogue, r: Renderer, story: Story) -> bytes:
    """Everything a story's handout is made from: the story (every field), the
    read-aloud rate, the organisation and the site's address."""
    inputs = (repr(story), cat.settings.syllables_per_minute, cat.settings.organisation, r.site_url)
    return hashlib.sha1(repr(inputs).encode("utf-8")).digest()


@dataclass
class HandoutMemo:
    """Handouts by what they are made from: under `mkdocs serve`, editing one story
    makes one handout again, not ten thousand (a QR code and Markdown each)."""

    previous: Mapping[bytes, Output] = field(default_factory=dict)
    current: dict[bytes, Output] = field(default_factory=dict)


def generate_handouts(cat: Catalogue, r: Renderer, memo: HandoutMemo | None = None) -> Iterable[Output]:
    md = make_markdown()
    for story in cat.stories:
        if memo is None:
            yield render_handout(cat, r, story, md)
            continue
        key = handout_key(cat, r, story)
        out = memo.previous.get(key)
        if out is None:
            made = render_handout(cat, r, story, md)
            out = Output(made.uri, str(made.content).encode("utf-8"))  # kept as written: half the memory
        memo.current[key] = out
        yield out
