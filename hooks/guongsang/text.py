"""Vietnamese text helpers: normalisation, slugs, diacritic folding, reading time."""

from __future__ import annotations

import re
import unicodedata

# Vietnamese tone marks are combining characters; "đ" is a letter of its own.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Zero-width, bidi-control and other invisible format characters that make two
# identical-looking names differ, or reorder what a reader sees.
_INVISIBLE = set(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad\u180e"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip every diacritic, đ → d: "Làm theo Bác" → "lam theo bac"."""
    lower = text.lower()
    # Vietnamese and other Latin text folds to ASCII one letter at a time, as
    # the full decomposition below would: one C-level pass instead of a Python
    # loop over every character (search folds a whole site's text).
    quick = lower.translate(_FOLD_LATIN)
    if quick.isascii():
        return quick
    decomposed = unicodedata.normalize("NFD", lower)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def _fold_latin() -> dict[int, str | None]:
    """fold() of every Latin letter with diacritics that folds to ASCII; combining marks dropped."""
    table: dict[int, str | None] = {}
    for code in (*range(0x80, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        if unicodedata.combining(ch):
            table[code] = None
            continue
        folded = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).replace("đ", "d")
        if folded != ch and folded.isascii():
            table[code] = folded
    return table


_FOLD_LATIN = _fold_latin()


def fold_tones(text: str) -> str:
    """Compare names regardless of tone-mark placement ("Hoà" = "Hòa").

    Only NFC plus case: the two spellings are the same code points once
    normalised, so the old and new tone placement both map to one key.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    # Sort each letter's combining marks so "o + ̀ + ̂" and "o + ̂ + ̀" agree.
    out: list[str] = []
    marks: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            marks.append(ch)
            continue
        out.extend(sorted(marks))
        marks = []
        out.append(ch)
    out.extend(sorted(marks))
    key = "".join(out)
    key = _retone_oa(key)
    return " ".join(key.split())


_OLD_TONE_RE = re.compile(r"(o|u)([\u0300\u0301\u0303\u0309\u0323])(a|e|y)(?![a-z])")


def _retone_oa(decomposed: str) -> str:
    # Old style puts the tone on the first vowel of "oa", "oe", "uy" ("hoà");
    # new style on the second ("hòa"). Move it to the second for comparison.
    return _OLD_TONE_RE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)


def slugify(text: str) -> str:
    """ASCII slug from a Vietnamese title: "Đồng Lạc" → "dong-lac"."""
    # Anything that is not an ASCII letter or digit once folded separates words,
    # non-ASCII punctuation included ("2017–2022" → "2017-2022").
    return re.sub(r"[^a-z0-9]+", "-", fold(nfc(text))).strip("-")


def is_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value))


_HIDDEN_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "\x00-\x08\x0b-\x1f\x7f-\x9f]")


def invisible_chars(text: str) -> list[str]:
    """Names of invisible or control characters found in text (U+XXXX); tab and newline are fine."""
    return sorted({f"U+{ord(ch):04X}" for ch in _HIDDEN_RE.findall(text)})


# Markers that stand alone at the start of a line: headings, quotes, list bullets.
_MARKUP_TOKEN = re.compile(r"[ \t]*(?:[#>*+\-]+[ \t]+)+")
_MARKUP_STARTS = frozenset("#>*+-")


def count_words(markdown: str) -> int:
    """Vietnamese writes one syllable per space-separated word; Markdown markers are not words."""
    markers = 0
    for line in markdown.split("\n"):
        # Most lines are prose: the pattern only runs where a marker may start.
        if line.lstrip(" \t")[:1] in _MARKUP_STARTS:
            m = _MARKUP_TOKEN.match(line)
            if m:
                markers += len(m.group().split())
    return len(markdown.split()) - markers


def minutes(count: int, per_minute: int) -> int:
    """Whole minutes, rounded up, at least one."""
    return max(1, -(-count // per_minute))


def format_minutes(count: int, per_minute: int) -> str:
    return f"{minutes(count, per_minute)} phút"


def toc_slugify(value: str, separator: str = "-") -> str:
    """Heading anchors for Python-Markdown's toc: ASCII, the same for NFC and NFD input."""
    return slugify(value).replace("-", separator)
