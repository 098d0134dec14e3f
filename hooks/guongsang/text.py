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


# A tone mark on the first vowel of a word-final "oa", "oe" or "uy" (not the "u" of
# "qu": "quý" is written so in both styles; nor "ua", whose tone is on "u" in both).
_FIRST_VOWEL_TONE_RE = re.compile(
    r"(?<![q])(o(?=[\u0300\u0301\u0303\u0309\u0323][ae])|u(?=[\u0300\u0301\u0303\u0309\u0323]y))"
    r"([\u0300\u0301\u0303\u0309\u0323])([aey])(?![a-z\u0300-\u036f])",
    re.IGNORECASE,
)


def second_vowel_tones(text: str) -> str:
    """One tone placement for search: "hòa", "khỏe", "Huyện ủy" → "hoà", "khoẻ", "Huyện uỷ";
    case kept, NFC in and out. docs/assets/javascripts/search-fold.js does the same to queries."""
    decomposed = unicodedata.normalize("NFD", text)
    if not _FIRST_VOWEL_TONE_RE.search(decomposed):
        return text
    return unicodedata.normalize("NFC", _FIRST_VOWEL_TONE_RE.sub(r"\1\3\2", decomposed))


# Vietnamese dictionary order of letters: "ă" and "â" after "a", "đ" after "d", "ơ"
# after "ô" after "o", "ư" after "u"; f, j, w and z (foreign words) where Latin has them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: chr(0x40 + i) for i, letter in enumerate(_ALPHABET)}
# Tones, in dictionary order after the level tone (none): huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {mark: str(i) for i, mark in enumerate(("\u0300", "\u0309", "\u0303", "\u0301", "\u0323"), 1)}


def collation_key(text: str) -> tuple[str, str, str]:
    """Sort key for Vietnamese names: dictionary order, the same for NFC and NFD input.

    Letters first, tones ignored ("Đồng Lạc" after every D and before E, "Tổ" before
    "Tuyên", word by word: "An Phú" before "Anh"); then tones, letter by letter
    (ma, mà, mả, mã, má, mạ); then the text itself, so the order is total."""
    text = nfc(text)
    letters: list[str] = []
    tones: list[str] = []
    for ch in text.casefold():
        base, *marks = unicodedata.normalize("NFD", ch)
        tone = "0"
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            else:  # breve, circumflex, horn: part of the letter
                base += mark
        letter = unicodedata.normalize("NFC", base)
        if letter in _LETTER_RANK:
            letters.append(_LETTER_RANK[letter])
            tones.append(tone)
        elif letter.isspace():
            letters.append("\x01")  # a word ends before any letter: syllable by syllable
        elif letter.isdigit():
            letters.append(chr(0x20 + int(letter)) if letter in "0123456789" else chr(0x30))
        elif letter.isalpha():  # another script's letter, or a Latin letter with other marks
            folded = fold(letter)
            letters.append(_LETTER_RANK.get(folded[:1], chr(0x100 + ord(letter[0]))))
            tones.append("0")
        else:  # punctuation and symbols weigh the same: "Tài nguyên - Môi trường" reads as words
            letters.append("\x02")
    return "".join(letters), "".join(tones), text


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


_ATX = re.compile(r"^(#{1,6})(?!#)(.*?)#*[ \t]*$")
_SETEXT = re.compile(r"^[=-]+[ \t]*$")
_ATTR_ID = re.compile(r"[ \t]*\{:?[^}]*?#([^\s}]+)[^}]*\}[ \t]*$")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_TAG = re.compile(r"<[^>]*>")


def heading_anchors(markdown: str) -> list[tuple[int, str, str]]:
    """(offset, heading text, anchor) of every heading of a Markdown text, in order: the
    anchor toc_slugify gives it, or its own {#id}, as Python-Markdown finds them with the
    site's extensions (mkdocs.yml): an indented line is code, a ``` fence is not (no
    fenced_code); a setext heading is the first line of a paragraph underlined with = or -."""
    found: list[tuple[int, str, str]] = []
    offset = 0
    previous: tuple[int, str] | None = None  # the last line, when it opened a paragraph
    before_blank = True  # the line before `previous` was blank (or there was none)
    for line in markdown.split("\n"):
        here, offset = offset, offset + len(line) + 1
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        heading = None if indented else _ATX.match(line)
        if heading:
            found.append((here, *_anchor(heading.group(2))))
        elif previous is not None and not blank and _SETEXT.match(line):
            found.append((previous[0], *_anchor(previous[1])))
            previous, before_blank = None, False
            continue
        previous = (here, line) if (before_blank and not blank and not heading and not indented) else None
        before_blank = blank
    return found


def _anchor(text: str) -> tuple[str, str]:
    custom = _ATTR_ID.search(text)
    if custom:
        text = text[: custom.start()]
    text = _TAG.sub("", _INLINE_LINK.sub(r"\1", text)).strip()
    return text, custom.group(1) if custom else toc_slugify(text)


# A day/month/year date typed by hand; not part of a longer number or of a decision
# number such as "12/2017/QĐ-UBND" or "3/12/2017/NĐ-CP".
_TYPED_DATE = re.compile(r"(?<![\w/.,-])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/]|[.,]\d)")


def unpadded_dates(text: str) -> list[tuple[int, str, str]]:
    """(offset, as written, dd/mm/yyyy) of each typed date missing a zero: "01/7/2025"."""
    found: list[tuple[int, str, str]] = []
    # Tried only where a digit stands before a slash: the pattern tried at every
    # position of every story cost a tenth of the whole check.
    at = text.find("/")
    while at != -1:
        begin = at - 2 if at >= 2 and text[at - 2].isdigit() else at - 1
        m = _TYPED_DATE.match(text, begin) if begin >= 0 and text[begin].isdigit() else None
        if m is None:
            at = text.find("/", at + 1)
            continue
        day, month, year = m.groups()
        if (len(day) < 2 or len(month) < 2) and 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
            found.append((m.start(), m.group(), f"{int(day):02d}/{int(month):02d}/{year}"))
        at = text.find("/", m.end())
    return found
