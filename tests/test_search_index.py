"""Search without diacritics, at the index level: the folded fields the build adds to
Material's search index, checked with a small model of how Material's lunr search matches."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest

from guongsang.search import LISTING_BOOST, dump_index, fold_index, fold_site_index, folded_words, plain_text
from guongsang.text import second_vowel_tones

from conftest import copy_project, mkdocs_build

# -- a model of Material's matching ---------------------------------------------
#
# Material's worker splits each field on `config.separator` and lower-cases the
# tokens. search-fold.js sends every query word as "+word*": required, with a
# trailing wildcard, after NFC and one tone placement (second_vowel_tones). So
# an entry is found when every word of the query starts one of its tokens.


def tokens(index: dict, entry: dict) -> set[str]:
    separator = re.compile(index["config"]["separator"])
    found: set[str] = set()
    for field in index["config"]["fields"]:
        value = entry.get(field)
        if isinstance(value, str):
            text = re.sub(r"<[^>]*>", " ", value)
            found.update(t.lower() for t in separator.split(text) if t)
    return found


def finds(index: dict, entry: dict, query: str) -> bool:
    terms = second_vowel_tones(unicodedata.normalize("NFC", query)).lower().split()  # search-fold.js
    words = tokens(index, entry)
    return all(any(w.startswith(t) for w in words) for t in terms)


def found(index: dict, query: str) -> set[str]:
    return {e["location"] for e in index["docs"] if finds(index, e, query)}


# -- folding --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "folded"),
    [
        ("<p>Làm theo Bác, làm</p>", "lam bac"),
        ("Xã Đồng Lạc", "xa dong lac"),
        ("<p>người tốt, việc tốt</p>", "nguoi tot viec"),
        ("Chỉ thị 05-CT/TW &amp; Kế hoạch", "chi thi ke hoach"),
        ("<li>Huyện <code>ĐOÀN</code></li>", "huyen doan"),
        ("Nam Sach 2017", ""),
        (unicodedata.normalize("NFD", "Làm theo Bác"), "lam bac"),
        ("&lt;img src=x onerror=alert(1)&gt; Đảng", "dang"),
        # Either tone placement of "oa", "oe", "uy" finds both: the second-vowel form is added.
        ("Huyện ủy, Hòa, khỏe", "huyen uỷ uy hoà hoa khoẻ khoe"),
        ("Huyện uỷ, hoà", "huyen uy hoa"),
        # Not "qu" + "y", not "ua": their tone has one place.
        ("quý của mùa", "quy cua mua"),
    ],
)
def test_folded_words(markup: str, folded: str) -> None:
    assert folded_words(markup) == folded


MATERIAL_INDEX = {
    "config": {
        "lang": ["vi"],
        "separator": "[\\s\\-]+",
        "pipeline": ["stopWordFilter"],
        "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
    },
    "docs": [
        {"location": "bai-viet/a/", "title": "Làm theo Bác", "text": "<p>Xã Đồng Lạc làm tốt.</p>"},
        {"location": "bai-viet/a/#ket-qua", "title": "Kết quả", "text": ""},
        {"location": "bai-viet/b/", "title": "Phía Bắc", "text": "<p>Lâm nghiệp theo mùa.</p>"},
        {"location": "bai-viet/c/", "title": "Nam Sach", "text": "<p>Plain text</p>"},
    ],
}


def test_fold_index_exact() -> None:
    index = fold_index(json.loads(json.dumps(MATERIAL_INDEX)))
    assert index["config"]["fields"] == {
        "title": {"boost": 1000.0},
        "text": {"boost": 1.0},
        "tags": {"boost": 1000000.0},
        # Same boosts as the fields they fold: a title still outranks a paragraph.
        "title_folded": {"boost": 1000.0},
        "text_folded": {"boost": 1.0},
    }
    assert index["docs"] == [
        {"location": "bai-viet/a/", "title": "Làm theo Bác", "text": "<p>Xã Đồng Lạc làm tốt.</p>", "title_folded": "lam bac", "text_folded": "xa dong lac lam tot"},
        {"location": "bai-viet/a/#ket-qua", "title": "Kết quả", "text": "", "title_folded": "ket qua"},
        {"location": "bai-viet/b/", "title": "Phía Bắc", "text": "<p>Lâm nghiệp theo mùa.</p>", "title_folded": "phia bac", "text_folded": "lam nghiep mua"},
        {"location": "bai-viet/c/", "title": "Nam Sach", "text": "<p>Plain text</p>"},
    ]
    assert fold_index(json.loads(json.dumps(index))) == index  # idempotent


def test_queries_with_and_without_diacritics() -> None:
    index = fold_index(json.loads(json.dumps(MATERIAL_INDEX)))
    assert found(index, "lam theo bac") == {"bai-viet/a/", "bai-viet/b/"}  # "Lâm … theo … Bắc" too
    assert found(index, "làm theo Bác") == {"bai-viet/a/"}  # typed with diacritics: exact only
    assert found(index, unicodedata.normalize("NFD", "làm theo Bác")) == {"bai-viet/a/"}
    assert found(index, "dong lac") == found(index, "Đồng Lạc") == {"bai-viet/a/"}
    assert found(index, "Bắc") == {"bai-viet/b/"}
    assert found(index, "nam sach") == {"bai-viet/c/"}
    # Every word is required: "Lạc" alone is not "Đồng Lạc".
    assert found(index, "dong mua") == set()


def test_tone_placement_finds_both() -> None:
    index = fold_index(
        {
            "config": MATERIAL_INDEX["config"],
            "docs": [
                {"location": "a/", "title": "Huyện ủy", "text": "<p>văn hóa</p>"},
                {"location": "b/", "title": "Huyện uỷ", "text": "<p>văn hoá</p>"},
            ],
        }
    )
    for query in ("Huyện ủy", "Huyện uỷ", "văn hóa", "văn hoá", "huyen uy", "van hoa"):
        assert found(index, query) == {"a/", "b/"}, query


def test_home_page_is_left_out() -> None:
    index = json.loads(json.dumps(MATERIAL_INDEX))
    index["docs"] += [
        {"location": "", "title": "Gương Sáng — người tốt, việc tốt", "text": ""},
        {"location": "#bai-moi", "title": "Bài mới", "text": "<p>Làm theo Bác</p>"},
    ]
    assert {e["location"] for e in fold_index(index)["docs"]} == {e["location"] for e in MATERIAL_INDEX["docs"]}


@pytest.mark.parametrize(
    ("page", "listing"),
    [
        # Pages listing what has its own page, and the editor's guide: below the stories.
        ("thong-ke/", True),
        ("du-lieu/", True),
        ("bang-vang/", True),
        ("bang-vang/2017/", True),
        ("chuyen-de/", True),
        ("don-vi/", True),
        ("van-ban/", True),
        ("chao-co/", True),
        ("chao-co/2026-2027/", True),
        ("huong-dan-bien-tap/", True),
        # Pages with their own content.
        ("don-vi/xa-dong-lac/", False),
        ("van-ban/ct-05/", False),
        ("chuyen-de/2017-xay-dung-dang/", False),
        ("bai-viet/2017/bang-vang/", False),
        ("gioi-thieu/", False),
    ],
)
def test_listing_pages_rank_below_the_stories(page: str, listing: bool) -> None:
    index = json.loads(json.dumps(MATERIAL_INDEX))
    index["docs"] += [
        {"location": page, "title": "Thống kê", "text": "<p>Xã Đồng Lạc: 3 bài</p>"},
        {"location": f"{page}#theo-don-vi", "title": "Theo đơn vị", "text": "<p>Xã Đồng Lạc</p>"},
    ]
    folded = fold_index(index)
    mine = [e for e in folded["docs"] if e["location"].startswith(page)]
    # Material's per-page boost; lunr multiplies the page's score by it. Still found, title and text.
    assert [e.get("boost") for e in mine] == ([LISTING_BOOST] * 2 if listing else [None, None])
    assert 0 < LISTING_BOOST < 1
    assert page in found(folded, "thong ke") and page in found(folded, "dong lac")
    assert all("boost" not in e for e in folded["docs"] if not e["location"].startswith(page))


def test_text_limit_keeps_the_start_of_each_page() -> None:
    index = {
        "config": MATERIAL_INDEX["config"],
        "docs": [
            {"location": "a/", "title": "Bài A", "text": "<p>một hai ba</p>"},
            {"location": "a/#muc", "title": "Mục", "text": "<p>bốn &amp; năm sáu</p>"},
            {"location": "a/#cuoi", "title": "Cuối", "text": "<p>bảy</p>"},
            {"location": "b/", "title": "Bài B", "text": "<p>ngắn</p>"},
        ],
    }
    docs = fold_index(index, text_limit=17)["docs"]
    assert [(e["location"], e["title"], e["text"]) for e in docs] == [
        ("a/", "Bài A", "<p>một hai ba</p>"),  # 10 characters
        ("a/#muc", "Mục", "bốn &amp; …"),  # 7 left: cut at a word
        ("a/#cuoi", "Cuối", ""),  # none left; the heading stays findable
        ("b/", "Bài B", "<p>ngắn</p>"),
    ]


def test_nfd_index_folds_like_nfc() -> None:
    nfd = json.loads(json.dumps(MATERIAL_INDEX))
    for entry in nfd["docs"]:
        entry["title"] = unicodedata.normalize("NFD", entry["title"])
        entry["text"] = unicodedata.normalize("NFD", entry["text"])
    assert fold_index(nfd) == fold_index(json.loads(json.dumps(MATERIAL_INDEX)))


def test_dump_is_utf8_and_script_safe() -> None:
    text = dump_index({"docs": [{"title": "Bác", "text": "a\u2028b"}]})
    assert text == '{"docs":[{"title":"Bác","text":"a\\u2028b"}]}'


def test_no_index_no_change(tmp_path: Path) -> None:
    assert fold_site_index(tmp_path) is None
    assert list(tmp_path.iterdir()) == []


# -- in the built site ------------------------------------------------------------


def load_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def story_pages(index: dict) -> set[str]:
    return {e["location"] for e in index["docs"] if e["location"].startswith("bai-viet/20") and "#" not in e["location"]}


def test_built_index_finds_without_diacritics(built_site: Path) -> None:
    index = load_index(built_site)
    with_phrase = {
        e["location"]
        for e in index["docs"]
        if e["location"] in story_pages(index) and "làm theo bác" in re.sub(r"<[^>]*>", " ", e["title"] + " " + e["text"]).lower()
    }
    assert with_phrase, "the sample content should have stories saying «làm theo Bác»"
    assert with_phrase <= found(index, "lam theo bac")
    assert with_phrase <= found(index, "làm theo Bác")
    dong_lac = {e["location"] for e in index["docs"] if "Đồng Lạc" in e["title"] + e["text"]}
    assert dong_lac and dong_lac <= found(index, "dong lac")
    good = {e["location"] for e in index["docs"] if "người tốt, việc tốt" in (e["title"] + e["text"]).lower()}
    assert good and good <= found(index, "nguoi tot viec tot")
    assert {"title_folded", "text_folded"} <= set(index["config"]["fields"])


def material_original(index: dict) -> bytes:
    """The index as Material writes it: without folded fields, \\u-escaped JSON."""
    plain = json.loads(json.dumps(index))
    for name in ("title_folded", "text_folded"):
        plain["config"]["fields"].pop(name)
        for entry in plain["docs"]:
            entry.pop(name, None)
    return json.dumps(plain, separators=(",", ":")).encode("utf-8")


# What web servers commonly use (zlib's default), as in tests/browser/test_weight.py.
GZIP_LEVEL = 6


def test_index_size_stays_reasonable(built_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the figures the README quotes."""
    shipped = (built_site / "search" / "search_index.json").read_bytes()
    original = material_original(json.loads(shipped))
    sizes = {name: (len(data), len(gzip.compress(data, GZIP_LEVEL, mtime=0))) for name, data in (("ours", shipped), ("material", original))}
    with capsys.disabled():
        print(
            f"\nChỉ mục tìm kiếm: {sizes['ours'][0] / 1000:.1f} kB, {sizes['ours'][1] / 1000:.1f} kB nén (gzip -{GZIP_LEVEL}); "
            f"không có trường gấp dấu, như Material ghi: {sizes['material'][0] / 1000:.1f} kB, {sizes['material'][1] / 1000:.1f} kB nén."
        )
    # Writing UTF-8 instead of \u escapes pays for the folded words on disk;
    # compressed (as servers send it) the index grows by less than 60 %.
    assert sizes["ours"][0] <= sizes["material"][0]
    assert sizes["ours"][1] <= 1.6 * sizes["material"][1]


STORY = """\
---
title: Xã Đồng Lạc làm theo Bác
date: 2017-06-15
summary: Người tốt, việc tốt ở xã Đồng Lạc.
subject: tap-the
units: [xa-dong-lac]
source:
  title: Nguồn thử
author: Ban Tuyên giáo
reviewer: Trưởng ban
status: published
---
Bà con xã Đồng Lạc học tập và làm theo Bác bằng những việc làm nhỏ.

## Việc tốt mỗi ngày

Người tốt, việc tốt được kể lại ở nhà văn hóa thôn.
"""


@pytest.fixture(scope="module")
def nfd_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project plus the same story twice: written in NFC and in NFD."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    folder = root / "content" / "stories" / "2017"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bai-nfc.md").write_text(unicodedata.normalize("NFC", STORY), encoding="utf-8")
    (folder / "bai-nfd.md").write_text(unicodedata.normalize("NFD", STORY), encoding="utf-8")
    (folder / "bai-doc-hai.md").write_text(STORY.replace("title: Xã Đồng Lạc làm theo Bác", "title: '\"><img src=x onerror=alert(1)> Đảng'"), encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def entries(index: dict, page: str) -> list[dict]:
    return [{**e, "location": e["location"].removeprefix(page)} for e in index["docs"] if e["location"].startswith(page)]


def test_nfd_story_indexes_like_nfc(nfd_site: Path) -> None:
    index = load_index(nfd_site)
    nfc = entries(index, "bai-viet/2017/bai-nfc/")
    assert nfc and entries(index, "bai-viet/2017/bai-nfd/") == nfc
    assert nfc[0]["title_folded"] == "xa dong lac lam bac"
    assert {"bai-viet/2017/bai-nfc/", "bai-viet/2017/bai-nfd/"} <= found(index, "dong lac lam theo bac")
    assert {"bai-viet/2017/bai-nfc/", "bai-viet/2017/bai-nfd/"} <= found(index, unicodedata.normalize("NFD", "Đồng Lạc"))


def test_hostile_title_stays_text_in_index(nfd_site: Path) -> None:
    text = (nfd_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<img" not in text
    [page] = entries(load_index(nfd_site), "bai-viet/2017/bai-doc-hai/")[:1]
    assert page["title"] == "\"&gt;&lt;img src=x onerror=alert(1)&gt; Đảng"
    assert page["title_folded"] == "dang"


def test_the_setting_caps_each_pages_text_in_the_built_index(project: Path, tmp_path: Path) -> None:
    """settings.yml `search_text_limit`: a site with many stories keeps its index light."""
    settings = project / "content" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "search_text_limit: 300\n", encoding="utf-8")
    done = mkdocs_build(project, tmp_path / "site", env={"GUONGSANG_JOBS": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    docs = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pages: dict[str, int] = {}
    for doc in docs:
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, 0) + len(plain_text(doc["text"]))
    assert pages and max(pages.values()) <= 300 + len(" …")
    assert any(length > 250 for length in pages.values())  # cut, not emptied
