"""What must never be published: personal data, unsafe HTML, unsafe links, stray images."""

from __future__ import annotations

import html
import itertools
import re

import nh3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .problems import one_line

# -- personal data ---------------------------------------------------------

# A number as people write it: digit groups joined by one space, dot or dash, an
# area code in brackets, a leading "+". What it is (phone, ID, amount) is decided
# on the whole number, never on a piece of it: "+84 (0) 912 345 678" is one phone,
# not an ID number "912 345 678" after some other digits.
_SEP = "[ \u00a0.\\-]"
_NUMBER = re.compile(rf"(?<![\w/+])(?<!\d[.,\-])(?<!\w-)\+?\(?\d(?:(?:{_SEP}|\){_SEP}?|{_SEP}?\()?\d)*")
# Mobile 03/05/07/08/09 + 8 digits; landline 02 + area code + number (10–11
# digits); the 11-digit 01x mobiles of before 2018, still in older stories.
_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{8,9}|1\d{9})")
_AREA_CODE = re.compile(r"\(0[1-9]\d{0,2}\)")  # "(0220) 3855 123", "(04) 3825 1234"
# A 12-digit CCCD starts with the 3-digit code of a province (001–096).
_CCCD = re.compile(r"0(?:0[1-9]|[1-9]\d)\d{9}")
_ID_GROUPS = re.compile(r"\d{3}(?:[ \u00a0]\d{3}){2,3}|\d{4}[ \u00a0]\d{4}[ \u00a0]\d{4}")
# Vietnamese writes thousands with dots (100.000.000 đồng) and sometimes spaces;
# ID numbers are never written with dots.
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0]\d{3})+")
# A number followed by one of these counts money or things. Only words that do not
# also start an ordinary phrase after a phone number ("… công an xã", "… bộ phận").
_QUANTITY_WORD = re.compile(
    r"[ \u00a0]?(?:đồng|đ|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn|ha|héc-ta|m2|m²|m3|m³|km|km2|mét|kg|tấn|lít"
    r"|người|hộ|nhân\s+khẩu|viên|lượt|cây|chiếc|cuốn|suất|%)(?!\w)",
    re.IGNORECASE,
)
# A number glued to letters or to a path ("…-123456789.html", "123456789_a.jpg") is
# part of a name or an address on the web, not something written in a sentence.
_GLUED_AFTER = re.compile(r"[./_\-]?[^\W\d]|[/_]")
# "Mã số thuế 0800123456": a business's tax code, ten digits (thirteen for a branch).
_TAX_CODE_BEFORE = re.compile(r"(?:mã\s+số\s+thuế|mst|mã\s+số\s+doanh\s+nghiệp)\s*(?:là\s*)?[:.]?\s*$", re.IGNORECASE)
_UPPER = "A-ZĐÀ-ỸÁÂĂÉÊÍÓÔƠÚƯÝ"
_CAPITAL = rf"(?-i:[{_UPPER}])"  # a capital letter, also inside a case-insensitive pattern
_LANE = r"(?:ngõ|ngách|hẻm|kiệt)\s+\d+\w*"
_HOUSE = r"\d+\w*(?:/\d+\w*)?"  # "12", "12A", "12/45"
# A place word followed by its name or number: "xóm Đình", "tổ 7" (not "tổ chức").
_PLACE = rf"(?:thôn|xóm|tổ|khu|ấp|khối|đường|phố|ngõ|ngách|hẻm|kiệt)\s+(?:\d|{_CAPITAL})"
# Every form starts with a word of _ADDRESS_STARTS. A number alone is never an
# address: it needs "nhà", "số nhà", "căn hộ", "địa chỉ", a lane, or a place after it.
_ADDRESS = re.compile(
    rf"\b(?:số\s+nhà\s+\d+\w*"
    rf"|số\s+{_HOUSE}(?=\s*,?\s*(?:ngõ|ngách|hẻm|kiệt|đường|phố)\b)"
    rf"|số\s+\d{{1,4}}[a-z]?/(?!(?:19|20)\d\d\b)\d{{1,4}}[a-z]?(?![/\-\w])"  # "số 12/45", not "số 72/2025/QH15"
    rf"|nhà\s+số\s+{_HOUSE}"
    rf"|nhà\s+{_HOUSE}(?=\s*,?\s*{_PLACE})"
    rf"|địa\s+chỉ\s*:?\s*(?:số\s+)?{_HOUSE}(?=\s*,?\s*(?:{_PLACE}|{_CAPITAL}))"
    rf"|căn\s+hộ\s+(?:số\s+)?(?:[a-z]?\d{{3,}}\w*|\d+\w*(?=\s*,?\s*(?:tòa|tầng|nhà|khu|chung\s+cư|block)\b))"
    rf"|{_LANE})(?:\s*,?\s*{_LANE})*",
    re.IGNORECASE,
)
# "ở 25 đường Lê Lợi", "12/45 phố Huế": a house number before a named street. Found
# from the street word (_street_addresses), as its number comes first.
_STREET_NAME = re.compile(rf"(?:đường|phố)\s+{_CAPITAL}\w*(?:\s+{_CAPITAL}\w*)*", re.IGNORECASE)
_NUMBER_BEFORE_STREET = re.compile(r"(?<![\w/.,])(\d{1,4}[a-zA-Z]?(?:/\d{1,4}[a-zA-Z]?)?)\s+$")
_STREET_WORDS = ("đường", "phố")
_AT_PLACE = re.compile(r"(?:\b(?:ở|tại|nhà|số)|[:,])\s*$", re.IGNORECASE)
_NAME_WORD = rf"[{_UPPER}][\wÀ-ỹ]*"
_MINOR_FULL_NAME = re.compile(rf"\b(?i:em|cháu|bé|học\s+sinh)(?:\s+(?i:trai|gái))?\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}})")
# The name right before ", học sinh": "Nguyễn Thị Hoa, học sinh lớp 8".
_NAME_BEFORE_PUPIL = re.compile(rf"((?:{_NAME_WORD}\s+){{1,4}}{_NAME_WORD})\s*[,(–\-]\s*(?:là\s+|một\s+|em\s+)*$")
_AGE = re.compile(r"\b(\d{1,2})\s+tuổi\b")
# The name right before "12 tuổi": "Nguyễn Văn An, 12 tuổi", "Nguyễn Văn An (năm nay 12 tuổi".
_NAME_BEFORE_AGE = re.compile(
    rf"((?:{_NAME_WORD}\s+){{1,5}}{_NAME_WORD})\s*[,(–\-]?\s*(?:(?:năm\s+nay|nay|mới|chỉ|vừa|tròn|lúc|khi|đã)\s+)*$"
)
# Every match starts at "sinh" or "SN" ("năm sinh" too: the lookbehind), so that
# it is only tried where those are (_finditer_from), not at every "năm".
_BIRTH_YEAR = re.compile(
    r"\b(?:sinh\s+năm|sinh\s+ngày\s+\d{1,2}[/.\-]\d{1,2}[/.\-]|(?P<after_nam>(?<=năm\s)sinh)|SN)\s*:?\s*((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_BIRTH_STARTS = ("sinh", "sn")
ADULT_AGE = 18

# A capitalised word after «em», «cháu», «bé» that starts a title, a body or a
# place, not a person's name ("cháu Bác Hồ", "em Trường THCS …").
_NOT_A_NAME = frozenset(
    "bác bà ông cô chú thầy anh chị bố mẹ trường lớp khối đội đoàn chi liên xã huyện thị tỉnh thôn làng xóm ấp bản "
    "phường thành tổ ban hội câu nhà ngày tháng năm quý tuần chủ đảng nhân quân công khu thiếu sao cuộc giải học "
    "phòng sở bộ ủy bệnh trạm hợp mặt cộng việt viện đài báo".split()
)
# «học sinh» and «N tuổi» are followed or preceded by places as often as by people
# ("học sinh Nam Sách"): there the name must start with a Vietnamese family name.
_FAMILY_NAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương trịnh đinh lâm phùng "
    "mai tô trương hà lương cao quách tạ thái triệu chu kiều la lã khúc đàm nghiêm tống lưu kim giang doãn từ "
    "quan mạc vi ninh nông hứa lục thân bạch đồng âu tăng châu cù khổng ứng viên lò cấn phí phó tôn mã "
    "hàn khương diệp thạch lại hầu nhữ bế sầm giáp lạc giàng sùng thào vàng lầu mùa hờ chảo lù tòng".split()
)
# Provinces and cities: "học sinh Hà Nội", "các cháu Thái Bình" are not names.
_PROVINCES = frozenset(
    "hà nội|hồ chí minh|hải phòng|đà nẵng|cần thơ|hà giang|cao bằng|bắc kạn|tuyên quang|lào cai|điện biên|"
    "lai châu|sơn la|yên bái|hòa bình|hoà bình|thái nguyên|lạng sơn|quảng ninh|bắc giang|phú thọ|vĩnh phúc|"
    "bắc ninh|hải dương|hưng yên|thái bình|hà nam|nam định|ninh bình|thanh hóa|thanh hoá|nghệ an|hà tĩnh|"
    "quảng bình|quảng trị|thừa thiên huế|quảng nam|quảng ngãi|bình định|phú yên|khánh hòa|khánh hoà|"
    "ninh thuận|bình thuận|kon tum|gia lai|đắk lắk|đắk nông|lâm đồng|bình phước|tây ninh|bình dương|"
    "đồng nai|bà rịa|vũng tàu|long an|tiền giang|bến tre|trà vinh|vĩnh long|đồng tháp|an giang|kiên giang|"
    "hậu giang|sóc trăng|bạc liêu|cà mau|sài gòn|hà tây|hà bắc|hải hưng".split("|")
)


@dataclass(frozen=True)
class Finding:
    code: str
    offset: int  # character offset in the scanned text
    message: str
    value: str = ""  # what was found, as written: an exception names the values it allows


def _mask(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[:3] + "…" + digits[-2:] if len(digits) > 5 else value


# A cheap first pass: most texts have no long digit run, and the precise
# patterns for numbers are only worth running when they do.
_DIGIT_RUN = re.compile(r"\d(?:[ \u00a0.\-()]{0,2}\d){8}")
# Every match of _ADDRESS starts with one of these, of _MINOR_FULL_NAME with one of those.
# The longer the word, the faster str.find passes over a story without it.
_ADDRESS_STARTS = ("số", "ngõ", "ngách", "hẻm", "kiệt", "nhà", "địa chỉ", "căn hộ")
_MINOR_STARTS = ("em", "cháu", "bé", "học")
# The letters that re's case-insensitive matching equates with a letter of those
# words while str.lower() does not (İ, ı, ſ); "İ" also lowers to two characters.
_CASE_ODD = ("\u0130", "\u0131", "\u017f")


def find_personal_data(
    text: str, *, minor_context: bool = False, year: int | None = None, places: frozenset[str] = frozenset()
) -> list[Finding]:
    """Phone numbers, ID numbers, house addresses, minors named in full or with a birth year.

    `minor_context`: the text is about a minor (every birth year is one).
    `year`: the year of the story; a birth year less than 18 years before it is a minor's.
    `places`: names of places and bodies (lower case), which look like people's names.
    """
    found: list[Finding] = []
    odd = _has_odd_case(text)  # once per text: each scan of a long story costs
    # Offsets in `lower` are offsets in `text`: "İ" would lower to two characters.
    lower = "".join(ch if len(ch.lower()) > 1 else ch.lower() for ch in text) if odd else text.lower()
    if _DIGIT_RUN.search(text):
        found += _find_numbers(text)
    # No "is the word there at all?" pass first: _finditer_from's own search answers that.
    for m in _finditer_from(_ADDRESS, text, lower, _ADDRESS_STARTS, odd):
        found.append(Finding("GS403", m.start(), f"Có địa chỉ nhà riêng ('{_show(m.group())}')", m.group()))
    found += _street_addresses(text, lower, {f.offset for f in found if f.code == "GS403"})
    found += _find_minors(text, lower, odd, minor_context=minor_context, year=year, places=places)
    return found


def _street_addresses(text: str, lower: str, reported: set[int]) -> list[Finding]:
    """"25 đường Lê Lợi": a number (not a year) right before a street word and its capitalised name."""
    found = []
    for word in _STREET_WORDS:
        at = lower.find(word)
        while at != -1:
            # Most "đường" are "đường làng": look further only after a digit.
            if at >= 2 and lower[at - 1].isspace() and (lower[at - 2].isdigit() or (at >= 3 and lower[at - 3].isdigit())):
                finding = _street_address(text, at, reported)
                if finding:
                    found.append(finding)
            at = lower.find(word, at + 1)
    return found


def _street_address(text: str, at: int, reported: set[int]) -> Finding | None:
    m = _STREET_NAME.match(text, at)
    before = _NUMBER_BEFORE_STREET.search(text[max(0, at - 16) : at]) if m else None
    if before is None or re.fullmatch(r"(?:19|20)\d\d", before.group(1)):
        return None
    start = at - len(before.group())
    if "/" not in before.group(1) and not _AT_PLACE.search(text, max(0, start - 8), start):
        return None  # "làm 2 đường Trục Chính" counts roads; "ở 25 đường Lê Lợi" is where someone lives
    if any(start <= r < m.end() or r <= start < r + 40 for r in reported):
        return None  # already found as "số 12 ngõ 5 phố Huế"
    value = text[start : m.end()]
    return Finding("GS403", start, f"Có địa chỉ nhà riêng ('{_show(value)}')", value)


def _find_minors(text: str, lower: str, odd: bool, *, minor_context: bool, year: int | None, places: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    named: list[tuple[int, int]] = []  # spans already reported: "Học sinh Nguyễn Văn An, 12 tuổi" is one finding
    for m in _finditer_from(_MINOR_FULL_NAME, text, lower, _MINOR_STARTS, odd):
        trigger = m.group()[: m.start(1) - m.start()].strip()
        name = _full_name(m.group(1).split(), places, family_first=trigger.lower().startswith("học"))
        if name:
            found.append(Finding("GS404", m.start(), f"Nêu họ tên đầy đủ của trẻ em ('{' '.join(trigger.split())} {name}')"))
            named.append((m.start(), m.end()))
    at = lower.find("học sinh")
    while at != -1:
        before = _NAME_BEFORE_PUPIL.search(text, max(0, at - 60), at) if _after_comma(lower, at) else None
        former = lower.startswith(" cũ", at + 8)  # "học sinh cũ": a former pupil, grown up
        if before and not former and not any(s <= before.start(1) < e for s, e in named):
            words = before.group(1).split()
            tail = list(itertools.takewhile(_is_name_word, reversed(words)))[::-1]
            name = _full_name(tail, places, family_first=True, from_family=True)
            if name:
                found.append(Finding("GS404", before.start(1), f"Nêu họ tên đầy đủ của trẻ em ('{name}, học sinh')"))
                named.append((before.start(1), at))
        at = lower.find("học sinh", at + 1)
    if "tuổi" in lower:
        for m in _AGE.finditer(text):
            if int(m.group(1)) >= ADULT_AGE:
                continue
            before = _NAME_BEFORE_AGE.search(text, max(0, m.start() - 80), m.start())
            if before is None or any(s <= before.start(1) < e for s, e in named):
                continue
            words = before.group(1).split()
            # The name is the capitalised words nearest the age ("Năm nay, Nguyễn Văn An 12 tuổi").
            tail = list(itertools.takewhile(_is_name_word, reversed(words)))[::-1]
            name = _full_name(tail, places, family_first=True, from_family=True)
            if name:
                found.append(Finding("GS404", before.start(1), f"Nêu họ tên đầy đủ của trẻ em ('{name}, {m.group()}')"))
    if minor_context or year is not None:
        for m in _finditer_from(_BIRTH_YEAR, text, lower, _BIRTH_STARTS, odd):
            start = m.start() - 4 if m.group("after_nam") else m.start()  # from "năm sinh"
            shown = text[start : m.end()]
            if minor_context:
                found.append(Finding("GS404", start, f"Nêu năm sinh của trẻ vị thành niên ('{shown}')"))
            elif year is not None and 0 <= year - int(m.group(2)) <= ADULT_AGE:
                # Born 18 years before the story's year: still 17 until the birthday.
                found.append(Finding("GS404", start, f"Nêu năm sinh của người có thể dưới 18 tuổi năm {year} ('{shown}')"))
    return found


def _after_comma(lower: str, at: int) -> bool:
    """Whether "học sinh" at `at` follows ",", "(" or a dash (past "là", "một", "em"): only
    then can a name stand before it. Cheap, as "một số em học sinh" is common."""
    words = lower[max(0, at - 16) : at].split()
    while words and words[-1] in ("là", "một", "em"):
        words.pop()
    return bool(words) and words[-1][-1] in ",(–-"


def _is_name_word(word: str) -> bool:
    """Capitalised, the rest lower case: "Nguyễn", not "THPT" or "đã"."""
    return word[0].isupper() and word[1:] == word[1:].lower()


def _full_name(words: list[str], places: frozenset[str], *, family_first: bool, from_family: bool = False) -> str:
    """The full name the words start with (two words at least), or "".

    family_first: the first word must be a family name; from_family: skip words
    before the first family name ("Cháu Nguyễn Văn An").
    """
    # The character class À-Ỹ also spans lowercase letters ("đã", "ở"): the
    # name is the words that really start with a capital.
    name = list(itertools.takewhile(_is_name_word, words))
    if from_family:
        while name and name[0].lower() not in _FAMILY_NAMES:
            name.pop(0)
    if len(name) < 2 or name[0].lower() in _NOT_A_NAME or (family_first and name[0].lower() not in _FAMILY_NAMES):
        return ""
    shown = " ".join(name).lower()
    if any(shown == p or shown.startswith(p + " ") or p.endswith(" " + shown) for p in itertools.chain(places, _PROVINCES)):
        return ""
    return " ".join(name)


def _has_odd_case(text: str) -> bool:
    return any(ch in text for ch in _CASE_ODD)


def _finditer_from(pattern: re.Pattern, text: str, lower: str, starts: tuple[str, ...], odd: bool | None = None) -> list[re.Match]:
    """pattern.finditer(text), for a pattern whose matches all start with one of
    `starts` (case-insensitively), tried only where lower (text.lower()) has one.

    The words are common ("số", "em") but rare next to what makes a finding: the
    pattern tried at every position of a story cost more than the rest of its checks.
    """
    if odd or (odd is None and _has_odd_case(text)):
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
        if at and (lower[at - 1].isalnum() or lower[at - 1] == "_"):
            continue  # inside a word ("xem", "thêm"): every such pattern starts with \b
        m = pattern.match(text, at)  # \b still sees the character before `at`
        if m:
            matches.append(m)
            end = m.end()
    return matches


def _find_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _NUMBER.finditer(text):
        run = m.group()
        if sum(ch.isdigit() for ch in run) < 9 or (_THOUSANDS.fullmatch(run) and _classify_number(run) is None):
            continue  # too short for a phone or an ID, or an amount written in thousands
        if _QUANTITY_WORD.match(text, m.end()) or _GLUED_AFTER.match(text, m.end()):
            continue
        if _TAX_CODE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue
        for start, end, code in _numbers_in(run):
            value = run[start:end]
            if code == "GS401":
                found.append(Finding(code, m.start() + start, f"Có số điện thoại ({_mask(value)})", value))
            else:
                found.append(Finding(code, m.start() + start, f"Có dãy số giống số CMND/CCCD ({_mask(value)})", value))
    return found


def _numbers_in(run: str) -> list[tuple[int, int, str]]:
    """The phones and ID numbers in one run of digits, as (start, end, code).

    Usually the whole run is one number. When it is not, it may be a number
    written right after another ("năm 2017 0912 345 678"): a phone or an ID starts
    at a group beginning with 0, "+" or "(" after a space.
    """
    code = _classify_number(run)
    if code:
        return [(0, len(run), code)]
    starts = [m.start() + 1 for m in re.finditer(r"[ \u00a0](?=[0+(])", run)]
    ends = [m.start() for m in re.finditer(r"[ \u00a0]", run)] + [len(run)]
    found: list[tuple[int, int, str]] = []
    done = 0
    for start in starts:
        if start < done:
            continue
        for end in reversed(ends):
            if end <= start:
                break
            code = _classify_number(run[start:end])
            if code:
                found.append((start, end, code))
                done = end
                break
    return found


def _classify_number(number: str) -> str | None:
    """GS401 for a Vietnamese phone number, GS402 for an ID number, None for anything else."""
    digits = re.sub(r"\D", "", number)
    rest = None  # the national number after a country code
    if number.startswith("+"):
        rest = digits[2:] if digits.startswith("84") else None
    elif digits.startswith("0084"):
        rest = digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        rest = digits[2:]
    if rest and _PHONE.fullmatch(rest if rest.startswith("0") else "0" + rest):
        return "GS401"
    if number.startswith("+"):
        return None  # a foreign number: not one of ours to judge
    if _PHONE.fullmatch(digits):
        return "GS401"
    if _AREA_CODE.match(number) and 10 <= len(digits) <= 11:
        return "GS401"
    if number.isdigit() or _ID_GROUPS.fullmatch(number):
        if len(digits) == 9 or _CCCD.fullmatch(digits):
            return "GS402"
    return None


def is_excepted(finding: Finding, values: tuple[str, ...]) -> bool:
    """Whether a reviewed exception's `values` allow this finding: the same phone
    number (digits compared), or an address written within one of them. Never an ID number."""
    if finding.code == "GS401":
        return any(_phone_key(v) == _phone_key(finding.value) for v in values)
    if finding.code == "GS403":
        # Whole words: "số 12 ngõ 51" allows "ngõ 51", never another house's "ngõ 5".
        shown = re.compile(rf"(?<!\w){re.escape(' '.join(finding.value.split()).casefold())}(?!\w)")
        return any(shown.search(" ".join(v.split()).casefold()) for v in values)
    return False


def _phone_key(number: str) -> str:
    """The national number's digits: "+84 220 3855 123" and "(0220) 3855 123" are one phone."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0084"):
        return "0" + digits[4:]
    if number.lstrip().startswith("+") and digits.startswith("84"):
        return "0" + digits[2:].removeprefix("0")
    return digits


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


# The destination is "<anything but <>>" or a URL with balanced parentheses,
# as CommonMark reads it: "[x](javascript:alert(1))" is one link to "javascript:alert(1)".
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]"
    r"\(\s*(?:<([^<>\n]*)>|((?:[^()\s<>]|\([^()\s]*\))*))(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>]*)>")
# "![alt][ref]", "![alt][]" and "![alt]", each resolved through a "[ref]: path" line.
_REF_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\](?:\[([^\]]*)\]|(?![(\[]))")


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
    links, spans = [], []
    for m in _INLINE_LINK.finditer(text):
        url = m.group(3) if m.group(3) is not None else m.group(4)
        links.append(Link(m.start(), url, m.group(1) == "!", m.group(2)))
        spans.append((m.start(), m.end()))
    # What the pattern cannot read, the renderer still links: "[x](javascript:alert((1)))",
    # "[x](DATA:text/html,<b>)". Every other "](" is read as CommonMark reads a destination.
    at = text.find("](")
    openers = _openers(text) if at != -1 else {}
    k = 0  # spans are in order: the first that may hold `at`
    while at != -1:
        while k < len(spans) and spans[k][1] <= at:
            k += 1
        if not (k < len(spans) and spans[k][0] <= at):
            link = _bracket_link(text, at, openers.get(at))
            if link is not None:
                links.append(link)
        at = text.find("](", at + 2)
    for m in _REF_DEF.finditer(text):
        links.append(Link(m.start(), m.group(2), False, ""))
        spans.append((m.start(), m.end()))
    # "<javascript:…>" inside "[x](<javascript:…>)" is that link's destination, not a second link.
    links += [Link(m.start(), m.group(1), False, "") for m in _AUTOLINK.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    return sorted(links, key=lambda link: link.offset)


_BRACKET_OR_BLANK = re.compile(r"\n\n|[\[\]]")
# A destination longer than this is not a link anyone wrote; reading on would make a
# text of a thousand "[a](" cost a thousand times its length.
LONGEST_DESTINATION = 500
_DESTINATION_STOP = re.compile(r"[\s()\\]")


def _openers(text: str) -> dict[int, int]:
    """The "[" each "]" closes, paired once for the whole text; a blank line ends a paragraph."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _BRACKET_OR_BLANK.finditer(text):
        if m.group() == "[":
            stack.append(m.start())
        elif m.group() == "]":
            if stack:
                pairs[m.start()] = stack.pop()
        else:
            stack.clear()
    return pairs


def _bracket_link(text: str, close: int, start: int | None) -> Link | None:
    """The link whose text runs from `start` ("[") to `close` ("](" there): its destination
    read with balanced parentheses and backslash escapes, up to a blank or the unmatched ")"."""
    if start is None:
        return None
    i = close + 2
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if text.startswith("<", i):
        end = text.find(">", i)
        url = text[i + 1 : end] if end != -1 and "\n" not in text[i:end] else ""
    else:
        j, depth, last = i, 0, min(len(text), i + LONGEST_DESTINATION)
        while True:
            stop = _DESTINATION_STOP.search(text, j, last)
            if stop is None:
                j = last
                break
            j, ch = stop.start(), stop.group()
            if ch == "\\":
                j += 2
                continue
            if ch.isspace() or (ch == ")" and depth == 0):
                break
            depth += ch == "("
            depth -= ch == ")"
            j += 1
        url = text[i:j]
    if not url:
        return None
    image = start > 0 and text[start - 1] == "!"
    return Link(start - image, url, image, text[start + 1 : close])


def find_unsafe_links(links: list[Link]) -> list[Finding]:
    return [Finding("GS409", link.offset, f"Liên kết '{_show(link.url)}' không an toàn") for link in links if not is_safe_url(link.url)]


def _show(url: str) -> str:
    """A value as a message quotes it: on one line, at most 60 characters."""
    url = one_line(url)
    return url if len(url) <= 60 else url[:57] + "…"


# -- images ----------------------------------------------------------------


def find_images(text: str, links: list[Link]) -> list[Link]:
    """Every image in Markdown whose code was blanked, with its alt text as `text`:
    inline ones (from find_links), reference-style ones resolved through their
    "[ref]: path" line, and raw HTML <img> tags. One list, so that all get the same checks."""
    images = [link for link in links if link.image]
    if "![" in text and "]:" in text:
        targets: dict[str, str] = {}
        for m in _REF_DEF.finditer(text):
            targets.setdefault(_label(m.group(1)), m.group(2))  # the first definition wins
        inline = {link.offset for link in images}
        for m in _REF_IMAGE.finditer(text):
            label = _label(m.group(2) or m.group(1))  # "![alt][]" and "![alt]" use the alt as label
            if m.start() not in inline and label in targets:
                images.append(Link(m.start(), targets[label], True, m.group(1)))
    if "<" in text:
        for m in _TAG.finditer(text):
            if m.group(1) or m.group(2).lower() != "img":
                continue
            attrs = {a.group(1).lower(): html.unescape((a.group(2) or "").strip("\"'")) for a in _ATTR.finditer(m.group(3))}
            images.append(Link(m.start(), attrs.get("src", ""), True, attrs.get("alt", "")))
    return sorted(images, key=lambda image: image.offset)


def _label(label: str) -> str:
    """A link label as Markdown matches it: case and runs of blanks do not count."""
    return " ".join(label.split()).casefold()


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


def sanitize_story_body(page_html: str) -> tuple[str, str]:
    """A rendered story page with the story body between its markers sanitized, and that
    body alone (a handout may be made from it: handout.printable_from_page)."""
    bodies: list[str] = []

    def clean(match: re.Match) -> str:
        bodies.append(sanitize_html(match.group(2)))
        return bodies[-1]

    return _BODY.sub(clean, page_html), "".join(bodies)
