"""Vietnamese search in the browser: with or without diacritics, NFC or NFD, in either tone
placement, every word required, the right page first; the index loaded only when a reader searches."""

from __future__ import annotations

import re
import unicodedata

import pytest

from guongsang.text import fold, second_vowel_tones

from .conftest import NFD_TITLE, NFD_URL, NFD_WORD, PHONE, ROOT, open_search, page_text, search, visit

pytestmark = pytest.mark.browser

STORY = re.compile(r"^bai-viet/\d{4}/[^/]+/")
INDEX = "search/search_index.json"


def has_word(site, path: str, word: str, *, prefix: bool = False) -> bool:
    """The page has the word exactly (or a word starting with it), diacritics included:
    "bạc" is not "Bác"."""
    end = "" if prefix else r"(?!\w)"
    pattern = rf"(?<!\w){re.escape(unicodedata.normalize('NFC', word).lower())}{end}"
    return re.search(pattern, page_text(site, site.page(path))) is not None


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def matches_every_word(text: str, query: str) -> bool:
    """The text has, for every word of the query, a word starting with it: folded when the
    query word has no diacritics, in one tone placement when it has."""
    words = words_of(text)
    for term in words_of(query):
        plain = fold(term) == term
        key = term if plain else second_vowel_tones(term)
        if not any((fold(w) if plain else second_vowel_tones(w)).startswith(key) for w in words):
            return False
    return True


@pytest.fixture
def run_search(site, new_page):  # noqa: ANN201
    def run(query: str, served=None, **options: object):  # noqa: ANN001, ANN202
        served = served or site
        page = new_page(**options)
        assert page.goto(served.page("")).ok
        results = search(page, served, query)
        # Failed requests and console messages are the page tests' concern; a search script must not throw.
        assert [e for e in page.log.errors if e.startswith("pageerror")] == []
        return results

    return run


# Per query: the phrase, and the pages that may come first; each named, each checked to be
# about the query in its own result text. «dong lac» may bring the commune's own page first
# (its title is the name): it lists the commune's stories; a story about it comes next.
EXPECTED = {
    "lam theo bac": (
        "làm theo Bác",
        {
            "bai-viet/2017/chi-hoa-va-ban-dang-ky-lam-theo-bac-bai-minh-hoa/",
            "bai-viet/2017/xa-nam-tan-cap-uy-di-truoc-viec-lam-theo-bac-thanh-nen-nep/",
            "bai-viet/2017/cong-an-huyen-nam-sach-giu-binh-yen-cho-dan-la-lam-theo-bac/",
        },
    ),
    "dong lac": (
        "Đồng Lạc",
        {
            "don-vi/xa-dong-lac/",
            "bai-viet/2017/chuyen-de-hang-thang-o-cac-dang-bo-xa-thi-tran/",
            "bai-viet/2018/huong-toi-so-ket-hai-nam-thuc-hien-chi-thi-05/",
        },
    ),
    "nguoi tot viec tot": (
        "người tốt, việc tốt",
        {"bai-viet/2017/lan-song-dai-huyen-dua-guong-nguoi-tot-ve-tung-thon/"},
    ),
}
DONG_LAC_STORIES = {p for p in EXPECTED["dong lac"][1] if STORY.match(p)}


@pytest.mark.parametrize("query", list(EXPECTED), ids=lambda q: q.replace(" ", "-"))
def test_query_without_diacritics_puts_the_expected_page_first(site, run_search, query: str) -> None:
    phrase, first = EXPECTED[query]
    results = run_search(query)
    assert results.count > 0, f"'{query}': không có kết quả"
    assert results.paths[0] in first, f"'{query}': kết quả đầu {results.paths[0]}, chờ một trong {sorted(first)}"
    assert phrase.lower() in page_text(site, site.page(results.paths[0])), results.paths[0]
    # Every result has every word, in its own title or text (not in the page's menus).
    missing = [p for p, text in zip(results.paths, results.texts) if not matches_every_word(text, query)]
    assert missing == [], f"'{query}': kết quả thiếu từ: {missing}"
    stories = [p for p in results.paths if STORY.match(p)]
    assert stories and stories[0] in first, f"'{query}': bài viết đầu {stories[:1]}"


@pytest.mark.parametrize("query", ["dong lac", "Đồng Lạc"], ids=["khong-dau", "co-dau"])
def test_dong_lac_never_brings_other_dong_first(run_search, query: str) -> None:
    """Folding makes "dong" match «đồng» (money) and «động»: the Kho bạc story, which has
    «đồng» and no «Lạc», came second before every word was required."""
    results = run_search(query)
    assert results.paths[0] == "don-vi/xa-dong-lac/"
    assert "bai-viet/2017/chi-bo-kho-bac-can-kiem-liem-chinh-ben-nhung-dong-tien-cua-dan/" not in results.paths
    stories = [p for p in results.paths if STORY.match(p)]
    assert stories and stories[0] in DONG_LAC_STORIES, stories
    # Pages that only list other pages (statistics, honor roll, editor's guide…) never come
    # before the stories about the commune.
    before = results.paths[: results.paths.index(stories[0])]
    assert [p for p in before if LISTING.match(p)] == [], before


# Pages that list what has its own page, and the editor's guide.
LISTING = re.compile(r"^(thong-ke|du-lieu|bang-vang|chuyen-de|van-ban|chao-co|huong-dan-bien-tap)/(\d{4}(-\d{4})?/)?$|^don-vi/$")


@pytest.mark.parametrize(
    ("query", "path"),
    [("thong ke", "thong-ke/"), ("Bảng vàng", "bang-vang/"), ("huong dan bien tap", "huong-dan-bien-tap/"), ("du lieu", "du-lieu/")],
    ids=["thong-ke", "bang-vang", "huong-dan", "du-lieu"],
)
def test_listing_pages_are_found_by_their_title(run_search, query: str, path: str) -> None:
    results = run_search(query)
    assert path in results.paths[:3], results.paths[:5]


@pytest.mark.parametrize(
    ("query", "folded", "more"),
    # «Bác»: every page with «bạc» or «bắc» also has «Bác», now that listing pages keep only
    # their title in the index: typed without diacritics, as many pages, in another order.
    [("Đồng Lạc", "dong lac", False), ("bạc", "bac", True), ("Bác", "bac", False)],
    ids=["dong-lac", "bac-kho-bac", "bac-bac-ho"],
)
def test_query_with_diacritics_ranks_exact_matches_first(site, run_search, query: str, folded: str, more: bool) -> None:
    exact = run_search(query)
    assert exact.count > 0
    words = query.split()
    assert all(has_word(site, exact.paths[0], w) for w in words), f"'{query}': kết quả đầu {exact.paths[0]}"
    # Material searches as you type: "bạc" also finds "bạch" (minh bạch). Pages with a word as
    # typed, or starting so, come before any other: "bạc" (Kho bạc) never brings up "Bác" by folding.
    as_typed = [any(has_word(site, path, w, prefix=True) for w in words) for path in exact.paths]
    assert as_typed == sorted(as_typed, reverse=True), f"'{query}': {list(zip(exact.paths, as_typed))}"
    assert all(as_typed[:5]), f"'{query}': {list(zip(exact.paths, as_typed))}"
    # Typed without diacritics the query finds both spellings: more pages, but for «Đồng Lạc»,
    # where only the commune's name has both words.
    plain = run_search(folded).count
    assert plain > exact.count if more else plain >= exact.count


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


@pytest.mark.parametrize(
    ("typed", "written"),
    [("Huyện uỷ", "Huyện ủy"), ("văn hoá", "văn hóa"), ("hoạ", "họa")],
    ids=["huyen-uy", "van-hoa", "hoa"],
)
def test_either_tone_placement_finds_the_same(run_search, typed: str, written: str) -> None:
    """The shipped content writes «ủy», «hóa»; many keyboards type «uỷ», «hoá»."""
    a, b = run_search(typed), run_search(written)
    assert a.count == b.count > 0, (typed, a.count, written, b.count)
    assert a.paths == b.paths


def test_nfd_story_is_found(canary_site, run_search) -> None:
    """A story whose file is NFD is found by an NFC query, with or without diacritics."""
    for query in (NFD_WORD, fold(NFD_WORD), NFD_TITLE):
        results = run_search(query, served=canary_site)
        assert NFD_URL in results.paths, (query, results.paths)


def test_folded_matches_are_highlighted(run_search, new_page, site) -> None:
    page = new_page()
    assert page.goto(site.page("")).ok
    results = search(page, site, "dong lac")
    assert results.paths[0] == "don-vi/xa-dong-lac/"
    first = page.locator(".md-search-result__list > li").first
    marked = [unicodedata.normalize("NFC", t) for t in first.locator("article h1 mark, article h2 mark").all_inner_texts()]
    assert "Đồng" in marked and "Lạc" in marked, marked
    # Words that only look alike once folded are not marked: "Đông" is marked for "dong", "Nam" never.
    marks = first.locator("mark").all_text_contents()
    assert all(fold(w).startswith(("dong", "lac")) for w in marks), marks


def test_index_waits_until_the_reader_searches(site, new_page, catalogue) -> None:  # noqa: ANN001
    """A plain page view never downloads the search index; opening search does, and it works."""
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    story = catalogue.stories[0].url
    visit(page, site.page(story))
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not [u for u in requested if INDEX in u], "trang vừa mở đã tải chỉ mục tìm kiếm"
    assert page.evaluate("window.guongsangSearch.state.indexRequested") is False
    open_search(page)
    results = search(page, site, "lam theo bac")
    assert [u for u in requested if INDEX in u], "tìm kiếm không tải chỉ mục"
    assert results.count > 0


def test_search_works_on_a_phone(site, run_search) -> None:
    results = run_search("dong lac", viewport=PHONE)
    assert results.paths[0] in EXPECTED["dong lac"][1]


# -- pasted titles, partial diacritics, old browsers ------------------------------------

# A colon, a straight quote or a dash between spaces is punctuation, not lunr's syntax.
PUNCTUATION = re.compile(r'[:"]|(?<=\s)-(?=\s)')


def test_a_pasted_title_finds_its_story_first(site, new_page, catalogue) -> None:
    """Every shipped story's title, pasted with or without diacritics, brings the story first;
    with its colons, quotes and dashes it finds as many pages as without them."""
    page = new_page()
    assert page.goto(site.page("")).ok
    wrong, counts = {}, {}
    for story in catalogue.stories:
        for query in (story.title, fold(story.title)):
            results = search(page, site, query)
            if not results.paths or results.paths[0] != story.url:
                wrong[query] = results.paths[:3]
            bare = " ".join(PUNCTUATION.sub(" ", query).split())
            if bare != query and search(page, site, bare).count != results.count:
                counts[query] = (results.count, search(page, site, bare).count)
    assert any(PUNCTUATION.search(s.title) for s in catalogue.stories), "không còn tiêu đề nào có dấu hai chấm"
    assert wrong == {}
    assert counts == {}
    assert [e for e in page.log.errors if e.startswith("pageerror")] == []


@pytest.mark.parametrize("typed", ["đong lac", "Đong Lac", "đông lac"], ids=["d-gach", "D-gach-hoa", "mu-khong-dau"])
def test_a_word_typed_without_its_tone_finds_what_the_folded_word_finds(run_search, typed: str) -> None:
    """Phone keyboards have a đ key; the tones are what readers skip: «đong lac» is «dong lac»."""
    partial, plain = run_search(typed), run_search("dong lac")
    assert partial.count == plain.count > 0, (typed, partial.count, plain.count)
    assert sorted(partial.paths) == sorted(plain.paths)
    assert partial.paths[0] == "don-vi/xa-dong-lac/"


def test_the_script_has_no_regex_lookbehind() -> None:
    """Safari before 16.4 cannot parse (?<=…) or (?<!…): the whole script would stop."""
    script = (ROOT / "docs" / "assets" / "javascripts" / "search-fold.js").read_text(encoding="utf-8")
    assert not re.search(r"\(\?<[=!]", script)


# What Safari < 16.4 does with a lookbehind: a SyntaxError, when the pattern is compiled.
NO_LOOKBEHIND = """(() => {
    const Native = window.RegExp;
    window.RegExp = new Proxy(Native, {
        construct(target, args) {
            if (/\\(\\?<[=!]/.test(String(args[0]))) throw new SyntaxError("Invalid regular expression: invalid group specifier name");
            return Reflect.construct(target, args);
        },
        apply(target, self, args) { return Reflect.apply(target, self, args); },
    });
})();"""
# Something the script needs failing (Material does not use URLSearchParams).
BROKEN = "window.URLSearchParams = function () { throw new Error('hỏng'); };"


def test_search_works_without_regex_lookbehind(site, new_page) -> None:
    page = new_page()
    page.add_init_script(NO_LOOKBEHIND)
    assert page.goto(site.page("")).ok
    results = search(page, site, "dong lac")
    assert results.paths[0] in EXPECTED["dong lac"][1]
    assert [e for e in page.log.errors if e.startswith("pageerror")] == []


def test_a_failing_script_leaves_materials_search_working(site, new_page) -> None:
    """If search-fold.js fails, the index is not held back for ever: Material searches as usual."""
    from playwright.sync_api import expect

    page = new_page()
    page.add_init_script(BROKEN)
    assert page.goto(site.page("")).ok
    box = open_search(page)
    box.fill("Đồng Lạc")
    box.press("End")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ tài liệu"))
    assert page.locator(".md-search-result__list > li").count() > 0
    assert [e for e in page.log.errors if e.startswith("pageerror")] == []
