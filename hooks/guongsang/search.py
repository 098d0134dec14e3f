"""Search without diacritics: folded copies of every title and text in Material's search index.

Material's search (lunr.js in a web worker) indexes the fields named in the
index's `config.fields`, reading each from the entry of the same name, and
shows only `title`, `text` and `tags` in its results. So each entry gets two
more fields, `title_folded` and `text_folded`, holding the other forms of the
words that need them, each once: folded ("Làm theo Bác" → "lam bac"), so that
a query typed without diacritics ("lam theo bac") finds them, and with the
tone mark of "oa", "oe", "uy" on the second vowel ("Huyện ủy" → "uỷ"), so
that either placement finds both. The results still show the text as
written. A word typed with diacritics matches only itself (in either tone
placement), so exact matches are never outranked.

docs/assets/javascripts/search-fold.js prepares the query the same way in the
browser (NFC, tone placement, every word required); the index is
NFC-normalised here, so NFD text on either side matches.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Iterable

from .text import fold, nfc, second_vowel_tones

INDEX_PATH = Path("search") / "search_index.json"
# (field shown in results, its folded copy). The copy gets the same boost, so
# a folded match in a title outranks one in a paragraph, as for exact matches.
FOLDED_FIELDS = (("title", "title_folded"), ("text", "text_folded"))
# Pages left out of the index: the home page is a digest of other pages (this
# week's story, the newest honors, the directive), each found on its own page;
# its title is the site's motto, «người tốt, việc tốt», and would come first
# for that query, above the stories that live it.
DIGESTS = ("",)
# Pages that list what has a page of its own (the honor roll and its years, the
# units, topics, documents, statistics, data and flag-ceremony overviews) and the
# editor's guide: indexed, title and text, but below the stories and units that
# match (Material's per-page `boost`; lunr multiplies the page's score by it).
# Otherwise a query for a commune brings the statistics table, the guide and the
# honor roll above the stories about it. (The unit directory and the honor roll
# years also leave their lists out of the index: data-search-exclude.)
LISTINGS = re.compile(r"(bang-vang|chuyen-de|don-vi|van-ban|thong-ke|du-lieu|chao-co|huong-dan-bien-tap)/(\d{4}(-\d{4})?/)?")
LISTING_BOOST = 0.2

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def other_forms(word: str) -> tuple[str, ...]:
    """The forms a query may use for a word that the word itself does not match:
    "Hòa" → ("hoà", "hoa"); "theo" → ()."""
    lower = word.lower()
    forms = dict.fromkeys((second_vowel_tones(lower), fold(lower)))
    forms.pop(lower, None)
    return tuple(forms)


def folded_words(markup: str, memo: dict[str, tuple[str, ...]] | None = None) -> str:
    """The other forms of the words of an index field (other_forms), each once, in
    order of first appearance: "<p>Làm theo Bác, làm</p>" → "lam bac".

    `memo` keeps each word's forms from one call to the next: a site of 10,000
    stories has a few thousand distinct words among its millions."""
    memo = {} if memo is None else memo
    plain = nfc(html.unescape(_TAG.sub(" ", markup)))
    words: dict[str, None] = {}  # an ordered set
    for word in _WORD.findall(plain):
        forms = memo.get(word)
        if forms is None:
            forms = memo[word] = other_forms(word)
        for form in forms:
            words.setdefault(form)
    return " ".join(words)


def page_of(location: str) -> str:
    """The page an index entry belongs to: "bai-viet/2017/x/#muc" → "bai-viet/2017/x/"."""
    return location.partition("#")[0]


def plain_text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def cut_text(entries: list[dict], limit: int) -> None:
    """Keep at most `limit` characters of one page's text (its sections' included,
    in order), cut at a word; what is cut is shown as plain text."""
    left = limit
    for entry in entries:
        text = entry.get("text")
        if not isinstance(text, str) or not text:
            continue
        plain = plain_text(text)
        if len(plain) <= left:
            left -= len(plain)
            continue
        kept = plain[:left].rsplit(" ", 1)[0] if left > 0 and plain[left:left + 1] != " " else plain[:max(left, 0)]
        entry["text"] = html.escape(kept.strip() + " …", quote=False) if kept.strip() else ""
        left = 0


def is_listing(page: str) -> bool:
    return LISTINGS.fullmatch(page) is not None


def fold_index(index: dict, *, digests: Iterable[str] = DIGESTS, text_limit: int | None = None) -> dict:
    """Add the folded fields to a search index (as Material writes it); idempotent.

    The pages in `digests` are dropped with their sections; listing pages and the
    editor's guide get a low boost (LISTINGS); with `text_limit`, each page keeps
    that many characters of its text (titles all stay)."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for source, target in FOLDED_FIELDS:
        fields.setdefault(target, dict(fields.get(source) or {"boost": 1}))
    leave_out = set(digests)
    docs = [e for e in index.get("docs", []) if page_of(str(e.get("location", ""))) not in leave_out]
    for entry in docs:
        if is_listing(page_of(str(entry.get("location", "")))):
            entry["boost"] = LISTING_BOOST
    index["docs"] = docs
    if text_limit is not None:
        pages: dict[str, list[dict]] = {}
        for entry in docs:
            pages.setdefault(page_of(str(entry.get("location", ""))), []).append(entry)
        for entries in pages.values():
            cut_text(entries, text_limit)
    memo: dict[str, tuple[str, ...]] = {}
    for entry in docs:
        for source, target in FOLDED_FIELDS:
            value = entry.get(source)
            if not isinstance(value, str):
                continue
            entry[source] = nfc(value)
            words = folded_words(value, memo)
            if words:
                entry[target] = words
            else:
                entry.pop(target, None)
    return index


def dump_index(index: dict) -> str:
    """Compact like Material's own output, but UTF-8 rather than \\u escapes: a
    Vietnamese letter takes 2–3 bytes instead of 6. U+2028/U+2029 stay escaped
    for the offline copy, which loads the index as a script."""
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def fold_site_index(site_dir: Path, *, text_limit: int = 0) -> Path | None:
    """Rewrite the built site's search index with folded fields, each page's text cut
    to `text_limit` characters (settings.yml `search_text_limit`; 0: whole); None when
    search is off."""
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(dump_index(fold_index(index, text_limit=text_limit or None)), encoding="utf-8")
    return path
