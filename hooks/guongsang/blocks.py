"""Generated pages: HTML blocks kept out of Markdown, front matter read without YAML.

A generated page is Markdown for its headings (the table of contents and
permalinks come from Python-Markdown's toc) and, on a story page, the story's
own text; the rest is HTML from our templates: the story's metadata panel,
listings, honor rolls. Handed to MkDocs as it is, that HTML is parsed three
times before the page is written: by MkDocs' anchor scan, by Python-Markdown's
raw-HTML extraction (md_in_html's, which builds a tree of it), and by the
search plugin. At 10,000 stories that was a quarter of the build.

So a generated page is split before MkDocs reads it (`split_page`): every
top-level HTML block becomes a one-word placeholder paragraph, and the front
matter (ours: one JSON value a line) is read here. After Markdown,
`join_page` puts the blocks back where their placeholders are. A block marked
`data-search-exclude` goes back only after the search plugin has read the page
(`join_excluded`): the search index skips it anyway, and now does not parse it.

What stays Markdown is exactly what Markdown would have treated as Markdown: a
block is taken out only when Python-Markdown would pass it through as raw HTML
too (it opens with a block-level tag or a comment at the start of a line, and
the tag closes at the block's end), and never between the story body's
markers, where the author's Markdown (and any HTML in it) goes through
Markdown and then the sanitizer. tests/test_blocks.py builds every generated
page both ways and compares the HTML.

The placeholder carries a token computed from the page itself: a story's text
cannot contain its own page's token, so it cannot forge a placeholder.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field

from markdown.util import BLOCK_LEVEL_ELEMENTS

BODY_START = "<!-- gs-body-start -->"
BODY_END = "<!-- gs-body-end -->"
SEARCH_EXCLUDE = " data-search-exclude"

_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
_SEPARATOR = re.compile(r"(\n(?:[ \t]*\n)+)")  # one or more blank lines
_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])")
_FIRST_TAG = re.compile(r"<[^>]*>")
_ID = re.compile(r"""<a\s[^>]*?\bname="([^"]*)"|\sid="([^"]*)\"""")
_FRONT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.*)")


@dataclass
class SplitPage:
    """A generated page as MkDocs gets it: Markdown with placeholders, and what they stand for."""

    meta: dict
    markdown: str
    token: str
    blocks: list[str] = field(default_factory=list)  # by placeholder number
    excluded: set[int] = field(default_factory=set)  # blocks the search index skips

    def placeholder(self, number: int) -> str:
        return f"gs{self.token}x{number}"


def read_front_matter(source: str) -> tuple[dict, str] | None:
    """Our generated front matter (render.front_matter: `key: <JSON>` lines); None if it is not ours."""
    if not source.startswith("---\n"):
        return {}, source
    end = source.find("\n---\n", 3)
    if end < 0:
        return None
    meta = {}
    for line in source[4:end].split("\n"):
        match = _FRONT_LINE.fullmatch(line)
        if not match:
            return None
        try:
            meta[match[1]] = json.loads(match[2])
        except ValueError:
            return None
    return meta, source[end + 5 :].lstrip("\n")


def raw_html_block(block: str) -> bool:
    """Whether Python-Markdown would pass this block through as raw HTML, unchanged."""
    if block.startswith("<!--"):
        return block.endswith("-->") and block.count("<!--") == 1 and block.find("-->") == len(block) - 3
    match = _OPEN.match(block)
    if not match or match[1].lower() not in _BLOCK_LEVEL:
        return False
    first = _FIRST_TAG.match(block)
    if first is None or "markdown" in first[0]:  # md_in_html turns Markdown on inside: leave it to Markdown
        return False
    tag = match[1].lower()
    opened = len(re.findall(rf"<{tag}(?=[\s/>])", block, re.IGNORECASE))
    closed = len(re.findall(rf"</{tag}\s*>", block, re.IGNORECASE))
    closing = re.search(rf"</{tag}\s*>\s*\Z", block, re.IGNORECASE)
    return opened == closed and closing is not None


def split_page(source: str) -> SplitPage | None:
    """The page with its HTML blocks replaced by placeholders; None to leave the page to MkDocs."""
    front = read_front_matter(source)
    if front is None:
        return None
    meta, body = front
    text = body.rstrip()
    parts = [*_SEPARATOR.split(text), body[len(text) :]]  # the last separator: the text's end
    token = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    page = SplitPage(meta, "", token)
    out: list[str] = []
    verbatim = False
    for index, part in enumerate(parts):
        if index % 2 or not part:  # a separator, kept as it is
            out.append(part)
            continue
        if verbatim:
            if part == BODY_END:
                verbatim = False
            else:
                out.append(part)
                continue
        elif part == BODY_START:
            verbatim = True
        if not raw_html_block(part):
            out.append(part)
            continue
        number = len(page.blocks)
        first = _FIRST_TAG.match(part)
        if first and SEARCH_EXCLUDE in first[0]:
            page.excluded.add(number)
        page.blocks.append(part)
        out.append(page.placeholder(number))
    if verbatim:
        return None  # a body start without its end: not a page of ours
    page.markdown = "".join(out)
    return page


# Placeholders of any page: one pattern compiled once, not one per page (the token
# is checked in the replacement; another page's token is left as it is).
_PLACED = re.compile(r"<p>gs([0-9a-f]{16})x(\d+)</p>")
_EXCLUDED = re.compile(r"<!--gs([0-9a-f]{16})x(\d+)-->")


def join_page(content: str, page: SplitPage) -> str:
    """Markdown's HTML with the blocks back; a search-excluded block leaves a comment for now."""

    def put_back(match: re.Match) -> str:
        if match[1] != page.token:
            return match[0]
        number = int(match[2])
        # Python-Markdown leaves a blank line after a raw block; so do we, for the same HTML.
        return f"<!--{page.placeholder(number)}-->\n" if number in page.excluded else page.blocks[number] + "\n"

    return _PLACED.sub(put_back, content).strip()  # as Markdown strips its output


def join_excluded(content: str, page: SplitPage) -> str:
    """The search-excluded blocks, once the search plugin has read the page."""
    if not page.excluded:
        return content
    return _EXCLUDED.sub(lambda m: page.blocks[int(m[2])] if m[1] == page.token else m[0], content)


def anchor_ids(page: SplitPage) -> set[str]:
    """The ids the blocks define, as MkDocs would have found them (anchor validation)."""
    found = set()
    for block in page.blocks:
        if "id=" not in block and "name=" not in block:  # most blocks: no need for the pattern
            continue
        for name, ident in _ID.findall(block):
            found.add(html.unescape(name or ident))
    return found
