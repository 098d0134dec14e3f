"""Printing a story: what the story page offers as "one A4 page" prints on one A4 page (Chromium's PDF)."""

from __future__ import annotations

import random
import re
import struct
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin

import pytest

from .conftest import CANARY_YEAR, Served, canary_unit, copy_project, mkdocs_build, sample_catalogue, serve, visit

pytestmark = pytest.mark.browser

ONE_PAGE = re.compile(r"một trang A4", re.IGNORECASE)
# window.print() opens a dialog a headless browser never shows: record the call instead.
RECORD_PRINT = "window.print = () => { window.__printCalls = (window.__printCalls || 0) + 1; };"


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF from Chromium (Skia writes every page object uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def print_a4(page) -> int:  # noqa: ANN001
    return pdf_pages(page.pdf(format="A4", print_background=True))


@pytest.fixture(scope="module")
def print_stories(catalogue) -> dict[str, str]:  # noqa: ANN001
    """The longest story (the hardest to fit) and the one with the most metadata."""
    longest = max(catalogue.stories, key=lambda s: (s.words, len(s.body), s.id))
    richest = max(catalogue.stories, key=lambda s: (len(s.units) + len(s.tags) + len(s.topics) + len(s.tasks), s.id))
    return {"dai-nhat": longest.url, "nhieu-thong-tin-nhat": richest.url}


@pytest.mark.parametrize("which", ["dai-nhat", "nhieu-thong-tin-nhat"])
def test_every_one_page_print_control_of_a_story_prints_one_a4_page(site, new_page, print_stories, which: str) -> None:
    page = new_page()
    page.add_init_script(RECORD_PRINT)
    url = site.page(print_stories[which])
    visit(page, url)
    controls = page.locator(".gs-actions").get_by_text(ONE_PAGE)
    labels = controls.all_inner_texts()
    assert labels, f"{url}: không có nút hay liên kết in một trang A4"
    results = {}
    for i, label in enumerate(labels):
        control = controls.nth(i)
        href = control.get_attribute("href")
        if href:  # a link to the print handout
            handout = new_page()
            visit(handout, urljoin(url, href))
            results[label] = print_a4(handout)
        else:  # a button that prints the page itself
            control.click()
            assert page.evaluate("window.__printCalls") == 1, f"«{label}» không gọi lệnh in"
            results[label] = print_a4(page)
    assert results == {label: 1 for label in labels}, f"{url}: số trang A4 khi in"


def test_page_count_is_read_from_the_pdf(site, new_page) -> None:
    """The counter is not blind: a page made three A4 pages long counts three."""
    page = new_page()
    page.set_content("<!doctype html><html lang=vi><body>" + '<p style="break-after: page">trang</p>' * 3 + "</body></html>")
    assert print_a4(page) == 3


# -- long stories ----------------------------------------------------------------

LONG = (700, 1_000, 1_500, 3_000)  # syllables; the seed article is about 3,000 words
_WORDS = (
    "bà con trong thôn cùng nhau làm đường giữ gìn vệ sinh chung chi bộ họp bàn "
    "đoàn viên thanh niên nhận phần việc khó người cao tuổi góp công góp của xã ghi nhận "
    "cán bộ gần dân lắng nghe giải quyết kịp thời những việc nhỏ thành nếp mỗi tuần"
).split()


def long_body(syllables: int, seed: int) -> str:
    """Paragraphs of 40 to 90 syllables, a heading every fourth one."""
    rnd = random.Random(seed)
    blocks, total = [], 0
    while total < syllables:
        if len(blocks) % 5 == 4:
            blocks.append("## " + " ".join(rnd.choice(_WORDS) for _ in range(5)).capitalize())
            total += 5
            continue
        n = min(rnd.randint(40, 90), max(syllables - total, 1))
        blocks.append(" ".join(rnd.choice(_WORDS) for _ in range(n)).capitalize() + ".")
        total += n
    return "\n\n".join(blocks) + "\n"


def long_story(syllables: int) -> str:
    return (
        "---\n"
        f"title: Bài dài {syllables} âm tiết về phong trào làm đường ở thôn\n"
        "date: 2017-12-28\n"
        "summary: Một bài dài để thử bản in một trang của trang bài viết.\n"
        "subject: tap-the\n"
        f"units:\n  - {canary_unit()}\n"
        "audiences:\n  - nguoi-dan\n"
        "flag_ceremony: false\n"
        "source:\n  title: Bài thử độ dài\n"
        "author: Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "reviewer: Lãnh đạo Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "status: published\n"
        "---\n\n" + long_body(syllables, syllables)
    )


def long_url(syllables: int) -> str:
    return f"bai-viet/{CANARY_YEAR}/bai-dai-{syllables}/"


# Stories with what only the story page shows (the handout leaves it out): two images, or
# 14 units, 3 tasks, 8 tags, a long summary, the «Bài minh họa» note and a long source.
RICH = (150, 250, 500, 700, 1_000, 1_500, 3_000)  # syllables
WITH_IMAGES = (150, 450, 1_000)
IMAGE = "assets/anh/thu-in.png"


def png(width: int, height: int) -> bytes:
    """A grey picture, as large as a photo on the page."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x99" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def rich_story(kind: str, syllables: int) -> str:
    cat = sample_catalogue()
    if kind == "anh":
        extra = f"images:\n  - src: {IMAGE}\n    alt: Ảnh thử một\n    caption: Bà con làm đường\n  - src: {IMAGE}\n    alt: Ảnh thử hai\n"
        units = [canary_unit()]
        summary = "Một bài có ảnh để thử bản in."
    else:
        units = sorted(cat.units)[:14]
        extra = "tasks:\n" + "".join(f"  - {t}\n" for t in sorted(cat.tasks)[:3])
        extra += "tags:\n" + "".join(f"  - thẻ thử số {i} khá dài\n" for i in range(8)) + "illustrative: true\n"
        summary = " ".join(["Bà con trong thôn cùng nhau làm đường, giữ gìn vệ sinh chung, chi bộ họp bàn, đoàn viên nhận phần việc khó."] * 3)
    return (
        "---\n"
        f"title: Bài thử in {kind} {syllables} âm tiết về phong trào làm đường giữ gìn vệ sinh chung ở thôn xóm\n"
        "date: 2017-12-28\n"
        f"summary: {summary}\n"
        "subject: tap-the\n"
        "units:\n" + "".join(f"  - {u}\n" for u in units) + extra +
        "audiences:\n  - nguoi-dan\n"
        "flag_ceremony: false\n"
        "source:\n  title: Một nguồn có tiêu đề rất dài để xem khung thông tin chiếm bao nhiêu chỗ khi in ra giấy A4\n"
        "  publisher: Ban Tuyên giáo Tỉnh ủy Hải Dương\n"
        "author: Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "reviewer: Lãnh đạo Ban Tuyên giáo Huyện ủy Nam Sách\n"
        "status: published\n"
        "---\n\n" + long_body(syllables, syllables + len(kind))
    )


def rich_url(kind: str, syllables: int) -> str:
    return f"bai-viet/{CANARY_YEAR}/bai-thu-in-{kind}-{syllables}/"


FIXTURES = [("anh", n) for n in WITH_IMAGES] + [("nhieu-thong-tin", n) for n in RICH]


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped content plus stories of 700 to 3,000 syllables, and stories with images or
    much metadata (FIXTURES), served."""
    project = copy_project(tmp_path_factory.mktemp("long"))
    folder = project / "content" / "stories" / str(CANARY_YEAR)
    for n in LONG:
        (folder / f"bai-dai-{n}.md").write_text(long_story(n), encoding="utf-8")
    image = project / "docs" / IMAGE
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(png(1200, 900))
    for kind, n in FIXTURES:
        (folder / f"bai-thu-in-{kind}-{n}.md").write_text(rich_story(kind, n), encoding="utf-8")
    site_dir = project / "site-built"
    result = mkdocs_build(project, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    yield from serve(site_dir)


@pytest.mark.parametrize("syllables", LONG)
def test_a_long_story_prints_on_one_a4_page(long_site, new_page, syllables: int) -> None:
    page = new_page()
    page.add_init_script(RECORD_PRINT)
    url = long_site.page(long_url(syllables))
    visit(page, url)
    button = page.locator(".gs-actions [data-gs-print]")
    label = button.inner_text()
    assert ONE_PAGE.search(label), label
    button.click()
    assert page.evaluate("window.__printCalls") == 1
    assert print_a4(page) == 1, f"{url}: «{label}» in ra hơn một trang A4"
    # What the page says on paper is true: the whole story, or a note saying where it is whole.
    # The page laid out as on paper: A4 less the 10 mm margins, at 96 px an inch.
    page.set_viewport_size({"width": 718, "height": 1047})
    page.emulate_media(media="print")
    note = page.locator(".gs-print-more")
    last = page.locator(".md-typeset > p:not(.gs-print-more)").last
    if note.is_visible():
        assert long_url(syllables) in note.inner_text()
    else:
        assert _fully_inside_the_page(page, last), f"{url}: không có ghi chú mà đoạn cuối không vào trang"
    if syllables == max(LONG):  # too long for any size: cut, and says so
        assert note.is_visible() and not _fully_inside_the_page(page, last)


def test_the_note_is_only_on_paper(long_site, new_page) -> None:
    page = new_page()
    visit(page, long_site.page(long_url(max(LONG))))
    assert page.locator(".gs-print-more").count() == 1
    assert not page.locator(".gs-print-more").is_visible()


# The story's own text: what the page has between the title and the end, less what is not the story.
_LAST_BODY_BLOCK = """() => {
    const box = document.querySelector('.md-typeset:has(> .gs-meta)');
    const own = [...box.children].filter(e => !e.matches(
        'h1, .gs-summary, .gs-note, .gs-meta, .gs-print-more, .gs-figure, .gs-related, .gs-corrections, .gs-draft-banner, script'));
    return own[own.length - 1];
}"""


def printed(page) -> tuple[int, bool, bool]:  # noqa: ANN001
    """(A4 pages, the story's last block on the page, the note «chỉ có phần đầu bài» on paper).

    Printed as a reader prints it (Chromium's PDF, which runs the page's print-time script),
    then laid out as on paper to see what the page holds."""
    pages = print_a4(page)
    page.set_viewport_size({"width": 718, "height": 1047})
    page.emulate_media(media="print")
    last = page.evaluate_handle(_LAST_BODY_BLOCK).as_element()
    note = page.locator(".gs-print-more")
    return pages, _fully_inside_the_page(page, last), note.count() == 1 and note.is_visible()


def test_every_shipped_story_prints_whole_or_says_it_is_cut(site, new_page, catalogue) -> None:
    """On one A4 page, the story's last block is printed, or the page says it has only the beginning."""
    failures = {}
    for story in catalogue.stories:
        page = new_page()
        visit(page, site.page(story.url))
        pages, whole, note = printed(page)
        if pages != 1 or not (whole or note):
            failures[story.url] = {"trang": pages, "đủ bài": whole, "ghi chú": note}
        page.close()
    assert failures == {}


@pytest.mark.parametrize(("kind", "syllables"), FIXTURES, ids=[f"{k}-{n}" for k, n in FIXTURES])
def test_a_story_with_images_or_much_metadata_prints_whole_or_says_it_is_cut(long_site, new_page, kind: str, syllables: int) -> None:
    page = new_page()
    url = long_site.page(rich_url(kind, syllables))
    visit(page, url)
    pages, whole, note = printed(page)
    assert pages == 1, url
    assert whole or note, f"{url}: đoạn cuối không vào trang mà không có ghi chú"
    if note:
        assert rich_url(kind, syllables) in page.locator(".gs-print-more").inner_text()
    if syllables <= 250:  # short: the whole story on paper, its images and panel left out
        assert whole and not note, url


def test_the_note_goes_on_paper_when_the_text_overflows(long_site, new_page) -> None:
    """A story the build thought would fit but that overflows the page (here, type made larger
    than the build chose) gets the note, from the script run as the page goes to print."""
    page = new_page()
    url = long_site.page(long_url(700))
    visit(page, url)
    assert page.locator(".gs-print-more[data-gs-cut]").count() == 0
    page.add_style_tag(content="@media print { .md-typeset:has(> .gs-meta) { font-size: 20pt !important; } }")
    pages, whole, note = printed(page)
    assert pages == 1 and not whole and note, url


def test_a_story_cut_at_build_says_so_on_its_button(long_site, new_page) -> None:
    page = new_page()
    visit(page, long_site.page(long_url(max(LONG))))
    assert page.locator(".gs-actions [data-gs-print]").inner_text() == "In phần đầu bài (một trang A4)"
    assert page.locator(".gs-print-more").inner_text().startswith("Bản in một trang này chỉ có phần đầu bài; toàn văn tại ")
    visit(page, long_site.page(long_url(700)))
    assert page.locator(".gs-actions [data-gs-print]").inner_text() == "In bài (một trang A4)"


def _fully_inside_the_page(page, element) -> bool:  # noqa: ANN001
    """The element (a locator or a handle) is drawn inside its clipping box (the print box of a cut story)."""
    return page.evaluate(
        """(el) => {
            const box = el.closest('.md-typeset').getBoundingClientRect(), r = el.getBoundingClientRect();
            return r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
        }""",
        element.element_handle() if hasattr(element, "element_handle") else element,
    )
