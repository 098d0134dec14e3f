"""The checker, error class by error class: each case edits the minimal tree and expects
exactly these problems — path, line, field and code."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.check import check_content, is_decision_number
from guongsang.cli import main
from guongsang.problems import CODES

from minimal import COMMEMORATIONS, DIRECTIVES, PROGRAMME, STORY, TOPICS, UNIT_HUYEN, UNIT_XA, write_minimal

S = "content/stories/2017/xa-dong-hoa.md"
U = "content/units/xa-dong-hoa.yml"
H = "content/units/huyen-mau.yml"
D = "content/directives.yml"
T = "content/topics.yml"
C = "content/commemorations.yml"
P = "content/programme/2026-2027.yml"


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def body(extra: str) -> str:
    """The minimal story with one more paragraph at line 23."""
    return STORY + "\n" + extra + "\n"


BODY_LINE = 23  # the line `body()` adds its paragraph on

WITHDRAWAL = "\nwithdrawal:\n  date: {date}\n  reason: Thông tin không còn đúng.\n  decided_by: Trưởng ban"
PINNED_WITHDRAWN = ("content/programme/2026-2027.yml", 9, "pins[0].story", "GS602")

# A story with a reviewed exception for the commune's hotline; a paragraph added after it is on line EXCEPTION_BODY.
EXCEPTION = edit(
    STORY, "status: published",
    'status: published\npersonal_data_exception:\n  reviewed_by: Trưởng ban\n  date: 2017-05-01\n  reason: Số đường dây nóng của xã\n  values: ["0220 3855 123"]',
)
EXCEPTION_BODY = BODY_LINE + 5

CASES = [
    # -- files, encoding, YAML -------------------------------------------------
    ("not-utf8", {S: STORY.replace("Đông", "Dong").encode("utf-8").replace(b"Dong H", "Đông H".encode("cp1258"), 1)}, [(S, 2, "", "GS102")]),
    ("utf16", {S: STORY.encode("utf-16")}, [(S, 1, "", "GS102")]),
    ("too-big", {S: STORY + "x" * 600_000}, [(S, 0, "", "GS103")]),
    ("no-front-matter", {S: "# Chỉ có thân bài\n"}, [(S, 1, "", "GS104")]),
    ("opening-with-trailing-blank", {S: STORY.replace("---\n", "--- \t\n", 1)}, []),  # as MkDocs reads it
    ("unclosed-front-matter", {S: "---\ntitle: A\n"}, [(S, 1, "", "GS104")]),
    ("yaml-syntax", {S: edit(STORY, "summary: Cách", "summary: [Cách")}, [(S, 4, "", "GS105")]),  # where '[' opens
    ("yaml-colon-in-value", {S: edit(STORY, "title: Xã Đông Hòa giữ", "title: Đông Hòa: giữ")}, [(S, 2, "", "GS105")]),
    ("yaml-unclosed-quote", {S: edit(STORY, "summary: Cách", 'summary: "Cách')}, [(S, 4, "", "GS105")]),  # the opening quote's line
    ("yaml-bad-indent", {U: edit(UNIT_XA, "  - Đông Hoà", "  - Đông Hoà\n - Đông Hoa")}, [(U, 6, "", "GS105")]),
    ("control-char", {S: edit(STORY, "title: Xã Đông", "title: Xã\x07 Đông")}, [(S, 2, "title", "GS209")]),
    ("control-char-nested", {S: edit(STORY, "  title: Bài viết mẫu", "  title: Bài\x07 viết mẫu")}, [(S, 12, "source.title", "GS209")]),
    ("utf16-without-bom", {S: STORY.encode("utf-16-le")}, [(S, 1, "", "GS102")]),
    ("tab-in-block-scalar", {U: edit(UNIT_XA, "aliases:", "description: |\n  Dòng một\n  \tthụt bằng tab là chữ\naliases:")}, []),
    ("tab-indent", {U: edit(UNIT_XA, "  - Đông Hoà", "\t- Đông Hoà")}, [(U, 5, "", "GS106")]),
    ("anchor", {U: edit(UNIT_XA, "honors:\n  - year", "honors:\n  - &h year")}, [(U, 7, "", "GS107")]),
    ("alias-bomb", {T: TOPICS + "  - &a {id: x, year: 2017, title: a, level: huyen, directive: ct-05}\n  - *a\n"}, [(T, 8, "", "GS107")]),
    ("duplicate-key", {S: edit(STORY, "author: Ban", "title: Lặp\nauthor: Ban")}, [(S, 13, "title", "GS108")]),
    ("front-matter-list", {S: "---\n- a\n- b\n---\nThân bài\n"}, [(S, 2, "", "GS109")]),
    ("unit-not-mapping", {U: "- a\n"}, [(U, 1, "", "GS109")]),
    ("leading-zero", {S: edit(STORY, "author: Ban Tuyên giáo", "author: 012")}, [(S, 13, "author", "GS110")]),
    ("sexagesimal", {U: edit(UNIT_XA, 'number: "45/QĐ-UBND"', "number: 7:30")}, [(U, 13, "honors[0].decision.number", "GS110")]),
    ("yes-no", {S: edit(STORY, "flag_ceremony: true", "flag_ceremony: yes")}, [(S, 10, "flag_ceremony", "GS110")]),
    ("phone-like-number", {S: edit(STORY, "reviewer: Trưởng ban", "reviewer: 0323456712")}, [(S, 14, "reviewer", "GS110"), (S, 14, "reviewer", "GS401")]),
    ("python-tag", {S: edit(STORY, "author: Ban Tuyên giáo", "author: !!python/object:os.system x")}, [(S, 13, "author", "GS111")]),
    ("stray-file", {"content/stories/2017/ghi-chu.txt": "x"}, [("content/stories/2017/ghi-chu.txt", 0, "", "GS112")]),
    ("story-outside-year", {"content/stories/bai.md": STORY}, [("content/stories/bai.md", 0, "", "GS112")]),
    ("content-typo-file", {"content/topic.yml": TOPICS}, [("content/topic.yml", 0, "", "GS112")]),
    ("content-stray-folder", {"content/anh/a.jpg": b"\xff\xd8"}, [("content/anh", 0, "", "GS112")]),
    ("content-stray-note", {"content/ghi-chu.md": "x"}, [("content/ghi-chu.md", 0, "", "GS112")]),
    # -- fields and values --------------------------------------------------------
    ("missing-required", {S: edit(STORY, "title: Xã Đông Hòa giữ đường làng sạch\n", "")}, [(S, 2, "title", "GS201")]),
    ("missing-nested", {U: edit(UNIT_XA, "    issuer: Ủy ban nhân dân huyện Mẫu\n", "")}, [(U, 7, "honors[0].issuer", "GS201")]),
    ("unknown-field", {S: edit(STORY, "title:", "tittle:")}, [(S, 2, "title", "GS201"), (S, 2, "tittle", "GS202")]),
    ("wrong-type-list", {S: edit(STORY, "units: [xa-dong-hoa]", "units: xa-dong-hoa")}, [(S, 6, "units", "GS203")]),
    ("wrong-type-int", {T: edit(TOPICS, "year: 2017", 'year: "2017"')}, [(T, 3, "topics[0].year", "GS203")]),
    ("int-octal", {C: edit(COMMEMORATIONS, "day: 19", "day: 010")}, [(C, 3, "commemorations[0].day", "GS110")]),
    ("int-sexagesimal", {T: edit(TOPICS, "year: 2017", "year: 33:37")}, [(T, 3, "topics[0].year", "GS110")]),
    ("int-hex", {C: edit(COMMEMORATIONS, "day: 19", "day: 0x13")}, [(C, 3, "commemorations[0].day", "GS110")]),
    ("int-underscore", {C: edit(COMMEMORATIONS, "year: 1890", "year: 1_890")}, [(C, 5, "commemorations[0].year", "GS110")]),
    ("int-08", {C: edit(COMMEMORATIONS, "month: 5", "month: 08")}, [(C, 4, "commemorations[0].month", "GS110")]),
    ("value-is-a-comment", {S: edit(STORY, "summary: Cách", "summary: #1 Cách")}, [(S, 4, "summary", "GS210")]),
    ("enum", {S: edit(STORY, "status: published", "status: publised")}, [(S, 15, "status", "GS204")]),
    ("range", {T: edit(TOPICS, "quarters: [2, 3]", "quarters: [2, 5]")}, [(T, 4, "topics[0].quarters[1]", "GS204")]),
    ("impossible-date", {S: edit(STORY, "date: 2017-05-10", "date: 2017-02-29")}, [(S, 3, "date", "GS205")]),
    ("bad-date-shape", {S: edit(STORY, "date: 2017-05-10", "date: 10/05/2017")}, [(S, 3, "date", "GS205")]),
    ("bad-slug", {T: edit(TOPICS, "id: 2017-chuyen-de", "id: Chuyen_De")}, [(T, 2, "topics[0].id", "GS206"), (S, 7, "topics[0]", "GS302")]),
    ("duplicate-id", {C: COMMEMORATIONS + COMMEMORATIONS.replace("commemorations:\n", "")}, [(C, 7, "id", "GS207")]),
    ("duplicate-unit-id", {"content/units/xa-dong-hoa.yaml": "name: Xã Đông Hòa Mới\nkind: xa\n"}, [(U, 0, "", "GS207")]),
    ("decision-shape", {U: edit(UNIT_XA, '"45/QĐ-UBND"', '"QĐ 45"')}, [(U, 13, "honors[0].decision.number", "GS208")]),
    ("zero-width", {S: edit(STORY, "title: Xã Đông", "title: Xã\u200b Đông")}, [(S, 2, "title", "GS209")]),
    ("bidi", {U: edit(UNIT_XA, "name: Xã Đông Hòa", "name: Xã \u202eĐông Hòa")}, [(U, 1, "name", "GS209")]),
    ("empty", {S: edit(STORY, "summary: Cách một xã gắn việc làm theo Bác với thu gom rác.", 'summary: "  "')}, [(S, 4, "summary", "GS210")]),
    ("year-folder", {S: edit(STORY, "date: 2017-05-10", "date: 2018-05-10")}, [(S, 3, "date", "GS211")]),
    ("file-name", {U: None, "content/units/Xa_Dong_Hoa.yml": UNIT_XA}, [("content/units/Xa_Dong_Hoa.yml", 0, "", "GS212"), (S, 6, "units[0]", "GS301"), (D, 12, "tasks[0].lead", "GS301")]),
    ("empty-body", {S: STORY.split("Mỗi sáng")[0]}, [(S, 17, "", "GS213")]),
    ("heading-anchor-twice", {S: body("## Đồng Lạc\n\nMột.\n\n## Dong Lac")}, [(S, BODY_LINE + 4, "body", "GS214")]),
    ("heading-anchor-nfd", {S: body("## Đồng Lạc\n\n" + unicodedata.normalize("NFD", "## Đồng Lạc"))}, [(S, BODY_LINE + 2, "body", "GS214")]),
    ("heading-is-related-section", {S: body("## Bài liên quan")}, [(S, BODY_LINE, "body", "GS214")]),
    ("heading-is-corrections", {S: body("Đính chính\n----------")}, [(S, BODY_LINE, "body", "GS214")]),
    ("heading-is-the-title", {S: body("# Xã Đông Hòa giữ đường làng sạch")}, [(S, BODY_LINE, "body", "GS214")]),
    ("heading-own-id-taken", {S: body("## Sửa lại {#dinh-chinh}")}, [(S, BODY_LINE, "body", "GS214")]),
    ("headings-apart", {S: body("## Đồng Lạc\n\n## Đồng Lạc mới\n\n    ## Đồng Lạc\n\n## Khác {#dong-lac-2}")}, []),
    ("unit-called-index", {"content/units/index.yml": "name: Xã Chỉ Mục\nkind: xa\n"}, [("content/units/index.yml", 0, "", "GS215")]),
    ("story-called-index", {"content/stories/2017/index.md": edit(STORY, "giữ đường", "vẫn giữ đường")}, [("content/stories/2017/index.md", 0, "", "GS215")]),
    ("typed-date-unpadded", {S: body("Từ ngày 1/7/2025, không phải 01/07/2025 hay số 12/2017/QĐ-UBND.")}, [(S, BODY_LINE, "body", "GS216")]),
    ("typed-date-in-yaml", {U: edit(UNIT_XA, "kind: xa\n", "kind: xa\ndescription: Thành lập ngày 1/12/2024.\n")}, [(U, 3, "description", "GS216")]),
    ("typed-date-quoted-in-alias", {C: COMMEMORATIONS + '    aliases: ["kỷ niệm 128 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890- 19/5/2017)"]\n'}, []),  # word for word
    # -- references -----------------------------------------------------------------
    ("unknown-unit", {S: edit(STORY, "units: [xa-dong-hoa]", "units: [xa-dong-hao]")}, [(S, 6, "units[0]", "GS301")]),
    ("unit-twice", {S: edit(STORY, "units: [xa-dong-hoa]", "units: [xa-dong-hoa, xa-dong-hoa]")}, [(S, 6, "units[1]", "GS207")]),
    ("unknown-topic", {S: edit(STORY, "topics: [2017-chuyen-de]", "topics: [2016-chuyen-de]")}, [(S, 7, "topics[0]", "GS302")]),
    ("unknown-task", {S: edit(STORY, "tasks: [cv-1]", "tasks: [cv-2]")}, [(S, 8, "tasks[0]", "GS303")]),
    ("unknown-directive", {T: edit(TOPICS, "directive: ct-05", "directive: ct-5")}, [(T, 7, "directive", "GS304")]),
    ("unknown-commemoration", {S: edit(STORY, "[sinh-nhat-bac]", "[sinh-nhat]")}, [(S, 9, "commemorations[0]", "GS305")]),
    ("dissolved-unit", {S.replace("2017", "2026"): edit(STORY, "date: 2017-05-10", "date: 2026-05-10").replace("units: [xa-dong-hoa]", "units: [huyen-mau]")}, [(S.replace("2017", "2026"), 6, "units[0]", "GS306")]),
    ("duplicate-name", {"content/units/dong-hoa.yml": "name: Xã Đông Hoà\nkind: xa\n"}, [("content/units/dong-hoa.yml", 1, "name", "GS307")]),
    ("name-is-an-alias", {"content/units/dong-hoa.yml": "kind: xa\nparent: huyen-mau\nname: Đông Hoà\n"}, [("content/units/dong-hoa.yml", 3, "name", "GS307")]),
    ("short-name-taken", {"content/units/xa-moi.yml": "name: Xã Mới\nshort_name: Đông Hòa\nkind: xa\n"}, [("content/units/xa-moi.yml", 2, "short_name", "GS307")]),
    ("same-name-other-kind", {"content/units/dang-bo-xa-dong-hoa.yml": "name: Đảng bộ xã Đông Hòa\nkind: dang-bo\nparent: huyen-mau\n"}, []),
    ("same-label-other-kind", {U: edit(UNIT_XA, "kind: xa", "short_name: Đông Hòa\nkind: xa"), "content/units/tt-dong-hoa.yml": "name: Thị trấn Đông Hòa\nshort_name: Đông Hoà\nkind: thi-tran\nparent: huyen-mau\n"}, [(U, 2, "short_name", "GS505")]),  # the later id is reported
    ("parent-cycle", {H: UNIT_HUYEN + "parent: xa-dong-hoa\n"}, [(H, 5, "parent", "GS308"), (U, 3, "parent", "GS308")]),
    ("unknown-pinned-story", {P: edit(PROGRAMME, "story: 2017/xa-dong-hoa", "story: 2017/khong-co")}, [(P, 9, "pins[0].story", "GS309")]),
    # -- personal data and safety -------------------------------------------------------
    ("phone", {S: body("Liên hệ 0912 345 678 để biết thêm.")}, [(S, BODY_LINE, "body", "GS401")]),
    ("phone-plus84", {S: body("Gọi +84 912.345.678.")}, [(S, BODY_LINE, "body", "GS401")]),
    ("phone-in-front-matter", {S: edit(STORY, "summary: Cách", "summary: Gọi 0987654321. Cách")}, [(S, 4, "summary", "GS401")]),
    ("id-9", {S: body("Số CMND 123456789 của ông.")}, [(S, BODY_LINE, "body", "GS402")]),
    ("id-12", {S: body("CCCD 001203004005 đã cấp.")}, [(S, BODY_LINE, "body", "GS402")]),
    ("phone-area-code", {S: body("Gọi (0220) 3855 123.")}, [(S, BODY_LINE, "body", "GS401")]),
    ("phone-plus84-zero", {S: body("Gọi +84 (0) 912 345 678.")}, [(S, BODY_LINE, "body", "GS401")]),
    ("id-12-grouped", {S: body("CCCD 001 203 004 005 đã cấp.")}, [(S, BODY_LINE, "body", "GS402")]),
    ("money-is-not-an-id", {S: body("Hỗ trợ 100.000.000 đồng; góp 500.000.000đ; làm 120.000.000 viên gạch.")}, []),
    ("money-is-not-a-phone", {S: body("Tổng vốn 1.000.000.000 đồng.")}, []),
    ("tax-code-is-not-a-phone", {S: edit(STORY, "summary: Cách", "summary: Mã số thuế 0800123456. Cách")}, []),
    ("address", {S: body("Gia đình ở số 12 ngõ 5 phố Huế.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-street", {S: body("Nhà ông ở 25 đường Lê Lợi.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-house-hamlet", {S: body("Bà sống ở nhà số 9, xóm Đình.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-house-village", {S: body("Nhà số 45 thôn Đông sạch nhất xóm.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-label", {S: body("Địa chỉ: 18 Trần Hưng Đạo.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-slash", {S: body("Cửa hàng ở số 12/45 phố Huế.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-flat", {S: body("Anh ở căn hộ 1203 tòa A.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-house-group", {S: body("Gia đình ở nhà 24, tổ 7.")}, [(S, BODY_LINE, "body", "GS403")]),
    ("address-like-numbers", {S: body(
        "Nhà văn hóa thôn 3 mới xây; trao 5 nhà tình nghĩa; xây nhà 3 tầng; làm 2 đường Trục Chính; "
        "năm 2017 đường Lê Lợi mở rộng; Kế hoạch số 22/KH-HU, Nghị quyết số 202/2025/QH15; căn hộ 2 phòng; địa chỉ 3 lần."
    )}, []),
    ("minor-full-name", {S: body("Em Nguyễn Thị Lan nhặt được ví.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("minor-name-before-pupil", {S: body("Nguyễn Thị Hoa, học sinh lớp 8, nhặt được ví.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("minor-younger-brother", {S: body("Hôm ấy em trai Nguyễn Văn Tú cùng đi.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("former-pupil-is-grown-up", {S: body("Thầy Nguyễn Văn Bình, học sinh cũ của trường, về thăm.")}, []),
    ("minor-pupil-with-age", {S: body("Học sinh Nguyễn Văn An, 12 tuổi, nhặt được ví.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("minor-name-with-age", {S: body("Nguyễn Văn An (12 tuổi) nhặt được ví.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("minor-birth-year-any-story", {S: body("Em Lan (sinh năm 2010) nhặt được ví.")}, [(S, BODY_LINE, "body", "GS404")]),
    ("pupils-of-a-place", {S: body("Học sinh trường THPT Nam Sách, em học sinh, học sinh Đông Hòa; ông Ba sinh năm 1950.")}, []),
    ("minor-birth-year", {S: edit(STORY, "flag_ceremony: true", "flag_ceremony: true\nperson:\n  name: Lan\n  minor: true").replace("Mỗi sáng", "Lan sinh năm 2012. Mỗi sáng")}, [(S, 20, "body", "GS404")]),
    ("minor-named-in-full", {S: edit(STORY, "flag_ceremony: true", "flag_ceremony: true\nperson:\n  name: Trần Thị Lan\n  minor: true")}, [(S, 12, "person.name", "GS404")]),
    ("no-consent", {S: edit(STORY, "subject: tap-the", "subject: ca-nhan\nperson:\n  name: Chị Hoa")}, [(S, 5, "consent", "GS405")]),
    ("image-no-alt", {S: body("![](assets/anh.jpg)")}, [(S, BODY_LINE, "body", "GS406"), (S, BODY_LINE, "body", "GS407")]),
    ("image-dotdot", {S: body("![ảnh](../../etc/passwd)")}, [(S, BODY_LINE, "body", "GS407")]),
    ("image-absolute", {S: body("![ảnh](/etc/passwd)")}, [(S, BODY_LINE, "body", "GS407")]),
    ("image-remote", {S: body("![ảnh](https://example.com/a.jpg)")}, [(S, BODY_LINE, "body", "GS407")]),
    ("html-image-no-alt", {S: body('<img src="assets/a.jpg">')}, [(S, BODY_LINE, "body", "GS406"), (S, BODY_LINE, "body", "GS407")]),
    ("html-image-dotdot", {S: body('<img src="../../x.jpg" alt="a">')}, [(S, BODY_LINE, "body", "GS407")]),
    ("html-image-absolute", {S: body('<IMG SRC="/etc/passwd" ALT="x">')}, [(S, BODY_LINE, "body", "GS407")]),
    ("html-image-remote", {S: body('<img alt="x" src="https://tracker.example/p.gif">')}, [(S, BODY_LINE, "body", "GS407")]),
    ("reference-image-no-alt", {S: body("![][img]\n\n[img]: assets/a.jpg")}, [(S, BODY_LINE, "body", "GS406"), (S, BODY_LINE, "body", "GS407")]),
    ("reference-image-dotdot", {S: body("![ảnh][Img]\n\n[img]: ../../x.jpg")}, [(S, BODY_LINE, "body", "GS407")]),
    ("image-front-matter", {S: edit(STORY, "status: published", "status: published\nimages:\n  - src: ../anh.jpg\n    alt: Ảnh")}, [(S, 17, "images[0].src", "GS407")]),
    ("script", {S: body("<script>alert(1)</script>")}, [(S, BODY_LINE, "body", "GS408")]),
    ("iframe", {S: body('<iframe src="https://example.com"></iframe>')}, [(S, BODY_LINE, "body", "GS408")]),
    ("object", {S: body("<object data=x></object>")}, [(S, BODY_LINE, "body", "GS408")]),
    ("form", {S: body("<form action=x><input></form>")}, [(S, BODY_LINE, "body", "GS408"), (S, BODY_LINE, "body", "GS408")]),
    ("style", {S: body("<style>body{display:none}</style>")}, [(S, BODY_LINE, "body", "GS408")]),
    ("meta", {S: body('<meta http-equiv="refresh" content="0;url=x">')}, [(S, BODY_LINE, "body", "GS408")]),
    ("base", {S: body('<base href="https://evil.example/">')}, [(S, BODY_LINE, "body", "GS408")]),
    ("onerror", {S: body("<img src=x onerror=alert(1) alt=a>")}, [(S, BODY_LINE, "body", "GS408"), (S, BODY_LINE, "body", "GS407")]),
    ("onclick-uppercase", {S: body('<span ONCLICK="x()">a</span>')}, [(S, BODY_LINE, "body", "GS408")]),
    ("javascript-link", {S: body("[bấm](javascript:alert(1))")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-mixed-case", {S: body("[bấm](JaVaScRiPt:alert(1))")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-entity", {S: body("[bấm](&#106;avascript:alert(1))")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-percent", {S: body("[bấm](%6Aavascript:alert(1))")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-tab", {S: body("[bấm](java&#9;script:alert(1))")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-autolink", {S: body("<javascript:alert(1)>")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-reference", {S: body("[bấm][x]\n\n[x]: javascript:alert(1)")}, [(S, BODY_LINE + 2, "body", "GS409")]),
    ("javascript-pointy-brackets", {S: body("[bấm](<javascript:alert(1)>)")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-href", {S: body('<a href="javascript:alert(1)">x</a>')}, [(S, BODY_LINE, "body", "GS409")]),
    ("data-link", {S: body("[x](data:text/html;base64,PHNjcmlwdD4=)")}, [(S, BODY_LINE, "body", "GS409")]),
    ("vbscript-link", {S: body("[x](vbscript:msgbox)")}, [(S, BODY_LINE, "body", "GS409")]),
    ("javascript-nested-parentheses", {S: body("Xem [x](javascript:alert((1))) nhé.")}, [(S, BODY_LINE, "body", "GS409")]),
    ("data-link-with-angle", {S: body("Đoạn một.\n\n[x](DATA:text/html,<b>)")}, [(S, BODY_LINE + 2, "body", "GS409")]),
    ("nested-parentheses-safe", {S: body("[trang](https://vi.wikipedia.org/wiki/A_(B_(C)))")}, []),
    ("source-url-scheme", {S: edit(STORY, "  title: Bài viết mẫu", "  title: Bài viết mẫu\n  url: javascript:alert(1)")}, [(S, 13, "source.url", "GS409")]),
    ("exception-incomplete", {S: edit(STORY, "status: published", "status: published\npersonal_data_exception:\n  reason: đường dây nóng")}, [(S, 16, "personal_data_exception.date", "GS201"), (S, 16, "personal_data_exception.reviewed_by", "GS201"), (S, 16, "personal_data_exception.values", "GS201"), (S, 16, "personal_data_exception", "GS410")]),
    # A reviewed exception allows the values it names, nothing else, and never an ID number.
    ("exception-other-findings", {S: EXCEPTION + "\nĐường dây nóng: (0220) 3855 123. Ông Ba, CCCD 030190001234, ở số 12 ngõ 5 phố Huế; gọi 0912 345 678.\n"}, [(S, EXCEPTION_BODY, "body", "GS401"), (S, EXCEPTION_BODY, "body", "GS402"), (S, EXCEPTION_BODY, "body", "GS403")]),
    ("exception-never-an-id", {S: edit(EXCEPTION, '"0220 3855 123"', '"0220 3855 123", "030190001234"') + "\nCCCD 030190001234.\n"}, [(S, 20, "personal_data_exception.values[1]", "GS410"), (S, EXCEPTION_BODY, "body", "GS402")]),
    # -- units, lifecycle, honors -----------------------------------------------------
    ("lifecycle-order", {H: UNIT_HUYEN + "valid_from: 2026-01-01\n"}, [(H, 3, "valid_to", "GS501")]),
    ("merged-without-successor", {H: edit(UNIT_HUYEN, "ended_by: giai-the", "ended_by: sap-nhap")}, [(H, 4, "successor", "GS501")]),
    ("revoked-without-decision", {U: UNIT_XA + "    status: revoked\n"}, [(U, 7, "honors[0].revoked_by", "GS502")]),
    ("award-without-decision", {U: edit(UNIT_XA, '    decision:\n      number: "45/QĐ-UBND"\n      date: 2017-05-19\n', "")}, [(U, 7, "honors[0].decision", "GS503")]),
    ("typed-ordinal", {C: edit(COMMEMORATIONS, "name: Ngày sinh", "name: Kỷ niệm 128 năm Ngày sinh")}, [(C, 6, "name", "GS504")]),
    ("impossible-commemoration", {C: edit(COMMEMORATIONS, "day: 19\n    month: 5", "day: 31\n    month: 4")}, [(C, 3, "day", "GS205")]),
    # -- programme --------------------------------------------------------------------
    ("pin-unsuitable", {S: edit(STORY, "flag_ceremony: true", "flag_ceremony: false")}, [(P, 9, "pins[0].story", "GS602")]),
    ("pin-in-holiday", {P: edit(PROGRAMME, "week: 2027-05-17", "week: 2027-02-08")}, [(P, 8, "pins[0].week", "GS606")]),
    ("pin-outside-year", {P: edit(PROGRAMME, "week: 2027-05-17", "week: 2027-06-07")}, [(P, 8, "pins[0].week", "GS603")]),
    ("pin-before-story", {S: None, "content/stories/2027/xa-dong-hoa.md": edit(STORY, "date: 2017-05-10", "date: 2027-05-20"), P: edit(PROGRAMME, "story: 2017/", "story: 2027/")}, [(P, 9, "pins[0].story", "GS607")]),
    ("holiday-without-monday", {P: edit(PROGRAMME, "from: 2027-02-01\n    to: 2027-02-14", "from: 2027-04-30\n    to: 2027-05-02")}, [(P, 5, "holidays[0].from", "GS609")]),
    ("holiday-outside-year", {P: edit(PROGRAMME, "from: 2027-02-01\n    to: 2027-02-14", "from: 2027-07-01\n    to: 2027-07-14")}, [(P, 5, "holidays[0].from", "GS610")]),
    ("holidays-overlap", {P: edit(PROGRAMME, "    to: 2027-02-14\n", "    to: 2027-02-14\n  - name: Thi\n    from: 2027-02-08\n    to: 2027-02-20\n")}, [(P, 8, "holidays[1].from", "GS612")]),
    ("holiday-reversed", {P: edit(PROGRAMME, "from: 2027-02-01\n    to: 2027-02-14", "from: 2027-02-14\n    to: 2027-02-01")}, [(P, 6, "holidays[0].to", "GS205")]),
    ("end-before-start", {P: edit(PROGRAMME, "end: 2027-05-28", "end: 2026-09-01")}, [(P, 2, "end", "GS205"), (P, 2, "end", "GS211")]),
    ("pin-not-monday", {P: edit(PROGRAMME, "week: 2027-05-17", "week: 2027-05-18")}, [(P, 8, "pins[0].week", "GS604")]),
    ("pin-twice", {P: PROGRAMME + "  - week: 2027-05-17\n    story: 2017/xa-dong-hoa\n"}, [(P, 10, "pins[1].week", "GS605")]),
    ("school-year-dates", {P: edit(PROGRAMME, "end: 2027-05-28", "end: 2028-05-28")}, [(P, 2, "end", "GS211")]),
    ("too-long-to-read", {S: body("chữ " * 700)}, [(S, 10, "flag_ceremony", "GS601"), (S, 10, "flag_ceremony", "GS611")]),
    # Within five minutes, but sixty one-line paragraphs leave no room for large type.
    ("handout-small-type", {S: body("\n\n".join(["Một đoạn ngắn có tám chữ thôi mà."] * 60))}, [(S, 10, "flag_ceremony", "GS611")]),
    # -- editorial --------------------------------------------------------------------
    ("published-without-reviewer", {S: edit(STORY, "reviewer: Trưởng ban\n", "")}, [(S, 14, "reviewer", "GS701")]),
    ("alias-collides", {"content/stories/2017/bai-khac.md": edit(STORY, "status: published", "status: published\naliases:\n  - bai-viet/2017/xa-dong-hoa/")}, [("content/stories/2017/bai-khac.md", 17, "aliases[0]", "GS703")]),
    ("alias-off-stories", {S: edit(STORY, "status: published", "status: published\naliases:\n  - don-vi/xa-dong-hoa/")}, [(S, 17, "aliases[0]", "GS206")]),
    ("alias-is-a-year-listing", {S: edit(STORY, "status: published", "status: published\naliases:\n  - bai-viet/nam/2017/")}, [(S, 17, "aliases[0]", "GS206")]),
    ("alias-is-a-kind-listing", {S: edit(STORY, "status: published", "status: published\naliases:\n  - /bai-viet/loai/tap-the")}, [(S, 17, "aliases[0]", "GS206")]),
    ("alias-is-the-stories-index", {S: edit(STORY, "status: published", "status: published\naliases:\n  - bai-viet/")}, [(S, 17, "aliases[0]", "GS206")]),
    ("reviewer-is-author", {S: edit(STORY, "reviewer: Trưởng ban", "reviewer: ban tuyên  giáo")}, [(S, 14, "reviewer", "GS706")]),
    ("correction-before-date", {S: edit(STORY, "status: published", "status: published\ncorrections:\n  - date: 2017-01-01\n    text: Sửa tên.")}, [(S, 17, "corrections[0].date", "GS704")]),
    # A withdrawn story is no longer published: the programme may not pin it either.
    ("withdrawn-without-withdrawal", {S: edit(STORY, "status: published", "status: withdrawn")}, [PINNED_WITHDRAWN, (S, 15, "withdrawal", "GS705")]),
    ("withdrawal-not-withdrawn", {S: edit(STORY, "status: published", "status: published" + WITHDRAWAL.format(date="2018-01-05"))}, [(S, 16, "withdrawal", "GS705")]),
    ("withdrawal-before-date", {S: edit(STORY, "status: published", "status: withdrawn" + WITHDRAWAL.format(date="2017-01-05"))}, [PINNED_WITHDRAWN, (S, 17, "withdrawal.date", "GS705")]),
    # Scaffold placeholders left behind: an error once the story is public (or will be, dated ahead), a warning before.
    ("placeholder-published", {S: edit(edit(STORY, "summary: Cách", "summary: 'Cần viết: tóm tắt.' #"), "title: Bài viết mẫu", "title: 'Cần viết: tên nguồn'")}, [(S, 4, "summary", "GS707"), (S, 12, "source.title", "GS707")]),
    ("placeholder-in-body", {S: body("Cần viết: nội dung bài.")}, [(S, BODY_LINE, "body", "GS707")]),
    ("placeholder-draft", {S: edit(body("Cần viết: nội dung bài."), "status: published", "status: draft")}, [PINNED_WITHDRAWN, (S, BODY_LINE, "body", "GS708")]),
    ("placeholder-review", {S: edit(edit(STORY, "status: published", "status: review"), "author: Ban Tuyên giáo", "author: 'Cần viết: tác giả.'")}, [PINNED_WITHDRAWN, (S, 13, "author", "GS708")]),
]


@pytest.mark.parametrize("name,overrides,expected", CASES, ids=[c[0] for c in CASES])
def test_error_class(tmp_path: Path, name: str, overrides: dict, expected: list) -> None:
    write_minimal(tmp_path, overrides)
    problems = check_content(tmp_path).problems
    got = sorted((p.path, p.line, p.field, p.code) for p in problems)
    assert got == sorted(expected), "\n".join(p.format() for p in problems)


def test_every_code_is_exercised() -> None:
    """Each stable code has at least one case above, except those tested on their own below."""
    covered = {code for _, _, expected in CASES for *_, code in expected}
    tested_elsewhere = {"GS101", "GS702", "GS113", "GS608"}  # GS113: tests/test_fix.py; GS608 (needs the build's day): tests/test_schedule.py
    assert set(CODES) - covered - tested_elsewhere == set()


def test_minimal_tree_is_clean(tmp_path: Path) -> None:
    write_minimal(tmp_path)
    assert check_content(tmp_path).problems == []


def test_shipped_content_is_clean(root: Path) -> None:
    result = check_content(root)
    assert result.errors == [], "\n".join(p.format() for p in result.errors)
    assert len(result.content.stories) >= 12


def _symlink_year(root: Path) -> None:
    (root / "ngoai/2016").mkdir(parents=True)
    (root / "ngoai/2016/bai.md").write_text(STORY.replace("2017-05-10", "2016-05-10"), encoding="utf-8")
    os.symlink(root / "ngoai/2016", root / "content/stories/2016")


def _symlink_units(root: Path) -> None:
    os.rename(root / "content/units", root / "don-vi")
    os.symlink(root / "don-vi", root / "content/units")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        # Nothing is followed silently, nothing is opened that could block.
        (_symlink_year, [("content/stories/2016", 0, "", "GS101")]),
        (_symlink_units, [("content/units", 0, "", "GS101")]),
        (lambda root: os.mkfifo(root / "content/units/xa-fifo.yml"), [("content/units/xa-fifo.yml", 0, "", "GS101")]),
        (lambda root: (os.remove(root / T), os.mkfifo(root / T)), [(T, 0, "", "GS101")]),
    ],
    ids=["symlinked-year-folder", "symlinked-units-folder", "fifo-unit", "fifo-topics"],
)
def test_special_files_are_reported(tmp_path: Path, make, expected: list) -> None:  # noqa: ANN001
    write_minimal(tmp_path)
    make(tmp_path)
    got = sorted((p.path, p.line, p.field, p.code) for p in check_content(tmp_path).problems)
    assert [g for g in got if g[3] == "GS101"] == expected


def test_check_outside_a_project_fails(tmp_path: Path) -> None:
    write_minimal(tmp_path / "du-an")
    (tmp_path / "du-an/mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    for folder, says in ((tmp_path, "Chạy lệnh ở thư mục dự án"), (tmp_path / "du-an/content/stories", f"Thư mục dự án có vẻ là {tmp_path / 'du-an'}")):
        result = CliRunner().invoke(main, ["check", "--root", str(folder)])
        assert result.exit_code == 2
        assert "Lỗi: Không thấy thư mục content/" in result.stderr and says in result.stderr


def test_symlinked_story_is_reported(tmp_path: Path) -> None:
    write_minimal(tmp_path)
    target = tmp_path / "elsewhere.md"
    target.write_text(STORY, encoding="utf-8")
    os.symlink(target, tmp_path / "content/stories/2017/lien-ket.md")
    got = [(p.path, p.code) for p in check_content(tmp_path).problems]
    assert got == [("content/stories/2017/lien-ket.md", "GS101")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    write_minimal(tmp_path)
    path = tmp_path / U
    path.chmod(0)
    try:
        got = [(p.path, p.code) for p in check_content(tmp_path).problems]
    finally:
        path.chmod(0o644)
    assert (U, "GS101") in got


def test_unreadable_file_is_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_minimal(tmp_path)
    target = tmp_path / U
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    problems = check_content(tmp_path).problems
    assert [(p.path, p.line, p.code, p.message) for p in problems if p.path == U] == [(U, 0, "GS101", "Không đọc được tệp: Permission denied")]


def test_symlinked_image_is_reported(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: body("![ảnh](assets/anh.jpg)")})
    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "secret.jpg").write_bytes(b"x")
    os.symlink(tmp_path / "secret.jpg", tmp_path / "docs/assets/anh.jpg")
    got = [(p.path, p.line, p.code, p.message) for p in check_content(tmp_path).problems]
    assert got == [(S, BODY_LINE, "GS407", "Ảnh 'assets/anh.jpg' là liên kết tượng trưng (symlink)")]


def test_image_inside_docs_is_accepted(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: body("![Người dân quét đường](assets/anh.jpg)")})
    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "docs/assets/anh.jpg").write_bytes(b"\xff\xd8")
    assert check_content(tmp_path).problems == []


def test_code_blocks_are_not_scanned_for_html(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: body("Viết `<script>` trong code là được.\n\n```\n<iframe>\n```")})
    assert check_content(tmp_path).problems == []


def test_reviewed_exception_allows_public_number(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: EXCEPTION + "\nĐường dây nóng: 0220 3855 123, (0220) 3855123 hay +84 220 3855 123.\n"})
    assert check_content(tmp_path).problems == []


def test_consented_individual_is_accepted(tmp_path: Path) -> None:
    story = edit(STORY, "subject: tap-the", "subject: ca-nhan\nperson:\n  name: Chị Hoa\nconsent:\n  date: 2017-05-01\n  recorded_by: Ban Tuyên giáo")
    write_minimal(tmp_path, {S: story})
    assert check_content(tmp_path).problems == []


def test_bom_crlf_and_nfd_are_handled(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", STORY).replace("\n", "\r\n")
    write_minimal(tmp_path, {S: b"\xef\xbb\xbf" + nfd.encode("utf-8")})
    result = check_content(tmp_path)
    assert result.problems == []
    story = result.content.stories[0]
    assert story.title == "Xã Đông Hòa giữ đường làng sạch"  # NFC again
    assert story.title == unicodedata.normalize("NFC", story.title)


def test_unit_suggestion_names_nearest_ids(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: edit(STORY, "units: [xa-dong-hoa]", "units: [xa-dong-hao]")})
    [problem] = check_content(tmp_path).problems
    assert "xa-dong-hoa" in problem.hint


def test_unit_suggestion_from_alias(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: edit(STORY, "units: [xa-dong-hoa]", "units: [dong-hoa]")})
    [problem] = check_content(tmp_path).problems
    assert problem.hint.startswith("Có phải: xa-dong-hoa?")


def test_unknown_field_suggests_the_right_name(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: edit(STORY, "title:", "tittle:")})
    unknown = [p for p in check_content(tmp_path).problems if p.code == "GS202"]
    assert unknown[0].message == "Trường 'tittle' không được biết (có phải 'title'?)"


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    write_minimal(tmp_path, {C: COMMEMORATIONS + COMMEMORATIONS.replace("commemorations:\n", "")})
    [problem] = check_content(tmp_path).problems
    assert problem.message == "Mã ngày kỷ niệm 'sinh-nhat-bac' đã dùng ở content/commemorations.yml:2"


def test_impossible_date_gives_the_reason(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: edit(STORY, "date: 2017-05-10", "date: 2023-02-29").replace("2017", "2023")})
    messages = [p.message for p in check_content(tmp_path).problems if p.code == "GS205"]
    assert messages == ["Ngày không hợp lệ: năm 2023 không phải năm nhuận, tháng 2 không có ngày 29"]


@pytest.mark.parametrize(
    "number,ok",
    [("45-QĐ/HU", True), ("05-CT/TW", True), ("123/QĐ-UBND", True), ("12/2017/QĐ-UBND", True), ("1669/NQ-UBTVQH15", True),
     ("QĐ 45", False), ("45", False), ("45/qđ-ubnd", False), ("45-QĐ", False)],
)
def test_decision_number_shapes(number: str, ok: bool) -> None:
    assert is_decision_number(number) is ok


def test_problem_format_names_everything(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: edit(STORY, "status: published", "status: publised")})
    [problem] = check_content(tmp_path).problems
    assert problem.format() == (
        f"{S}:15: status: 'publised' không phải giá trị cho phép của 'status' (có phải 'published'?) [GS204]"
        " — Chọn một trong: draft, review, published, withdrawn."
    )


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    write_minimal(tmp_path)
    ok = runner.invoke(main, ["check", "--root", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    write_minimal(tmp_path, {S: edit(STORY, "status: published", "status: publised")})
    text = runner.invoke(main, ["check", "--root", str(tmp_path)])
    assert text.exit_code == 1
    assert f"{S}:15: status:" in text.output
    as_json = runner.invoke(main, ["check", "--root", str(tmp_path), "--format", "json"])
    [entry] = json.loads(as_json.stdout)
    assert (entry["path"], entry["line"], entry["field"], entry["code"], entry["severity"]) == (S, 15, "status", "GS204", "error")
    github = runner.invoke(main, ["check", "--root", str(tmp_path), "--format", "github"])
    assert github.stdout.startswith(f"::error file={S},line=15,title=GS204::status: 'publised'")


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    write_minimal(tmp_path, {S: body("chữ " * 700)})
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 0
    assert "(cảnh báo)" in result.output


def test_correction_after_the_build_day(tmp_path: Path) -> None:
    """Only a check that knows the build's day can tell: the build and `guongsang check` pass it."""
    import datetime as dt

    write_minimal(tmp_path, {S: edit(STORY, "status: published", "status: published\ncorrections:\n  - date: 2026-11-19\n    text: Sửa tên.")})
    assert check_content(tmp_path, today=dt.date(2026, 11, 19)).problems == []
    (problem,) = check_content(tmp_path, today=dt.date(2026, 11, 18)).problems
    assert (problem.path, problem.line, problem.field, problem.code) == (S, 17, "corrections[0].date", "GS704")
    assert problem.message == "Đính chính ngày 19/11/2026 sau ngày dựng trang 18/11/2026"


def test_the_articles_128_years_slip_is_recorded_word_for_word(root: Path) -> None:
    """«Bốn là» calls 19/5/2017 the 128th anniversary; it was the 127th. The slip is kept
    as written, beside the article's correct "128 năm" for 19/5/2018; the site computes the number."""
    content = check_content(root).content
    day = next(c for c in content.commemorations if c.id == "sinh-nhat-bac")
    assert "kỷ niệm 128 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890- 19/5/2017)" in day.aliases
    assert "kỷ niệm 128 năm ngày sinh của Bác" in day.aliases
    seed = next((root.parent / "shared/seeds").glob("*.txt"), None) if (root.parent / "shared/seeds").is_dir() else None
    if seed is not None:  # the wording is the article's own
        assert all(alias in seed.read_text(encoding="utf-8") for alias in day.aliases)
    assert (day.ordinal(2017), day.ordinal(2018)) == (127, 128)
