"""`guongsang fix`: content files to NFC, LF, no BOM, no trailing spaces — never changing what they mean."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from .options import root_option
from .problems import Problem, format_problems

MARKDOWN = (".md",)
YAML = (".yml", ".yaml")
TAB_WIDTH = 4  # Python-Markdown expands tabs to 4 columns before it looks for line breaks

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PRE_OPEN = re.compile(r"^\s*<pre[\s>]", re.IGNORECASE)
_PRE_CLOSE = re.compile(r"</pre>", re.IGNORECASE)
# Lines whose two trailing spaces are not a line break in a paragraph: a table's rows
# (after its delimiter row), a raw HTML block (from its opening tag to a blank line), a
# heading. They are kept all the same; only the note says what they are.
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HTML_BLOCK = re.compile(
    r"^ {0,3}</?(?:address|article|aside|blockquote|center|details|div|dl|figure|figcaption|footer|form|h[1-6]|header|hr|li|nav|ol|p"
    r"|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?:[\s/>]|$)", re.IGNORECASE,
)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
HARD_BREAK_NOTE = "giữ dấu cách cuối dòng vì đó là ngắt dòng trong đoạn văn"
KEPT_NOTES = {
    "table": "giữ dấu cách cuối dòng ở hàng của bảng (không tự bỏ; xóa tay được)",
    "html": "giữ dấu cách cuối dòng trong khối HTML (không tự bỏ; xóa tay được)",
    "heading": "giữ dấu cách cuối dòng ở dòng tiêu đề (không tự bỏ; xóa tay được)",
}
TRAILING = " \t"
# A no-break space (U+00A0, often pasted from Word) at the end of a line is white
# space to a reader but not to Markdown: it never makes a line break, so it goes too.
TRAILING_NBSP = TRAILING + "\u00a0"
FIX_CODE = "GS113"
# GitHub shows at most 10 error annotations a step: a file with more lines to fix than
# this gets one annotation that lists them, so a pasted story cannot hide the rest.
MOST_LINES_A_FILE = 8
_LINE_PREFIX = re.compile(r"^dòng (\d+): ")

# A key or list item whose value is a literal (|) or folded (>) block: the
# lines below it keep their trailing spaces as part of the value.
_BLOCK_SCALAR = re.compile(r"(?:^|:\s|-\s)\s*[|>][-+1-9]{0,2}\s*(?:#.*)?$")


@dataclass
class FileFix:
    """What fixing one file did (or would do), and what it left for a person."""

    path: str
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # left as is, on purpose: "line N: why"
    blockers: list[str] = field(default_factory=list)  # left as is, and a person must act
    text: str | None = None  # the fixed text, when it differs from the file
    lines: dict[int, list[str]] = field(default_factory=dict)  # line number → what changes on it

    @property
    def changed(self) -> bool:
        return self.text is not None


NFC_CHANGE = "chuẩn hóa Unicode NFC"
TRAILING_CHANGE = "bỏ dấu cách cuối dòng"
TABS_CHANGE = "đổi tab thụt lề thành dấu cách"
# How to do by hand what `guongsang fix` would do: most editors work in the web editor.
HOW_BY_HAND = {
    NFC_CHANGE: "gõ lại các chữ có dấu của dòng này (chữ dán từ Word hay PDF thường là dạng tổ hợp)",
    TRAILING_CHANGE: "xóa dấu cách ở cuối dòng này",
    TABS_CHANGE: "thay tab ở đầu dòng bằng dấu cách (2 dấu mỗi cấp)",
}


@dataclass
class _Lines:
    """The numbers of the lines each rule changed: one summary per rule, and a report per line."""

    nfc: list[int] = field(default_factory=list)
    trailing: list[int] = field(default_factory=list)
    tabs: list[int] = field(default_factory=list)


def _nfc(line: str, number: int, counts: _Lines) -> str:
    fixed = unicodedata.normalize("NFC", line)
    if fixed != line:
        counts.nfc.append(number)
    return fixed


def _strip(line: str, number: int, counts: _Lines, chars: str = TRAILING) -> str:
    fixed = line.rstrip(chars)
    if fixed != line:
        counts.trailing.append(number)
    return fixed


def _is_hard_break(line: str, next_line: str | None) -> bool:
    """Two spaces (tabs count as up to 4) at the end of a line inside a paragraph: a <br>."""
    expanded = line.expandtabs(TAB_WIDTH)
    return bool(expanded.strip()) and expanded.endswith("  ") and next_line is not None and bool(next_line.strip())


def _block_kind(line: str, next_line: str | None, block: str) -> str:
    """What a line belongs to, for the notes: "table", "html", "heading", or "" (text)."""
    if block:
        return block
    if next_line is not None and "|" in line and _TABLE_DELIMITER.match(next_line) and "-" in next_line:
        return "table"  # the header row, above the delimiter row
    if _HTML_BLOCK.match(line):
        return "html"
    if _HEADING.match(line):
        return "heading"
    return ""


def fix_markdown_body(lines: list[str], first: int, fix: FileFix, counts: _Lines) -> list[str]:
    """NFC and trailing spaces, outside code; hard line breaks kept and reported.

    Python-Markdown, which builds the site, has no backslash line break, so the
    two spaces cannot be rewritten without changing the page.
    """
    out: list[str] = []
    fence: str | None = None
    in_pre = False
    block = ""  # "table" or "html" until the next blank line
    for i, line in enumerate(lines):
        number = first + i
        next_line = lines[i + 1] if i + 1 < len(lines) else None
        if not line.strip():
            block = ""
        if fence is not None:
            out.append(line)
            if unicodedata.normalize("NFC", line) != line:
                fix.notes.append(f"dòng {number}: chữ chưa chuẩn NFC trong khối mã, giữ nguyên")
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if in_pre:
            out.append(line)
            in_pre = not _PRE_CLOSE.search(line)
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if _PRE_OPEN.match(line):
            in_pre = not _PRE_CLOSE.search(line)
            out.append(line)
            continue
        line = _nfc(line, number, counts)
        kind = _block_kind(line, next_line, block)
        if kind in ("table", "html"):
            block = kind
        if line != line.rstrip(TRAILING_NBSP):
            if _is_hard_break(line, next_line):
                fix.notes.append(f"dòng {number}: {KEPT_NOTES[kind] if kind else HARD_BREAK_NOTE}")
            elif line.startswith(("    ", "\t")) and line.strip():
                fix.notes.append(f"dòng {number}: giữ dấu cách cuối dòng trong đoạn thụt lề (có thể là khối mã)")
            else:
                # A no-break space only after text: a line of nothing else may be
                # text to Markdown (Python's strip() calls it blank, the parser may not).
                line = _strip(line, number, counts, TRAILING_NBSP if line.strip(TRAILING_NBSP) else TRAILING)
        out.append(line)
    return out


def _yaml_equal(a: str, b: str) -> bool:
    try:
        return yaml.load(a, Loader=yaml.BaseLoader) == yaml.load(b, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return False


def _parses(text: str) -> bool:
    try:
        yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return False
    return True


def fix_yaml(lines: list[str], first: int, fix: FileFix, counts: _Lines) -> list[str]:
    """NFC, trailing spaces outside block values, tab indents when unambiguous; proven unchanged by parsing."""
    nfc_lines = [_nfc(line, first + i, counts) for i, line in enumerate(lines)]

    # Tabs: only a consistent tab-only indentation is fixed, and only if the result parses.
    tabbed = [i for i, line in enumerate(nfc_lines) if "\t" in line[: len(line) - len(line.lstrip())]]
    indents = {line[: len(line) - len(line.lstrip())] for line in nfc_lines if line.strip() and line[:1] in " \t"}
    if tabbed:
        consistent = all(set(indent) == {"\t"} for indent in indents)
        candidate = [("  " * (len(ln) - len(ln.lstrip("\t"))) + ln.lstrip("\t")) if i in tabbed else ln for i, ln in enumerate(nfc_lines)]
        if consistent and _parses("\n".join(candidate) + "\n"):
            nfc_lines = candidate
            counts.tabs += [first + i for i in tabbed]
        else:
            for i in tabbed:
                fix.blockers.append(f"dòng {first + i}: thụt lề bằng tab lẫn dấu cách, không tự đổi được; thay bằng dấu cách (2 dấu mỗi cấp)")
    for i, line in enumerate(nfc_lines):
        body = line.lstrip()
        if "\t" in body.rstrip(" \t"):
            fix.notes.append(f"dòng {first + i}: có ký tự tab trong giá trị, giữ nguyên")

    if not _parses("\n".join(nfc_lines) + "\n"):
        if any(line != line.rstrip(" \t") for line in nfc_lines):
            fix.notes.append("YAML chưa đúng cú pháp nên giữ nguyên dấu cách cuối dòng; chạy `guongsang check` để xem lỗi")
        return nfc_lines

    # The rules are conservative; parsing proves them. A no-break space is not white
    # space to YAML (it is part of a plain value), so it goes only where the data stay the same.
    for chars in (TRAILING_NBSP, TRAILING):
        kept_notes, kept_count = len(fix.notes), len(counts.trailing)
        out = _strip_yaml(nfc_lines, first, fix, counts, chars)
        if _yaml_equal("\n".join(nfc_lines) + "\n", "\n".join(out) + "\n"):
            return out
        del fix.notes[kept_notes:], counts.trailing[kept_count:]
    # The data differ after all: keep the lines as they were (only NFC and tabs applied).
    fix.notes.append("bỏ dấu cách cuối dòng sẽ làm đổi dữ liệu YAML, giữ nguyên")
    return nfc_lines


def _strip_yaml(nfc_lines: list[str], first: int, fix: FileFix, counts: _Lines, chars: str) -> list[str]:
    out: list[str] = []
    block_indent: int | None = None  # inside a | or > value: lines indented deeper than this
    for i, line in enumerate(nfc_lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            if line != line.rstrip(chars) and line.strip():
                fix.notes.append(f"dòng {first + i}: giữ dấu cách cuối dòng vì nằm trong giá trị nhiều dòng (| hoặc >)")
                out.append(line)
            else:
                out.append(_strip(line, first + i, counts, chars))
            continue
        block_indent = None
        stripped = _strip(line, first + i, counts, chars)
        if _BLOCK_SCALAR.search(stripped):
            block_indent = indent
        out.append(stripped)
    return out


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the line closing the front matter, as yamlio reads it."""
    if not lines or lines[0] != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip(" ") in ("---", "..."):
            return i
    return None


def fix_text(raw: bytes, rel: str) -> FileFix:
    """Fix one file's bytes; never raises, never guesses an encoding."""
    fix = FileFix(rel)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        fix.blockers.append("tệp mã hóa UTF-16, không sửa; lưu lại với bảng mã UTF-8")
        return fix
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        fix.blockers.append(f"dòng {line}: tệp không phải UTF-8, không sửa; lưu lại với bảng mã UTF-8")
        return fix
    if body is not raw:
        fix.changes.append("bỏ BOM")
    if "\r" in text:
        fix.changes.append("đổi xuống dòng CRLF/CR thành LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    final_newline = text.endswith("\n")
    lines = text.split("\n")
    if final_newline:
        lines.pop()
    counts = _Lines()
    if rel.endswith(YAML):
        lines = fix_yaml(lines, 1, fix, counts)
    else:
        end = _front_matter_end(lines)
        if end is not None:
            front = fix_yaml(lines[1:end], 2, fix, counts)
            closing = _strip(lines[end], end + 1, counts)
            lines = ["---", *front, closing, *fix_markdown_body(lines[end + 1 :], end + 2, fix, counts)]
        else:
            lines = fix_markdown_body(lines, 1, fix, counts)
    for what, numbers in ((NFC_CHANGE, counts.nfc), (TRAILING_CHANGE, counts.trailing), (TABS_CHANGE, counts.tabs)):
        if numbers:
            fix.changes.append(f"{what} ({len(numbers)} dòng)")
        for number in numbers:
            fix.lines.setdefault(number, []).append(what)
    fix.lines = dict(sorted(fix.lines.items()))
    fixed = "\n".join(lines) + ("\n" if final_newline else "")
    if fixed.encode("utf-8") != raw:
        fix.text = fixed
    return fix


def write_atomically(path: Path, text: str) -> None:
    """Replace a file in one step: a crash leaves the old file or the new one, never half of each."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def content_files(root: Path, paths: tuple[str, ...] = ()) -> list[Path]:
    """The files to fix: those named (folders walked), else content/ and the Markdown of docs/."""
    if paths:
        out: list[Path] = []
        for name in paths:
            p = Path(name)
            p = p if p.is_absolute() else root / p
            if p.is_dir():
                out.extend(f for f in p.rglob("*") if f.suffix in MARKDOWN + YAML and (f.is_file() or f.is_symlink()))
            elif p.suffix in MARKDOWN + YAML:
                out.append(p)
        return sorted(set(out))
    found = [f for f in (root / "content").rglob("*") if f.suffix in MARKDOWN + YAML] if (root / "content").is_dir() else []
    found += [f for f in (root / "docs").rglob("*.md")] if (root / "docs").is_dir() else []
    return sorted(f for f in found if f.is_file() or f.is_symlink())


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def fix_files(root: Path, files: list[Path], *, write: bool) -> list[FileFix]:
    results = []
    for path in files:
        rel = _rel(path, root)
        if path.is_symlink():
            results.append(FileFix(rel, blockers=["là liên kết tượng trưng (symlink), không sửa"]))
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            results.append(FileFix(rel, blockers=[f"không đọc được: {exc.strerror or exc}"]))
            continue
        fix = fix_text(raw, rel)
        if write and fix.text is not None:
            write_atomically(path, fix.text)
        results.append(fix)
    return results


def format_report(results: list[FileFix], *, write: bool) -> list[str]:
    """One summary line per file, then each changed line by its number (path:line, as editors jump to it)."""
    lines = []
    verb = "đã sửa" if write else "cần sửa"
    for fix in results:
        if fix.changes:
            lines.append(f"{fix.path}: {verb}: " + "; ".join(fix.changes))
        for number, whats in fix.lines.items():
            lines.append(f"{fix.path}:{number}: {verb}: " + "; ".join(whats))
        for blocker in fix.blockers:
            lines.append(f"{_where(fix.path, blocker)} lỗi: {_LINE_PREFIX.sub('', blocker)}")
        for note in fix.notes:
            lines.append(f"{_where(fix.path, note)} ghi chú: {_LINE_PREFIX.sub('', note)}")
    return lines


def _where(path: str, text: str) -> str:
    """"path:N:" for a text about line N ("dòng N: …"), else "path:": one shape for every line of the report."""
    found = _LINE_PREFIX.match(text)
    return f"{path}:{found.group(1)}:" if found else f"{path}:"


def fix_problems(results: list[FileFix], *, changes: bool = True, most: int = MOST_LINES_A_FILE) -> list[Problem]:
    """What `--check` found, as problems: one per line to change (and one for BOM or CRLF),
    one per blocker. A file with more than `most` lines to change gets one problem for
    them all, at its first line, naming every line and what to do on it: the Git host
    shows only so many annotations."""
    problems = []
    for fix in results:
        whole = [c for c in fix.changes if not c.endswith(" dòng)")] if changes else []  # BOM, CRLF: the whole file
        if whole:
            how = "Chạy `guongsang fix`, hoặc lưu lại tệp với bảng mã UTF-8 (không BOM), xuống dòng kiểu LF."
            problems.append(Problem(fix.path, 1 if "bỏ BOM" in whole else 0, "", FIX_CODE, "Tệp cần " + "; ".join(whole), how))
        lines = fix.lines if changes else {}
        if len(lines) > most:
            by_what: dict[str, list[int]] = {}
            for number, whats in lines.items():
                for what in whats:
                    by_what.setdefault(what, []).append(number)
            listed = "; ".join(f"{what}: dòng {', '.join(map(str, numbers))}" for what, numbers in by_what.items())
            how = "Chạy `guongsang fix`, hoặc sửa tay: " + "; ".join(HOW_BY_HAND[w].replace("dòng này", "các dòng đó") for w in by_what) + "."
            problems.append(Problem(fix.path, min(lines), "", FIX_CODE, f"{len(lines)} dòng cần sửa — {listed}", how))
        else:
            for number, whats in lines.items():
                how = "Chạy `guongsang fix`, hoặc " + "; ".join(HOW_BY_HAND[w] for w in whats) + "."
                problems.append(Problem(fix.path, number, "", FIX_CODE, "Dòng cần " + "; ".join(whats), how))
        for blocker in fix.blockers:
            found = _LINE_PREFIX.match(blocker)
            line, text = (int(found.group(1)), blocker[found.end() :]) if found else (0, blocker)
            problems.append(Problem(fix.path, line, "", FIX_CODE, text[:1].upper() + text[1:], "Sửa tay như lời báo; `guongsang fix` không tự sửa được."))
    return sorted(problems, key=Problem.sort_key)


@click.command("fix")
@click.argument("paths", nargs=-1, type=click.Path())
@root_option
@click.option("--check", "check_only", is_flag=True, help="Chỉ báo, không ghi; thoát với mã 1 nếu có tệp cần sửa.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: cho người đọc; github: mỗi dòng cần sửa là một chú thích trong pull request (dùng với --check).",
)
def command(paths: tuple[str, ...], root: Path, check_only: bool, fmt: str) -> None:
    """Đưa tệp nội dung về NFC, xuống dòng LF, không BOM, không dấu cách cuối dòng; báo những gì đã sửa, từng dòng.

    PATHS: tệp hoặc thư mục cần sửa; mặc định là content/ và các tệp .md trong docs/.
    """
    base = root
    results = fix_files(base, content_files(base, paths), write=not check_only)
    if fmt == "github":
        # Once written, only what a person must fix is left to annotate.
        output = format_problems(fix_problems(results, changes=check_only), "github")
        if output:
            click.echo(output)
    else:
        for line in format_report(results, write=not check_only):
            click.echo(line)
    changed = sum(1 for r in results if r.changed)
    blocked = sum(1 for r in results if r.blockers)
    verb = "Đã sửa" if not check_only else "Cần sửa"
    click.echo(f"{verb} {changed}/{len(results)} tệp; {blocked} tệp cần người sửa.", err=True)
    sys.exit(1 if blocked or (check_only and changed) else 0)
