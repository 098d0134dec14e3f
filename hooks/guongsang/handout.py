"""One-page print handouts: every story on one A4 sheet, with its address and a QR code.

A handout is a small static HTML file at in/<year>/<slug>/ (Story.handout_url),
not a MkDocs page: a second MkDocs page per story would double the build
time, while this costs about 2.5 ms a story (Markdown about 1 ms, the QR code
0.4 ms), shared between two cores during `mkdocs build` (parallel.py).

One page is guaranteed by choosing the type size before rendering, from the
text alone (pagefit.py). tests/test_handout.py prints every shipped handout
and the limit cases in Chromium and asserts one A4 page each.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import markdown
import zxingcpp
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .catalogue import Catalogue
from .models import Story
from .pagefit import fit_story
from .render import Output, Renderer, relative
from .safety import sanitize_html


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


QR_BORDER = 2  # modules of quiet zone around the code
_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: 0 for a dark module, 255 for a light one


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code (error correction M): only path data, nothing from content.

    zxing-cpp encodes, in C++: 0.15 ms a code, where segno took 0.7 ms in Python (at
    10,000 handouts, about 6 s of CPU). The drawing is one stroke per run of dark
    modules along each row's middle. tests/test_handout.py follows the path back into
    an image, reads it with zxing-cpp's decoder and compares it with the encoder's matrix.
    """
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape
    modules = bytes(memoryview(image))
    size = width + 2 * QR_BORDER
    path, x, y = [], 0, 0.0
    for row in range(height):
        line_y = QR_BORDER + row + 0.5  # a one-module stroke along the row's middle
        for run in _DARK_RUN.finditer(modules, row * width, (row + 1) * width):
            x1, x2 = QR_BORDER + run.start() - row * width, QR_BORDER + run.end() - row * width
            dy = line_y - y
            path.append(f"{'m' if path else 'M'}{x1 - x} {int(dy) if int(dy) == dy else dy}h{x2 - x1}")
            x, y = x2, line_y
    return Markup(f'<svg viewBox="0 0 {size} {size}" class="gs-qr"><path stroke="#000" d="{"".join(path)}"/></svg>')


def make_markdown() -> markdown.Markdown:
    # fenced_code and tables as MkDocs adds them to every page's Markdown.
    return markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "attr_list", "def_list", "admonition", _PrintableExtension()])


# What the story page's toc adds to a heading, and a link's attributes (_Printable clears them).
_HEADERLINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="[^"]*">#</a>')
_HEADING_ID = re.compile(r'<(h[1-6]) id="[^"]*">')
_LINK_ATTRIBUTES = re.compile(r"<a\s[^>]*>")
# Markdown whose page HTML cannot be turned into the print HTML by the three patterns:
# raw HTML and autolinks, images, footnotes, attribute lists, a table of contents, fenced
# code (kept out for safety's sake, though both renderings have fenced_code).
_NOT_PLAIN = ("<", "![", "[^", "{", "[TOC]", "```", "~~~")
# A whole inline link: the story page's Markdown has its relative targets made
# docs-absolute (pages.story_body) wherever "](" stands outside code, the print Markdown
# does not; the two surely agree when every "](" opens the target of such a link.
_INLINE_LINK = re.compile(r"""\[[^\[\]\n`\\]*\]\((?!\s)[^()\s`\\]*(?:\s+"[^"\n]*")?\)""")


def _plain(body: str) -> bool:
    if any(mark in body for mark in _NOT_PLAIN):
        return False
    if "](" in body and ("`" in body or "\\" in body or body.count("](") != len(_INLINE_LINK.findall(body))):
        return False  # "](" after an escape or outside a plain link, or code: left to Markdown
    return True


def printable_from_page(story: Story, page_body: str) -> Markup | None:
    """The handout's body made from the story page's body HTML (Markdown's, sanitized), as
    Markdown with _Printable would make it: the page's heading ids and permalinks go, links
    lose their attributes. None when the story uses anything else the two renderings treat
    differently (_plain), is printed cut, or is not in the blocks it prints: then the
    handout is rendered from the Markdown (render_handout). A Markdown rendering saved per
    story, the larger part of a handout's cost. tests/test_handout.py compares the two
    renderings on tricky bodies; tests/test_parallel.py builds the shipped site and rich
    stories with every handout made with the pages and compares them with a one-process build."""
    fit = fit_story(story)
    if fit.truncated or not _plain(story.body) or "\n\n".join(fit.blocks) != story.body.strip():
        return None
    html = _HEADING_ID.sub(r"<\1>", _HEADERLINK.sub("", page_body.strip()))
    return Markup(_LINK_ATTRIBUTES.sub("<a>", html))


def render_handout(cat: Catalogue, r: Renderer, story: Story, md: markdown.Markdown, body: Markup | None = None) -> Output:
    """A story's handout; its body rendered from the Markdown unless given (printable_from_page)."""
    here = story.handout_url
    fit = fit_story(story)
    if body is None:
        md.reset()
        body = Markup(sanitize_html(md.convert("\n\n".join(fit.blocks))))
    address = r.site_url + story.url if r.site_url else ""
    html = r.template("handout.html").render(
        link=lambda target: relative(here, target),
        story=story,
        draft=is_draft(cat, story),
        body=body,
        fit=fit,
        address=address,
        qr=qr_svg(address) if address else Markup(""),
        aloud=cat.read_aloud_minutes(story),
        organisation=cat.settings.organisation,
    )
    return Output(f"{here}index.html", html)


def is_draft(cat: Catalogue, story: Story) -> bool:
    """A preview's handout of a story the public does not see (yet): printed, it must
    not pass for a published one."""
    return cat.preview and not cat.is_public(story)


def handout_key(cat: Catalogue, r: Renderer, story: Story) -> bytes:
    """Everything a story's handout is made from: the story (every field), the
    read-aloud rate, the organisation, the site's address and whether it is a draft."""
    inputs = (repr(story), cat.settings.syllables_per_minute, cat.settings.organisation, r.site_url, is_draft(cat, story))
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
