"""A deterministic synthetic corpus for benchmarks: units, honors, topics, directives and N stories.

The text is Vietnamese with diacritics, about 800 words a story, with realistic
front matter that references the generated units, topics, tasks and days. It
checks clean: a story marked for the flag ceremony is short enough to read
aloud in five minutes (the longer ones make up the 800-word average), a story
about a person names them with recorded consent, and a few stories carry an
old address or a correction, so that every generator has work at every size.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

WORDS = (
    "học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh cán bộ đảng viên nhân dân "
    "xã thôn chi bộ đoàn viên thanh niên môi trường nông thôn mới gương sáng người tốt việc tốt "
    "tận tụy gần dân lắng nghe đối thoại trách nhiệm nói đi đôi với làm phong trào thi đua "
    "yêu nước tuyên truyền sinh hoạt chuyên đề kế hoạch kết quả đồng lòng đoàn kết giúp đỡ "
    "hộ nghèo đường làng sạch đẹp rác thải thu gom tiếp dân giải quyết đơn thư công vụ hội nghị "
    "chất lượng hiệu quả thiết thực sáng tạo tiêu biểu điển hình biểu dương khen thưởng"
).split()
# In every story, as in real ones: words that send the personal-data scan down
# its slower paths ("số", "em", digits) without being personal data.
FIXED_SENTENCE = "Một số em học sinh cùng tham gia, 120 hộ được giúp đỡ trong năm."
KINDS = ("xa", "thi-tran", "chi-bo", "co-quan", "truong-hoc", "doan-the")
GIVEN_NAMES = ("An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Quang", "Thảo", "Tuấn", "Yến")
FAMILY_NAMES = ("Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đỗ Văn", "Bùi Thị")
ROLES = ("Bí thư chi bộ", "Trưởng thôn", "Đoàn viên", "Giáo viên", "Cán bộ tiếp dân", "Hội viên phụ nữ")
DAYS = (("thanh-lap-dang", 3, 2, 1930, "Ngày thành lập Đảng Cộng sản Việt Nam"), ("sinh-nhat-bac", 19, 5, 1890, "Ngày sinh Chủ tịch Hồ Chí Minh"), ("quoc-khanh", 2, 9, 1945, "Ngày Quốc khánh"), ("nha-giao", 20, 11, 1982, "Ngày Nhà giáo Việt Nam"))


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out, total = [], 0
    while total < words:
        n = rng.randint(8, 18)
        out.append(_sentence(rng, n))
        total += n
    return " ".join(out)


def write_corpus(root: Path, stories: int, *, units: int = 300, seed: int = 5) -> Path:
    """Write a complete content tree with `stories` stories under root/content (replacing it)."""
    rng = random.Random(seed)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "units").mkdir(parents=True)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (content / "units" / "huyen-mau.yml").write_text("name: Huyện Mẫu\nkind: huyen\n", encoding="utf-8")
    unit_ids = []
    for i in range(units):
        uid = f"don-vi-{i:04d}"
        unit_ids.append(uid)
        honors = "".join(
            f"  - year: {2015 + (i + k) % 10}\n    title: Tổ chức tốt phong trào thi đua {k + 1}\n"
            f"    form: giay-khen\n    level: huyen\n    issuer: Ủy ban nhân dân huyện Mẫu\n"
            f'    decision:\n      number: "{100 + i}/QĐ-UBND"\n      date: {2015 + (i + k) % 10}-12-2{k}\n'
            f"    source:\n      title: Quyết định khen thưởng\n"
            for k in range(2)
        )
        (content / "units" / f"{uid}.yml").write_text(
            f"name: Đơn vị mẫu số {i:04d}\nkind: {KINDS[i % len(KINDS)]}\nparent: huyen-mau\n"
            f"standards:\n  - Gần dân, lắng nghe dân\nhonors:\n{honors}",
            encoding="utf-8",
        )
    tasks = "".join(
        f"      - id: cv-{t}\n        number: {t}\n        title: Công việc đột phá số {t}\n        lead: don-vi-{t:04d}\n        coordinating: [don-vi-{t + 10:04d}]\n"
        for t in range(1, 5)
    )
    (content / "directives.yml").write_text(
        'directives:\n  - id: ct-05\n    kind: chi-thi\n    number: "05-CT/TW"\n    issuer: Bộ Chính trị\n'
        "    date: 2016-05-15\n    title: Đẩy mạnh học tập và làm theo Bác\n    tasks:\n" + tasks,
        encoding="utf-8",
    )
    (content / "topics.yml").write_text(
        "topics:\n" + "".join(
            f"  - id: {y}-chuyen-de\n    year: {y}\n    title: Chuyên đề năm {y}\n    level: huyen\n    directive: ct-05\n"
            for y in range(2015, 2027)
        ),
        encoding="utf-8",
    )
    (content / "settings.yml").write_text("organisation: Ban Tuyên giáo Huyện ủy Mẫu\n", encoding="utf-8")
    (content / "programme").mkdir()
    (content / "programme" / "2026-2027.yml").write_text(
        "start: 2026-09-07\nend: 2027-05-28\nholidays:\n"
        "  - name: Nghỉ Tết Nguyên đán\n    from: 2027-02-01\n    to: 2027-02-14\n",
        encoding="utf-8",
    )
    (content / "commemorations.yml").write_text(
        "commemorations:\n" + "".join(f"  - id: {i}\n    day: {d}\n    month: {m}\n    year: {y}\n    name: {n}\n" for i, d, m, y, n in DAYS),
        encoding="utf-8",
    )
    for n in range(stories):
        year = 2015 + n % 11
        date = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        folder = content / "stories" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        story_units = sorted({unit_ids[(n * 7) % units], unit_ids[(n * 13 + 1) % units]})
        title = _sentence(rng, 9).rstrip(".")
        flag = n % 3 == 0
        # Read aloud at 120 syllables a minute, a flag-ceremony story fits in
        # five minutes (about 500 words); the others average about 950.
        paragraphs = [_paragraph(rng, 112 if flag else 150) for _ in range(6)]
        middle = f"{paragraphs[1]}\n\n" if flag else f"{paragraphs[1]}\n\n{paragraphs[2]}\n\n"
        ending = "" if flag else f"\n\n{paragraphs[5]}"
        body = (
            f"{paragraphs[0]} {FIXED_SENTENCE}\n\n## Cách làm\n\n{middle}"
            f"## Kết quả\n\n{paragraphs[3]}\n\n- {_sentence(rng, 10)}\n- {_sentence(rng, 12)}\n\n{paragraphs[4]}{ending}\n"
        )
        person = ""
        if n % 5 == 4:
            name = f"{FAMILY_NAMES[n % len(FAMILY_NAMES)]} {GIVEN_NAMES[n % len(GIVEN_NAMES)]}"
            person = (
                "subject: ca-nhan\n"
                f"person:\n  name: {name}\n  role: {ROLES[n % len(ROLES)]}\n"
                f"consent:\n  date: {date}\n  recorded_by: Ban Tuyên giáo\n"
            )
        extra = ""
        if n % 50 == 7:
            extra += f"aliases: [bai-viet/{year}/bai-cu-{n:05d}/]\n"
        if n % 40 == 11:
            extra += f"corrections:\n  - date: {year}-12-30\n    text: Sửa tên thôn cho đúng.\n"
        (folder / f"bai-mau-{n:05d}.md").write_text(
            "---\n"
            f'title: "{title}"\n'
            f"date: {date}\n"
            f'summary: "{_sentence(rng, 20)}"\n'
            + (person or "subject: tap-the\n")
            + f"units: [{', '.join(story_units)}]\n"
            f"topics: [{year}-chuyen-de]\n"
            f"tasks: [cv-{1 + n % 4}]\n"
            f"commemorations: [{DAYS[n % len(DAYS)][0]}]\n"
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
            "audiences: [nguoi-dan, hoc-sinh]\n"
            f"flag_ceremony: {'true' if flag else 'false'}\n"
            "source:\n  title: Báo cáo mẫu\n"
            "author: Ban Tuyên giáo\nreviewer: Trưởng ban\nstatus: published\n"
            + extra
            + "---\n"
            + body,
            encoding="utf-8",
        )
    return root
