"""How large a story's one-page handout can print: the type size chosen from the text alone.

One page is guaranteed by choosing the type size before rendering: the text's
lines are counted for each size (a paragraph, list item or heading starts a
line; syllables fill lines at the size's measured rate) and the largest size
whose page holds them wins. A story too long even for the smallest size
prints its first paragraphs and points to the full text. The checker uses the
same estimate to warn when a flag-ceremony story would print in small type
(GS611); handout.py renders with it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .models import Story
from .text import count_words

@dataclass(frozen=True)
class Size:
    """One type size, measured: Chromium, A4, Liberation Serif (Times New Roman's metrics)."""

    points: int  # the type size
    per_line: float  # syllables in a line of text (a column's line in two columns)
    gap: float  # lines lost per block: the half-empty last line and the spacing
    lines: float  # lines of text on the page, footer and a two-line title included
    columns: int

    @property
    def css_class(self) -> str:
        return f"gs-fit-{self.points}"


# Measured by printing filler text in paragraphs of 8 to 250 syllables (3.7
# letters a syllable; Vietnamese prose averages 3.4) and keeping the most that
# still printed on one page: 14 pt holds 35 lines of 18.5 syllables; the other
# sizes' syllables a line scale from it, and their line count is the least
# measured, but for 10 pt, whose measurements scattered most, scaled from 14 pt
# too. 240 random texts (paragraphs, lists, headings, titles of 6 to 30
# syllables, corrections) then all printed on one page.
SIZES: tuple[Size, ...] = (
    Size(14, per_line=18.5, gap=0.35, lines=34.8, columns=1),
    Size(13, per_line=19.9, gap=0.35, lines=37.6, columns=1),
    Size(12, per_line=10.4, gap=0.35, lines=77.5, columns=2),
    Size(11, per_line=11.35, gap=0.35, lines=89.4, columns=2),
    Size(10, per_line=12.5, gap=0.35, lines=95.0, columns=2),
)
MARGIN = 1.5  # lines kept free on each page, per column
CALIBRATION_TITLE = 17  # syllables of the title used in the measurement
TITLE_SCALE = 1.5 * 1.15 / 1.25  # a title line's height in text lines (font size × line height)
CORRECTION_LINES = 1.5  # a correction in the footer, in text lines per column
# Large type for reading aloud at the flagpole: at least this size, in one column.
LARGE_POINTS = 13

_BLOCKS = re.compile(r"\n\s*\n")
# A line that starts a new rendered line inside a block: list items, headings, quotes, table rows.
_BREAK = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|>|\|)\s", re.MULTILINE)


@dataclass(frozen=True)
class Fit:
    size: Size
    blocks: tuple[str, ...]  # the Markdown blocks printed
    truncated: bool

    @property
    def css_class(self) -> str:
        return self.size.css_class


def body_blocks(body: str) -> list[str]:
    return [b.strip() for b in _BLOCKS.split(body.strip()) if b.strip()]


def line_words(block: str) -> list[int]:
    """The syllables of each rendered line a Markdown block starts: each list item,
    heading or row starts one of its own. The same at every size: counted once."""
    parts = [p for p in _BREAK.split(block) if p.strip()] or [block]
    return [max(1, count_words(p)) for p in parts]


def lines_at(words: list[int], size: Size) -> float:
    return sum(math.ceil(n / size.per_line) + size.gap for n in words)


def block_lines(block: str, size: Size) -> float:
    """Lines a Markdown block takes at a size."""
    return lines_at(line_words(block), size)


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
    """The largest type that holds the story on one page; else its first blocks at the
    smallest. The choice is made once a story (Story.print_fit): the checker, the story
    page and the handout all ask."""
    size_index, kept = story.print_fit
    blocks = body_blocks(story.body)
    if kept is None:
        return Fit(SIZES[size_index], tuple(blocks), False)
    return Fit(SIZES[-1], tuple(blocks[:kept]), True)


def choose_fit(story: Story) -> tuple[int, int | None]:
    """(index in SIZES, None) for the largest size that holds the whole story; else
    (the smallest's index, how many first blocks it holds)."""
    counted = [line_words(b) for b in body_blocks(story.body)]
    for index, size in enumerate(SIZES):
        if sum(lines_at(words, size) for words in counted) <= room(size, story):
            return index, None
    size = SIZES[-1]
    # The note pointing to the full text takes a block too.
    kept, used, limit = 0, block_lines("x", size), room(size, story)
    for words in counted:
        used += lines_at(words, size)
        if used > limit:
            break
        kept += 1
    return len(SIZES) - 1, kept


def is_large_type(fit: Fit) -> bool:
    return fit.size.points >= LARGE_POINTS and fit.size.columns == 1 and not fit.truncated
