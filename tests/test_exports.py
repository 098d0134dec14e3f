"""Open data: JSON and CSV round-trips, formula neutralising, public stories only, the
column documentation generated from the same columns, and MkDocs' sitemap."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guongsang import exports
from guongsang.catalogue import build_catalogue
from guongsang.check import check_content
from guongsang.parallel import JOBS_ENV, parallel_possible
from guongsang.render import Renderer, make_env

from conftest import ROOT, copy_project, mkdocs_build
from minimal import STORY, write_minimal

SITE = "https://guongsang.example.org/"
HOSTILE = '"><img src=x onerror=alert(1)>'
S = "content/stories/2017/xa-dong-hoa.md"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

STORY_WITH_EVERYTHING = STORY.replace(
    "flag_ceremony: true",
    "flag_ceremony: true\n"
    "tags: ['=HYPERLINK(\"http://x\")', 'môi trường, cây xanh']\n"
    "audiences: [nguoi-dan, hoc-sinh]\n"
    "corrections:\n"
    "  - date: 2017-06-01\n"
    "    text: 'Sửa \"tên\" thôn'",
).replace("title: Xã Đông Hòa giữ đường làng sạch", "title: '\"><img src=x onerror=alert(1)>'")


def render(root: Path, files: dict, *, today: dt.date = dt.date(2026, 11, 18)) -> dict[str, str | bytes]:
    write_minimal(root, files)
    result = check_content(root)
    assert not result.errors, [p.format() for p in result.errors]
    cat = build_catalogue(result.content, today=today)
    return {out.uri: out.content for out in exports.generate_exports(cat, Renderer(make_env(), SITE))}


@pytest.fixture
def out(tmp_path: Path) -> dict[str, str | bytes]:
    return render(
        tmp_path,
        {
            S: STORY_WITH_EVERYTHING,
            "content/stories/2017/ban-nhap.md": STORY.replace("status: published", "status: draft").replace("2017-05-10", "2017-05-11"),
            "content/stories/2027/sap-dang.md": STORY.replace("2017-05-10", "2027-01-05"),
        },
    )


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_files_written() -> None:
    assert [(d.json_uri, d.csv_uri) for d in exports.DATASETS] == [
        ("du-lieu/bai-viet.json", "du-lieu/bai-viet.csv"),
        ("du-lieu/don-vi.json", "du-lieu/don-vi.csv"),
        ("du-lieu/khen-thuong.json", "du-lieu/khen-thuong.csv"),
    ]


def test_story_json_exact(out) -> None:
    records = json.loads(out["du-lieu/bai-viet.json"])
    # Public stories only: no draft, nothing dated after the build day.
    assert records == [
        {
            "audiences": ["nguoi-dan", "hoc-sinh"],
            "author": "Ban Tuyên giáo",
            "commemorations": ["sinh-nhat-bac"],
            "corrections": ['2017-06-01: Sửa "tên" thôn'],
            "date": "2017-05-10",
            "flag_ceremony": True,
            "grade_band": "moi-cap",
            "id": "2017/xa-dong-hoa",
            "illustrative": False,
            "read_aloud_minutes": 1,
            "reading_minutes": 1,
            "reviewer": "Trưởng ban",
            "source_date": None,
            "source_publisher": None,
            "source_title": "Bài viết mẫu",
            "source_url": None,
            "subject": "tap-the",
            "summary": "Cách một xã gắn việc làm theo Bác với thu gom rác.",
            "tags": ['=HYPERLINK("http://x")', "môi trường, cây xanh"],
            "tasks": ["cv-1"],
            "title": HOSTILE,
            "topics": ["2017-chuyen-de"],
            "unit_names": ["Xã Đông Hòa"],
            "units": ["xa-dong-hoa"],
            "updated": "2017-06-01",
            "url": SITE + "bai-viet/2017/xa-dong-hoa/",
            "words": 21,
        }
    ]
    text = out["du-lieu/bai-viet.json"]
    assert '"title": "\\"><img src=x onerror=alert(1)>"' in text  # UTF-8, not \u escapes; sorted keys
    assert "Xã Đông Hòa" in text


def test_story_csv_round_trip(out) -> None:
    data = out["du-lieu/bai-viet.csv"]
    assert data.startswith(b"\xef\xbb\xbfid,url,title,date,updated,summary,")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    [row] = read_csv(data)
    assert list(row) == [c.name for c in exports.STORY_COLUMNS]
    assert row["title"] == HOSTILE
    # A formula is shown as text; a comma inside a tag survives the quoting.
    assert row["tags"] == "'=HYPERLINK(\"http://x\"); môi trường, cây xanh"
    assert row["corrections"] == '2017-06-01: Sửa "tên" thôn'
    assert row["flag_ceremony"] == "true" and row["illustrative"] == "false"
    assert row["source_url"] == "" and row["words"] == "21"


def test_units_and_honors(out) -> None:
    units = json.loads(out["du-lieu/don-vi.json"])
    assert [u["id"] for u in units] == ["huyen-mau", "xa-dong-hoa"]
    assert units[1] == {
        "aliases": ["Đông Hoà"],
        "description": None,
        "ended_by": None,
        "honor_count": 1,
        "id": "xa-dong-hoa",
        "kind": "xa",
        "name": "Xã Đông Hòa",
        "parent": "huyen-mau",
        "short_name": None,
        "standards": [],
        "story_count": 1,  # the draft and the future story are not counted
        "successor": None,
        "url": SITE + "don-vi/xa-dong-hoa/",
        "valid_from": None,
        "valid_to": None,
    }
    [honor] = read_csv(out["du-lieu/khen-thuong.csv"])
    assert honor == {
        "key": "xa-dong-hoa/2017/to-chuc-tot-viec-hoc-tap-chuyen-de/tap-the/45-qd-ubnd",
        "unit_id": "xa-dong-hoa",
        "unit_name": "Xã Đông Hòa",
        "unit_url": SITE + "don-vi/xa-dong-hoa/",
        "year": "2017",
        "title": "Tổ chức tốt việc học tập chuyên đề",
        "form": "giay-khen",
        "level": "huyen",
        "issuer": "Ủy ban nhân dân huyện Mẫu",
        "person": "",
        "decision_number": "45/QĐ-UBND",
        "decision_date": "2017-05-19",
        "status": "active",
        "revoked_by_number": "",
        "revoked_by_date": "",
        "revoked_reason": "",
        "source_title": "Báo cáo sơ kết",
        "source_url": "",
        "source_publisher": "",
        "source_date": "",
    }


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+84 xã", "'+84 xã"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("Xã Đông Hòa", "Xã Đông Hòa"),
        (["=x", "y"], "'=x; y"),
        ([], ""),
        (None, ""),
        (True, "true"),
        (-3, -3),  # a number stays a number
        (dt.date(2017, 5, 10), "2017-05-10"),
    ],
)
def test_csv_cells(value, cell) -> None:
    assert exports.csv_cell(value) == cell


def test_column_docs_are_the_columns(out) -> None:
    page = out["du-lieu/index.md"]
    for dataset in exports.DATASETS:
        section = page.split(f"{{ #{dataset.name} }}", 1)[1].split("</table>", 1)[0]
        documented = re.findall(r"<tr><td><code>([a-z_]+)</code></td><td>([^<]+)</td>", section)
        assert documented == [(c.name, c.kind) for c in dataset.columns], dataset.name
        records = json.loads(out[dataset.json_uri])
        header = next(csv.reader(io.StringIO(out[dataset.csv_uri].decode("utf-8-sig"))))
        assert header == [c.name for c in dataset.columns]
        assert all(sorted(r) == sorted(header) for r in records)
    assert "<code>tap-the</code> Tập thể; <code>ca-nhan</code> Cá nhân" in page
    assert '<a href="../rss.xml" type="application/rss+xml">RSS 2.0</a>' in page
    assert '<a href="bai-viet.json">bai-viet.json</a> · <a href="bai-viet.csv">bai-viet.csv</a>' in page
    assert "Điều kiện sử dụng" in page


def test_exports_are_deterministic(tmp_path: Path) -> None:
    first = render(tmp_path / "a", {S: STORY_WITH_EVERYTHING})
    assert render(tmp_path / "b", {S: STORY_WITH_EVERYTHING}) == first


# -- in the built site ---------------------------------------------------------

HOSTILE_STORY = """\
---
title: '"><img src=x onerror=alert(1)>'
date: 2017-06-15
summary: 'Tóm tắt <script>alert(2)</script> và "trích dẫn"'
subject: tap-the
units: [xa-dong-lac]
tags: ['=HYPERLINK("http://x")', '<b>đậm</b>']
source:
  title: Nguồn thử
author: Ban Tuyên giáo
reviewer: Trưởng ban
status: published
corrections:
  - date: 2017-06-20
    text: 'Sửa <i>tên</i> thôn'
---
Thân bài thử nghiệm về xã Đồng Lạc.
"""

DRAFT_STORY = HOSTILE_STORY.replace("status: published", "status: draft").replace(
    "title: '\"><img src=x onerror=alert(1)>'", "title: Bài nháp chưa công bố"
)


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project plus one hostile story and one draft, built with --strict."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    stories = root / "content" / "stories" / "2017"
    stories.mkdir(parents=True, exist_ok=True)
    (stories / "bai-thu-doc-hai.md").write_text(HOSTILE_STORY, encoding="utf-8")
    (stories / "bai-nhap.md").write_text(DRAFT_STORY, encoding="utf-8")
    site = tmp_path_factory.mktemp("scratch-site")
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def sitemap_urls(site: Path) -> list[tuple[str, str]]:
    root = ET.parse(site / "sitemap.xml").getroot()
    return [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in root.findall(f"{SITEMAP}url")]


def test_sitemap_absolute_dated_by_source_date_epoch_and_a_story_by_its_last_update(built_site: Path) -> None:
    urls = sitemap_urls(built_site)
    assert (SITE, "2026-11-18") in urls and (SITE + "du-lieu/", "2026-11-18") in urls
    assert all(loc.startswith(SITE) for loc, _ in urls)
    stories = {s["url"]: s["updated"] for s in json.loads((built_site / "du-lieu" / "bai-viet.json").read_text(encoding="utf-8"))}
    assert {loc: lastmod for loc, lastmod in urls if loc in stories} == stories  # the story's date, not the build's
    assert {lastmod for loc, lastmod in urls if loc not in stories} == {"2026-11-18"}  # conftest's SOURCE_DATE_EPOCH


def test_sitemap_dates_a_corrected_story_by_its_latest_correction(scratch_site: Path) -> None:
    assert (SITE + "bai-viet/2017/bai-thu-doc-hai/", "2017-06-20") in sitemap_urls(scratch_site)


def test_sitemap_and_data_leave_drafts_out(scratch_site: Path) -> None:
    locs = [loc for loc, _ in sitemap_urls(scratch_site)]
    assert SITE + "bai-viet/2017/bai-thu-doc-hai/" in locs
    assert SITE + "bai-viet/2017/bai-nhap/" not in locs
    assert not (scratch_site / "bai-viet" / "2017" / "bai-nhap").exists()
    for name in ("du-lieu/bai-viet.json", "du-lieu/bai-viet.csv", "rss.xml", "atom.xml"):
        assert b"bai-nhap" not in (scratch_site / name).read_bytes(), name


def test_hostile_values_stay_text_in_every_output(scratch_site: Path) -> None:
    page = (scratch_site / "bai-viet" / "2017" / "bai-thu-doc-hai" / "index.html").read_text(encoding="utf-8")
    for raw in ("<img src=x", "<script>alert(2)", "<b>đậm</b>", "<i>tên</i>"):
        assert raw not in page, raw
    records = json.loads((scratch_site / "du-lieu" / "bai-viet.json").read_text(encoding="utf-8"))
    [record] = [r for r in records if r["id"] == "2017/bai-thu-doc-hai"]
    assert record["title"] == HOSTILE
    assert record["summary"] == 'Tóm tắt <script>alert(2)</script> và "trích dẫn"'
    [row] = [r for r in read_csv((scratch_site / "du-lieu" / "bai-viet.csv").read_bytes()) if r["id"] == "2017/bai-thu-doc-hai"]
    assert row["title"] == HOSTILE and row["tags"] == "'=HYPERLINK(\"http://x\"); <b>đậm</b>"
    for name in ("rss.xml", "atom.xml"):
        feed = (scratch_site / name).read_text(encoding="utf-8")
        assert "<img" not in feed and "<script" not in feed and "<i>" not in feed
        assert "&lt;img src=x onerror=alert(1)&gt;" in feed


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not parallel_possible({}), reason="one core: every build is made by one process")
def test_two_builds_are_byte_identical_in_every_file(built_site: Path, tmp_path: Path) -> None:
    """Every file, pages, handouts, calendar and offline copy included; both builds as
    `make site` makes them by default, with the second core (GUONGSANG_JOBS unset)."""
    builds = []
    for name in ("a", "b"):
        result = mkdocs_build(ROOT, tmp_path / name, env={JOBS_ENV: ""})
        assert result.returncode == 0, result.stdout + result.stderr
        builds.append(site_files(tmp_path / name))
    first, second = builds
    assert len(first) > 200
    assert any(name.startswith("in/") for name in first) and any(name.endswith(".zip") for name in first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The session's build (one process or two, as the environment says) makes the same site.
    shared = site_files(built_site)
    assert sorted(shared) == sorted(first)
    assert [name for name in first if first[name] != shared[name]] == []
