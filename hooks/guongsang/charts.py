"""Bar charts drawn at build time as inline SVG: accessible, readable without JavaScript, no library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

# Geometry in viewBox units. The SVG scales to its container; at 400 units wide a
# 360 px phone shows the 14-unit labels at about 11.5 px, still readable.
WIDTH = 400
LABEL_SIZE = 14
VALUE_SIZE = 13
ROW_GAP = 8
BAR_HEIGHT = 16
VALUE_ROOM = 64  # right of the longest bar: its value label
TOP = 6
AXIS_ROOM = 40  # below the bars: tick labels and the axis title
LEGEND_ROW = 20
# About 0.55 em per character in a sans-serif face: longer labels are cut with "…";
# the full text stays in the bar's tooltip, the description and the data table.
MAX_LABEL_CHARS = int(WIDTH / (LABEL_SIZE * 0.55)) - 2

# Fills for up to four stacked series: distinct in hue and in lightness, so they
# still differ in grey print; CSS may override them through the series class.
PALETTE = ("#b71c1c", "#f9a825", "#1565c0", "#2e7d32")


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, stacked left to right

    @property
    def total(self) -> int:
        return sum(self.values)


def format_count(value: int) -> str:
    """Vietnamese digit grouping: 12345 → "12.345"."""
    return f"{value:,}".replace(",", ".")


def nice_ticks(maximum: int, most: int = 5) -> list[int]:
    """Round tick values from 0 covering maximum, at most `most` of them after zero."""
    if maximum <= 0:
        return [0, 1]
    step = 1
    while True:
        for factor in (1, 2, 5):
            size = step * factor
            if -(-maximum // size) <= most:
                top = -(-maximum // size) * size
                return list(range(0, top + 1, size))
        step *= 10


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(description: str, bars: Sequence[Bar], series: Sequence[str], unit: str) -> str:
    """The chart's text alternative: the caller's sentence, then every value."""
    parts = []
    for bar in bars:
        if len(series) > 1:
            detail = ", ".join(f"{name} {format_count(v)}" for name, v in zip(series, bar.values) if v)
            parts.append(f"{bar.label}: {format_count(bar.total)} {unit}" + (f" ({detail})" if detail else ""))
        else:
            parts.append(f"{bar.label}: {format_count(bar.total)} {unit}")
    return f"{description} " + "; ".join(parts) + "." if parts else f"{description} Chưa có số liệu."


def render_bar_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    bars: Sequence[Bar],
    axis_label: str,
    unit: str,
    series: Sequence[str] = (),
) -> Markup:
    """A horizontal bar chart, one row per bar (label above, bar below, value at its end).

    chart_id: an ASCII id, unique in the page, for the title/desc references.
    series: names of stacked series (shown in a legend) when bars hold several values.
    Every text from content is escaped here; the result is safe to put in a page.
    """
    series = tuple(series) or ("",)
    ticks = nice_ticks(max((b.total for b in bars), default=0))
    scale = (WIDTH - VALUE_ROOM) / ticks[-1]
    legend = len(series) > 1
    row = LABEL_SIZE + 4 + BAR_HEIGHT + ROW_GAP
    bars_top = TOP + (LEGEND_ROW if legend else 0)
    axis_y = bars_top + row * len(bars)
    height = axis_y + AXIS_ROOM
    out = [
        f'<svg class="gs-chart__svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(description, bars, series, unit))}</desc>',
    ]
    if legend:
        x = 0
        for i, name in enumerate(series):
            out.append(
                f'<rect class="gs-chart__s{i + 1}" x="{x}" y="{TOP}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{x + 16}" y="{TOP + 11}" font-size="{VALUE_SIZE}" fill="currentColor">{escape(name)}</text>'
            )
            x += 16 + int(len(name) * VALUE_SIZE * 0.55) + 14
    for tick in ticks:
        x = round(tick * scale, 1)
        out.append(f'<line class="gs-chart__grid" x1="{x}" y1="{bars_top}" x2="{x}" y2="{axis_y}" stroke="currentColor" stroke-opacity="0.15"/>')
    for index, bar in enumerate(bars):
        y = bars_top + index * row
        bar_y = y + LABEL_SIZE + 4
        out.append(f"<g><title>{escape(bar.label)}: {format_count(bar.total)} {escape(unit)}</title>")
        out.append(f'<text x="0" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}" fill="currentColor">{escape(shorten(bar.label))}</text>')
        x = 0.0
        for i, value in enumerate(bar.values):
            if value <= 0:
                continue
            w = round(value * scale, 1)
            out.append(
                f'<rect class="gs-chart__s{i + 1}" x="{round(x, 1)}" y="{bar_y}" width="{w}" height="{BAR_HEIGHT}" fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            x += w
        out.append(
            f'<text x="{round(x + 4, 1)}" y="{bar_y + BAR_HEIGHT - 4}" font-size="{VALUE_SIZE}" font-weight="700" fill="currentColor">{format_count(bar.total)}</text>'
        )
        out.append("</g>")
    out.append(f'<line x1="0" y1="{axis_y}" x2="{WIDTH - VALUE_ROOM}" y2="{axis_y}" stroke="currentColor"/>')
    for tick in ticks:
        x = round(tick * scale, 1)
        anchor = "start" if tick == 0 else "middle"
        out.append(f'<text x="{x}" y="{axis_y + 14}" font-size="{VALUE_SIZE}" text-anchor="{anchor}" fill="currentColor">{format_count(tick)}</text>')
    out.append(f'<text x="0" y="{axis_y + 32}" font-size="{VALUE_SIZE}" fill="currentColor">{escape(axis_label)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


__all__ = ["Bar", "PALETTE", "format_count", "nice_ticks", "render_bar_chart", "shorten"]
