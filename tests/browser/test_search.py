"""Vietnamese search in the browser: with or without diacritics, NFC or NFD, the right page comes first."""

from __future__ import annotations

import re
import unicodedata

import pytest

from .conftest import PHONE, page_text, search

pytestmark = pytest.mark.browser

STORY = re.compile(r"^bai-viet/\d{4}/[^/]+/")


def contains(site, path: str, phrase: str) -> bool:
    return unicodedata.normalize("NFC", phrase).lower() in page_text(site, site.page(path))


def has_word(site, path: str, word: str, *, prefix: bool = False) -> bool:
    """The page has the word exactly (or a word starting with it), diacritics included:
    "bạc" is not "Bác"."""
    end = "" if prefix else r"(?!\w)"
    pattern = rf"(?<!\w){re.escape(unicodedata.normalize('NFC', word).lower())}{end}"
    return re.search(pattern, page_text(site, site.page(path))) is not None


@pytest.fixture
def run_search(site, new_page):  # noqa: ANN201
    def run(query: str, **options: object):  # noqa: ANN202
        page = new_page(**options)
        assert page.goto(site.page("")).ok  # the search waits for its own index
        results = search(page, site, query)
        # Failed requests and console messages are the page tests' concern; a search script must not throw.
        assert [e for e in page.log.errors if e.startswith("pageerror")] == []
        return results

    return run


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("lam theo bac", "làm theo Bác"),
        ("dong lac", "Đồng Lạc"),
        ("nguoi tot viec tot", "người tốt, việc tốt"),
    ],
    ids=["lam-theo-bac", "dong-lac", "nguoi-tot-viec-tot"],
)
def test_query_without_diacritics_finds_the_text_with_them(site, run_search, query: str, phrase: str) -> None:
    results = run_search(query)
    assert results.count > 0, f"'{query}': không có kết quả"
    first = results.paths[0]
    assert contains(site, first, phrase), f"'{query}': kết quả đầu {first} không có «{phrase}»"
    # The theme shows ten results, then more on scrolling: a story with the phrase is among them.
    stories = [p for p in results.paths if STORY.match(p) and contains(site, p, phrase)]
    assert stories, f"'{query}': không có bài viết nào có «{phrase}» trong {results.paths}"


def test_lam_theo_bac_puts_a_story_first(run_search) -> None:
    results = run_search("lam theo bac")
    assert STORY.match(results.paths[0]), results.paths[:3]


@pytest.mark.parametrize(
    ("query", "folded"),
    [("Đồng Lạc", "dong lac"), ("bạc", "bac"), ("Bác", "bac")],
    ids=["dong-lac", "bac-kho-bac", "bac-bac-ho"],
)
def test_query_with_diacritics_ranks_exact_matches_first(site, run_search, query: str, folded: str) -> None:
    exact = run_search(query)
    assert exact.count > 0
    words = query.split()
    assert all(has_word(site, exact.paths[0], w) for w in words), f"'{query}': kết quả đầu {exact.paths[0]}"
    # Material searches as you type: "bạc" also finds "bạch" (minh bạch). Pages with a word as
    # typed, or starting so, come before any other: "bạc" (Kho bạc) never brings up "Bác" by folding.
    as_typed = [any(has_word(site, path, w, prefix=True) for w in words) for path in exact.paths]
    assert as_typed == sorted(as_typed, reverse=True), f"'{query}': {list(zip(exact.paths, as_typed))}"
    assert all(as_typed[:5]), f"'{query}': {list(zip(exact.paths, as_typed))}"
    # Typed without diacritics the query finds more: both spellings.
    assert run_search(folded).count > exact.count


@pytest.mark.parametrize(
    "query", ["làm theo Bác", "Đồng Lạc", "người tốt, việc tốt"], ids=["lam-theo-bac", "dong-lac", "nguoi-tot-viec-tot"]
)
def test_nfd_query_finds_what_the_nfc_query_finds(run_search, query: str) -> None:
    nfc = unicodedata.normalize("NFC", query)
    nfd = unicodedata.normalize("NFD", query)
    assert nfc != nfd
    expected, found = run_search(nfc), run_search(nfd)
    assert found.count == expected.count > 0
    assert found.paths == expected.paths


def test_search_works_on_a_phone(site, run_search) -> None:
    results = run_search("dong lac", viewport=PHONE)
    assert results.count > 0
    assert contains(site, results.paths[0], "Đồng Lạc")
