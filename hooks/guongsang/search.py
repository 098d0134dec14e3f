"""Search without diacritics: folded copies of every title and text in Material's search index.

Material's search (lunr.js in a web worker) indexes the fields named in the
index's `config.fields`, reading each from the entry of the same name, and
shows only `title`, `text` and `tags` in its results. So each entry gets two
more fields, `title_folded` and `text_folded`, holding the words that
diacritics change, folded ("Làm theo Bác" → "lam bac"): a query typed without
diacritics ("lam theo bac") finds them, while the results still show the text
as written. A word typed with diacritics matches only itself, so exact matches
are never outranked. Words that folding leaves unchanged are already in
`title`/`text`; keeping each folded word once per entry keeps the index small.

docs/assets/javascripts/search-fold.js NFC-normalises the query in the
browser; the index is NFC-normalised here, so NFD text on either side matches.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .text import fold, nfc

INDEX_PATH = Path("search") / "search_index.json"
# (field shown in results, its folded copy). The copy gets the same boost, so
# a folded match in a title outranks one in a paragraph, as for exact matches.
FOLDED_FIELDS = (("title", "title_folded"), ("text", "text_folded"))

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def folded_words(markup: str, memo: dict[str, str] | None = None) -> str:
    """The words of an index field that folding changes, folded, each once, in
    order of first appearance: "<p>Làm theo Bác, làm</p>" → "lam bac".

    `memo` keeps each word's fold ("" when folding leaves it as it is) from one
    call to the next: a site of 10,000 stories has a few thousand distinct
    words among its millions."""
    memo = {} if memo is None else memo
    plain = nfc(html.unescape(_TAG.sub(" ", markup)))
    words: dict[str, None] = {}  # an ordered set
    for word in _WORD.findall(plain):
        folded = memo.get(word)
        if folded is None:
            lower = word.lower()
            folded = fold(lower)
            memo[word] = folded = "" if folded == lower else folded
        if folded:
            words.setdefault(folded)
    return " ".join(words)


def fold_index(index: dict) -> dict:
    """Add the folded fields to a search index (as Material writes it); idempotent."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for source, target in FOLDED_FIELDS:
        fields.setdefault(target, dict(fields.get(source) or {"boost": 1}))
    memo: dict[str, str] = {}
    for entry in index.get("docs", []):
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


def fold_site_index(site_dir: Path) -> Path | None:
    """Rewrite the built site's search index with folded fields; None when search is off."""
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(dump_index(fold_index(index)), encoding="utf-8")
    return path
