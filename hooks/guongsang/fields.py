"""The content schema: every field of every file, its type, meaning and example.

One declaration serves the checker (types, required, unknown fields), the
content reference in the docs and the JSON Schemas for editors, so the three
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT = "text"
DATE = "date"
INT = "int"
BOOL = "bool"
SLUG = "slug"
URL = "url"
ENUM = "enum"
LIST = "list"
OBJECT = "object"
REF = "ref"  # an id of another entity; `ref` names which


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    meaning: str
    example: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    item: "Field | None" = None  # for LIST
    fields: tuple["Field", ...] = ()  # for OBJECT
    ref: str = ""  # for REF: unit, topic, task, directive, commemoration, story
    minimum: int | None = None
    maximum: int | None = None
    choice_labels: tuple[str, ...] = ()  # Vietnamese label per choice, same order

    def child(self, name: str) -> "Field | None":
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def type_label(self) -> str:
        labels = {
            TEXT: "chữ",
            DATE: "ngày (YYYY-MM-DD)",
            INT: "số nguyên",
            BOOL: "true/false",
            SLUG: "mã (chữ thường không dấu, gạch ngang)",
            URL: "địa chỉ web",
            ENUM: "một trong: " + ", ".join(self.choices),
            OBJECT: "nhóm trường",
            REF: f"mã {REF_LABELS.get(self.ref, self.ref)}",
        }
        if self.kind == LIST and self.item is not None:
            return f"danh sách ({self.item.type_label})"
        return labels.get(self.kind, self.kind)


REF_LABELS = {
    "unit": "đơn vị",
    "topic": "chuyên đề",
    "task": "công việc đột phá",
    "directive": "chỉ thị/kế hoạch",
    "commemoration": "ngày kỷ niệm",
    "story": "bài (năm/slug)",
}


def _list(name: str, item: Field, meaning: str, example: Any = None, **kw: Any) -> Field:
    return Field(name, LIST, meaning, example, item=item, **kw)


def _obj(name: str, fields: tuple[Field, ...], meaning: str, example: Any = None, **kw: Any) -> Field:
    return Field(name, OBJECT, meaning, example, fields=fields, **kw)


SOURCE_FIELDS = (
    Field("title", TEXT, "Tên bài/tài liệu nguồn", "Nam Sách: đưa học tập và làm theo Bác thành việc thường xuyên", required=True),
    Field("url", URL, "Địa chỉ web của nguồn (http/https)", "https://example.vn/bai-viet"),
    Field("publisher", TEXT, "Cơ quan/báo đăng nguồn", "Ban Tuyên giáo Tỉnh ủy Hải Dương"),
    Field("date", DATE, "Ngày đăng nguồn", "2017-04-20"),
)


def source_field(name: str = "source", *, required: bool = False) -> Field:
    return _obj(name, SOURCE_FIELDS, "Nguồn thông tin (để người duyệt đối chiếu)", {"title": "…", "url": "https://…"}, required=required)


DECISION_FIELDS = (
    Field("number", TEXT, "Số quyết định, dạng Đảng '45-QĐ/HU' hoặc Nhà nước '123/QĐ-UBND'", "45-QĐ/HU", required=True),
    Field("date", DATE, "Ngày ký quyết định", "2017-05-19", required=True),
    Field("reason", TEXT, "Lý do (với quyết định thu hồi)", "Phát hiện sai phạm sau khi khen"),
)

UNIT_KINDS = (
    "tinh", "huyen", "xa", "phuong", "thi-tran", "dang-bo", "chi-bo", "co-quan",
    "doan-the", "truong-hoc", "benh-vien", "luc-luong-vu-trang", "doanh-nghiep",
)
UNIT_KIND_LABELS = (
    "Tỉnh, thành phố", "Huyện", "Xã", "Phường", "Thị trấn", "Đảng bộ", "Chi bộ", "Cơ quan",
    "Đoàn thể", "Trường học", "Bệnh viện", "Lực lượng vũ trang", "Doanh nghiệp",
)
# Words a unit's name starts with that say its kind without doubt, folded to ASCII
# ("Thành phố", "Ban", "Hội" do not: a city may be a province or a district).
UNIT_NAME_PREFIXES = (
    ("thi tran", "thi-tran"),
    ("xa", "xa"),
    ("phuong", "phuong"),
    ("huyen", "huyen"),
    ("tinh", "tinh"),
    ("chi bo", "chi-bo"),
    ("dang bo", "dang-bo"),
    ("truong", "truong-hoc"),
    ("benh vien", "benh-vien"),
)
HONOR_FORMS = ("ghi-nhan", "giay-khen", "bang-khen", "co-thi-dua", "danh-hieu")
HONOR_FORM_LABELS = ("Ghi nhận trong báo cáo", "Giấy khen", "Bằng khen", "Cờ thi đua", "Danh hiệu thi đua")
LEVELS = ("xa", "huyen", "tinh", "trung-uong")
LEVEL_LABELS = ("Cấp xã", "Cấp huyện", "Cấp tỉnh", "Trung ương")
ENDINGS = ("sap-nhap", "doi-ten", "giai-the")
ENDING_LABELS = ("Sáp nhập", "Đổi tên", "Giải thể")
STATUSES = ("draft", "review", "published", "withdrawn")
STATUS_LABELS = ("Bản nháp", "Đang duyệt", "Đã công bố", "Đã gỡ")
SUBJECTS = ("tap-the", "ca-nhan")
SUBJECT_LABELS = ("Tập thể", "Cá nhân")
AUDIENCES = ("nguoi-dan", "hoc-sinh", "can-bo")
AUDIENCE_LABELS = ("Người dân", "Học sinh", "Cán bộ, đảng viên")
GRADE_BANDS = ("tieu-hoc", "thcs", "thpt", "moi-cap")
GRADE_BAND_LABELS = ("Tiểu học", "THCS", "THPT", "Mọi cấp học")
DIRECTIVE_KINDS = ("chi-thi", "nghi-quyet", "ke-hoach", "quy-dinh", "ket-luan")
DIRECTIVE_KIND_LABELS = ("Chỉ thị", "Nghị quyết", "Kế hoạch", "Quy định", "Kết luận")

HONOR = _obj(
    "honor",
    (
        Field("year", INT, "Năm khen thưởng/ghi nhận", 2017, required=True, minimum=1945, maximum=2100),
        Field("title", TEXT, "Nội dung khen thưởng", "Tổ chức tốt việc triển khai Chỉ thị 05", required=True),
        Field("form", ENUM, "Hình thức", "ghi-nhan", required=True, choices=HONOR_FORMS, choice_labels=HONOR_FORM_LABELS),
        Field("level", ENUM, "Cấp khen", "huyen", required=True, choices=LEVELS, choice_labels=LEVEL_LABELS),
        Field("issuer", TEXT, "Cơ quan khen/ghi nhận", "Ban Thường vụ Huyện ủy Nam Sách", required=True),
        Field("person", TEXT, "Họ tên cá nhân được khen (bỏ trống nếu khen tập thể đơn vị)", "Nguyễn Văn A"),
        _obj("decision", DECISION_FIELDS, "Quyết định khen (bắt buộc với giấy khen, bằng khen, cờ, danh hiệu)", {"number": "45-QĐ/HU", "date": "2017-05-19"}),
        Field("status", ENUM, "Hiệu lực: active (còn hiệu lực) hoặc revoked (đã thu hồi)", "active", choices=("active", "revoked"), choice_labels=("Còn hiệu lực", "Đã thu hồi")),
        _obj("revoked_by", DECISION_FIELDS, "Quyết định thu hồi (bắt buộc khi status: revoked)", {"number": "12-QĐ/HU", "date": "2018-03-01"}),
        source_field(required=True),
    ),
    "Một lần khen thưởng hoặc ghi nhận",
)

UNIT = _obj(
    "unit",
    (
        Field("name", TEXT, "Tên đầy đủ của đơn vị", "Xã Nam Tân", required=True),
        Field("short_name", TEXT, "Tên ngắn dùng trong danh sách", "Nam Tân"),
        Field("kind", ENUM, "Loại đơn vị", "xa", required=True, choices=UNIT_KINDS, choice_labels=UNIT_KIND_LABELS),
        Field("parent", REF, "Mã đơn vị cấp trên trực tiếp", "huyen-nam-sach", ref="unit"),
        _list("aliases", Field("alias", TEXT, "Cách viết khác"), "Cách viết khác đã gặp trong nguồn (kể cả viết sai)", ["Minh Tâm"]),
        Field("description", TEXT, "Giới thiệu ngắn", "Xã thuộc huyện Nam Sách."),
        Field("valid_from", DATE, "Ngày đơn vị bắt đầu tồn tại (nếu biết)", "1997-01-01"),
        Field("valid_to", DATE, "Ngày cuối cùng đơn vị còn tồn tại", "2025-06-30"),
        Field("ended_by", ENUM, "Đơn vị kết thúc vì: sap-nhap, doi-ten, giai-the", "giai-the", choices=ENDINGS, choice_labels=ENDING_LABELS),
        Field("successor", REF, "Mã đơn vị kế tục (sáp nhập vào / đổi tên thành)", "thanh-pho-hai-phong", ref="unit"),
        source_field("lifecycle_source"),
        _list("standards", Field("standard", TEXT, "Một chuẩn mực"), "Chuẩn mực đạo đức đơn vị đã công bố", ["Gần dân, lắng nghe dân"]),
        _list("sources", _obj("source", SOURCE_FIELDS, "Nguồn"), "Nguồn thông tin về đơn vị"),
        _list("honors", HONOR, "Khen thưởng, ghi nhận của đơn vị", []),
    ),
    "Một đơn vị: content/units/<mã>.yml",
)

STORY = _obj(
    "story",
    (
        Field("title", TEXT, "Tiêu đề bài", "Xã Nam Tân đưa việc làm theo Bác vào nếp", required=True),
        Field("date", DATE, "Ngày đăng (bài ngày tương lai chờ đến ngày mới hiện)", "2017-05-10", required=True),
        Field("summary", TEXT, "Tóm tắt 1–2 câu, hiện ở danh sách và bản tin", "Cách xã gắn việc làm theo Bác với thu gom rác thải.", required=True),
        Field("subject", ENUM, "Bài về tập thể hay cá nhân", "tap-the", required=True, choices=SUBJECTS, choice_labels=SUBJECT_LABELS),
        _list("units", Field("unit", REF, "Mã đơn vị", ref="unit"), "Các đơn vị của bài (ít nhất một)", ["xa-nam-tan"], required=True),
        _list("topics", Field("topic", REF, "Mã chuyên đề", ref="topic"), "Chuyên đề bài phục vụ", ["2017-xay-dung-dang"]),
        _list("tasks", Field("task", REF, "Mã công việc đột phá", ref="task"), "Công việc đột phá bài góp phần", ["kh22-cv2"]),
        _list("commemorations", Field("commemoration", REF, "Mã ngày kỷ niệm", ref="commemoration"), "Ngày kỷ niệm bài gắn với (ưu tiên đọc chào cờ tuần đó)", ["sinh-nhat-bac"]),
        _list("tags", Field("tag", TEXT, "Một thẻ"), "Thẻ chủ đề", ["môi trường"]),
        _list("audiences", Field("audience", ENUM, "Đối tượng", choices=AUDIENCES, choice_labels=AUDIENCE_LABELS), "Bài dành cho ai", ["nguoi-dan", "hoc-sinh"]),
        Field("flag_ceremony", BOOL, "Phù hợp đọc trong buổi chào cờ đầu tuần", True),
        Field("grade_band", ENUM, "Cấp học phù hợp khi đọc chào cờ", "moi-cap", choices=GRADE_BANDS, choice_labels=GRADE_BAND_LABELS),
        source_field(required=True),
        Field("author", TEXT, "Người viết", "Ban Tuyên giáo", required=True),
        Field("reviewer", TEXT, "Người duyệt (bắt buộc khi đã công bố)", "Trưởng ban"),
        Field("status", ENUM, "Trạng thái: draft (nháp), review (đang duyệt), published (đã công bố), withdrawn (đã gỡ)", "published", required=True, choices=STATUSES, choice_labels=STATUS_LABELS),
        _obj(
            "withdrawal",
            (
                Field("date", DATE, "Ngày gỡ bài", "2018-03-01", required=True),
                Field("reason", TEXT, "Lý do gỡ, hiện trên trang thay cho bài (không nhắc lại điều đã gỡ)", "Thông tin trong bài không còn đúng", required=True),
                Field("decided_by", TEXT, "Người quyết định gỡ", "Trưởng ban", required=True),
            ),
            "Gỡ bài đã công bố (bắt buộc khi status: withdrawn): trang bài chỉ còn thông báo đã gỡ",
        ),
        _obj(
            "person",
            (
                Field("name", TEXT, "Tên người trong bài (trẻ vị thành niên: chỉ tên gọi)", "Lan", required=True),
                Field("minor", BOOL, "Người dưới 18 tuổi", False),
                Field("role", TEXT, "Vai trò, công việc", "Đoàn viên"),
            ),
            "Người trong bài (bắt buộc khi subject: ca-nhan)",
        ),
        _obj(
            "consent",
            (
                Field("date", DATE, "Ngày người trong bài đồng ý công bố", "2017-05-01", required=True),
                Field("recorded_by", TEXT, "Người ghi nhận sự đồng ý", "Ban Tuyên giáo", required=True),
                Field("note", TEXT, "Ghi chú (phạm vi đồng ý)", "Đồng ý nêu tên và ảnh"),
            ),
            "Ghi nhận sự đồng ý (bắt buộc với bài về cá nhân)",
        ),
        Field("illustrative", BOOL, "Bài minh họa, nhân vật hư cấu (hiện ghi chú trên trang)", False),
        _obj(
            "personal_data_exception",
            (
                Field("reviewed_by", TEXT, "Người đã duyệt ngoại lệ", "Trưởng ban", required=True),
                Field("date", DATE, "Ngày duyệt", "2017-05-01", required=True),
                Field("reason", TEXT, "Lý do được phép công bố", "Số đường dây nóng của xã", required=True),
                _list(
                    "values",
                    Field("value", TEXT, "Một số điện thoại hoặc địa chỉ, viết như trong bài"),
                    "Đúng những số điện thoại, địa chỉ được phép công bố; mọi số, địa chỉ khác vẫn bị báo. "
                    "Không bao giờ áp dụng cho số CMND/CCCD",
                    ["0220 3855 123"],
                    required=True,
                ),
            ),
            "Ngoại lệ đã duyệt cho dữ liệu cá nhân (số điện thoại công vụ…): chỉ cho các giá trị ghi trong 'values'",
        ),
        _list(
            "images",
            _obj(
                "image",
                (
                    Field("src", TEXT, "Đường dẫn ảnh trong docs/assets", "assets/anh/nam-tan.jpg", required=True),
                    Field("alt", TEXT, "Mô tả ảnh cho người không xem được ảnh", "Đoàn viên thu gom rác", required=True),
                    Field("caption", TEXT, "Chú thích ảnh", "Ngày chủ nhật xanh"),
                ),
                "Một ảnh",
            ),
            "Ảnh kèm bài",
        ),
        _list("aliases", Field("alias", TEXT, "Đường dẫn cũ"), "Đường dẫn cũ của bài (khi đổi slug/năm), để chuyển hướng", ["bai-viet/2017/ten-cu/"]),
        _list(
            "corrections",
            _obj(
                "correction",
                (
                    Field("date", DATE, "Ngày đính chính", "2017-06-01", required=True),
                    Field("text", TEXT, "Nội dung đính chính", "Sửa tên thôn cho đúng.", required=True),
                ),
                "Một đính chính",
            ),
            "Đính chính (hiện trên trang và trong bản tin)",
        ),
    ),
    "Một bài: content/stories/<năm>/<slug>.md, phần đầu YAML rồi thân bài Markdown",
)

TOPIC = _obj(
    "topic",
    (
        Field("id", SLUG, "Mã chuyên đề", "2017-xay-dung-dang", required=True),
        Field("year", INT, "Năm", 2017, required=True, minimum=1945, maximum=2100),
        _list("quarters", Field("quarter", INT, "Quý", minimum=1, maximum=4), "Các quý học chuyên đề (bỏ trống: cả năm)", [2, 3, 4]),
        _list("months", Field("month", INT, "Tháng", minimum=1, maximum=12), "Các tháng học chuyên đề", [5]),
        Field("title", TEXT, "Tên chuyên đề", "Tư tưởng Hồ Chí Minh về xây dựng Đảng", required=True),
        Field("level", ENUM, "Cấp ban hành", "huyen", required=True, choices=LEVELS, choice_labels=LEVEL_LABELS),
        Field("directive", REF, "Chỉ thị chuyên đề phục vụ", "ct-05", ref="directive", required=True),
        Field("description", TEXT, "Mô tả", "Sinh hoạt chuyên đề quý II–IV."),
        source_field(),
    ),
    "Một chuyên đề trong content/topics.yml",
)

TASK = _obj(
    "task",
    (
        Field("id", SLUG, "Mã công việc đột phá", "kh22-cv1", required=True),
        Field("number", INT, "Số thứ tự", 1, required=True, minimum=1),
        Field("title", TEXT, "Nội dung công việc", "Nâng cao chất lượng thực thi công vụ", required=True),
        Field("lead", REF, "Đơn vị chủ trì", "ban-to-chuc-huyen-uy", ref="unit", required=True),
        _list("coordinating", Field("unit", REF, "Mã đơn vị", ref="unit"), "Đơn vị phối hợp", ["phong-noi-vu"]),
        Field("coordinating_note", TEXT, "Ghi chú về phối hợp", "và các cơ quan liên quan"),
    ),
    "Một công việc đột phá",
)

DIRECTIVE = _obj(
    "directive",
    (
        Field("id", SLUG, "Mã văn bản", "ct-05", required=True),
        Field("kind", ENUM, "Loại văn bản", "chi-thi", required=True, choices=DIRECTIVE_KINDS, choice_labels=DIRECTIVE_KIND_LABELS),
        Field("number", TEXT, "Số hiệu", "05-CT/TW", required=True),
        Field("issuer", TEXT, "Cơ quan ban hành", "Bộ Chính trị khóa XII", required=True),
        Field("date", DATE, "Ngày ban hành", "2016-05-15"),
        Field("title", TEXT, "Trích yếu", "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", required=True),
        Field("summary", TEXT, "Tóm tắt", "…"),
        Field("implements", REF, "Văn bản cấp trên mà văn bản này triển khai", "ct-05", ref="directive"),
        Field("issuing_unit", REF, "Mã đơn vị ban hành (nếu là đơn vị trong hệ thống)", "dang-bo-huyen-nam-sach", ref="unit"),
        Field("text_page", TEXT, "Trang toàn văn/giới thiệu trong docs/", "van-ban/chi-thi-05.md"),
        source_field(),
        _list("tasks", TASK, "Các công việc đột phá", []),
    ),
    "Một chỉ thị, nghị quyết hoặc kế hoạch trong content/directives.yml",
)

COMMEMORATION = _obj(
    "commemoration",
    (
        Field("id", SLUG, "Mã ngày kỷ niệm", "sinh-nhat-bac", required=True),
        Field("day", INT, "Ngày", 19, required=True, minimum=1, maximum=31),
        Field("month", INT, "Tháng", 5, required=True, minimum=1, maximum=12),
        Field("year", INT, "Năm sự kiện gốc; số năm kỷ niệm được tính tự động", 1890, required=True, minimum=1, maximum=2100),
        Field("name", TEXT, "Tên ngày kỷ niệm (không ghi số năm)", "Ngày sinh Chủ tịch Hồ Chí Minh", required=True),
        _list(
            "aliases",
            Field("alias", TEXT, "Một cách gọi khác"),
            "Cách gọi khác đã gặp trong nguồn, chép nguyên văn, kể cả khi nguồn gõ số năm kỷ niệm (số năm trên trang luôn tính từ 'year')",
            ["kỷ niệm 128 năm ngày sinh của Bác"],
        ),
        source_field(),
    ),
    "Một ngày kỷ niệm trong content/commemorations.yml",
)

PROGRAMME = _obj(
    "programme",
    (
        Field("start", DATE, "Ngày khai giảng/bắt đầu năm học", "2026-09-07", required=True),
        Field("end", DATE, "Ngày kết thúc năm học", "2027-05-31", required=True),
        _list(
            "holidays",
            _obj(
                "holiday",
                (
                    Field("name", TEXT, "Tên kỳ nghỉ", "Nghỉ Tết Nguyên đán", required=True),
                    Field("from", DATE, "Từ ngày", "2027-02-01", required=True),
                    Field("to", DATE, "Đến ngày", "2027-02-14", required=True),
                ),
                "Một kỳ nghỉ",
            ),
            "Tuần nghỉ (Tết, thi): không có chào cờ",
        ),
        _list(
            "pins",
            _obj(
                "pin",
                (
                    Field("week", DATE, "Ngày thứ Hai của tuần", "2027-05-17", required=True),
                    Field("story", REF, "Mã bài: năm/slug", "2017/truong-thpt-nam-sach-ke-chuyen-bac-trong-gio-chao-co", ref="story", required=True),
                ),
                "Ghim một bài vào một tuần",
            ),
            "Bài Ban Tuyên giáo ghim vào tuần cụ thể",
        ),
    ),
    "Chương trình chào cờ một năm học: content/programme/<năm-năm>.yml",
)

SETTINGS = _obj(
    "settings",
    (
        Field("organisation", TEXT, "Tên cơ quan phụ trách trang", "Ban Tuyên giáo Huyện ủy Nam Sách", required=True),
        Field("syllables_per_minute", INT, "Tốc độ đọc to (âm tiết/phút)", 120, minimum=40, maximum=400),
        Field("words_per_minute", INT, "Tốc độ đọc thầm (từ/phút)", 200, minimum=40, maximum=1000),
        Field("read_aloud_max_minutes", INT, "Thời lượng tối đa một bài đọc chào cờ", 5, minimum=1, maximum=30),
        Field(
            "search_text_limit",
            INT,
            "Số ký tự đầu của mỗi trang đưa vào chỉ mục tìm kiếm (0: cả trang). Bỏ trống: cả trang khi trang có đến 500 bài, 1000 ký tự khi nhiều hơn, để chỉ mục tải về điện thoại vẫn nhẹ",
            1500,
            minimum=0,
            maximum=1000000,
        ),
    ),
    "Thiết lập chung: content/settings.yml",
)

# Top-level collection files hold one list under one key.
COLLECTIONS = {
    "topics.yml": ("topics", TOPIC),
    "directives.yml": ("directives", DIRECTIVE),
    "commemorations.yml": ("commemorations", COMMEMORATION),
}
