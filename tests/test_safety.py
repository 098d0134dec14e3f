"""The safety scanners and the HTML sanitizer that backs them up at render time."""

import pytest

from guongsang.safety import find_personal_data, is_safe_url, sanitize_story_html


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
    out = sanitize_story_html(page)
    assert out.startswith('<script src="theme.js"></script>')  # the theme's own scripts stay
    body = out[len('<script src="theme.js"></script>'):]
    assert "<script" not in body and "onclick" not in body and "onerror" not in body and "javascript" not in body
    assert "<p>Chữ</p>" in body and '<img src="x" alt="b">' in body


def test_personal_data_does_not_flag_ordinary_numbers() -> None:
    text = "Năm 2017, 100% đảng viên; Quyết định 45-QĐ/HU ngày 19/5/2017; 1.250.000 đồng; mã 22-KH/HU."
    assert find_personal_data(text) == []


def test_lowercase_words_after_em_are_not_a_name() -> None:
    assert find_personal_data("Các em đến đây học tập.") == []
    assert [f.code for f in find_personal_data("Em Nguyễn Thị Lan nhặt được ví.")] == ["GS404"]
    # Wherever the line breaks, and with any space.
    assert [f.code for f in find_personal_data("Cô khen em\nNguyễn Thị Lan.")] == ["GS404"]
    # A name followed by a word starting with đ, ă, ơ … (in the letter range of capitals).
    found = find_personal_data("Cháu\tTrần Văn Bình đã trả lại ví.")
    assert [(f.code, f.message) for f in found] == [("GS404", "Nêu họ tên đầy đủ của trẻ em ('Cháu Trần Văn Bình')")]
    assert find_personal_data("Em Lan đã được khen.") == []  # a given name alone is not a full name
