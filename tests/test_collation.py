"""Vietnamese sort order (text.collation_key) and the pages and figures that list names by it."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import pytest

from guongsang import pages, report, stats
from guongsang.catalogue import build_catalogue
from guongsang.models import Content, Honor, Source, Story, Unit
from guongsang.render import Renderer, make_env
from guongsang.text import collation_key

D = dt.date
TODAY = D(2026, 11, 18)


@pytest.mark.parametrize(
    "ordered",
    [
        ["Dân Chủ", "Đồng Lạc", "Em"],  # đ after every d, before e
        ["Ban Tổ chức", "Ban Tơ", "Ban Tuyên giáo"],  # ô before ơ before u
        ["Chi bộ Đài Phát thanh", "Chi bộ Kho bạc"],  # code points put Đ after every letter
        ["Tu", "Tung", "Tư", "Tứ"],  # u before ư, whatever follows
        ["a", "ă", "â", "b"],
        ["e", "ê", "g"],
        ["An Phú", "Anh Sơn"],  # word by word: a word that ends sorts first
        ["ma", "mà", "mả", "mã", "má", "mạ"],  # tones after the letters, in dictionary order
        ["Má Hai", "Ma Lan"],  # letters decide before tones do
        ["Xã 2", "Xã An"],  # digits before letters
    ],
)
def test_names_sort_in_vietnamese_dictionary_order(ordered: list[str]) -> None:
    shuffled = ordered[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == ordered
    assert sorted(reversed(ordered), key=collation_key) == ordered


def test_key_is_the_same_for_nfc_and_nfd_and_total() -> None:
    name = "Xã Đồng Lạc"
    assert collation_key(unicodedata.normalize("NFD", name)) == collation_key(name)
    assert collation_key("An") != collation_key("an")  # equal letters and tones still differ: a total order


# -- where names are listed ---------------------------------------------------------

SRC = Source("Nguồn thử")
NAMES = (  # id, name: every letter the code-point order gets wrong
    ("ban-tuyen-giao", "Ban Tuyên giáo", "co-quan"),
    ("ban-to-chuc", "Ban Tổ chức", "co-quan"),
    ("xa-tran-phu", "Xã Trần Phú", "xa"),
    ("xa-dong-lac", "Xã Đồng Lạc", "xa"),
    ("xa-dan-chu", "Xã Dân Chủ", "xa"),
    ("xa-ung-hoe", "Xã Ứng Hòe", "xa"),
    ("xa-uy-no", "Xã Uy Nỗ", "xa"),
)


def honor(unit_id: str) -> Honor:
    return Honor(unit_id, 0, 2017, "Tổ chức tốt Chỉ thị 05", "ghi-nhan", "huyen", "Huyện ủy", source=SRC)


def story(slug: str, unit_id: str) -> Story:
    return Story(
        year=2017, slug=slug, path=f"content/stories/2017/{slug}.md", title=slug, date=D(2017, 5, 1),
        summary="Tóm tắt.", subject="tap-the", units=(unit_id,), body="Thân bài.", body_line=10,
        author="Ban Tuyên giáo", status="published", reviewer="Trưởng ban", source=SRC, words=100,
    )


@pytest.fixture(scope="module")
def cat():
    units = tuple(
        Unit(uid, name, kind, f"content/units/{uid}.yml", short_name=name.removeprefix("Xã "), honors=(honor(uid),))
        for uid, name, kind in NAMES
    )
    stories = tuple(story(f"bai-{uid}", uid) for uid, _, _ in NAMES)
    return build_catalogue(Content(stories=stories, units=units), today=TODAY)


@pytest.fixture(scope="module")
def generated(cat) -> dict[str, str]:
    return {o.uri: o.content for o in pages.generate_pages(cat, Renderer(make_env(), "https://guongsang.example.org/"))}


def in_page_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


COMMUNES = ["Xã Dân Chủ", "Xã Đồng Lạc", "Xã Trần Phú", "Xã Uy Nỗ", "Xã Ứng Hòe"]
OFFICES = ["Ban Tổ chức", "Ban Tuyên giáo"]


def test_units_directory_is_in_vietnamese_order(cat, generated: dict[str, str]) -> None:
    assert [[u.name for u in units] for _, _, units in cat.units_by_kind()] == [COMMUNES, OFFICES]
    page = generated["don-vi/index.md"]
    assert in_page_order(page, COMMUNES) == COMMUNES
    assert in_page_order(page, OFFICES) == OFFICES


def test_filter_panel_lists_short_names_in_vietnamese_order(generated: dict[str, str]) -> None:
    panel = generated["bai-viet/index.md"]
    labels = [f">{name}</a> <span class=\"gs-count\">" for name in ("Dân Chủ", "Đồng Lạc", "Trần Phú", "Uy Nỗ", "Ứng Hòe")]
    assert all(label in panel for label in labels)
    assert in_page_order(panel, labels) == labels


def test_honor_roll_and_home_highlights_are_in_vietnamese_order(cat, generated: dict[str, str]) -> None:
    everyone = OFFICES + COMMUNES
    assert [cat.units[h.unit_id].name for h in cat.honors] == everyone
    home = generated["index.md"]
    home = home[home.index("## Bảng vàng năm 2017") :]  # the latest stories above name units too
    home = home[: home.index("\n## ")]
    shown = [name for name in everyone if name in home]
    assert len(shown) == pages.HOME_HONORS and in_page_order(home, shown) == everyone[: pages.HOME_HONORS]
    roll = generated["bang-vang/2017.md"]
    assert in_page_order(roll, everyone) == everyone


def test_statistics_ties_are_in_vietnamese_order(cat) -> None:
    assert [r.unit.label for r in stats.count_stories_by_unit(cat)] == ["Ban Tổ chức", "Ban Tuyên giáo", "Dân Chủ", "Đồng Lạc", "Trần Phú", "Uy Nỗ", "Ứng Hòe"]


# Names whose short names sort otherwise: «An Bình» before «Ban Tổ chức», «Xã An Bình» after.
SHOWN = (  # id, name, short name, kind
    ("xa-an-binh", "Xã An Bình", "An Bình", "xa"),
    ("ban-to-chuc", "Ban Tổ chức", "", "co-quan"),
    ("xa-nam-hung", "Xã Nam Hưng", "Nam Hưng", "xa"),
    ("thi-tran-nam-sach", "Thị trấn Nam Sách", "TT Nam Sách", "thi-tran"),
)
FULL_NAMES = ["Ban Tổ chức", "Thị trấn Nam Sách", "Xã An Bình", "Xã Nam Hưng"]
SHORT_NAMES = ["An Bình", "Ban Tổ chức", "Nam Hưng", "TT Nam Sách"]


@pytest.fixture(scope="module")
def shown_cat():
    units = tuple(Unit(uid, name, kind, f"content/units/{uid}.yml", short_name=short) for uid, name, short, kind in SHOWN)
    stories = tuple(story(f"bai-{uid}", uid) for uid, *_ in SHOWN)
    return build_catalogue(Content(stories=stories, units=units), today=TODAY)


def test_statistics_table_and_report_are_in_the_order_of_the_full_names_they_show(shown_cat) -> None:
    assert [r.unit.name for r in stats.count_stories_by_unit(shown_cat)] == FULL_NAMES
    page = pages.render_stats_page(pages.Views(shown_cat), Renderer(make_env(), "")).content
    table = page[page.index("<caption>Số bài viết của") :]
    table = table[: table.index("</table>")]
    assert in_page_order(table, [f">{name}</a></th>" for name in FULL_NAMES]) == [f">{name}</a></th>" for name in FULL_NAMES]
    rows = [r.label for r in report.build_rows(shown_cat, stats.Period(2017)) if r.figure == "bai-theo-don-vi"]
    assert rows == FULL_NAMES


def test_statistics_chart_is_in_the_order_of_the_short_names_it_shows(shown_cat) -> None:
    chart = str(pages.stats_tables(shown_cat)["chart_units"])
    assert all(name in chart for name in SHORT_NAMES)
    assert in_page_order(chart, SHORT_NAMES) == SHORT_NAMES
