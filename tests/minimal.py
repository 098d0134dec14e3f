"""A tiny, valid content tree for tests that need exact lines: every case edits one file of it."""

from __future__ import annotations

from pathlib import Path

UNIT_HUYEN = """\
name: Huyện Mẫu
kind: huyen
valid_to: 2025-06-30
ended_by: giai-the
"""

UNIT_XA = """\
name: Xã Đông Hòa
kind: xa
parent: huyen-mau
aliases:
  - Đông Hoà
honors:
  - year: 2017
    title: Tổ chức tốt việc học tập chuyên đề
    form: giay-khen
    level: huyen
    issuer: Ủy ban nhân dân huyện Mẫu
    decision:
      number: "45/QĐ-UBND"
      date: 2017-05-19
    source:
      title: Báo cáo sơ kết
"""

TOPICS = """\
topics:
  - id: 2017-chuyen-de
    year: 2017
    quarters: [2, 3]
    title: Chuyên đề mẫu
    level: huyen
    directive: ct-05
"""

DIRECTIVES = """\
directives:
  - id: ct-05
    kind: chi-thi
    number: "05-CT/TW"
    issuer: Bộ Chính trị
    date: 2016-05-15
    title: Đẩy mạnh học tập và làm theo Bác
    tasks:
      - id: cv-1
        number: 1
        title: Thu gom rác thải
        lead: xa-dong-hoa
        coordinating: [huyen-mau]
"""

COMMEMORATIONS = """\
commemorations:
  - id: sinh-nhat-bac
    day: 19
    month: 5
    year: 1890
    name: Ngày sinh Chủ tịch Hồ Chí Minh
"""

STORY = """\
---
title: Xã Đông Hòa giữ đường làng sạch
date: 2017-05-10
summary: Cách một xã gắn việc làm theo Bác với thu gom rác.
subject: tap-the
units: [xa-dong-hoa]
topics: [2017-chuyen-de]
tasks: [cv-1]
commemorations: [sinh-nhat-bac]
flag_ceremony: true
source:
  title: Bài viết mẫu
author: Ban Tuyên giáo
reviewer: Trưởng ban
status: published
---
Mỗi sáng chủ nhật, người dân cùng quét dọn đường làng.

## Kết quả

Đường làng sạch hơn, bà con đồng lòng.
"""

PROGRAMME = """\
start: 2026-09-07
end: 2027-05-28
holidays:
  - name: Nghỉ Tết
    from: 2027-02-01
    to: 2027-02-14
pins:
  - week: 2027-05-17
    story: 2017/xa-dong-hoa
"""

FILES = {
    "content/units/huyen-mau.yml": UNIT_HUYEN,
    "content/units/xa-dong-hoa.yml": UNIT_XA,
    "content/topics.yml": TOPICS,
    "content/directives.yml": DIRECTIVES,
    "content/commemorations.yml": COMMEMORATIONS,
    "content/stories/2017/xa-dong-hoa.md": STORY,
    "content/programme/2026-2027.yml": PROGRAMME,
}


def write_minimal(root: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the minimal tree under root; overrides replace (or, with None, remove) files."""
    files: dict[str, str | bytes | None] = {**FILES, **(overrides or {})}
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
