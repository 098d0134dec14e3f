"""Vietnamese text helpers: folding, slugs, tone-insensitive names, counting."""

import unicodedata

import pytest

from guongsang.text import count_words, fold, fold_tones, invisible_chars, is_slug, minutes, slugify, toc_slugify


@pytest.mark.parametrize(
    "text,expected",
    [("Làm theo Bác", "lam theo bac"), ("Đồng Lạc", "dong lac"), ("người tốt, việc tốt", "nguoi tot, viec tot"), ("ĐẢNG", "dang")],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fold(unicodedata.normalize("NFD", text)) == expected


@pytest.mark.parametrize(
    "title,slug",
    [
        ("Đồng Lạc", "dong-lac"),
        ("Xã Nam Tân đưa việc làm theo Bác vào nếp!", "xa-nam-tan-dua-viec-lam-theo-bac-vao-nep"),
        ("  Chi bộ — Kho bạc  ", "chi-bo-kho-bac"),
        ("THPT Nam Sách (2017)", "thpt-nam-sach-2017"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert slugify(unicodedata.normalize("NFD", title)) == slug
    assert is_slug(slug)


@pytest.mark.parametrize("value", ["Nam-Tan", "nam_tan", "-nam", "nam--tan", "nam tan", ""])
def test_is_slug_rejects(value: str) -> None:
    assert not is_slug(value)


@pytest.mark.parametrize("a,b", [("Đông Hoà", "Đông Hòa"), ("Thuỷ", "Thủy"), ("hoà bình", "Hòa Bình"), ("Khoẻ", "Khỏe")])
def test_fold_tones_matches_old_and_new_placement(a: str, b: str) -> None:
    assert fold_tones(a) == fold_tones(b)
    assert fold_tones(unicodedata.normalize("NFD", a)) == fold_tones(b)


def test_fold_tones_keeps_different_names_apart() -> None:
    assert fold_tones("Nam Tân") != fold_tones("Nam Tấn")
    assert fold_tones("Minh Tân") != fold_tones("Minh Tâm")


def test_invisible_chars() -> None:
    assert invisible_chars("Nam\u200bTân\u202e") == ["U+200B", "U+202E"]
    assert invisible_chars("Nam Tân\n") == []


def test_counting_and_minutes() -> None:
    assert count_words("Học tập và **làm theo** [Bác](x.md).") == 6
    assert minutes(600, 120) == 5
    assert minutes(601, 120) == 6
    assert minutes(0, 120) == 1


def test_toc_slug_same_for_nfc_and_nfd() -> None:
    heading = "Kết quả bước đầu"
    assert toc_slugify(heading, "-") == toc_slugify(unicodedata.normalize("NFD", heading), "-") == "ket-qua-buoc-dau"
