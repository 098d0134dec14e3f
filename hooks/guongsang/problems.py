"""Content problems: stable codes, Vietnamese messages, and how they are reported."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: str  # what is wrong, in Vietnamese (the general case)
    fix: str  # how to fix it, in Vietnamese (the general case)


def _codes(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


# The list is the contract with editors: codes never change meaning and are
# never reused. The editor's guide and the docs are generated from it.
CODES: dict[str, Code] = _codes(
    # 1xx — files, encoding, YAML
    Code("GS101", ERROR, "Không đọc được tệp", "Kiểm tra tệp có tồn tại, đọc được và không phải liên kết tượng trưng (symlink)."),
    Code("GS102", ERROR, "Tệp không phải UTF-8", "Lưu lại tệp với bảng mã UTF-8 (trong VS Code: «Save with Encoding» → UTF-8)."),
    Code("GS103", ERROR, "Tệp quá lớn", "Chia nội dung thành nhiều bài hoặc bớt dữ liệu; ảnh đặt trong docs/assets, không nhúng vào bài."),
    Code("GS104", ERROR, "Thiếu phần đầu (front matter) của bài", "Mở đầu bài bằng một dòng '---', các trường YAML, rồi một dòng '---' nữa."),
    Code("GS105", ERROR, "YAML sai cú pháp", "Sửa cú pháp YAML ở dòng được chỉ ra (dấu hai chấm, thụt lề, dấu ngoặc kép)."),
    Code("GS106", ERROR, "YAML dùng tab để thụt lề", "Thay tab bằng dấu cách (2 dấu cách mỗi cấp)."),
    Code("GS107", ERROR, "YAML dùng neo/bí danh (& hoặc *)", "Viết đầy đủ giá trị thay vì dùng & và *; neo có thể làm nổ bộ nhớ khi dựng trang."),
    Code("GS108", ERROR, "Khóa YAML bị lặp", "Mỗi trường chỉ được khai báo một lần; xóa hoặc gộp dòng lặp."),
    Code("GS109", ERROR, "Phần đầu không phải một bảng trường", "Phần đầu phải là các dòng 'trường: giá trị', không phải danh sách hay chuỗi."),
    Code("GS110", ERROR, "Giá trị bị YAML tự đổi kiểu", "Đặt giá trị trong dấu ngoặc kép, ví dụ \"012\" hoặc \"7:30\"."),
    Code("GS111", ERROR, "Thẻ YAML không được phép", "Bỏ thẻ bắt đầu bằng '!' (ví dụ !!python/...); chỉ dùng giá trị thường."),
    Code("GS112", ERROR, "Tệp lạ trong thư mục nội dung", "Đặt bài ở content/stories/<năm>/<slug>.md, đơn vị ở content/units/<mã>.yml; ảnh ở docs/assets; xóa tệp thừa."),
    Code("GS113", ERROR, "Tệp chưa ở dạng chuẩn (BOM, xuống dòng CRLF, chữ chưa chuẩn NFC, dấu cách cuối dòng)", "Chạy `guongsang fix`; trong trình soạn thảo web: xóa dấu cách ở cuối dòng được chỉ ra, hoặc gõ lại chữ có dấu của dòng đó."),
    # 2xx — fields and values
    Code("GS201", ERROR, "Thiếu trường bắt buộc", "Thêm trường còn thiếu; xem Tra cứu nội dung để biết ý nghĩa và ví dụ."),
    Code("GS202", ERROR, "Trường không được biết", "Xóa trường hoặc sửa tên cho đúng (tên gần nhất, nếu có, ở ngay trong thông báo)."),
    Code("GS203", ERROR, "Sai kiểu giá trị", "Sửa giá trị cho đúng kiểu ghi trong Tra cứu nội dung."),
    Code("GS204", ERROR, "Giá trị không nằm trong danh sách cho phép", "Chọn một trong các giá trị được liệt kê."),
    Code("GS205", ERROR, "Ngày không hợp lệ", "Viết ngày theo dạng YYYY-MM-DD (ví dụ 2017-05-19) và là ngày có thật."),
    Code("GS206", ERROR, "Mã (id/slug) hoặc đường dẫn cũ (aliases) sai dạng", "Mã: chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ 'nam-tan'. Đường dẫn cũ trong 'aliases': chỉ ghi địa chỉ cũ của một bài, dạng bai-viet/<năm>/<slug>/, không ghi trang danh sách hay trang đơn vị."),
    Code("GS207", ERROR, "Mã bị trùng", "Đổi một trong hai mã cho khác nhau."),
    Code("GS208", ERROR, "Số quyết định sai dạng", "Viết theo dạng của Đảng '45-QĐ/HU' hoặc của Nhà nước '123/QĐ-UBND'."),
    Code("GS209", ERROR, "Ký tự ẩn hoặc ký tự điều khiển", "Xóa ký tự ẩn (thường do sao chép từ web/Word) rồi gõ lại đoạn đó."),
    Code("GS210", ERROR, "Giá trị rỗng", "Điền nội dung cho trường hoặc xóa trường nếu không bắt buộc."),
    Code("GS211", ERROR, "Năm không khớp", "Sửa cho năm khớp: bài nằm trong thư mục năm của ngày đăng; khen thưởng cùng năm với quyết định."),
    Code("GS212", ERROR, "Tên tệp không đúng mã", "Đổi tên tệp thành dạng slug (chữ thường không dấu, gạch ngang), ví dụ nam-tan.yml."),
    Code("GS213", ERROR, "Không có thân bài", "Viết nội dung bài bên dưới dòng '---' thứ hai."),
    Code("GS214", ERROR, "Tiêu đề trong bài trùng neo (anchor) với tiêu đề khác của trang", "Đổi chữ của một trong hai tiêu đề; neo lấy từ chữ bỏ dấu, nên «Đồng Lạc» và «Dong Lac» là một."),
    Code("GS215", ERROR, "Mã trùng với tên trang dành riêng của trang web", "Đổi mã cho khác 'index' (với đơn vị và bài: đổi tên tệp), ví dụ 'xa-index'."),
    Code("GS216", WARNING, "Ngày viết tay không đủ hai chữ số", "Viết ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
    # 3xx — references between entities
    Code("GS301", ERROR, "Tham chiếu tới đơn vị không tồn tại", "Sửa mã cho đúng một đơn vị trong content/units (xem gợi ý) hoặc thêm đơn vị mới."),
    Code("GS302", ERROR, "Tham chiếu tới chuyên đề không tồn tại", "Sửa mã chuyên đề cho đúng một mục trong content/topics.yml."),
    Code("GS303", ERROR, "Tham chiếu tới công việc đột phá không tồn tại", "Sửa mã cho đúng một công việc trong content/directives.yml."),
    Code("GS304", ERROR, "Tham chiếu tới chỉ thị/kế hoạch không tồn tại", "Sửa mã cho đúng một mục trong content/directives.yml."),
    Code("GS305", ERROR, "Tham chiếu tới ngày kỷ niệm không tồn tại", "Sửa mã cho đúng một mục trong content/commemorations.yml."),
    Code("GS306", ERROR, "Bài gắn với đơn vị đã giải thể/sáp nhập trước ngày đăng", "Gắn bài với đơn vị kế tục, hoặc sửa ngày của bài."),
    Code("GS307", ERROR, "Hai đơn vị trùng tên", "Gộp hai tệp thành một; ghi cách viết khác vào 'aliases'."),
    Code("GS308", ERROR, "Quan hệ cấp trên bị vòng lặp", "Sửa trường 'parent' để cây đơn vị không tự trỏ về chính nó."),
    Code("GS309", ERROR, "Tham chiếu tới bài không tồn tại", "Sửa mã bài (năm/slug) cho đúng một bài trong content/stories."),
    # 4xx — personal data and safety
    Code("GS401", ERROR, "Có số điện thoại", "Xóa số điện thoại; nếu đã được người đó đồng ý công bố, ghi số đó vào 'values' của 'personal_data_exception'."),
    Code("GS402", ERROR, "Có số CMND/CCCD", "Xóa số giấy tờ tùy thân; không bao giờ công bố số này. Nếu đó là số tiền hay số lượng, viết dấu chấm ngăn hàng nghìn (120.000.000) hoặc ghi đơn vị ngay sau số (đồng, người, viên…)."),
    Code("GS403", ERROR, "Có địa chỉ nhà riêng", "Chỉ ghi tên thôn/xã; xóa số nhà, ngõ, ngách, căn hộ. Địa chỉ công (trụ sở) đã được duyệt: ghi vào 'values' của 'personal_data_exception'."),
    Code("GS404", ERROR, "Nêu đầy đủ họ tên hoặc năm sinh của trẻ vị thành niên", "Với người dưới 18 tuổi chỉ ghi tên gọi (ví dụ 'em Lan'), không ghi họ và năm sinh."),
    Code("GS405", ERROR, "Bài về cá nhân chưa ghi nhận sự đồng ý", "Ghi 'consent' (ngày, người ghi nhận) sau khi người trong bài đồng ý công bố."),
    Code("GS406", ERROR, "Ảnh thiếu mô tả (alt)", "Thêm mô tả ngắn cho ảnh: ![mô tả ảnh](duong-dan.jpg), hoặc alt=\"mô tả ảnh\" trong thẻ <img>."),
    Code("GS407", ERROR, "Ảnh nằm ngoài kho nội dung", "Đặt ảnh trong docs/assets và dùng đường dẫn tương đối, không dùng '..', đường dẫn tuyệt đối hay symlink."),
    Code("GS408", ERROR, "HTML không được phép", "Bỏ thẻ/thuộc tính HTML đó; dùng cú pháp Markdown thay thế."),
    Code("GS409", ERROR, "Liên kết không an toàn", "Chỉ dùng liên kết http(s), mailto, tel hoặc đường dẫn tương đối."),
    Code("GS410", ERROR, "Ngoại lệ dữ liệu cá nhân chưa được duyệt", "Ghi đủ 'reviewed_by', 'date', 'reason' và 'values' (đúng những số điện thoại, địa chỉ được phép) trong 'personal_data_exception'; không ghi số CMND/CCCD vào đó."),
    # 5xx — units, lifecycle, honors
    Code("GS501", ERROR, "Vòng đời đơn vị mâu thuẫn", "Kiểm tra 'valid_from' trước 'valid_to', và đơn vị kế tục còn hiệu lực."),
    Code("GS502", ERROR, "Khen thưởng bị thu hồi thiếu quyết định thu hồi", "Ghi 'revoked_by' với số và ngày quyết định thu hồi."),
    Code("GS503", ERROR, "Khen thưởng thiếu quyết định", "Giấy khen, Bằng khen phải có số và ngày quyết định; ghi nhận trong báo cáo thì dùng form: ghi-nhan."),
    Code("GS504", ERROR, "Số thứ tự kỷ niệm được gõ tay", "Xóa số năm kỷ niệm; hệ thống tự tính từ năm bắt đầu."),
    Code("GS505", WARNING, "Hai đơn vị hiện cùng một tên trên trang web", "Đặt 'short_name' cho khác nhau (thêm chữ chỉ loại, ví dụ «Huyện Nam Sách» và «TT Nam Sách») để người đọc phân biệt hai liên kết."),
    # 6xx — flag-ceremony programme
    Code("GS601", WARNING, "Bài đọc chào cờ dài quá thời lượng cho phép (read_aloud_max_minutes)", "Rút gọn bài, hoặc bỏ 'flag_ceremony: true'."),
    Code("GS602", ERROR, "Bài được ghim không phù hợp đọc chào cờ", "Ghim một bài đã công bố có 'flag_ceremony: true'."),
    Code("GS603", ERROR, "Tuần ghim nằm ngoài năm học", "Chọn một thứ Hai trong khoảng start–end của năm học, ngoài tuần nghỉ."),
    Code("GS604", ERROR, "Ngày ghim không phải thứ Hai", "Ghi ngày thứ Hai của tuần muốn ghim."),
    Code("GS605", ERROR, "Hai bài ghim cùng một tuần", "Mỗi tuần ghim một bài; chuyển bài kia sang tuần khác hoặc bỏ ghim."),
    Code("GS606", ERROR, "Tuần ghim rơi vào kỳ nghỉ", "Chọn một thứ Hai khác, ngoài các kỳ nghỉ ghi trong 'holidays'."),
    Code("GS607", ERROR, "Bài được ghim vào tuần trước ngày đăng của bài", "Ghim bài vào một thứ Hai từ ngày đăng của bài trở đi, hoặc ghim bài khác."),
    Code("GS608", WARNING, "Bài được ghim chưa đến ngày đăng", "Không cần sửa nếu đúng ý: từ ngày đăng, tuần ghim sẽ đọc bài này. Muốn đọc ngay thì ghim bài khác."),
    Code("GS609", WARNING, "Kỳ nghỉ không có thứ Hai nào", "Nếu được nghỉ bù vào thứ Hai, kéo 'to' tới thứ Hai đó; nếu thứ Hai vẫn chào cờ, có thể xóa kỳ nghỉ này."),
    Code("GS610", ERROR, "Kỳ nghỉ nằm ngoài năm học", "Sửa 'from' và 'to' cho kỳ nghỉ nằm trong khoảng start–end, hoặc chuyển kỳ nghỉ sang tệp của năm học đó."),
    Code("GS611", WARNING, "Phiếu in bài đọc chào cờ phải dùng chữ nhỏ", "Gộp các đoạn quá ngắn, rút gọn tiêu đề hoặc bài, để phiếu in giữ cỡ chữ lớn (ít nhất 13 pt, một cột)."),
    Code("GS612", ERROR, "Hai kỳ nghỉ chồng lên nhau", "Gộp hai kỳ nghỉ làm một, hoặc sửa 'from' và 'to' để chúng không có ngày chung."),
    # 7xx — editorial workflow
    Code("GS701", ERROR, "Bài đã công bố thiếu người duyệt", "Ghi 'reviewer' (người duyệt) trước khi đổi status sang published."),
    Code("GS702", ERROR, "Đường dẫn đã công bố bị mất", "Bài đổi tên tệp hoặc đổi năm: thêm đường dẫn cũ vào 'aliases' của bài mới. Bài bị xóa hoặc trở lại bản nháp: khôi phục bài đã công bố và gỡ bằng 'status: withdrawn' (ghi 'withdrawal'). Trang khác (đơn vị, chỉ thị, chương trình, trang tài liệu): khôi phục tệp, hoặc để lại một trang báo đã chuyển."),
    Code("GS703", ERROR, "Hai trang trùng đường dẫn", "Hai bài trùng: đổi slug hoặc đường dẫn cũ (aliases) của một trong hai bài. Đường dẫn cũ là địa chỉ hiện tại của chính bài: xóa dòng đó khỏi 'aliases'."),
    Code("GS704", ERROR, "Đính chính không hợp lệ", "Mỗi đính chính cần 'date' (YYYY-MM-DD, không trước ngày đăng bài, không sau ngày dựng trang) và 'text'."),
    Code("GS705", ERROR, "Gỡ bài không hợp lệ", "Bài gỡ ghi 'status: withdrawn' và 'withdrawal' (date không trước ngày đăng, reason, decided_by); bài không gỡ thì xóa 'withdrawal'."),
    Code("GS706", WARNING, "Người duyệt trùng với tác giả", "Nhờ một người khác (không phải tác giả) đọc, đối chiếu nguồn và ghi tên vào 'reviewer'."),
    Code("GS707", ERROR, "Bài đã công bố (kể cả bài hẹn đăng) còn chỗ «Cần viết:» chưa điền", "Thay chữ «Cần viết: …» bằng nội dung thật, hoặc đưa bài về 'status: draft' cho đến khi viết xong."),
    Code("GS708", WARNING, "Bài nháp hoặc đang duyệt còn chỗ «Cần viết:» chưa điền", "Thay chữ «Cần viết: …» bằng nội dung thật trước khi đổi sang 'status: published'."),
)


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based; 0 when the problem is about the whole file
    field: str  # dotted field path ("honors[2].decision.number"); "" for the file
    code: str
    message: str  # what is wrong here, in Vietnamese
    fix: str = ""  # how to fix it here; defaults to the code's general fix

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    @property
    def hint(self) -> str:
        return self.fix or CODES[self.code].fix

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.field, self.code, self.message)

    def format(self) -> str:
        """One line, always `path:line: field: message [CODE] — fix`: a problem with the
        whole file is put on line 1, field "(tệp)"; a newline or control character in a
        shown value is written out (\\n, U+0007), never printed."""
        field = self.field or FILE_FIELD
        label = "" if self.severity == ERROR else " (cảnh báo)"
        return one_line(f"{self.path}:{self.line or 1}: {field}: {self.message} [{self.code}]{label} — {self.hint}")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["fix"] = self.hint
        data["severity"] = self.severity
        return data


class ContentError(Exception):
    """Content has errors; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(format_problems(self.problems, "text"))


FILE_FIELD = "(tệp)"  # the field shown for a problem with the whole file
# `guongsang check --watch` puts each round of problem lines between these: what the
# editor's task waits for (schema.vscode_tasks).
WATCH_START = "Gương Sáng: bắt đầu kiểm tra"
WATCH_DONE = "Gương Sáng: kiểm tra xong"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text with newlines, tabs and other control characters written out visibly."""
    if not _CONTROL.search(text):
        return text
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _CONTROL.sub(lambda m: named.get(m.group(), f"U+{ord(m.group()):04X}"), text)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as text lines, JSON, or GitHub workflow annotations."""
    ordered = sorted(problems, key=Problem.sort_key)
    if fmt == "json":
        return json.dumps([p.to_dict() for p in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = []
        for p in ordered:
            kind = "error" if p.severity == ERROR else "warning"
            props = f"file={_github_escape(p.path, prop=True)}"
            if p.line:
                props += f",line={p.line}"
            props += f",title={_github_escape(p.code, prop=True)}"
            body = f"{p.field + ': ' if p.field else ''}{p.message} — {p.hint}"
            lines.append(f"::{kind} {props}::{_github_escape(body)}")
        return "\n".join(lines)
    return "\n".join(p.format() for p in ordered)
