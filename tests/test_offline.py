"""The offline copy: links rewritten for file://, the assets it needs, a deterministic zip."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from urllib.parse import unquote
from pathlib import Path

import pytest

from guongsang.catalogue import build_catalogue
from guongsang.check import check_content
from guongsang.models import Content, Programme, Story
from guongsang.offline import ZIP_MODE, ZIP_TIME, Bundle, build_offline_zip, offline_pages, rewrite_link, write_zip
from guongsang.schedule import build_schedule
from test_handout import chromium  # noqa: F401 - the browser fixture, shared

D = dt.date
SITE = "https://guongsang.example.org/"
TODAY = D(2026, 11, 18)  # the day of tests/conftest.py's FIXED_EPOCH
_REF = re.compile(r'\s(?:href|src)="([^"]*)"')


def story(slug: str) -> Story:
    return Story(
        year=2017, slug=slug, path=f"content/stories/2017/{slug}.md", title=f"Bài {slug}", date=D(2017, 5, 2),
        summary="Tóm tắt.", subject="tap-the", units=("xa-a",), body="Thân bài.", body_line=8, author="Ban Tuyên giáo",
        status="published", reviewer="Trưởng ban", flag_ceremony=True, words=300,
    )


def small_schedule():  # noqa: ANN201
    programme = Programme("2026-2027", D(2026, 9, 7), D(2026, 9, 14), "content/programme/2026-2027.yml")
    cat = build_catalogue(Content(stories=(story("a"), story("b")), programmes=(programme,)), today=TODAY)
    return build_schedule(cat, "2026-2027")


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A written site in miniature: the programme, two stories, their handouts, assets, other pages."""
    page = '<html><head><link rel="stylesheet" href="{up}assets/site.css"></head><body>{body}</body></html>'
    write(tmp_path, "chao-co/2026-2027/index.html", page.format(up="../../", body=(
        '<a href="../../bai-viet/2017/a/">A</a> <a href="../../in/2017/a/#dau">phiếu</a> <a href="../../bai-viet/2017/b/">B</a>'
        ' <a href="../../don-vi/xa-a/">đơn vị</a> <a href="../..">trang chủ</a> <a href="../2026-2027.ics">lịch</a>'
        ' <a href="../2026-2027.zip">zip</a> <a href="https://example.vn/x">ngoài</a> <a href="#tuan-2026-09-07">tuần</a>'
        ' <a href="../../du-lieu/rss.xml">rss</a> <img src="../../assets/anh/a.png" alt="ảnh"> <a href="../../../../ra-ngoai">x</a>'
    )))
    for slug in ("a", "b"):
        write(tmp_path, f"bai-viet/2017/{slug}/index.html", page.format(up="../../../", body='<a href="../../../chao-co/2026-2027/">chương trình</a>'))
        write(tmp_path, f"in/2017/{slug}/index.html", page.format(up="../../../", body=f'<a href="../../../bai-viet/2017/{slug}/">bài</a>'))
    write(tmp_path, "don-vi/xa-a/index.html", "<html></html>")
    write(tmp_path, "index.html", "<html></html>")
    write(tmp_path, "assets/site.css", "body{background:url(images/nen.png)} .x{background:url('https://cdn.example/y.png')}")
    write(tmp_path, "assets/images/nen.png", "png")
    write(tmp_path, "assets/anh/a.png", "png")
    write(tmp_path, "assets/khong-dung.js", "unused")
    write(tmp_path, "chao-co/2026-2027.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    write(tmp_path, "du-lieu/rss.xml", "<rss/>")
    return tmp_path


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# -- links --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "rewritten"),
    [
        ("../../bai-viet/2017/a/", "../../bai-viet/2017/a/index.html"),
        ("../../in/2017/a/#dau", "../../in/2017/a/index.html#dau"),
        ("../../don-vi/xa-a/", SITE + "don-vi/xa-a/"),
        ("../..", SITE),
        ("../../du-lieu/rss.xml", SITE + "du-lieu/rss.xml"),
        ("../2026-2027.ics", "../2026-2027.ics"),
        ("../2026-2027.zip", SITE + "chao-co/2026-2027.zip"),
        ("../../assets/site.css", "../../assets/site.css"),
        ("https://example.vn/x", "https://example.vn/x"),
        ("#tuan-2026-09-07", "#tuan-2026-09-07"),
        ("mailto:a@example.vn", "mailto:a@example.vn"),
        ("../../../../ra-ngoai", "../../../../ra-ngoai"),
        ("", ""),
    ],
)
def test_links_from_the_programme_page(small_site: Path, url: str, rewritten: str):
    bundle = Bundle(pages=offline_pages(small_schedule()), site_url=SITE)
    assert rewrite_link(bundle, small_site, "chao-co/2026-2027/index.html", url, {"chao-co/2026-2027.ics"}) == rewritten


def test_without_a_site_address_other_pages_keep_their_links(small_site: Path):
    bundle = Bundle(pages=offline_pages(small_schedule()), site_url="")
    assert rewrite_link(bundle, small_site, "chao-co/2026-2027/index.html", "../../don-vi/xa-a/", set()) == "../../don-vi/xa-a/"


def test_the_copy_holds_the_programme_its_stories_handouts_and_the_assets_they_use(small_site: Path):
    files = entries(build_offline_zip(small_site, small_schedule(), site_url=SITE, today=TODAY))
    assert sorted(files) == [
        "chao-co-2026-2027/DOC-TRUOC.txt",
        "chao-co-2026-2027/assets/anh/a.png",
        "chao-co-2026-2027/assets/images/nen.png",  # named by the stylesheet, not by a page
        "chao-co-2026-2027/assets/site.css",
        "chao-co-2026-2027/bai-viet/2017/a/index.html",
        "chao-co-2026-2027/bai-viet/2017/b/index.html",
        "chao-co-2026-2027/chao-co-2026-2027.html",
        "chao-co-2026-2027/chao-co/2026-2027.ics",
        "chao-co-2026-2027/chao-co/2026-2027/index.html",
        "chao-co-2026-2027/in/2017/a/index.html",
        "chao-co-2026-2027/in/2017/b/index.html",
    ]
    story_page = files["chao-co-2026-2027/bai-viet/2017/a/index.html"].decode()
    assert '<a href="../../../chao-co/2026-2027/index.html">chương trình</a>' in story_page
    assert '<div class="gs-offline" role="note">Bản dùng không cần mạng, lưu ngày 18/11/2026 — bản mới nhất: <a href="https://guongsang.example.org/chao-co/2026-2027/">' in story_page
    assert ".md-search" in story_page.split("</head>")[0]
    start = files["chao-co-2026-2027/chao-co-2026-2027.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=chao-co/2026-2027/index.html">' in start
    readme = files["chao-co-2026-2027/DOC-TRUOC.txt"].decode()
    assert readme.startswith("Chào cờ đầu tuần năm học 2026-2027 — bản dùng không cần mạng\r\n")
    assert "Bản mới nhất: https://guongsang.example.org/chao-co/2026-2027/\r\n" in readme


# -- the zip ------------------------------------------------------------------


def test_a_zip_depends_only_on_its_entries():
    a = write_zip({"b.txt": b"2", "a/c.txt": b"1"})
    b = write_zip({"a/c.txt": b"1", "b.txt": b"2"})
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a/c.txt", "b.txt"]
    assert {(i.date_time, i.external_attr, i.create_system, i.compress_type) for i in infos} == {(ZIP_TIME, ZIP_MODE, 3, zipfile.ZIP_DEFLATED)}


# -- the built site -----------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_schedule(root: Path):  # noqa: ANN201
    result = check_content(root)
    return build_schedule(build_catalogue(result.content, today=TODAY), "2026-2027")


@pytest.fixture(scope="module")
def shipped_zip(built_site: Path) -> bytes:
    return (built_site / "chao-co" / "2026-2027.zip").read_bytes()


def test_the_build_writes_the_copy_it_links_to(built_site: Path, shipped_zip: bytes):
    html = (built_site / "chao-co" / "2026-2027" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2026-2027.zip" download="chao-co-2026-2027.zip"' in html
    assert zipfile.is_zipfile(io.BytesIO(shipped_zip))


def test_the_shipped_copy_has_every_story_of_the_programme(shipped_zip: bytes, shipped_schedule):
    names = set(entries(shipped_zip))
    folder = "chao-co-2026-2027/"
    for story in shipped_schedule.stories():
        assert {folder + story.url + "index.html", folder + story.handout_url + "index.html"} <= names
    assert {folder + "chao-co/2026-2027/index.html", folder + "chao-co/2026-2027.ics", folder + "assets/stylesheets/print.css"} <= names
    assert all(n.startswith(folder) for n in names)
    assert not any(n.endswith(".zip") or "/search/" in n for n in names)


def test_every_local_link_in_the_copy_opens_a_file_of_the_copy(shipped_zip: bytes):
    files = entries(shipped_zip)
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        for url in _REF.findall(data.decode("utf-8")):
            if re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|#)", url):
                continue
            target = url.split("#")[0].split("?")[0]
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved in files, f"{name}: {url}"


def test_the_copy_is_rebuilt_byte_for_byte_from_the_site(built_site: Path, shipped_zip: bytes, shipped_schedule):
    assert build_offline_zip(built_site, shipped_schedule, site_url=SITE, today=TODAY) == shipped_zip
    with zipfile.ZipFile(io.BytesIO(shipped_zip)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {ZIP_TIME}


def offline_page(browser) -> tuple:  # noqa: ANN001 - playwright's Browser
    """A page with no network, and what it saw fail: a copy opened from disk needs none."""
    seen: dict = {"failed": []}
    page = browser.new_page()
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    return page, seen


def walk_offline_copy(browser, start: Path) -> dict:  # noqa: ANN001 - playwright's Browser
    """Open the copy as a teacher would, with no network; what each step showed."""
    page, seen = offline_page(browser)
    try:
        page.goto(start.as_uri())
        page.wait_for_url("**/chao-co/2026-2027/index.html")
        seen["programme"] = page.title()
        seen["header"] = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        page.locator("#tuan-2027-05-17 a").first.click()
        page.wait_for_url("**/bai-viet/2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co/index.html")
        seen["story"] = page.title()
        page.go_back()
        page.locator("#tuan-2027-05-17 a.gs-handout-link").click()
        page.wait_for_url("**/in/2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co/index.html")
        seen["handout_font"] = page.evaluate("getComputedStyle(document.querySelector('.gs-handout')).fontFamily")
    finally:
        page.close()
    return seen


@pytest.mark.browser
def test_the_copy_works_from_the_file_system(shipped_zip: bytes, tmp_path: Path, chromium):  # noqa: ANN001
    with zipfile.ZipFile(io.BytesIO(shipped_zip)) as archive:
        archive.extractall(tmp_path)
    seen = chromium.run(walk_offline_copy, tmp_path / "chao-co-2026-2027" / "chao-co-2026-2027.html")
    assert seen["programme"] == "Chào cờ đầu tuần năm học 2026-2027 - Gương Sáng"
    assert seen["header"] == "sticky"  # Material's stylesheet was found
    assert seen["story"] == "Trường THPT Nam Sách kể chuyện Bác trong giờ chào cờ - Gương Sáng"
    assert seen["handout_font"].startswith('"Times New Roman"')  # print.css was found
    # A request can also fail because the page moved on before it finished (the favicon, often):
    # what matters is that nothing a page asked for is missing from the copy. Material asks for
    # search/search_index.js on file://; the copy has no search (the box is hidden).
    folder = tmp_path / "chao-co-2026-2027"
    asked = {unquote(u.split("chao-co-2026-2027/", 1)[1]) for u in seen["failed"] if u.startswith("file:")}
    assert {path for path in asked if not (folder / path).is_file()} <= {"search/search_index.js"}
    assert not (folder / "search").exists()


# -- the pull request's preview, opened from disk -----------------------------

DRAFT = (
    "---\ntitle: Bài nháp mở từ ổ đĩa\ndate: 2026-03-02\nsummary: Tóm tắt bài nháp.\nsubject: tap-the\nunits:\n  - xa-nam-tan\n"
    "source:\n  title: Nguồn\nauthor: Ban Tuyên giáo\nstatus: draft\n---\n\nThân bài nháp.\n"
)
DRAFT_URL = "bai-viet/2026/bai-nhap-o-dia/"


@pytest.fixture(scope="module")
def disk_preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The preview build (a draft in it) copied by `guongsang offline-copy`, as the pull-request workflow does."""
    from click.testing import CliRunner

    from conftest import copy_project, mkdocs_build
    from guongsang.cli import main

    base = tmp_path_factory.mktemp("disk-preview")
    project = copy_project(base / "project")
    (project / "content/stories/2026").mkdir(parents=True, exist_ok=True)
    (project / "content/stories/2026/bai-nhap-o-dia.md").write_text(DRAFT, encoding="utf-8")
    built = mkdocs_build(project, base / "preview", env={"GUONGSANG_PREVIEW": "1"})
    assert built.returncode == 0, built.stdout + built.stderr
    result = CliRunner().invoke(main, ["offline-copy", str(base / "preview"), str(base / "ban-xem-truoc")])
    assert result.exit_code == 0, result.output
    return base / "ban-xem-truoc"


def test_every_local_link_of_the_disk_preview_names_a_file(disk_preview: Path):
    """From file://, a link to a folder shows a listing: every page link must name index.html."""
    pages = sorted(disk_preview.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        if page.name == "404.html" and page.parent == disk_preview:
            continue  # a web server's page for a missing address: its links start at the site's root
        name = page.relative_to(disk_preview).as_posix()
        html = page.read_text(encoding="utf-8")
        for url in _REF.findall(html):
            if re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|#|//)", url):
                continue
            target = unquote(url.split("#")[0].split("?")[0])
            if not target:
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert (disk_preview / resolved).is_file(), f"{name}: {url}"


def test_the_disk_preview_refuses_a_folder_in_use(disk_preview: Path, tmp_path: Path):
    from click.testing import CliRunner

    from guongsang.cli import main

    result = CliRunner().invoke(main, ["offline-copy", str(disk_preview), str(disk_preview / "ben-trong")])
    assert result.exit_code == 2 and "phải là thư mục mới hoặc rỗng" in result.stderr
    result = CliRunner().invoke(main, ["offline-copy", str(tmp_path), str(tmp_path / "ra")])
    assert result.exit_code == 2 and "không phải trang đã dựng" in result.stderr


def walk_disk_preview(browser, start: Path) -> dict:  # noqa: ANN001 - playwright's Browser
    """Open the preview from disk as web-editor staff would: home, a listing, the draft."""
    page, seen = offline_page(browser)
    try:
        page.goto(start.as_uri())
        seen["home"] = page.title()
        seen["header"] = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        seen["search_shown"] = page.locator(".md-search").first.is_visible()
        page.locator('.md-tabs a[href$="bai-viet/index.html"]').first.click()
        page.wait_for_url("**/bai-viet/index.html")
        seen["listing"] = page.title()
        page.locator('a[href$="2026/bai-nhap-o-dia/index.html"]').first.click()
        page.wait_for_url(f"**/{DRAFT_URL}index.html")
        seen["draft"] = page.title()
        seen["banner"] = page.locator(".gs-draft-banner").inner_text()
    finally:
        page.close()
    return seen


@pytest.mark.browser
def test_the_disk_preview_works_from_the_file_system(disk_preview: Path, chromium):  # noqa: ANN001
    seen = chromium.run(walk_disk_preview, disk_preview / "index.html")
    assert seen["home"].endswith("Gương Sáng")
    assert seen["header"] == "sticky"  # Material's stylesheet was found
    assert seen["search_shown"] is False  # search needs a server: hidden, as in the offline copy
    assert seen["listing"].startswith("Bài viết")
    assert seen["draft"] == "Bài nháp mở từ ổ đĩa - Gương Sáng"
    assert seen["banner"].startswith("BẢN NHÁP")
    asked = {unquote(u[len(disk_preview.as_uri()) + 1 :]) for u in seen["failed"] if u.startswith(disk_preview.as_uri())}
    assert {path for path in asked if not (disk_preview / path).is_file()} <= {"search/search_index.js"}
