"""The safety scanners and the HTML sanitizer that backs them up at render time."""

from pathlib import Path

import pytest

from guongsang.check import check_content
from guongsang.safety import find_images, find_links, find_personal_data, find_unsafe_links, is_safe_url, sanitize_story_body

from minimal import STORY, write_minimal


@pytest.mark.parametrize(
    "url,safe",
    [
        ("https://example.vn/a", True), ("http://x", True), ("mailto:a@b.vn", True), ("tel:0220", True),
        ("../don-vi/a.md", True), ("#muc", True), ("don-vi/a/", True),
        ("javascript:alert(1)", False), (" JAVASCRIPT:alert(1)", False), ("java\tscript:x", False),
        ("java&#x09;script:x", False), ("&#106;&#97;vascript:x", False), ("%6aavascript:x", False),
        ("jav&#x0A;ascript:x", False), ("data:text/html,x", False), ("vbscript:x", False),
        ("//evil.example/x", False), ("file:///etc/passwd", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_sanitizer_cleans_only_the_story_body() -> None:
    page = (
        '<script src="theme.js"></script><!-- gs-body-start --><p onclick="x()">Chữ</p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">a</a><img src=x onerror=alert(1) alt=b>'
        "<!-- gs-body-end -->"
    )
    out, alone = sanitize_story_body(page)
    assert out.startswith('<script src="theme.js"></script>')  # the theme's own scripts stay
    body = out[len('<script src="theme.js"></script>'):]
    assert alone == body  # the body a handout may be made from, as the page has it
    assert "<script" not in body and "onclick" not in body and "onerror" not in body and "javascript" not in body
    assert "<p>Chữ</p>" in body and '<img src="x" alt="b">' in body


def test_personal_data_does_not_flag_ordinary_numbers() -> None:
    text = "Năm 2017, 100% đảng viên; Quyết định 45-QĐ/HU ngày 19/5/2017; 1.250.000 đồng; mã 22-KH/HU."
    assert find_personal_data(text) == []


# Each sentence with the codes it must give: money and quantities are never phone
# or ID numbers; a number that could be either gets the right code.
@pytest.mark.parametrize(
    "text,codes",
    [
        # amounts and quantities (the audit's sentences first)
        ("Hỗ trợ 100.000.000 đồng.", []),
        ("Đóng góp 500.000.000đ", []),
        ("Làm 120.000.000 viên gạch", []),
        ("Tổng vốn 1.000.000.000 đồng.", []),
        ("Tổng vốn 1.000.000.000.", []),
        ("Dân số 100 000 000 người", []),
        ("Quỹ có 1 000 000 000", []),
        ("Thu 912345678 đồng", []),
        ("Trồng 123456789 cây", []),
        ("Mã số thuế 0800123456", []),
        ("MST: 0800123456-001", []),
        ("Văn bản số 45-123456789 ngày 19/5/2017", []),
        ("Số cũ 0123456712", []),  # 10 digits after 01: no such prefix
        # phones
        ("Gọi (0220) 3855 123", ["GS401"]),
        ("Gọi (04) 3825 1234", ["GS401"]),
        ("+84 (0) 912 345 678", ["GS401"]),
        ("Gọi +84 912.345.678.", ["GS401"]),
        ("Gọi 84912345678", ["GS401"]),
        ("Gọi 0084 912 345 678", ["GS401"]),
        ("Liên hệ 0912 345 678.", ["GS401"]),
        ("ĐT 0912-345-678", ["GS401"]),
        ("ĐT 091.234.5678", ["GS401"]),
        ("Máy bàn 0220 3855 123", ["GS401"]),
        ("Số cũ 01688 123 456", ["GS401"]),
        ("Năm 2017 0912345678 là số của anh", ["GS401"]),
        ("Gọi 0912345678 công an xã, 0987654321 bộ phận trực.", ["GS401", "GS401"]),
        ("Xem https://baomoi.vn/tin-123456789.html và anh-123456789_a.jpg", []),
        # ID numbers
        ("CCCD 001 203 004 005", ["GS402"]),
        ("CCCD 001203004005", ["GS402"]),
        ("CMND 123456789", ["GS402"]),
        ("CMND 123 456 789", ["GS402"]),
        ("Số 912345678", ["GS402"]),  # nine digits: not a phone, maybe a CMND
        ("Số 123456789012", []),  # twelve digits without a province code
        ("Năm 2017 001203004005 là số của anh", ["GS402"]),
    ],
)
def test_numbers_in_personal_data(text: str, codes: list[str]) -> None:
    assert [f.code for f in find_personal_data(text)] == codes


@pytest.mark.parametrize(
    "text,shown",
    [
        ("Học sinh Nguyễn Văn An, 12 tuổi", "Học sinh Nguyễn Văn An"),  # one finding, not two
        ("Hôm ấy học sinh Trần Thị Mai đến sớm.", "học sinh Trần Thị Mai"),
        ("Nguyễn Văn An (12 tuổi) nhặt được ví.", "Nguyễn Văn An, 12 tuổi"),
        ("Năm nay, Nguyễn Văn An 12 tuổi.", "Nguyễn Văn An, 12 tuổi"),
        ("Cháu Lê Văn Bình, 9 tuổi.", "Cháu Lê Văn Bình"),
        ("Bé Phạm Gia Huy ngoan.", "Bé Phạm Gia Huy"),
        ("Em Lan (sinh năm 2010)", "sinh năm 2010"),
        ("Em Lan SN 2005", "SN 2005"),
        ("Em Lan sinh ngày 12/3/2008", "sinh ngày 12/3/2008"),
        ("Anh Ba sinh năm 1999", "sinh năm 1999"),  # 17 until his birthday in 2017
    ],
)
def test_minors_are_found(text: str, shown: str) -> None:
    [finding] = find_personal_data(text, year=2017)
    assert finding.code == "GS404" and f"'{shown}" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Học sinh trường THPT Nam Sách chào cờ.",
        "Gửi các em học sinh.",
        "Với các em học sinh, câu chuyện ấy gần gũi.",
        "Học sinh Nam Sách, học sinh Hà Nội và học sinh Trường Tiểu học Nam Sách.",
        "Các cháu Thái Tân múa hát.",  # a commune of the project
        "Các cháu là cháu Bác Hồ.",
        "Em Lan 12 tuổi.",  # a given name alone
        "Bà Nguyễn Thị Hoa, 75 tuổi.",
        "Ông Ba sinh năm 1950.",
        "Anh Ba sinh năm 1998.",
    ],
)
def test_ordinary_sentences_are_not_minors(text: str) -> None:
    assert find_personal_data(text, year=2017, places=frozenset({"xã thái tân", "thái tân"})) == []


def test_birth_year_is_a_minor_only_with_the_story_year_or_a_minor_person() -> None:
    assert find_personal_data("Em Lan (sinh năm 2010)") == []
    assert [f.code for f in find_personal_data("Ông Ba sinh năm 1950", minor_context=True)] == ["GS404"]


def test_lowercase_words_after_em_are_not_a_name() -> None:
    assert find_personal_data("Các em đến đây học tập.") == []
    assert [f.code for f in find_personal_data("Em Nguyễn Thị Lan nhặt được ví.")] == ["GS404"]
    # Wherever the line breaks, and with any space.
    assert [f.code for f in find_personal_data("Cô khen em\nNguyễn Thị Lan.")] == ["GS404"]
    # A name followed by a word starting with đ, ă, ơ … (in the letter range of capitals).
    found = find_personal_data("Cháu\tTrần Văn Bình đã trả lại ví.")
    assert [(f.code, f.message) for f in found] == [("GS404", "Nêu họ tên đầy đủ của trẻ em ('Cháu Trần Văn Bình')")]
    assert find_personal_data("Em Lan đã được khen.") == []  # a given name alone is not a full name


def test_link_messages_show_the_whole_url_once() -> None:
    for text in ("[bấm](javascript:alert(1))", "[bấm](<javascript:alert(1)>)", "[bấm][x]\n\n[x]: <javascript:alert(1)>"):
        found = find_unsafe_links(find_links(text))
        assert [f.message for f in found] == ["Liên kết 'javascript:alert(1)' không an toàn"], text
    [link] = find_links("[Wiki](https://vi.wikipedia.org/wiki/A_(B))")
    assert link.url == "https://vi.wikipedia.org/wiki/A_(B)"


def test_every_kind_of_image_is_found_with_its_alt() -> None:
    text = (
        '![Một](a.jpg) <img src="b.jpg" alt="Hai"> <IMG SRC=c.jpg>\n'
        "![Bốn][anh] ![Năm][] ![Sáu] ![Bảy][khong-co]\n\n"
        "[anh]: d.jpg\n[năm]: e.jpg\n[SÁU]: f.jpg\n"
    )
    got = [(image.url, image.text) for image in find_images(text, find_links(text))]
    assert got == [("a.jpg", "Một"), ("b.jpg", "Hai"), ("c.jpg", ""), ("d.jpg", "Bốn"), ("e.jpg", "Năm"), ("f.jpg", "Sáu")]


def test_html_and_reference_images_inside_docs_are_accepted(tmp_path: Path) -> None:
    extra = '<img src="assets/anh.jpg" alt="Người dân quét đường">\n\n![Đường làng][anh]\n\n[anh]: assets/anh.jpg\n'
    write_minimal(tmp_path, {"content/stories/2017/xa-dong-hoa.md": STORY + "\n" + extra})
    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "docs/assets/anh.jpg").write_bytes(b"\xff\xd8")
    assert check_content(tmp_path).problems == []


def test_an_address_exception_allows_that_address_only() -> None:
    from guongsang.safety import Finding, is_excepted

    allowed = ("số 12 ngõ 51 phố Huế",)
    assert is_excepted(Finding("GS403", 0, "", "ngõ 51"), allowed)
    assert is_excepted(Finding("GS403", 0, "", "Số 12  ngõ 51"), allowed)  # spacing and case as written
    assert not is_excepted(Finding("GS403", 0, "", "ngõ 5"), allowed)  # another house
    assert not is_excepted(Finding("GS402", 0, "", "001203004005"), ("001203004005",))  # never an ID number
