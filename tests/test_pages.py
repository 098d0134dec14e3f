"""Generated pages: golden files, pagination, escaping, and the links of the built site.

Golden files live in tests/golden/pages/, one per generated page, rendered from a
tiny content set built in this module (not the sample content, so they stay
stable). After an intended change to a template or page, regenerate them with

    GUONGSANG_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_pages.py

and review the diff of tests/golden/pages/ before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import random
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, mkdocs_build
from guongsang import pages
from guongsang.catalogue import build_catalogue
from guongsang.check import STORY_PAGE_IDS, check_content
from guongsang.models import (
    Content, Correction, Decision, Directive, Honor, Person, Consent, Settings, Source, Story, Task, Topic, Unit,
)
from guongsang.problems import ContentError
from guongsang.render import TEMPLATES, Renderer, make_env
from guongsang.site import sorted_unique
from guongsang.text import heading_anchors, toc_slugify, unpadded_dates

GOLDEN = Path(__file__).parent / "golden" / "pages"
UPDATE_ENV = "GUONGSANG_UPDATE_GOLDEN"
TODAY = dt.date(2026, 11, 18)
D = dt.date
SRC = Source("Bài báo nguồn", "https://example.org/nguon", "Báo Thử", D(2017, 4, 20))


# -- a tiny, fixed content set ---------------------------------------------


def make_story(slug: str, day: dt.date, units: tuple[str, ...], **kw) -> Story:
    fields = dict(
        year=day.year, slug=slug, path=f"content/stories/{day.year}/{slug}.md", title=f"Bài {slug}", date=day,
        summary=f"Tóm tắt bài {slug}.", subject="tap-the", units=units, body="Một câu chuyện.\n", body_line=12,
        author="Ban Tuyên giáo", status="published", reviewer="Trưởng ban", source=SRC, words=360,
    )
    fields.update(kw)
    return Story(**fields)


def tiny_content(*, stories: tuple[Story, ...] | None = None, hostile: str = "") -> Content:
    """Every kind of page with something to show: a merged, a renamed and a dissolved unit,
    a revoked honor, an honor to a named person, a plan with tasks, topics in two years."""
    h = hostile
    units = (
        Unit("tinh-thu", f"{h}Tỉnh Thử", "tinh", "content/units/tinh-thu.yml"),
        Unit("huyen-thu", f"{h}Huyện Thử", "huyen", "content/units/huyen-thu.yml", short_name="Huyện Thử", parent="tinh-thu",
             valid_to=D(2025, 6, 30), ended_by="giai-the", lifecycle_source=Source(f"{h}Luật số 72/2025/QH15", publisher="Quốc hội")),
        Unit("xa-cu", f"{h}Xã Đông Cũ", "xa", "content/units/xa-cu.yml", short_name=f"{h}Đông Cũ", parent="huyen-thu",
             aliases=(f"{h}Đông Cựu", "Đông Cu"), description=f"{h}Xã cũ của huyện.", valid_to=D(2024, 11, 30),
             ended_by="sap-nhap", successor="xa-moi", lifecycle_source=SRC, standards=(f"{h}Gần dân", "Nói đi đôi với làm"),
             sources=(SRC,),
             honors=(
                 Honor("xa-cu", 0, 2017, f"{h}Tổ chức tốt Chỉ thị 05", "ghi-nhan", "huyen", f"{h}Huyện ủy Thử", source=SRC),
                 Honor("xa-cu", 1, 2017, "Làm tốt chuyên đề", "giay-khen", "huyen", "UBND huyện Thử",
                       decision=Decision("45-QĐ/HU", D(2017, 5, 19)), status="revoked",
                       revoked_by=Decision("12-QĐ/HU", D(2018, 3, 1), f"{h}Phát hiện sai sót"), source=SRC),
             )),
        Unit("xa-moi", "Xã An Mới", "xa", "content/units/xa-moi.yml", short_name="An Mới", parent="huyen-thu", valid_from=D(2024, 12, 1)),
        Unit("xa-ten-cu", "Xã Bình Xưa", "xa", "content/units/xa-ten-cu.yml", parent="huyen-thu",
             valid_to=D(2019, 12, 31), ended_by="doi-ten", successor="xa-ten-moi"),
        Unit("xa-ten-moi", "Xã Bình Nay", "xa", "content/units/xa-ten-moi.yml", parent="huyen-thu", valid_from=D(2020, 1, 1)),
        Unit("phong-thu", "Phòng Nội vụ huyện Thử", "co-quan", "content/units/phong-thu.yml", short_name="Phòng Nội vụ", parent="huyen-thu"),
        Unit("truong-thu", "Trường THPT Thử", "truong-hoc", "content/units/truong-thu.yml",
             honors=(Honor("truong-thu", 0, 2018, "Giáo viên tiêu biểu", "bang-khen", "tinh", "UBND tỉnh Thử",
                           person=f"{h}Nguyễn Thị Lan", decision=Decision("123/QĐ-UBND", D(2018, 11, 20)), source=SRC),)),
    )
    directives = (
        Directive("ct-05", "chi-thi", "05-CT/TW", "Bộ Chính trị", f"{h}Đẩy mạnh học tập và làm theo Bác", "content/directives.yml", 2,
                  date=D(2016, 5, 15), summary=f"{h}Tóm tắt chỉ thị.", text_page="van-ban/chi-thi-05.md", source=SRC),
        Directive("kh-22", "ke-hoach", "22", f"{h}Huyện ủy Thử", "Kế hoạch thực hiện Chỉ thị 05", "content/directives.yml", 14,
                  implements="ct-05", issuing_unit="huyen-thu",
                  tasks=(
                      Task("kh22-cv2", "kh-22", 2, f"{h}Thu gom rác ở thôn", "truong-thu", 30),
                      Task("kh22-cv1", "kh-22", 1, "Nâng chất lượng công vụ", "phong-thu", 22,
                           coordinating=("xa-cu",), coordinating_note=f"{h}và các cơ quan liên quan"),
                  )),
    )
    topics = (
        Topic("2017-xay-dung-dang", 2017, f"{h}Xây dựng Đảng", "huyen", "ct-05", "content/topics.yml", 2, quarters=(2, 3),
              description=f"{h}Sinh hoạt chuyên đề.", source=SRC),
        Topic("2018-neu-guong", 2018, "Nêu gương", "tinh", "ct-05", "content/topics.yml", 12, months=(5,)),
    )
    if stories is None:
        stories = (
            make_story("dong-cu-lam-theo-bac", D(2017, 5, 10), ("xa-cu",), title=f"{h}Đông Cũ làm theo Bác",
                       summary=f"{h}Xã Đông Cũ và việc làm theo Bác.", topics=("2017-xay-dung-dang",), tasks=("kh22-cv1",)),
            make_story("co-giao-lan", D(2018, 11, 26), ("truong-thu",), subject="ca-nhan", person=Person("Lan", role="Giáo viên"),
                       consent=Consent(D(2018, 11, 1), "Ban Tuyên giáo"), tasks=("kh22-cv2",)),
            make_story("cong-vu", D(2017, 9, 11), ("phong-thu", "xa-cu"), tasks=("kh22-cv1",), topics=("2017-xay-dung-dang",),
                       corrections=(Correction(D(2017, 9, 20), f"{h}Sửa tên phòng: Phòng Nội vụ, không phải Phòng Tổ chức."),)),
            make_story("ban-nhap", D(2017, 6, 1), ("xa-cu",), status="draft"),
        )
    return Content(stories=stories, units=units, topics=topics, directives=directives, settings=Settings(organisation=f"{h}Ban Tuyên giáo Thử"))


def generate(content: Content, today: dt.date = TODAY) -> dict[str, str]:
    cat = build_catalogue(content, today=today)
    outs = pages.generate_pages(cat, Renderer(make_env(), "https://guongsang.example.org/"))
    return {o.uri: o.content for o in outs}


@pytest.fixture(scope="module")
def tiny() -> dict[str, str]:
    return generate(tiny_content())


# -- golden files -------------------------------------------------------------

GOLDEN_PAGES = [
    "index.md",
    "bai-viet/2017/dong-cu-lam-theo-bac.md",
    "bai-viet/2017/cong-vu.md",  # with a correction
    "bai-viet/2018/co-giao-lan.md",  # an individual; nothing shared: related by the fallback
    "bai-viet/index.md",
    "bai-viet/don-vi/xa-cu/index.md",
    "don-vi/index.md",
    "don-vi/xa-cu.md",
    "don-vi/xa-moi.md",
    "bang-vang/index.md",
    "bang-vang/2017.md",
    "chuyen-de/index.md",
    "van-ban/index.md",
    "van-ban/kh-22.md",
    "thong-ke/index.md",
]


@pytest.mark.parametrize("uri", GOLDEN_PAGES)
def test_page_matches_golden_file(tiny: dict[str, str], uri: str) -> None:
    golden = GOLDEN / uri.replace("/", "__")
    if os.environ.get(UPDATE_ENV):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(tiny[uri], encoding="utf-8")
    assert golden.exists(), f"Thiếu {golden.name}: chạy lại với {UPDATE_ENV}=1"
    assert tiny[uri] == golden.read_text(encoding="utf-8")


def test_every_page_kind_is_generated(tiny: dict[str, str]) -> None:
    assert sorted(tiny) == sorted(
        [
            "index.md",
            "bai-viet/2017/dong-cu-lam-theo-bac.md", "bai-viet/2017/cong-vu.md", "bai-viet/2018/co-giao-lan.md",
            "bai-viet/index.md",
            "bai-viet/nam/2018/index.md", "bai-viet/nam/2017/index.md",
            "bai-viet/loai/tap-the/index.md", "bai-viet/loai/ca-nhan/index.md",
            "bai-viet/don-vi/phong-thu/index.md", "bai-viet/don-vi/truong-thu/index.md", "bai-viet/don-vi/xa-cu/index.md",
            "bai-viet/chuyen-de/2017-xay-dung-dang/index.md",
            "bai-viet/cong-viec/kh22-cv1/index.md", "bai-viet/cong-viec/kh22-cv2/index.md",
            "don-vi/index.md",
            *(f"don-vi/{u}.md" for u in ("huyen-thu", "phong-thu", "tinh-thu", "truong-thu", "xa-cu", "xa-moi", "xa-ten-cu", "xa-ten-moi")),
            "bang-vang/index.md", "bang-vang/2018.md", "bang-vang/2017.md",
            "chuyen-de/index.md",
            "van-ban/index.md", "van-ban/ct-05.md", "van-ban/kh-22.md",
            "thong-ke/index.md",
        ]
    )


def test_generation_is_deterministic_whatever_the_file_order(tiny: dict[str, str]) -> None:
    content = tiny_content()
    shuffled = list(content.stories)
    random.Random(5).shuffle(shuffled)
    units = list(content.units)
    random.Random(7).shuffle(units)
    again = generate(replace(content, stories=tuple(shuffled), units=tuple(units)))
    assert again == tiny


# -- what the pages say -----------------------------------------------------------


def test_unit_lifecycle_is_told_with_successor_and_predecessor(tiny: dict[str, str]) -> None:
    assert '<strong>Xã Đông Cũ đã sáp nhập vào <a href="../xa-moi/">Xã An Mới</a> từ 01/12/2024.</strong>' in tiny["don-vi/xa-cu.md"]
    assert '<dt>Trước đây là</dt><dd><a href="../xa-cu/">Xã Đông Cũ</a> (đã sáp nhập vào đơn vị này từ 01/12/2024)</dd>' in tiny["don-vi/xa-moi.md"]
    assert '<strong>Xã Bình Xưa đã đổi tên thành <a href="../xa-ten-moi/">Xã Bình Nay</a> từ 01/01/2020.</strong>' in tiny["don-vi/xa-ten-cu.md"]
    assert "<strong>Huyện Thử đã giải thể từ 01/07/2025.</strong> Nguồn: Luật số 72/2025/QH15 — Quốc hội." in tiny["don-vi/huyen-thu.md"]
    assert '<span class="gs-ended">đã giải thể từ 01/07/2025</span>' in tiny["don-vi/index.md"]


def test_a_unit_ending_after_today_is_announced_not_ended() -> None:
    out = generate(tiny_content(), today=D(2024, 11, 1))
    assert "Xã Đông Cũ sẽ sáp nhập vào" in out["don-vi/xa-cu.md"]


def test_revoked_honor_stays_struck_through_with_the_revoking_decision(tiny: dict[str, str]) -> None:
    page = tiny["bang-vang/2017.md"]
    assert (
        '<li class="gs-honor gs-honor--revoked"><del><a href="../../don-vi/xa-cu/">Xã Đông Cũ</a><br>'
        '<span class="gs-honor__detail">Giấy khen · UBND huyện Thử · Quyết định số 45-QĐ/HU ngày 19/05/2017</span></del>'
        '<div class="gs-revoked"><strong>Đã thu hồi</strong> theo Quyết định số 12-QĐ/HU ngày 01/03/2018. Lý do: Phát hiện sai sót</div>'
    ) in page
    assert "Giấy khen · Cấp huyện · UBND huyện Thử" in tiny["don-vi/xa-cu.md"]  # on the unit page too
    assert "<del>" not in tiny["index.md"]  # highlights leave revoked honors out


def test_a_named_person_is_shown_with_the_unit(tiny: dict[str, str]) -> None:
    assert 'Nguyễn Thị Lan (<a href="../../don-vi/truong-thu/">Trường THPT Thử</a>)' in tiny["bang-vang/2018.md"]


def test_topics_and_tasks_carry_the_anchors_their_urls_point_to(tiny: dict[str, str]) -> None:
    assert "### Xây dựng Đảng {: #2017-xay-dung-dang }" in tiny["chuyen-de/index.md"]
    plan = tiny["van-ban/kh-22.md"]
    assert plan.index("{: #kh22-cv1 }") < plan.index("{: #kh22-cv2 }")  # by number, not file order
    assert '<dt>Phối hợp</dt><dd><a href="../../don-vi/xa-cu/">Xã Đông Cũ</a> và các cơ quan liên quan</dd>' in plan


def test_home_shows_this_weeks_flag_ceremony_story_in_the_school_year() -> None:
    # A Monday in May 2017: the tiny content's suitable story is that week's reading.
    home = generate(tiny_content(), today=D(2017, 5, 15))["index.md"]
    assert '<h2 id="chao-co-tuan-nay">Chào cờ tuần này</h2>' in home
    outside = generate(tiny_content(), today=D(2017, 7, 10))["index.md"]  # summer holidays
    assert "chao-co-tuan-nay" not in outside


def test_story_page_keeps_body_markers_and_print_button(tiny: dict[str, str]) -> None:
    page = tiny["bai-viet/2017/dong-cu-lam-theo-bac.md"]
    assert "<!-- gs-body-start -->\n\nMột câu chuyện.\n\n<!-- gs-body-end -->" in page
    assert "data-gs-print" in page


def test_story_page_shows_its_corrections_dated_before_related_stories(tiny: dict[str, str]) -> None:
    page = tiny["bai-viet/2017/cong-vu.md"]
    assert (
        '<section class="gs-corrections" aria-labelledby="dinh-chinh">\n<h2 id="dinh-chinh">Đính chính</h2>\n<ul>\n'
        '<li><time datetime="2017-09-20">20/09/2017</time>: Sửa tên phòng: Phòng Nội vụ, không phải Phòng Tổ chức.</li>'
    ) in page
    assert page.index("gs-body-end") < page.index("gs-corrections") < page.index("gs-related")
    assert "gs-corrections" not in tiny["bai-viet/2017/dong-cu-lam-theo-bac.md"]  # none: no empty section


# -- related stories ---------------------------------------------------------------


def related_ids(content: Content, story_id: str, today: dt.date = TODAY) -> list[str]:
    cat = build_catalogue(content, today=today)
    return [s.id for s in cat.related(cat.story_by_id[story_id])]


RELATED = (  # slug, day, units, shared with "goc": task 3 points, topic or unit 2 each
    ("goc", D(2017, 6, 1), ("xa-cu",), dict(tasks=("kh22-cv1",), topics=("2017-xay-dung-dang",))),
    ("cung-viec", D(2017, 1, 2), ("truong-thu",), dict(tasks=("kh22-cv1",))),  # 3
    ("cung-de-va-don-vi", D(2016, 3, 1), ("xa-cu",), dict(topics=("2017-xay-dung-dang",))),  # 4: first though oldest
    ("cung-don-vi-moi", D(2017, 8, 1), ("xa-cu",), {}),  # 2, newer of two
    ("cung-don-vi-cu", D(2017, 7, 1), ("xa-cu",), {}),  # 2
    ("cung-loai-don-vi", D(2017, 6, 2), ("xa-moi",), {}),  # 1 + 1 (a commune, 2017): only a fallback
    ("khac-han", D(2018, 1, 1), ("phong-thu",), {}),  # nothing at all in common
)


def related_content(stories=RELATED) -> Content:
    return tiny_content(stories=tuple(make_story(slug, day, units, **kw) for slug, day, units, kw in stories))


def test_related_stories_are_ranked_by_what_they_share_then_newest() -> None:
    # Five share something; the best four: 4, 3, then the two with 2 newest first.
    assert related_ids(related_content(), "2017/goc") == ["2016/cung-de-va-don-vi", "2017/cung-viec", "2017/cung-don-vi-moi", "2017/cung-don-vi-cu"]


def test_related_stories_do_not_depend_on_file_order() -> None:
    expected = {s: related_ids(related_content(), f"{d.year}/{s}") for s, d, _, _ in RELATED}
    for seed in range(5):
        shuffled = list(RELATED)
        random.Random(seed).shuffle(shuffled)
        assert {s: related_ids(related_content(tuple(shuffled)), f"{d.year}/{s}") for s, d, _, _ in RELATED} == expected


def test_related_stories_fall_back_to_same_kind_and_year_then_nearest() -> None:
    content = related_content(RELATED[:1] + RELATED[5:])
    # Nothing shared: the commune's story of the same year (2 points) before the other one.
    assert related_ids(content, "2017/goc") == ["2017/cung-loai-don-vi", "2018/khac-han"]
    # Shared stories come before any fallback, which fills the places left.
    assert related_ids(related_content(RELATED[:2] + RELATED[5:]), "2017/goc") == ["2017/cung-viec", "2017/cung-loai-don-vi", "2018/khac-han"]


def test_a_lone_story_has_no_related_stories_and_no_empty_section() -> None:
    content = related_content(RELATED[:1])
    assert related_ids(content, "2017/goc") == []
    assert "gs-related" not in generate(content)["bai-viet/2017/goc.md"]


# -- two pages, one path ---------------------------------------------------------------


def test_two_pages_with_one_path_are_a_content_error_naming_both() -> None:
    content = tiny_content()
    index = Unit("index", "Xã Chỉ Mục", "xa", "content/units/index.yml")
    outputs = list(pages.generate_pages(build_catalogue(replace(content, units=(*content.units, index)), today=TODAY), Renderer(make_env(), "")))
    with pytest.raises(ContentError) as caught:
        sorted_unique(outputs)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("don-vi/index.md", "GS703")
    assert "trang «Đơn vị» và trang «Xã Chỉ Mục»" in problem.message


def test_a_unit_called_index_stops_the_build_with_the_checkers_message(project: Path, tmp_path: Path) -> None:
    (project / "content" / "units" / "index.yml").write_text("name: Xã Chỉ Mục\nkind: xa\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "content/units/index.yml:1: (tệp): Mã đơn vị 'index'" in result.stderr and "[GS215]" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_checker_knows_every_fixed_id_of_the_story_page() -> None:
    template = (TEMPLATES / "story.md").read_text(encoding="utf-8")
    assert set(re.findall(r'\bid="([^"{}]+)"', template)) == set(STORY_PAGE_IDS)


HEADINGS = """Mở đầu.

## Đồng Lạc

Dong Lac
--------

```
## Trong khối ba dấu huyền
```

    ## Thụt lề là mã

Đoạn văn
dòng hai
---

Tiêu đề gạch dưới
=================
### **Bài** liên [quan](https://example.org) ###
## Tự đặt neo {#rieng .lop}
#Không cách
"""


def test_checker_finds_the_anchors_the_site_gives_headings(root: Path) -> None:
    import markdown
    import yaml

    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    html = markdown.markdown(HEADINGS, extensions=extensions, extension_configs={"toc": {"slugify": toc_slugify}})
    site = [re.sub(r"_\d+$", "", a) for a in re.findall(r'<h\d[^>]*\bid="([^"]+)"', html)]
    assert [anchor for _, _, anchor in heading_anchors(HEADINGS)] == site
    assert site == ["dong-lac", "dong-lac", "trong-khoi-ba-dau-huyen", "tieu-de-gach-duoi", "bai-lien-quan", "rieng", "khong-cach"]


def test_hand_written_pages_write_dates_dd_mm_yyyy(root: Path) -> None:
    """The checker warns about content (GS216); the pages of docs/ are checked here."""
    found = {
        f"{page.relative_to(root)}: {written}"
        for page in sorted((root / "docs").rglob("*.md"))
        for _, written, _ in unpadded_dates(page.read_text(encoding="utf-8"))
    }
    assert found == set()


def test_drafts_never_reach_listings_or_counts(tiny: dict[str, str]) -> None:
    assert not any("ban-nhap" in text for text in tiny.values())


# -- pagination -----------------------------------------------------------------


@pytest.fixture(scope="module")
def many() -> dict[str, str]:
    n = 2 * pages.PER_PAGE + 1
    stories = tuple(make_story(f"bai-{i:03d}", D(2017, 1, 1) + dt.timedelta(days=i), ("xa-moi",)) for i in range(n))
    return generate(tiny_content(stories=stories))


def test_listings_are_paginated_with_previous_next_and_numbers(many: dict[str, str]) -> None:
    base = "bai-viet/don-vi/xa-moi/"
    assert [u for u in many if u.startswith(base)] == [f"{base}index.md", f"{base}trang-2.md", f"{base}trang-3.md"]
    counts = [many[u].count('<li class="gs-entry">') for u in (f"{base}index.md", f"{base}trang-2.md", f"{base}trang-3.md")]
    assert counts == [pages.PER_PAGE, pages.PER_PAGE, 1]
    second = many[f"{base}trang-2.md"]
    assert 'title: "Bài viết: Xã An Mới — trang 2"' in second
    assert '<a href="../" rel="prev">« Trang trước</a>' in second
    assert '<a href="../trang-3/" rel="next">Trang sau »</a>' in second
    assert '<a href="./" aria-current="page" aria-label="Trang 2, trang hiện tại">2</a>' in second
    assert '<a href="../" aria-label="Trang 1">1</a>' in second
    first = many[f"{base}index.md"]
    assert 'rel="prev"' not in first and '<a href="trang-2/" rel="next">' in first
    # Newest first across pages: the newest story opens page 1, the oldest ends page 3.
    assert first.index("bai-080") < first.index("bai-079")
    assert "bai-000" in many[f"{base}trang-3.md"]


def test_every_listing_kind_paginates_the_same_way(many: dict[str, str]) -> None:
    for base in ("bai-viet/", "bai-viet/nam/2017/", "bai-viet/loai/tap-the/", "bai-viet/don-vi/xa-moi/"):
        assert f"{base}trang-3.md" in many and f"{base}trang-4.md" not in many


@pytest.mark.parametrize(
    "number, count, shown",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 250, [1, 2, 3, None, 250]),
        (6, 250, [1, None, 4, 5, 6, 7, 8, None, 250]),
        (4, 250, [1, 2, 3, 4, 5, 6, None, 250]),
        (250, 250, [1, None, 248, 249, 250]),
    ],
)
def test_pager_shows_a_bounded_window_of_page_numbers(number: int, count: int, shown: list) -> None:
    assert pages.Pager("bai-viet/", number, count).numbers() == shown


def test_filter_panel_lists_only_what_has_stories(tiny: dict[str, str]) -> None:
    index = tiny["bai-viet/index.md"]
    panel = index[index.index('<nav class="gs-filters"'): index.index("</nav>")]
    assert 'href="don-vi/xa-cu/"' in panel and "xa-moi" not in panel
    assert 'href="chuyen-de/2017-xay-dung-dang/"' in panel and "2018-neu-guong" not in panel
    assert 'href="loai/ca-nhan/">Gương cá nhân</a> <span class="gs-count">(1)</span>' in panel
    assert "gs-filters" not in tiny["bai-viet/nam/2017/index.md"]


# -- escaping ---------------------------------------------------------------------

HOSTILE = '"><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_in_every_generated_page(tiny: dict[str, str]) -> None:
    out = generate(tiny_content(hostile=HOSTILE))
    assert sorted(out) == sorted(tiny)
    for uri, text in out.items():
        assert "<img" not in text, uri
    escaped = "&#34;&gt;&lt;img src=x onerror=alert"
    for uri in ("index.md", "don-vi/xa-cu.md", "bang-vang/2017.md", "chuyen-de/index.md", "van-ban/kh-22.md", "thong-ke/index.md", "bai-viet/index.md"):
        assert escaped in out[uri], uri
    # In a Markdown heading the title stays text too: no link, no attribute list.
    assert "# &#34;&gt;&lt;img src=x onerror=alert\\(1\\)&gt;Đông Cũ làm theo Bác" in out["bai-viet/2017/dong-cu-lam-theo-bac.md"]


def write_hostile_story(project: Path) -> None:
    """A hostile unit with a revoked honor, a hostile story in it, and enough stories
    to paginate the unit's listing."""
    (project / "content" / "units" / "don-vi-thu.yml").write_text(
        f"name: '{HOSTILE} Xã Thử'\nshort_name: '{HOSTILE}'\nkind: xa\n"
        f"aliases:\n  - '<script>alert(3)</script>'\ndescription: '{HOSTILE}'\nstandards:\n  - '<b onmouseover=alert(5)>chuẩn</b>'\n"
        f"honors:\n  - year: 2017\n    title: '{HOSTILE}'\n    form: giay-khen\n    level: huyen\n    issuer: '<i>UBND</i>'\n"
        f"    person: '{HOSTILE}'\n    decision:\n      number: 45-QĐ/HU\n      date: 2017-05-19\n    status: revoked\n"
        f"    revoked_by:\n      number: 12-QĐ/HU\n      date: 2018-03-01\n      reason: '{HOSTILE}'\n"
        f"    source:\n      title: '{HOSTILE}'\n      url: 'https://example.org/?a=\"><img src=x>'\n",
        encoding="utf-8",
    )
    folder = project / "content" / "stories" / "2017"
    folder.mkdir(parents=True, exist_ok=True)
    front = (
        "subject: tap-the\nunits:\n  - don-vi-thu\nsource:\n  title: 'Nguồn'\n"
        "author: Ban Tuyên giáo\nreviewer: Trưởng ban\nstatus: published\n"
    )
    (folder / "bai-thu-doc-hai.md").write_text(
        f"---\ntitle: '{HOSTILE}'\ndate: 2017-08-01\nsummary: '{HOSTILE} tóm tắt'\ntags:\n  - '<img src=x>'\n{front}---\n\nMột câu chuyện.\n",
        encoding="utf-8",
    )
    for i in range(pages.PER_PAGE):
        (folder / f"bai-them-{i:02d}.md").write_text(
            f"---\ntitle: Bài thêm {i}\ndate: 2017-03-{1 + i % 28:02d}\nsummary: Bài để thử phân trang.\n{front}---\n\nMột câu chuyện.\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    write_hostile_story(project)
    site = tmp_path_factory.mktemp("hostile-site")
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_hostile_story_renders_as_text_in_the_built_site(hostile_site: Path) -> None:
    seen = 0
    for page in html_pages(hostile_site):
        text = page.read_text(encoding="utf-8")
        for raw in ("<img src=x", "<script>alert(3)", "<b onmouseover", "<i>UBND"):
            assert raw not in text, f"{page.relative_to(hostile_site)}: {raw}"
        seen += "&lt;img src=x onerror=alert(1)&gt;" in text
    # Story, home, listings, unit, honor roll, topic, directive and statistics pages show it.
    assert seen >= 8
    unit_listing = hostile_site / "bai-viet" / "don-vi" / "don-vi-thu"
    assert (unit_listing / "trang-2" / "index.html").exists()
    assert broken_links(hostile_site) == []


# -- the built sample site ----------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.targets.append(attrs[name])


_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")
_parsed: dict[Path, _Links] = {}


def parse(page: Path) -> _Links:
    if page not in _parsed:
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        _parsed[page] = links
    return _parsed[page]


def resolve(site: Path, page: Path, target: str) -> tuple[Path | None, str]:
    """The file an internal link leads to (None if it leads nowhere) and its anchor."""
    path, _, anchor = target.partition("#")
    path = path.partition("?")[0]
    if not path:
        return page, anchor
    # The 404 page links from the site root, since it is served at any address.
    here = "." if path.startswith("/") else page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(here, path.lstrip("/")))
    if joined.startswith(".."):
        return None, anchor
    file = site / joined
    if file.is_dir():
        file = file / "index.html"
    return (file if file.is_file() else None), anchor


def broken_links(site: Path) -> list[str]:
    """Every internal href/src on every HTML page that leads to no file, or to a
    generated page lacking the anchor it names."""
    broken = []
    for page in html_pages(site):
        for target in parse(page).targets:
            if _EXTERNAL.match(target):
                continue
            file, anchor = resolve(site, page, target)
            where = f"{page.relative_to(site)} → {target}"
            if file is None:
                broken.append(where)
            elif anchor and file.suffix == ".html" and anchor not in parse(file).ids:
                broken.append(where + " (thiếu neo)")
    return broken


def test_every_internal_link_of_the_built_site_resolves(built_site: Path) -> None:
    assert len(html_pages(built_site)) > 50
    assert broken_links(built_site) == []


def links_of(site: Path, url: str) -> set[str]:
    """Site URLs (directory style, with anchors) that the page at url links to."""
    page = site / url / "index.html"
    out = set()
    for target in parse(page).targets:
        if _EXTERNAL.match(target):
            continue
        file, anchor = resolve(site, page, target)
        if file is not None and file.name == "index.html":
            rel = file.parent.relative_to(site).as_posix()
            out.add(("" if rel == "." else rel + "/") + (f"#{anchor}" if anchor else ""))
    return out


@pytest.fixture(scope="module")
def sample_catalogue():
    today = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
    return build_catalogue(check_content(Path(__file__).resolve().parent.parent).content, today=today)


def test_section_pages_exist_and_link_to_each_other(built_site: Path, sample_catalogue) -> None:
    cat = sample_catalogue
    for url in ("", "bai-viet/", "don-vi/", "bang-vang/", "chuyen-de/", "van-ban/", "thong-ke/"):
        assert (built_site / url / "index.html").is_file(), url
    assert {"bai-viet/", "don-vi/", "bang-vang/", "chuyen-de/", "van-ban/", "thong-ke/"} <= links_of(built_site, "")
    for story in cat.stories:
        out = links_of(built_site, story.url)
        assert {cat.units[u].url for u in story.units} <= out, story.id
        assert {cat.topics[t].url for t in story.topics} <= out, story.id
        assert {cat.tasks[t].url for t in story.tasks} <= out, story.id
    for unit in cat.units.values():
        out = links_of(built_site, unit.url)
        assert {s.url for s in cat.stories_by_unit.get(unit.id, [])[: pages.RECENT]} <= out, unit.id
        assert {f"bang-vang/{h.year}/" for h in unit.honors} <= out, unit.id
        if unit.parent:
            assert cat.units[unit.parent].url in out, unit.id
    for year in cat.honor_years():
        out = links_of(built_site, f"bang-vang/{year}/")
        assert {cat.units[h.unit_id].url for h in cat.honors_in(year)} <= out
    topics = links_of(built_site, "chuyen-de/")
    for topic in cat.topics.values():
        assert cat.directives[topic.directive].url in topics
        assert {s.url for s in cat.stories_by_topic.get(topic.id, [])[: pages.RECENT]} <= topics
    for d in cat.directives.values():
        out = links_of(built_site, d.url)
        for task in d.tasks:
            assert cat.units[task.lead].url in out
            assert {cat.units[u].url for u in task.coordinating} <= out
            assert {s.url for s in cat.stories_by_task.get(task.id, [])[: pages.RECENT]} <= out
    stats_links = links_of(built_site, "thong-ke/")
    assert {f"bai-viet/nam/{y}/" for y in cat.years()} <= stats_links
    assert {f"bang-vang/{y}/" for y in cat.honor_years()} <= stats_links


def test_trimmed_story_and_handout_addresses_lead_to_the_listings(built_site: Path, sample_catalogue) -> None:
    """bai-viet/2017/ (a story's address without its slug), in/2017/ and in/ are no 404s."""
    folders = {"in/": "bai-viet/"}
    for year in sample_catalogue.years():
        folders |= {f"bai-viet/{year}/": f"bai-viet/nam/{year}/", f"in/{year}/": f"bai-viet/nam/{year}/"}
    for folder, listing in folders.items():
        page = built_site / folder / "index.html"
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page.read_text(encoding="utf-8"))
        assert refresh is not None, folder
        assert resolve(built_site, page, refresh[1])[0] == built_site / listing / "index.html", folder
        assert links_of(built_site, folder) == {listing}, folder  # the visible link, for a browser without refresh


def test_unit_directory_and_honor_rolls_leave_their_lists_out_of_search(built_site: Path, sample_catalogue) -> None:
    """A search for a commune finds its page, not the directory's list of every unit."""
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = {}
    for doc in docs:
        page = doc["location"].partition("#")[0]
        text[page] = text.get(page, "") + " " + doc["title"] + " " + doc["text"]
    unit = sample_catalogue.units["xa-dong-lac"]
    assert unit.name in text[unit.url]
    assert "đơn vị, xếp theo loại" in text["don-vi/"]  # the page's own intro is still found
    assert not [u.name for u in sample_catalogue.units.values() if u.name in text["don-vi/"]]
    for year in sample_catalogue.honor_years():
        roll = text[f"bang-vang/{year}/"]
        assert "lượt khen thưởng, ghi nhận" in roll
        assert not [u.name for u in sample_catalogue.units.values() if u.name in roll]


def test_statistics_page_draws_its_charts_inline(built_site: Path) -> None:
    html = (built_site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="gs-chart__svg" role="img"') == 3
    assert html.count("<caption>") == 3


def test_a_story_body_makes_only_its_real_link_targets_docs_absolute() -> None:
    body = (
        "Xem [bài](bai-viet/2017/a.md), [ảnh](assets/b.png \"t\"), [web](https://example.vn) và [mục](#muc).\n\n"
        "Viết `[a](b)` trong mã.\n\n```\n[c](d)\n```\n\n~~~\n[e](f)\n~~~\n\nRồi [cuối](bai-viet/2017/z.md)."
    )
    made = str(pages.story_body(make_story("lien-ket", dt.date(2017, 5, 2), ("xa-a",), body=body)))
    assert made == body.replace("(bai-viet/", "(/bai-viet/").replace("(assets/", "(/assets/")
    assert "`[a](b)`" in made and "[c](d)" in made and "[e](f)" in made  # code shows what was written
