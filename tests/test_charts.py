"""SVG bar charts: accessible, escaped, well-formed, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from guongsang.charts import MAX_LABEL_CHARS, Bar, format_count, nice_ticks, render_bar_chart, shorten

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def chart(**kw) -> str:
    args = dict(
        title="Số bài viết theo năm",
        description="Biểu đồ thanh.",
        bars=[Bar("2017", (17,)), Bar("2018", (1,))],
        axis_label="Số bài viết",
        unit="bài",
    )
    args.update(kw)
    return str(render_bar_chart("bieu-do", **args))


@pytest.mark.parametrize(
    "maximum, ticks",
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (17, [0, 5, 10, 15, 20]),
        (32, [0, 10, 20, 30, 40]),
        (250, [0, 50, 100, 150, 200, 250]),
        (260, [0, 100, 200, 300]),
        (10000, [0, 2000, 4000, 6000, 8000, 10000]),
    ],
)
def test_nice_ticks(maximum: int, ticks: list[int]) -> None:
    assert nice_ticks(maximum) == ticks


def test_format_count_groups_thousands_the_vietnamese_way() -> None:
    assert [format_count(n) for n in (0, 999, 1000, 12345, 1234567)] == ["0", "999", "1.000", "12.345", "1.234.567"]


def test_chart_is_an_accessible_image_with_title_and_description() -> None:
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "bieu-do-title bieu-do-desc"
    assert root.get("viewBox") == "0 0 400 130"  # 6 + 2 rows of 42 + 40 for the axis
    assert root.get("width") == "100%"
    assert root.find(f"{SVG}title").get("id") == "bieu-do-title"
    assert root.find(f"{SVG}title").text == "Số bài viết theo năm"
    assert root.find(f"{SVG}desc").text == "Biểu đồ thanh. 2017: 17 bài; 2018: 1 bài."


def test_chart_labels_bars_values_and_axis() -> None:
    root = parse(chart())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["2017", "17", "2018", "1", "0", "5", "10", "15", "20", "Số bài viết"]
    rects = [(r.get("width"), r.get("fill")) for r in root.iter(f"{SVG}rect")]
    # 336 units of bar length for the top tick (20): 17 → 285.6, 1 → 16.8.
    assert rects == [("285.6", "#b71c1c"), ("16.8", "#b71c1c")]
    tooltips = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert tooltips == ["2017: 17 bài", "2018: 1 bài"]


def test_hostile_labels_are_escaped() -> None:
    hostile = '"><img src=x onerror=alert(1)>'
    svg = chart(title=hostile, description=hostile, bars=[Bar(hostile, (2,))], axis_label=hostile, unit="bài")
    assert "<img" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == hostile


def test_long_labels_are_cut_but_kept_whole_in_the_tooltip() -> None:
    name = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Nam Sách tỉnh Hải Dương cũ"
    root = parse(chart(bars=[Bar(name, (3,))]))
    shown = next(root.iter(f"{SVG}text")).text
    assert len(shown) == MAX_LABEL_CHARS
    assert shown.endswith("…") and name.startswith(shown[:-1])
    assert next(root.iter(f"{SVG}g")).find(f"{SVG}title").text == f"{name}: 3 bài"
    assert shorten("ngắn") == "ngắn"


def test_stacked_series_have_a_legend_and_describe_each_part() -> None:
    root = parse(
        chart(
            bars=[Bar("2017", (30, 2)), Bar("2018", (0, 1))],
            series=["Cấp huyện", "Cấp tỉnh"],
            unit="lượt",
        )
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["Cấp huyện", "Cấp tỉnh"]
    assert root.find(f"{SVG}desc").text == (
        "Biểu đồ thanh. 2017: 32 lượt (Cấp huyện 30, Cấp tỉnh 2); 2018: 1 lượt (Cấp tỉnh 1)."
    )
    # Zero-valued segments draw nothing: two legend keys, two segments, one segment.
    classes = [r.get("class") for r in root.iter(f"{SVG}rect")]
    assert classes == ["gs-chart__s1", "gs-chart__s2", "gs-chart__s1", "gs-chart__s2", "gs-chart__s2"]


def test_empty_chart_says_so() -> None:
    root = parse(chart(bars=[]))
    assert root.find(f"{SVG}desc").text == "Biểu đồ thanh. Chưa có số liệu."
    assert list(root.iter(f"{SVG}rect")) == []


def test_chart_output_is_deterministic() -> None:
    assert chart() == chart()
