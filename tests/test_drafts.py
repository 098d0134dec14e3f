"""Drafts, stories under review and stories dated in the future reach no file of the public build;
preview shows them with the "BẢN NHÁP" banner; the daily rebuild publishes a story on its date."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import mkdocs_build

BANNER = "BẢN NHÁP"
# Unique markers, in each story's title, summary, tag and body: any file that
# mentions one has leaked the story.
HIDDEN = {
    "qzxdraft": ("2026", "draft", "2026-03-02", ""),
    "qzxreview": ("2026", "review", "2026-03-03", "reviewer: Trưởng ban\n"),
    "qzxfuture": ("2027", "published", "2027-01-04", "reviewer: Trưởng ban\n"),
}
PUBLIC = "qzxpublic"


def story_text(marker: str, status: str, date: str, extra: str) -> str:
    return (
        f"---\ntitle: Bài {marker.upper()} về đường làng\ndate: {date}\nsummary: Tóm tắt {marker.upper()}.\n"
        f"subject: tap-the\nunits:\n  - xa-nam-tan\ntags:\n  - thẻ {marker}\naudiences:\n  - hoc-sinh\n"
        f"flag_ceremony: true\ngrade_band: moi-cap\nsource:\n  title: Nguồn {marker}\nauthor: Ban Tuyên giáo\n{extra}status: {status}\n"
        f"aliases:\n  - bai-viet/2016/{marker}-cu/\n---\n\nThân bài {marker.upper()}: cả thôn cùng quét đường làng mỗi sáng chủ nhật.\n"
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("drafts") / "project")
    for marker, (year, status, date, extra) in HIDDEN.items():
        target = project / "content" / "stories" / year / f"bai-{marker}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(story_text(marker, status, date, extra), encoding="utf-8")
    (project / "content/stories/2026" / f"bai-{PUBLIC}.md").write_text(
        story_text(PUBLIC, "published", "2026-03-04", "reviewer: Trưởng ban\n"), encoding="utf-8"
    )
    return project


def build(project: Path, site: Path, env: dict | None = None) -> Path:
    result = mkdocs_build(project, site, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def unpacked(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The bytes a reader gets out of a file: a .gz decompressed, each member of a .zip (the offline copy) on its own."""
    if name.endswith(".gz"):
        return [(name, gzip.decompress(data))]
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [item for member in sorted(archive.namelist()) for item in unpacked(f"{name}!{member}", archive.read(member))]
    return [(name, data)]


def files_mentioning(site: Path, marker: str) -> list[str]:
    """Every file of the built site (or member of a .zip, as "x.zip!member") whose bytes name the marker, any case."""
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        for name, data in unpacked(path.relative_to(site).as_posix(), path.read_bytes()):
            if marker.encode() in data.lower():
                found.append(name)
    return found


def test_the_scan_sees_inside_compressed_files(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "chao-co.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("chao-co/bai/index.html", "<h1>Bài QZXDRAFT</h1>" + "đệm " * 200)
        archive.writestr("sach.html", "không có gì")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>qzxdraft</loc>"))
    assert files_mentioning(tmp_path, "qzxdraft") == ["chao-co.zip!chao-co/bai/index.html", "sitemap.xml.gz"]


@pytest.fixture(scope="module")
def public_site(scratch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(scratch, tmp_path_factory.mktemp("public"))


@pytest.mark.parametrize("marker", sorted(HIDDEN))
def test_held_back_stories_reach_no_file(public_site: Path, marker: str) -> None:
    assert files_mentioning(public_site, marker) == []


def test_the_search_reaches_a_public_story(public_site: Path) -> None:
    # The control: the same kind of story, published, is found where the others must not be.
    found = files_mentioning(public_site, PUBLIC)
    for expected in ("bai-viet/2026/bai-qzxpublic/index.html", "search/search_index.json", "sitemap.xml", "sitemap.xml.gz"):
        assert expected in found
    assert any(name.startswith("chao-co/") and ".zip!" in name for name in found)  # the offline copy is scanned too
    assert (public_site / "bai-viet/2016/qzxpublic-cu/index.html").is_file()
    assert BANNER not in (public_site / "bai-viet/2026/bai-qzxpublic/index.html").read_text(encoding="utf-8")


def test_preview_shows_held_back_stories_with_the_banner(scratch: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    site = build(scratch, tmp_path_factory.mktemp("preview"), {"GUONGSANG_PREVIEW": "1"})
    for marker, (year, *_rest) in HIDDEN.items():
        page = (site / "bai-viet" / year / f"bai-{marker}" / "index.html").read_text(encoding="utf-8")
        assert f"Bài {marker.upper()} về đường làng" in page
        assert f'<strong>{BANNER}</strong>' in page
        # Its print handout too: banner and watermark, so a printed sheet cannot pass for a published one.
        handout = (site / "in" / year / f"bai-{marker}" / "index.html").read_text(encoding="utf-8")
        assert f'<strong>{BANNER}</strong>' in handout and f'<span>{BANNER}</span>' in handout
    public = (site / "bai-viet/2026/bai-qzxpublic/index.html").read_text(encoding="utf-8")
    assert BANNER not in public
    assert BANNER not in (site / "in/2026/bai-qzxpublic/index.html").read_text(encoding="utf-8")
    # Listings say which entries are not published yet.
    listing = (site / "bai-viet/nam/2026/index.html").read_text(encoding="utf-8")
    for marker, label in (("qzxdraft", "bản nháp"), ("qzxreview", "đang duyệt"), ("qzxpublic", "")):
        entry = re.search(rf'<li class="gs-entry"><a class="gs-entry__title" href="[^"]*bai-{marker}/">[^<]*</a>( <span class="gs-entry__status">[^<]*</span>)?', listing)
        assert entry is not None, marker
        assert entry.group(1) == (f' <span class="gs-entry__status">{label}</span>' if label else None)
    # A story dated ahead says when it will appear.
    future = (site / "bai-viet/nam/2027/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*bai-qzxfuture/">[^<]*</a> <span class="gs-entry__status">hẹn đăng 04/01/2027</span>', future)


def test_public_listings_have_no_status_labels(public_site: Path) -> None:
    assert "gs-entry__status" not in (public_site / "bai-viet/index.html").read_text(encoding="utf-8")


def test_a_printed_draft_keeps_its_banner(root: Path) -> None:
    css = (root / "docs/assets/stylesheets/print.css").read_text(encoding="utf-8")
    hidden = [selectors for selectors, body in re.findall(r"([^{};]+)\{([^{}]*)\}", css) if re.search(r"display:\s*none", body)]
    assert hidden and not [s for s in hidden if "gs-draft-banner" in s]


def test_daily_rebuild_publishes_a_story_on_its_date(scratch: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    site = build(scratch, tmp_path_factory.mktemp("daily"), {"GUONGSANG_TODAY": "2027-01-04"})
    page = (site / "bai-viet/2027/bai-qzxfuture/index.html").read_text(encoding="utf-8")
    assert "Bài QZXFUTURE về đường làng" in page
    assert BANNER not in page
    assert "bai-viet/2027/bai-qzxfuture/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert files_mentioning(site, "qzxdraft") == []
    assert files_mentioning(site, "qzxreview") == []
