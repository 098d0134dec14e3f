"""The `report` command: the statistics page's figures for one year or quarter, as CSV or Markdown.

The CSV has one figure per row, so a spreadsheet can filter it, with a header row
and these columns (UTF-8, comma-separated, RFC 4180 quoting; written to a file with --output,
or to standard output that is not a terminal (`> bao-cao.csv`, a pipe), it starts with a
byte-order mark so that Excel reads the Vietnamese right; on a terminal it has none):

    chi_so    which figure: tong-hop, bai-theo-thang, bai-theo-don-vi,
              khen-thuong-theo-cap, khen-thuong-theo-hinh-thuc, don-vi-chua-co-bai
    ky        the period: "2017" or "2017-Q2"
    ma        the counted item's code: a unit id, a level or form code, a month
              "2017-05", or for tong-hop the name of the total
    ten       the item in Vietnamese
    so_luong  the count (0 for don-vi-chua-co-bai)

Stories count when published and dated in the period, as of the build day; honors
count by year, and in a quarter by the date of their decision; revoked honors are
counted apart (tong-hop khen-thuong-thu-hoi), never in the levels and forms. A unit
without a story is one that existed in the period; one whose parent had ended before
the period, its own fate unrecorded, is not counted (as on the statistics page).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from . import fields as F
from . import stats
from .catalogue import Catalogue
from .exports import neutralise_formula
from .render import make_env
from .options import checked_catalogue, root_option

COLUMNS = ("chi_so", "ky", "ma", "ten", "so_luong")

FIGURES = {
    "tong-hop": "Tổng hợp",
    "bai-theo-thang": "Bài viết theo tháng",
    "bai-theo-don-vi": "Bài viết theo đơn vị",
    "khen-thuong-theo-cap": "Khen thưởng, ghi nhận còn hiệu lực theo cấp",
    "khen-thuong-theo-hinh-thuc": "Khen thưởng, ghi nhận còn hiệu lực theo hình thức",
    "don-vi-chua-co-bai": "Đơn vị chưa có bài viết",
}


@dataclass(frozen=True)
class Row:
    figure: str
    key: str
    label: str
    count: int


def build_rows(cat: Catalogue, period: stats.Period) -> list[Row]:
    """Every figure of the period, in the order the report prints them."""
    stories = stats.stories_in(cat, period)
    honors = stats.count_honors_in(cat, period)
    by_unit = stats.count_stories_by_unit(cat, period)
    missing = stats.find_units_without_stories(cat, period)
    subjects = dict(stats.count_stories_by_subject(cat, period))
    rows = [
        Row("tong-hop", "bai-viet", "Bài viết đã công bố", len(stories)),
        Row("tong-hop", "bai-tap-the", "Bài về tập thể", subjects["tap-the"]),
        Row("tong-hop", "bai-ca-nhan", "Bài về cá nhân", subjects["ca-nhan"]),
        Row("tong-hop", "don-vi-co-bai", "Đơn vị có bài viết", len(by_unit)),
        Row("tong-hop", "don-vi-chua-co-bai", "Đơn vị chưa có bài viết", len(missing)),
        Row("tong-hop", "khen-thuong", "Lượt khen thưởng, ghi nhận còn hiệu lực", honors.active),
        Row("tong-hop", "khen-thuong-thu-hoi", "Lượt khen thưởng đã thu hồi", honors.revoked),
    ]
    if period.quarter is not None:
        undated = sum(
            1 for h in cat.honors
            if h.year == period.year and (h.decision is None or h.decision.date is None)
        )
        rows.append(Row("tong-hop", "khen-thuong-khong-ngay", f"Lượt khen thưởng năm {period.year} không có ngày quyết định, chỉ tính trong báo cáo cả năm", undated))
    rows += [
        Row("bai-theo-thang", f"{period.year}-{month:02d}", f"Tháng {month}/{period.year}", n)
        for month, n in stats.count_stories_by_month(cat, period)
    ]
    rows += [Row("bai-theo-don-vi", r.unit.id, r.unit.name, r.count) for r in by_unit]
    level_labels = dict(zip(F.LEVELS, F.LEVEL_LABELS))
    form_labels = dict(zip(F.HONOR_FORMS, F.HONOR_FORM_LABELS))
    rows += [Row("khen-thuong-theo-cap", level, level_labels[level], n) for level, n in reversed(honors.by_level)]
    rows += [Row("khen-thuong-theo-hinh-thuc", form, form_labels[form], n) for form, n in honors.by_form]
    rows += [Row("don-vi-chua-co-bai", u.id, u.name, 0) for u in missing]
    return rows


def csv_cell(value: str) -> str:
    """Unit names come from content: never let a spreadsheet run one as a formula."""
    return neutralise_formula(value)


def format_csv(rows: list[Row], period: stats.Period) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow((row.figure, period.key, csv_cell(row.key), csv_cell(row.label), row.count))
    return out.getvalue()


def format_markdown(rows: list[Row], period: stats.Period, cat: Catalogue) -> str:
    sections = []
    for figure, title in FIGURES.items():
        sections.append((figure, title, [r for r in rows if r.figure == figure]))
    return make_env().get_template("report.md").render(
        period=period,
        today=cat.today,
        organisation=cat.settings.organisation,
        sections=sections,
    )


@click.command("report")
@click.option("--year", type=click.IntRange(1945, 2100), required=True, help="Năm báo cáo, ví dụ 2017.")
@click.option("--quarter", type=click.IntRange(1, 4), default=None, help="Quý (1–4); bỏ trống: cả năm.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "md"]),
    default="csv",
    show_default=True,
    help="csv: bảng tính (mỗi dòng một số liệu: chi_so, ky, ma, ten, so_luong), UTF-8 có BOM khi ghi ra tệp (-o hoặc > tệp.csv) để Excel hiện đúng chữ tiếng Việt; md: văn bản Markdown để đọc.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None, help="Ghi ra tệp (UTF-8; tệp CSV có BOM để Excel hiện đúng chữ tiếng Việt) thay vì in ra màn hình.")
@root_option
def command(year: int, quarter: int | None, fmt: str, output: str | None, root: Path) -> None:
    """Xuất số liệu thống kê một năm hoặc một quý để báo cáo cấp trên.

    Số liệu giống trang Thống kê: bài viết theo tháng và theo đơn vị, khen
    thưởng theo cấp và hình thức, đơn vị chưa có bài. Bài được tính khi đã công
    bố, tính đến ngày dựng (SOURCE_DATE_EPOCH hoặc GUONGSANG_TODAY nếu có).

    Bảng CSV để mở bằng Excel: ghi ra tệp bằng «-o baocao.csv» hoặc
    «> baocao.csv»; tệp khi đó bắt đầu bằng BOM UTF-8 để Excel hiện đúng chữ
    tiếng Việt. In ra màn hình thì không có BOM.
    """
    cat = checked_catalogue(root, "Nội dung có lỗi, chưa lập được báo cáo.")
    period = stats.Period(year, quarter)
    rows = build_rows(cat, period)
    text = format_csv(rows, period) if fmt == "csv" else format_markdown(rows, period, cat)
    if output:
        # A CSV file opens in Excel: with a byte-order mark, as the site's CSVs, or Excel
        # reads it in the Windows code page and shows "BÃ i viáº¿t".
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        Path(output).write_text(text, encoding=encoding, newline="")
        click.echo(f"Đã ghi báo cáo ({period.label}) vào {output}.", err=True)
    elif fmt == "csv" and not writes_to_terminal():
        # `> bao-cao.csv` or a pipe: most likely bound for Excel, which needs the mark (as
        # above). Bytes, so the mark and the text are UTF-8 whatever the console's code page.
        click.echo(text.encode("utf-8-sig"), nl=False)
    else:
        click.echo(text, nl=False)


def writes_to_terminal() -> bool:
    """Whether standard output is a terminal (a person reads it) rather than a file or a pipe."""
    return sys.stdout.isatty()


__all__ = ["COLUMNS", "Row", "build_rows", "command", "csv_cell", "format_csv", "format_markdown", "writes_to_terminal"]
