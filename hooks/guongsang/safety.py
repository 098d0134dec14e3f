"""What must never be published: personal data, unsafe HTML, unsafe links, stray images."""

from __future__ import annotations

import html
import itertools
import re

import nh3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

# -- personal data ---------------------------------------------------------

# Mobile and landline numbers: 0 or +84/84, then 9–10 digits, spaces, dots or
# dashes allowed between digits ("0912 345 678", "+84 912.345.678").
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0084|84|0)(?:[ .\-]?\d){8,10}(?![\d])")
# Old 9-digit CMND and 12-digit CCCD numbers (also written in groups of 3/4).
_ID_NUMBER = re.compile(r"(?<![\d.,/\-])(?:\d{12}|\d{9}|\d{3}[ .]\d{3}[ .]\d{3}(?:[ .]\d{3})?)(?![\d.,/\-]\d|\d)")
_LANE = r"(?:ngõ|ngách|hẻm|kiệt)\s+\d+\w*"
_ADDRESS = re.compile(
    rf"\b(?:số\s+nhà\s+\d+\w*|số\s+\d+\w*(?=\s*,?\s*(?:ngõ|ngách|hẻm|kiệt|đường|phố)\b)|{_LANE})(?:\s*,?\s*{_LANE})*",
    re.IGNORECASE,
)
_UPPER = "A-ZĐÀ-ỸÁÂĂÉÊÍÓÔƠÚƯÝ"
_NAME_WORD = rf"[{_UPPER}][\wÀ-ỹ]*"
_MINOR_FULL_NAME = re.compile(rf"\b(?i:em|cháu|bé)\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}})")
_BIRTH_YEAR = re.compile(r"\b(?:sinh\s+năm|SN|năm\s+sinh)\s*:?\s*(?:19|20)\d{2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    code: str
    offset: int  # character offset in the scanned text
    message: str


def _mask(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[:3] + "…" + digits[-2:] if len(digits) > 5 else value


# Cheap first passes: most texts have no long digit run and no lane word, and
# the precise patterns are only worth running when they do.
_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d){7}")
_ADDRESS_WORDS = ("số", "ngõ", "ngách", "hẻm", "kiệt")
_MINOR_HINT = re.compile(r"(?:em|cháu|bé)\s")  # any space: "em\nNguyễn Văn An" is still a name
# Every match of _ADDRESS starts with one of these, of _MINOR_FULL_NAME with one of those.
_ADDRESS_STARTS = _ADDRESS_WORDS
_MINOR_STARTS = ("em", "cháu", "bé")
# The letters that re's case-insensitive matching equates with a letter of those
# words while str.lower() does not (İ, ı, ſ); "İ" also lowers to two characters.
_CASE_ODD = ("\u0130", "\u0131", "\u017f")


def find_personal_data(text: str, *, minor_context: bool = False) -> list[Finding]:
    """Phone numbers, ID numbers, house addresses, minors named in full or with a birth year."""
    found: list[Finding] = []
    lower = text.lower()
    if _DIGIT_RUN.search(text):
        found += _find_numbers(text)
    if any(word in lower for word in _ADDRESS_WORDS):
        for m in _finditer_from(_ADDRESS, text, lower, _ADDRESS_STARTS):
            found.append(Finding("GS403", m.start(), f"Có địa chỉ nhà riêng ('{m.group()}')"))
    if _MINOR_HINT.search(lower):
        for m in _finditer_from(_MINOR_FULL_NAME, text, lower, _MINOR_STARTS):
            # The character class À-Ỹ also spans lowercase letters ("đã", "ở"): the
            # name is the words that really start with a capital, two at least.
            name = list(itertools.takewhile(lambda word: word[0].isupper(), m.group(1).split()))
            if len(name) >= 2:
                shown = f"{m.group().split()[0]} {' '.join(name)}"
                found.append(Finding("GS404", m.start(), f"Nêu họ tên đầy đủ của trẻ em ('{shown}')"))
    if minor_context:
        for m in _BIRTH_YEAR.finditer(text):
            found.append(Finding("GS404", m.start(), f"Nêu năm sinh của trẻ vị thành niên ('{m.group()}')"))
    return found


def _finditer_from(pattern: re.Pattern, text: str, lower: str, starts: tuple[str, ...]) -> list[re.Match]:
    """pattern.finditer(text), for a pattern whose matches all start with one of
    `starts` (case-insensitively), tried only where lower (text.lower()) has one.

    The words are common ("số", "em") but rare next to what makes a finding: the
    pattern tried at every position of a story cost more than the rest of its checks.
    """
    if any(ch in text for ch in _CASE_ODD):
        return list(pattern.finditer(text))
    positions: set[int] = set()
    for word in starts:
        at = lower.find(word)
        while at != -1:
            positions.add(at)
            at = lower.find(word, at + 1)
    matches: list[re.Match] = []
    end = 0
    for at in sorted(positions):
        if at < end:
            continue  # inside the last match: finditer does not overlap
        m = pattern.match(text, at)  # \b still sees the character before `at`
        if m:
            matches.append(m)
            end = m.end()
    return matches


def _find_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    phones = [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    for start, end in phones:
        found.append(Finding("GS401", start, f"Có số điện thoại ({_mask(text[start:end])})"))
    for m in _ID_NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in phones):
            continue
        found.append(Finding("GS402", m.start(), f"Có dãy số giống số CMND/CCCD ({_mask(m.group())})"))
    return found


# -- raw HTML --------------------------------------------------------------

SAFE_TAGS = frozenset(
    "a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure "
    "h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub summary sup "
    "table tbody td tfoot th thead tr u ul".split()
)
SAFE_ATTRIBUTES = frozenset("href src alt title width height colspan rowspan lang class id start reversed open".split())
URL_ATTRIBUTES = frozenset({"href", "src"})

_CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def blank_code(markdown: str) -> str:
    """Replace code blocks and spans by spaces, keeping offsets: code is shown, not run."""
    if "`" not in markdown and "~~~" not in markdown:
        return markdown

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group())

    return _CODE_SPAN.sub(blank, _CODE_BLOCK.sub(blank, markdown))


def find_unsafe_html(text: str) -> list[Finding]:
    """Raw HTML outside the safe list, in Markdown whose code was blanked (blank_code)."""
    found: list[Finding] = []
    if "<" not in text:
        return found
    for m in _COMMENT.finditer(text):
        found.append(Finding("GS408", m.start(), "Chú thích HTML <!-- --> không được phép"))
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name not in SAFE_TAGS:
            found.append(Finding("GS408", m.start(), f"Thẻ HTML <{name}> không được phép"))
            continue
        for attr in _ATTR.finditer(m.group(3)):
            key = attr.group(1).lower()
            value = (attr.group(2) or "").strip("\"'")
            if key not in SAFE_ATTRIBUTES:
                found.append(Finding("GS408", m.start(), f"Thuộc tính '{key}' trong thẻ <{name}> không được phép"))
            elif key in URL_ATTRIBUTES and not is_safe_url(value):
                found.append(Finding("GS409", m.start(), f"Liên kết '{_show(value)}' không an toàn"))
    return found


# -- links -----------------------------------------------------------------

_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE_IN_URL = re.compile(r"[\x00-\x20\x7f\u200b-\u200f\u2028\u2029\u2060\ufeff]")


def normalise_url(url: str) -> str:
    """What a browser would see: entities decoded, escapes undone, blanks and controls removed."""
    value = url
    for _ in range(3):  # undo nested encodings ("&amp;#106;", "%256A")
        decoded = urllib.parse.unquote(html.unescape(value))
        if decoded == value:
            break
        value = decoded
    return _INVISIBLE_IN_URL.sub("", value).lower()


def is_safe_url(url: str) -> bool:
    value = normalise_url(url)
    match = _SCHEME.match(value)
    if match is None:
        return not value.startswith("//")  # protocol-relative goes off-site unseen
    return match.group(1) in _SAFE_SCHEMES


_INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>]*)>")


@dataclass(frozen=True)
class Link:
    offset: int
    url: str
    image: bool
    text: str


def find_links(text: str) -> list[Link]:
    """Links and images in Markdown whose code was blanked (blank_code)."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return []
    links = [Link(m.start(), m.group(3), m.group(1) == "!", m.group(2)) for m in _INLINE_LINK.finditer(text)]
    links += [Link(m.start(), m.group(1), False, "") for m in _REF_DEF.finditer(text)]
    links += [Link(m.start(), m.group(1), False, "") for m in _AUTOLINK.finditer(text)]
    return sorted(links, key=lambda link: link.offset)


def find_unsafe_links(links: list[Link]) -> list[Finding]:
    return [Finding("GS409", link.offset, f"Liên kết '{_show(link.url)}' không an toàn") for link in links if not is_safe_url(link.url)]


def _show(url: str) -> str:
    return url if len(url) <= 60 else url[:57] + "…"


# -- images ----------------------------------------------------------------


def image_problem(src: str, docs_dir: Path) -> str:
    """Why an image path is not acceptable, or "" when it is.

    Images live in the repository under docs/, addressed relative to docs/.
    """
    value = normalise_url(src)
    if not value:
        return "Đường dẫn ảnh trống"
    if _SCHEME.match(value) or value.startswith("//"):
        return f"Ảnh '{_show(src)}' lấy từ ngoài kho nội dung"
    if value.startswith("/") or re.match(r"^[a-z]:[\\/]", value):
        return f"Ảnh '{_show(src)}' dùng đường dẫn tuyệt đối"
    parts = re.split(r"[\\/]", src)
    if ".." in parts:
        return f"Ảnh '{_show(src)}' dùng '..' để ra ngoài thư mục"
    target = docs_dir / src
    current = docs_dir
    for part in parts:
        current = current / part
        if current.is_symlink():
            return f"Ảnh '{_show(src)}' là liên kết tượng trưng (symlink)"
    if not target.is_file():
        return f"Không tìm thấy ảnh docs/{src}"
    return ""


def line_of(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


# -- rendering -------------------------------------------------------------

_BODY = re.compile(r"(<!-- gs-body-start -->)(.*?)(<!-- gs-body-end -->)", re.DOTALL)
_RENDERED_TAGS = SAFE_TAGS | {"h1", "section", "sup", "footer"}
_RENDERED_ATTRIBUTES = {"*": set(SAFE_ATTRIBUTES) | {"role", "aria-label", "aria-hidden"}}


def sanitize_html(fragment: str) -> str:
    """Keep only the safe list of tags, attributes and URL schemes (nh3, ammonia)."""
    return nh3.clean(
        fragment,
        tags=set(_RENDERED_TAGS),
        attributes={k: set(v) for k, v in _RENDERED_ATTRIBUTES.items()},
        url_schemes=set(_SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitize_story_html(page_html: str) -> str:
    """Sanitize the story body inside a rendered story page, between its markers."""
    return _BODY.sub(lambda m: sanitize_html(m.group(2)), page_html)
