"""One-page handouts: type size chosen from the text, safe HTML, a QR code, and one A4 page in Chromium."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import pytest

from guongsang.catalogue import build_catalogue
from guongsang.check import check_content
from guongsang.handout import make_markdown, qr_svg, render_handout
from guongsang.pagefit import SIZES, fit_story, is_large_type
from guongsang.models import Content, Correction, Source, Story, Withdrawal
from guongsang.render import Renderer, make_env

T = TypeVar("T")
D = dt.date
SITE = "https://guongsang.example.org/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
# Filler syllables, 3.7 letters on average (Vietnamese prose: 3.4): a little wider than real text.
FILLER = (
    "người trường nghiệp những thường xuyên nhiệm chính quyền đồng thuận khuyến khích đoàn viên thanh niên học sinh "
    "thầy giáo công việc tập thể gương sáng làm theo Bác xã huyện chi bộ đảng nhân dân giúp đỡ gia đình khó khăn "
    "vượt qua trồng cây xanh sạch đẹp thôn xóm và có là một cho các đã để với được trong này ở từ khi"
).split()


def words(n: int, rnd: random.Random) -> str:
    chosen = [rnd.choice(FILLER) for _ in range(n)]
    return " ".join([chosen[0].capitalize(), *chosen[1:]])


def paragraphs(total: int, per: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    sizes = [per] * (total // per) + ([total % per] if total % per else [])
    return "\n\n".join(words(n, rnd) + "." for n in sizes)


def story(slug: str, body: str, *, title: str = "Trường THPT Nam Sách kể chuyện Bác trong giờ chào cờ", **fields: object) -> Story:
    values = dict(
        year=2017, slug=slug, path=f"content/stories/2017/{slug}.md", title=title, date=D(2017, 5, 2),
        summary="Tóm tắt.", subject="tap-the", units=("truong-thpt-nam-sach",), body=body, body_line=8,
        author="Ban Tuyên giáo Huyện ủy Nam Sách", status="published", reviewer="Trưởng ban", flag_ceremony=True,
        words=len(re.findall(r"\w+", body)), grade_band="thpt",
        source=Source("Nam Sách đưa học tập và làm theo Bác thành việc thường xuyên", "https://example.vn/bai", "Báo Hải Dương", D(2017, 4, 20)),
    )
    values.update(fields)
    return Story(**values)


def render(*stories: Story, site_url: str = SITE, preview: bool = False):  # noqa: ANN201
    cat = build_catalogue(Content(stories=stories), today=D(2026, 11, 18), preview=preview)
    r = Renderer(make_env(), site_url)
    md = make_markdown()
    return [render_handout(cat, r, s, md) for s in stories]


# -- fitting ------------------------------------------------------------------


def test_a_short_story_gets_the_largest_type():
    assert fit_story(story("ngan", paragraphs(250, 50))).css_class == "gs-fit-14"


def test_a_550_syllable_story_keeps_large_type():
    fit = fit_story(story("dai", paragraphs(550, 55)))
    assert (fit.css_class, fit.truncated) == ("gs-fit-14", False)
    # Paragraphs a little longer than three lines take four: the estimate counts whole lines.
    assert fit_story(story("dai", paragraphs(550, 60))).css_class == "gs-fit-12"


def test_sizes_step_down_as_the_text_grows():
    classes = [fit_story(story("x", paragraphs(n, 60))).css_class for n in (300, 500, 600, 750, 900)]
    assert classes == ["gs-fit-14", "gs-fit-13", "gs-fit-12", "gs-fit-11", "gs-fit-10"]
    assert [s.css_class for s in SIZES] == ["gs-fit-14", "gs-fit-13", "gs-fit-12", "gs-fit-11", "gs-fit-10"]


def test_a_story_too_long_for_one_page_prints_its_first_paragraphs():
    body = paragraphs(2000, 80)
    fit = fit_story(story("rat-dai", body))
    assert fit.truncated and fit.css_class == "gs-fit-10"
    blocks = body.split("\n\n")
    assert list(fit.blocks) == blocks[: len(fit.blocks)] and 8 <= len(fit.blocks) < len(blocks)


def test_the_shipped_stories_print_in_large_type(root: Path):
    result = check_content(root)
    fits = {s.id: fit_story(s) for s in result.content.stories if s.flag_ceremony}
    assert fits and all(f.css_class in ("gs-fit-14", "gs-fit-13") and not f.truncated for f in fits.values())


@pytest.mark.parametrize(
    ("count", "points", "columns"),
    [(4, 13, 1), (6, 12, 2), (8, 13, 1), (12, 12, 2), (20, 12, 2)],
)
def test_a_five_minute_story_keeps_large_type_or_the_checker_gives_its_size(tmp_path: Path, count: int, points: int, columns: int):
    """600 syllables read in exactly five minutes: no GS601, so the handout must
    print in large type (13 pt, one column) or the checker must say it does not."""
    from minimal import STORY, write_minimal

    body = paragraphs(600, 600 // count, seed=count)
    fit = fit_story(story("nam-phut", body, title="Xã Đông Hòa giữ đường làng sạch"))  # the minimal story's title
    assert (fit.size.points, fit.size.columns, fit.truncated) == (points, columns, False)
    front_matter = STORY[: STORY.index("---\n", 4) + 4]
    write_minimal(tmp_path, {"content/stories/2017/xa-dong-hoa.md": front_matter + body + "\n"})
    found = [p for p in check_content(tmp_path).problems if p.code in ("GS601", "GS611")]
    if is_large_type(fit):
        assert found == []
    else:
        assert [(p.code, p.severity) for p in found] == [("GS611", "warning")]
        assert f"chữ {points} pt, hai cột" in found[0].message


# -- the page -----------------------------------------------------------------


# Bodies the two renderings of a handout must agree on, or leave to Markdown: made
# from the story page's HTML (handout.printable_from_page) or from the Markdown.
PRINT_CASES = {
    "paragraphs": "Một đoạn.\n\nHai đoạn, có **đậm**, *nghiêng* và ***cả hai***.",
    "headings": "## Cách làm\n\nĐoạn.\n\n### Kết quả *cụ thể*\n\n## Cách làm",
    "heading_with_link": "## Xem [chi bộ](bai-viet/2017/a.md) và *nghiêng*",
    "heading_with_code": "## Dùng `a > b` đúng chỗ",
    "setext": "Kết quả\n------\n\nVăn bản",
    "trailing_hashes": "## Tiêu đề ##\n\n## C# và #",
    "links": "Đọc [bài](https://example.vn/a \"tiêu đề\"), [tham chiếu][r] và [một liên kết](https://example.vn/b).\n\n[r]: https://example.vn/r",
    "relative_link": "Xem [bài khác](bai-viet/2017/khac.md) và [mục](#muc).",
    "empty_link": "[](https://example.vn)",
    "title_with_gt": "[x](https://example.vn \"a>b\") và [y](https://example.vn/?q=a&b>c)",
    "lists": "- Một việc.\n- Hai việc:\n    1. nhỏ;\n    2. lớn.\n\n1. Đầu\n2. Sau",
    "quote": "> Lời người dân kể lại.\n>\n> ## Trích",
    "table": "| Năm | Số hộ |\n|:---|---:|\n| 2016 | [120](https://example.vn) |",
    "definitions": "Thôn Đông\n:   nơi bắt đầu.",
    "admonitions": "!!! note \"Ghi nhớ\"\n    Việc nhỏ làm đều.\n\n!!! warning\n    Cẩn thận.",
    "entities": "A & B &amp; C &copy; &#65; &nbsp; \"ngoặc\" 'đơn' a > b",
    "hard_break": "Dòng một  \ndòng hai",
    "rule": "Trước\n\n***\n\nSau",
    "code_span": "Viết `a < b` như thế.",
    "code_link": "Viết `[a](b)` như thế.",
    "fence": "```\n[a](b)\n```",
    "tilde_fence": "~~~\nmã\n~~~",
    "escapes": "\\[a](b) và \\*sao\\*",
    "indented_code": "Đoạn\n\n    [a](b)",
    "raw_html": "Có <em>HTML</em>.",
    "autolink": "Xem <https://example.vn>.",
    "image": "![Ảnh](assets/a.png)",
    "footnote": "Chú thích[^1].\n\n[^1]: Lời.",
    "attribute_list": "## Mục {#rieng}",
    "toc_marker": "[TOC]\n\n## Mục",
    "nested_brackets": "[a [b]](https://example.vn)",
    "not_a_link": "Chữ a](b ở giữa câu.",
}


def test_a_handout_made_from_the_page_is_the_one_made_from_markdown() -> None:
    import markdown
    from mkdocs.config import load_config

    from guongsang.handout import make_markdown, printable_from_page
    from guongsang.pages import story_body
    from guongsang.pagefit import body_blocks
    from guongsang.safety import sanitize_html

    config = load_config(str(Path(__file__).parent.parent / "mkdocs.yml"))
    made = []
    for name, body in PRINT_CASES.items():
        s = story(name, body)
        page = sanitize_html(markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]).convert(str(story_body(s))))
        from_page = printable_from_page(s, page)
        if from_page is None:
            continue
        made.append(name)
        expected = sanitize_html(make_markdown().convert("\n\n".join(body_blocks(body))))
        assert str(from_page) == expected, name
    # The plain cases are made from the page; what the patterns cannot redo is not.
    assert {"paragraphs", "headings", "heading_with_link", "heading_with_code", "setext", "links", "title_with_gt", "lists", "quote", "table", "definitions", "admonitions", "entities", "hard_break"} <= set(made)
    assert not set(made) & {"raw_html", "autolink", "image", "footnote", "attribute_list", "toc_marker", "fence", "tilde_fence", "code_span", "code_link", "escapes", "indented_code", "nested_brackets", "not_a_link"}


def test_the_handout_is_a_static_page_beside_the_story():
    [out] = render(story("ke-chuyen-bac", "Một đoạn."))
    assert out.uri == "in/2017/ke-chuyen-bac/index.html"
    html = out.content
    assert '<html lang="vi">' in html
    assert '<link rel="stylesheet" href="../../../assets/stylesheets/print.css">' in html
    assert '<a href="../../../bai-viet/2017/ke-chuyen-bac/">Về trang bài</a>' in html
    assert '<span class="gs-handout-url">https://guongsang.example.org/bai-viet/2017/ke-chuyen-bac/</span>' in html
    assert '<link rel="canonical" href="https://guongsang.example.org/bai-viet/2017/ke-chuyen-bac/">' in html
    assert "Đọc to khoảng 1 phút · THPT" in html
    assert "Nguồn: Nam Sách đưa học tập và làm theo Bác thành việc thường xuyên — Báo Hải Dương, 20/04/2017" in html
    assert '<article class="gs-handout gs-fit-14">' in html
    assert re.search(r'<div class="gs-handout-qr" role="img" aria-label="Mã QR tới trang bài"><svg viewBox="0 0 (\d+) \1" class="gs-qr"><path ', html)


def test_content_is_escaped_and_the_body_sanitized():
    body = "Đoạn có [liên kết](https://example.vn/x) và ảnh:\n\n![Ảnh minh họa](assets/anh.jpg)\n\n<script>alert(1)</script>"
    hostile = story(
        "doc-hai", body, title='Tiêu đề <script>alert("x")</script> & "ngoặc"',
        source=Source('Nguồn <img src=x onerror=alert(1)>'), author="<b>Tác giả</b>",
        corrections=(Correction(D(2017, 6, 1), "Sửa <i>tên</i>"),), illustrative=True,
    )
    [out] = render(hostile)
    html = out.content
    assert "<script" not in html and "<img" not in html and "<b>" not in html and not re.search(r"<[^>]*onerror", html)
    assert "<title>Tiêu đề &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;ngoặc&#34; — phiếu in</title>" in html
    assert "Nguồn: Nguồn &lt;img src=x onerror=alert(1)&gt;" in html
    assert "Đính chính 01/06/2017: Sửa &lt;i&gt;tên&lt;/i&gt;" in html
    assert "<p>Đoạn có <a>liên kết</a> và ảnh:</p>" in html  # link text kept, target dropped: it is paper
    assert "Bài minh họa: nhân vật và tình tiết được hư cấu" in html


@pytest.mark.parametrize(
    "status,date,preview,marked",
    [
        ("draft", D(2017, 5, 2), True, True),
        ("review", D(2017, 5, 2), True, True),
        ("published", D(2027, 1, 4), True, True),  # dated ahead: not public yet
        ("published", D(2017, 5, 2), True, False),
        ("published", D(2017, 5, 2), False, False),
    ],
)
def test_a_preview_handout_of_an_unpublished_story_is_marked_as_a_draft(status: str, date: D, preview: bool, marked: bool):
    [out] = render(story("nhap", "Một đoạn.", status=status, date=date, year=date.year), preview=preview)
    html = out.content
    assert ('<p class="gs-handout-kicker gs-handout-draft" role="status"><strong>BẢN NHÁP</strong>' in html) == marked
    assert ('<div class="gs-handout-watermark" aria-hidden="true"><span>BẢN NHÁP</span></div>' in html) == marked
    assert ("Người tốt, việc tốt" in html) == (not marked)


def test_a_withdrawn_storys_handout_addresses_lead_to_the_notice():
    """Printed sheets and programmes carry the handout's address, current or old: it must not become a 404."""
    from guongsang.redirects import generate_redirects

    gone = story(
        "da-go", "Một đoạn.", status="withdrawn", title="Tiêu đề đã gỡ", aliases=("bai-viet/2017/ten-cu/",),
        withdrawal=Withdrawal(D(2018, 1, 5), "Sai sự thật.", "Trưởng ban"),
    )
    cat = build_catalogue(Content(stories=(gone, story("con-lai", "Một đoạn."))), today=D(2026, 11, 18))
    pages = {out.uri: out.content for out in generate_redirects(cat, Renderer(make_env(), SITE))}
    notice = "../../../bai-viet/2017/da-go/"
    for uri, target in (("in/2017/da-go/index.html", notice), ("in/2017/ten-cu/index.html", notice), ("bai-viet/2017/ten-cu/index.html", "../da-go/")):
        html = pages[uri]
        assert '<meta name="robots" content="noindex">' in html
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert f'<link rel="canonical" href="{SITE}bai-viet/2017/da-go/">' in html
        assert "Tiêu đề đã gỡ" not in html  # only the notice says what was taken down


def test_without_a_site_address_there_is_no_qr_code():
    [out] = render(story("a", "Một đoạn."), site_url="")
    assert "gs-handout-qr" not in out.content and "Đọc trên mạng" not in out.content


@pytest.mark.parametrize("url", [
    SITE + "bai-viet/2017/a/",
    SITE + "bai-viet/2017/xa-nam-tan-giu-duong-lang-sach-va-dep-hon-moi-ngay-nho-su-chung-tay-cua-nguoi-dan/",
    *(f"{SITE}bai-viet/{2010 + n % 9}/bai-mau-{n:05d}/" for n in range(0, 400, 7)),
])
def test_the_qr_code_reads_back_as_the_address(url: str) -> None:
    import zxingcpp

    size, dark = painted_modules(str(qr_svg(url)))
    scale = 4
    pixels = bytearray(b"\xff" * (size * scale) ** 2)
    for x, y in dark:
        for dy in range(scale):
            start = (y * scale + dy) * size * scale + x * scale
            pixels[start : start + scale] = b"\x00" * scale
    code = zxingcpp.read_barcode(memoryview(bytes(pixels)).cast("B", (size * scale, size * scale)),
                                 formats=zxingcpp.BarcodeFormat.QRCode, is_pure=True)
    assert code is not None and code.valid
    assert code.text == url and code.ec_level == "M"
    # What is drawn is exactly the encoder's matrix, inside a two-module quiet zone.
    image = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(scale=1, add_quiet_zones=False)
    width = image.shape[1]
    modules = bytes(memoryview(image))
    assert size == width + 4
    assert dark == {(2 + i % width, 2 + i // width) for i, m in enumerate(modules) if m == 0}


def painted_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The viewBox's size and the modules the path strokes: `M`/`m` moves to a row's middle
    (absolute, then relative to the last stroke's end), `h` strokes that many modules."""
    size = int(re.match(r'<svg viewBox="0 0 (\d+) \1" class="gs-qr"><path stroke="#000" d="', svg)[1])
    path = re.search(r' d="([^"]*)"', svg)[1]
    dark, x, y = set(), 0.0, 0.0
    for move, dx, dy, length in re.findall(r"([Mm])(-?\d+) (-?[\d.]+)h(\d+)", path):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        assert y % 1 == 0.5  # along the middle of a row of modules
        dark.update((int(x) + i, int(y)) for i in range(int(length)))
        x += int(length)
    assert "".join(re.findall(r"[Mm]-?\d+ -?[\d.]+h\d+", path)) == path  # nothing else in it
    return size, dark


def test_the_qr_code_is_the_same_for_the_same_address():
    url = SITE + "bai-viet/2017/a/"
    assert qr_svg(url) == qr_svg(url) != qr_svg(SITE + "bai-viet/2017/b/")
    assert not re.search(r"<(?!svg|path|/svg)", str(qr_svg(url)))  # nothing but the drawing


def test_every_public_story_of_the_built_site_has_a_handout(built_site: Path):
    stories = sorted(p.parent.relative_to(built_site / "bai-viet") for p in (built_site / "bai-viet").glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    handouts = sorted(p.parent.relative_to(built_site / "in") for p in (built_site / "in").glob("*/*/index.html"))
    assert stories and handouts == stories


# -- printed, in Chromium -----------------------------------------------------


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF; Chromium (Skia) writes them uncompressed."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


class Chromium:
    """Debian's chromium through Playwright, driven from a thread of its own.

    Playwright's sync API allows one instance per thread, and the browser suite
    (tests/browser) keeps its own open for the whole session.
    """

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self.pool.submit(self._start).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

    def run(self, work: Callable[..., T], *args: object) -> T:
        """work(browser, *args) in the browser's thread; its result, or its exception."""
        return self.pool.submit(work, self.browser, *args).result()

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self.playwright.stop()

        self.pool.submit(stop).result()
        self.pool.shutdown()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    browser = Chromium()
    yield browser
    browser.close()


def print_pages(browser, path: Path) -> int:  # noqa: ANN001 - playwright's Browser
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        return pdf_pages(page.pdf(format="A4"))
    finally:
        page.close()


@pytest.fixture
def printed(chromium: Chromium) -> Callable[[Path], int]:
    return lambda path: chromium.run(print_pages, path)


@pytest.mark.browser
def test_page_counting_counts_pages(printed, tmp_path: Path):
    two = tmp_path / "hai-trang.html"
    two.write_text('<p>một</p><p style="break-before: page">hai</p>', encoding="utf-8")
    assert printed(two) == 2


@pytest.mark.browser
def test_every_shipped_handout_prints_on_one_a4_page(built_site: Path, printed):
    handouts = sorted((built_site / "in").glob("*/*/index.html"))
    assert len(handouts) >= 11
    assert {str(h.relative_to(built_site)): printed(h) for h in handouts} == {str(h.relative_to(built_site)): 1 for h in handouts}


LIMIT_CASES = {
    # name: (body, title, corrections)
    "nam-phut-doan-ngan": (paragraphs(600, 12, seed=2), None, 0),
    "nam-phut-doan-dai": (paragraphs(600, 200, seed=3), None, 0),
    "tieu-de-dai": (paragraphs(550, 55, seed=4), " ".join(FILLER[:34]), 0),
    "danh-sach": ("\n\n".join(f"## {words(6, random.Random(i))}\n\n" + "\n".join(f"- {words(14, random.Random(i * 10 + j))}" for j in range(5)) for i in range(7)), None, 0),
    "dinh-chinh": (paragraphs(520, 52, seed=5), None, 3),
    "rat-dai": (paragraphs(2500, 90, seed=6), None, 0),
    "mot-doan-rat-dai": (paragraphs(1500, 1500, seed=7), None, 0),
}


@pytest.mark.browser
@pytest.mark.parametrize("status", ["published", "draft"])
@pytest.mark.parametrize("name", sorted(LIMIT_CASES))
def test_limit_cases_print_on_one_a4_page(name: str, status: str, printed, root: Path, tmp_path: Path):
    """Also as a preview's draft: its banner and watermark cost the sheet no room."""
    body, title, corrections = LIMIT_CASES[name]
    fields = {"corrections": tuple(Correction(D(2017, 6, i + 1), words(25, random.Random(i))) for i in range(corrections))}
    if title:
        fields["title"] = title
    [out] = render(story(name, body, status=status, **fields), preview=True)
    assert ("BẢN NHÁP" in out.content) == (status == "draft")
    (tmp_path / "assets" / "stylesheets").mkdir(parents=True)
    shutil.copy(root / "docs" / "assets" / "stylesheets" / "print.css", tmp_path / "assets" / "stylesheets" / "print.css")
    page = tmp_path / out.uri
    page.parent.mkdir(parents=True)
    page.write_text(out.content, encoding="utf-8")
    assert printed(page) == 1
