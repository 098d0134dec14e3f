"""`guongsang diff` and `guongsang check --base`: what a change does to the public site, on a scratch git repository."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.cli import main
from guongsang.diff import diff_against, gh_text, render_markdown

TODAY = dt.date(2026, 11, 18)
ENV = {"GUONGSANG_TODAY": TODAY.isoformat()}

SOURCE = "source:\n  title: Báo cáo của Huyện ủy\n"


def story(title: str, date: str, *, status: str = "published", body: str = "Thân bài.", extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nsummary: Tóm tắt.\nsubject: tap-the\nunits:\n  - xa-a\n{SOURCE}"
        f"author: Ban Tuyên giáo\nreviewer: Trưởng ban\nstatus: {status}\n{extra}---\n\n{body}\n"
    )


def honor(title: str, *, number: str = "45-QĐ/HU", extra: str = "") -> str:
    return (
        f"  - year: 2017\n    title: {title}\n    form: giay-khen\n    level: huyen\n    issuer: Huyện ủy\n"
        f"    decision:\n      number: {number}\n      date: 2017-05-19\n{extra}    source:\n      title: Quyết định\n"
    )


BASE = {
    "content/settings.yml": "organisation: Ban Tuyên giáo\n",
    "content/units/xa-a.yml": "name: Xã A\nkind: xa\n",
    "content/units/xa-b.yml": "name: Xã B\nkind: xa\nhonors:\n" + honor("Làm tốt việc dân"),
    "content/units/xa-c.yml": "name: Xã C\nkind: xa\nhonors:\n" + honor("Đường làng sạch", number="46-QĐ/HU"),
    "content/stories/2017/giu-nguyen.md": story("Giữ nguyên", "2017-05-01"),
    "content/stories/2017/doi-ten-co-chuyen.md": story("Đổi tên có chuyển hướng", "2017-05-02"),
    "content/stories/2017/doi-ten-khong-chuyen.md": story("Đổi tên không chuyển hướng", "2017-05-03"),
    "content/stories/2017/go-bo.md": story("Bài bị gỡ", "2017-05-04"),
    "content/stories/2017/nhap.md": story("Bài <b>*mới*</b> [công bố]", "2017-05-05", status="draft"),
    "content/stories/2017/sua.md": story("Bài sửa", "2017-05-06"),
}


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Biên tập",
        "GIT_AUTHOR_EMAIL": "bien-tap@example.org",
        "GIT_COMMITTER_NAME": "Biên tập",
        "GIT_COMMITTER_EMAIL": "bien-tap@example.org",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose main branch holds BASE; the working tree is then edited by each test."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, BASE)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Trang\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Nội dung ban đầu")
    return root


def make_change(root: Path) -> None:
    stories = root / "content" / "stories" / "2017"
    (stories / "doi-ten-co-chuyen.md").rename(stories / "doi-ten-moi.md")
    text = (stories / "doi-ten-moi.md").read_text(encoding="utf-8")
    (stories / "doi-ten-moi.md").write_text(text.replace("status: published\n", "status: published\naliases:\n  - bai-viet/2017/doi-ten-co-chuyen/\n"), encoding="utf-8")
    (stories / "doi-ten-khong-chuyen.md").rename(stories / "ten-khac.md")
    (stories / "go-bo.md").unlink()
    nhap = stories / "nhap.md"
    nhap.write_text(nhap.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    write(
        root,
        {
            "content/stories/2017/sua.md": story("Bài sửa lại", "2017-05-06", body="Thân bài mới."),
            "content/stories/2026/hen-ngay.md": story("Bài hẹn ngày", "2026-12-01"),
            "content/units/xa-a.yml": "name: Xã An\nkind: xa\nhonors:\n" + honor("Dân vận khéo", number="50-QĐ/HU"),
            "content/units/xa-b.yml": "name: Xã B\nkind: xa\nhonors:\n"
            + honor("Làm tốt việc dân", extra="    status: revoked\n    revoked_by:\n      number: 12-QĐ/HU\n      date: 2018-03-01\n"),
            "content/units/xa-c.yml": "name: Xã C\nkind: xa\nvalid_to: 2025-06-30\nended_by: sap-nhap\nsuccessor: xa-a\n",
            "content/units/xa-d.yml": "name: Xã D\nkind: xa\n",
        },
    )


EXPECTED = """\
<!-- guongsang-diff -->
## Thay đổi trên trang công khai

So với `main`, tính đến ngày 18/11/2026.

### Bài viết

**Thêm (1)**

- Bài &lt;b&gt;\\*mới\\*&lt;/b&gt; \\[công bố\\] — `bai-viet/2017/nhap/`

**Sửa (1)**

- Bài sửa lại — `bai-viet/2017/sua/` (đổi: title, thân bài)

**Đổi đường dẫn (2)**

- Đổi tên có chuyển hướng — `bai-viet/2017/doi-ten-co-chuyen/` → `bai-viet/2017/doi-ten-moi/`, có chuyển hướng
- Đổi tên không chuyển hướng — `bai-viet/2017/doi-ten-khong-chuyen/` → `bai-viet/2017/ten-khac/`, **chưa có chuyển hướng**

**Gỡ khỏi trang (1)**

- Bài bị gỡ — `bai-viet/2017/go-bo/`

### Bài chưa công bố

Chưa lên trang công khai; xem trong bản xem trước (mục Artifacts của lần kiểm tra).

- Bài hẹn ngày — `bai-viet/2026/hen-ngay/` (hẹn đăng 01/12/2026, bài mới)

### Khen thưởng

**Thêm (1)**

- Xã An: Dân vận khéo — Giấy khen cấp huyện năm 2017, quyết định 50-QĐ/HU

**Thu hồi (1)**

- Xã B: Làm tốt việc dân — Giấy khen cấp huyện năm 2017, quyết định 45-QĐ/HU, thu hồi theo quyết định 12-QĐ/HU

**Xóa khỏi dữ liệu (1)**

- Xã C: Đường làng sạch — Giấy khen cấp huyện năm 2017, quyết định 46-QĐ/HU

### Đơn vị

**Thêm (1)**

- Xã D — `don-vi/xa-d/`

**Đổi tên (1)**

- Xã A → Xã An — `don-vi/xa-a/`

**Sáp nhập, đổi tên, giải thể (1)**

- Xã C: sáp nhập vào Xã An từ 01/07/2025 — `don-vi/xa-c/`

### Đường dẫn biến mất

- `bai-viet/2017/doi-ten-khong-chuyen/`
- `bai-viet/2017/go-bo/`
- `in/2017/doi-ten-khong-chuyen/`
- `in/2017/go-bo/`

### Kiểm tra nội dung

2 lỗi, 0 cảnh báo:

- `content/stories/2017/go-bo.md` Bài 'Bài bị gỡ' \\(bai-viet/2017/go-bo/\\) đã công bố nhưng tệp bị xóa [GS702] — Đừng xóa bài đã công bố: khôi phục tệp và gỡ bài bằng 'status: withdrawn' kèm 'withdrawal' \\(ngày, lý do, người quyết định\\): địa chỉ còn lại một thông báo đã gỡ. Nếu bài chuyển sang tệp khác, thêm 'bai-viet/2017/go-bo/' vào 'aliases' của bài đó.
- `content/stories/2017/ten-khac.md` aliases: Bài đổi đường dẫn từ 'bai-viet/2017/doi-ten-khong-chuyen/' sang 'bai-viet/2017/ten-khac/' nhưng đường dẫn cũ không được chuyển hướng [GS702] — Thêm vào phần đầu: aliases: \\[bai-viet/2017/doi-ten-khong-chuyen/\\]
"""


def test_diff_summarises_the_change_as_markdown(repo: Path) -> None:
    make_change(repo)
    result = CliRunner().invoke(main, ["diff", "main", "--root", str(repo)], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


def test_diff_is_the_same_from_the_functions(repo: Path) -> None:
    make_change(repo)
    diff = diff_against(repo, "main", today=TODAY)
    assert render_markdown(diff) == EXPECTED
    assert [s.id for s in diff.stories_added] == ["2017/nhap"]  # the future story is held back
    assert diff.changes_site


def test_no_change(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "main", "--root", str(repo)], env=ENV)
    assert result.stdout == (
        "<!-- guongsang-diff -->\n## Thay đổi trên trang công khai\n\nSo với `main`, tính đến ngày 18/11/2026.\n\n"
        "Không có thay đổi nào trên trang công khai.\n\n### Kiểm tra nội dung\n\nKhông có lỗi, không có cảnh báo.\n"
    )


def test_a_story_becomes_public_on_its_date(repo: Path) -> None:
    write(repo, {"content/stories/2026/hen-ngay.md": story("Bài hẹn ngày", "2026-12-01")})
    before = CliRunner().invoke(main, ["diff", "main", "--root", str(repo)], env=ENV).stdout
    assert "Không có thay đổi nào trên trang công khai." in before
    after = CliRunner().invoke(main, ["diff", "main", "--root", str(repo)], env={"GUONGSANG_TODAY": "2026-12-01"}).stdout
    assert "**Thêm (1)**\n\n- Bài hẹn ngày — `bai-viet/2026/hen-ngay/`\n" in after


def test_check_base_reports_lost_urls_as_annotations(repo: Path) -> None:
    make_change(repo)
    result = CliRunner().invoke(main, ["check", "--format", "github", "--base", "main", "--root", str(repo)], env=ENV)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=content/stories/2017/go-bo.md,title=GS702::Bài 'Bài bị gỡ' (bai-viet/2017/go-bo/) đã công bố nhưng tệp bị xóa"
        " — Đừng xóa bài đã công bố: khôi phục tệp và gỡ bài bằng 'status: withdrawn' kèm 'withdrawal' (ngày, lý do, người quyết định):"
        " địa chỉ còn lại một thông báo đã gỡ. Nếu bài chuyển sang tệp khác, thêm 'bai-viet/2017/go-bo/' vào 'aliases' của bài đó.",
        "::error file=content/stories/2017/ten-khac.md,title=GS702::aliases: Bài đổi đường dẫn từ 'bai-viet/2017/doi-ten-khong-chuyen/'"
        " sang 'bai-viet/2017/ten-khac/' nhưng đường dẫn cũ không được chuyển hướng — Thêm vào phần đầu: aliases: [bai-viet/2017/doi-ten-khong-chuyen/]",
    ]


def test_check_base_passes_when_old_urls_redirect(repo: Path) -> None:
    make_change(repo)
    moved = repo / "content/stories/2017/ten-khac.md"
    moved.write_text(moved.read_text(encoding="utf-8").replace("status: published\n", "status: published\naliases:\n  - bai-viet/2017/doi-ten-khong-chuyen/\n"), encoding="utf-8")
    # The removed story's old URL now redirects to a story that took its place.
    giu = repo / "content/stories/2017/giu-nguyen.md"
    giu.write_text(giu.read_text(encoding="utf-8").replace("status: published\n", "status: published\naliases:\n  - bai-viet/2017/go-bo/\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--base", "main", "--root", str(repo)], env=ENV)
    assert result.exit_code == 0, result.output


WITHDRAWAL = "withdrawal:\n  date: 2018-03-01\n  reason: Thông tin trong bài không còn đúng.\n  decided_by: Trưởng ban\n"


def test_a_withdrawn_story_keeps_its_address_with_a_notice(repo: Path) -> None:
    go_bo = repo / "content/stories/2017/go-bo.md"
    go_bo.write_text(story("Bài bị gỡ", "2017-05-04", status="withdrawn", extra=WITHDRAWAL), encoding="utf-8")
    diff = diff_against(repo, "main", today=TODAY)
    assert [s.id for s in diff.stories_withdrawn] == ["2017/go-bo"]
    assert diff.stories_removed == () and diff.lost_urls == ()
    assert not [p for p in diff.problems if p.code == "GS702"]  # withdrawn is not lost
    assert (
        "**Gỡ bài, địa chỉ còn thông báo đã gỡ (1)**\n\n- Bài bị gỡ — `bai-viet/2017/go-bo/`"
        " (ngày 01/03/2018, Trưởng ban: Thông tin trong bài không còn đúng.)\n"
    ) in render_markdown(diff)
    result = CliRunner().invoke(main, ["check", "--base", "main", "--root", str(repo)], env=ENV)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("edit", "field", "message", "hint"),
    [
        (
            ("status: published", "status: draft"),
            "status",
            "Bài 'Bài bị gỡ' (bai-viet/2017/go-bo/) đã công bố nhưng bị chuyển lại thành draft",
            "Bài đã công bố không trở lại bản nháp: giữ 'status: published' (sai sót thì sửa và ghi 'corrections'), hoặc gỡ bài bằng 'status: withdrawn'",
        ),
        (
            ("date: 2017-05-04", "date: 2027-05-04"),
            "date",
            "Bài 'Bài bị gỡ' (bai-viet/2017/go-bo/) đã công bố nhưng ngày đăng bị dời sang 04/05/2027",
            "Giữ ngày đăng cũ; muốn thôi đăng thì gỡ bài bằng 'status: withdrawn'",
        ),
    ],
    ids=["back-to-draft", "date-moved-to-the-future"],
)
def test_an_unpublished_story_is_told_to_withdraw_not_to_add_an_alias(repo: Path, edit: tuple[str, str], field: str, message: str, hint: str) -> None:
    go_bo = repo / "content/stories/2017/go-bo.md"
    go_bo.write_text(go_bo.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    (problem,) = [p for p in diff_against(repo, "main", today=TODAY).problems if p.code == "GS702"]
    assert (problem.path, problem.field, problem.message) == ("content/stories/2017/go-bo.md", field, message)
    assert problem.hint.startswith(hint)


LONG_BODY = "Cả thôn cùng nhau quét dọn đường làng mỗi sáng chủ nhật, trồng thêm hoa hai bên đường. " * 4


def test_git_rename_detection_pairs_a_renamed_and_retitled_story(repo: Path) -> None:
    """The renamed file is the move, not a new story that happens to share its body."""
    write(repo, {"content/stories/2017/goc.md": story("Tên gốc", "2017-05-07", body=LONG_BODY)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Thêm bài gốc")
    (repo / "content/stories/2017/goc.md").unlink()
    write(
        repo,
        {
            "content/stories/2017/ten-moi.md": story("Tên mới hẳn", "2017-05-07", body=LONG_BODY),
            "content/stories/2017/bai-khac.md": (
                "---\ntitle: Một bài khác\ndate: 2017-06-01\nsummary: Bài khác hẳn.\nsubject: tap-the\nunits: [xa-a]\n"
                "source:\n  title: Báo huyện, số khác\nauthor: Tổ biên tập xã\nreviewer: Phó ban\nstatus: published\n---\n\n" + LONG_BODY + "\n"
            ),
        },
    )
    diff = diff_against(repo, "main", today=TODAY)
    assert [(m.old_url, m.story.id, m.redirected) for m in diff.stories_moved] == [("bai-viet/2017/goc/", "2017/ten-moi", False)]
    assert [s.id for s in diff.stories_added] == ["2017/bai-khac"]
    (problem,) = [p for p in diff.problems if p.code == "GS702"]
    assert problem.path == "content/stories/2017/ten-moi.md"


def test_drafts_added_or_changed_are_listed_for_the_reviewer(repo: Path) -> None:
    write(
        repo,
        {
            "content/stories/2017/nhap.md": story("Bài nháp sửa tên", "2017-05-05", status="draft"),
            "content/stories/2017/cho-duyet.md": story("Bài chờ duyệt", "2017-05-08", status="review"),
        },
    )
    diff = diff_against(repo, "main", today=TODAY)
    assert not diff.changes_site
    out = render_markdown(diff)
    assert "Không có thay đổi nào trên trang công khai." in out
    assert (
        "### Bài chưa công bố\n\nChưa lên trang công khai; xem trong bản xem trước (mục Artifacts của lần kiểm tra).\n\n"
        "- Bài chờ duyệt — `bai-viet/2017/cho-duyet/` (đang duyệt, bài mới)\n"
        "- Bài nháp sửa tên — `bai-viet/2017/nhap/` (bản nháp, đổi: title)\n"
    ) in out


def test_a_deleted_unit_loses_its_page(repo: Path) -> None:
    (repo / "content/units/xa-b.yml").unlink()
    diff = diff_against(repo, "main", today=TODAY)
    assert [u.id for u in diff.units_removed] == ["xa-b"]
    assert diff.lost_urls == ("don-vi/xa-b/",)
    (problem,) = [p for p in diff.problems if p.code == "GS702"]
    assert (problem.path, problem.message) == ("content/units/xa-b.yml", "Đơn vị 'Xã B' bị xóa nên trang don-vi/xa-b/ mất")


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    project = root / "trang"
    write(project, BASE)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Nội dung")
    (project / "content/stories/2017/sua.md").write_text(story("Bài sửa lại", "2017-05-06"), encoding="utf-8")
    diff = diff_against(project, "main", today=TODAY)
    assert [(s.id, f) for s, f in diff.stories_changed] == [("2017/sua", ("title",))]


def test_base_without_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("# Gương Sáng\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Bắt đầu")
    write(root, BASE)
    diff = diff_against(root, "main", today=TODAY)
    assert [s.id for s in diff.stories_added] == ["2017/sua", "2017/go-bo", "2017/doi-ten-khong-chuyen", "2017/doi-ten-co-chuyen", "2017/giu-nguyen"]
    assert diff.lost_urls == ()


def test_unknown_ref_is_an_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "khong-co", "--root", str(repo)], env=ENV)
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: Không có phiên bản git 'khong-co' (nhánh, thẻ hay mã commit).\n"
    check = CliRunner().invoke(main, ["check", "--base", "khong-co", "--root", str(repo)], env=ENV)
    assert check.exit_code == 2


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("[bấm](javascript:x) *đậm* _nghiêng_", "\\[bấm\\]\\(javascript:x\\) \\*đậm\\* \\_nghiêng\\_"),
        ("a & b | c ` d # e ~ f \\ g", "a &amp; b \\| c \\` d \\# e \\~ f \\\\ g"),
        ("dòng\nhai  dòng", "dòng hai dòng"),
        ("it's \"ok\"", "it's \"ok\""),
    ],
)
def test_comment_text_is_escaped_for_github(text: str, escaped: str) -> None:
    assert gh_text(text) == escaped


def test_changes_no_section_tells_are_listed_never_as_no_change(repo: Path) -> None:
    """Settings, topics, directives, the programme, docs pages: the site changes, so the summary says so."""
    (repo / "docs/index.md").write_text("# Trang\n\nMột câu mới.\n", encoding="utf-8")
    write(repo, {"content/settings.yml": "organisation: Ban Tuyên giáo Huyện ủy\n", "docs/van-ban/moi.md": "# Văn bản mới\n"})
    diff = diff_against(repo, "main", today=TODAY)
    assert [(f.path, f.state) for f in diff.other_files] == [("content/settings.yml", "sửa"), ("docs/index.md", "sửa"), ("docs/van-ban/moi.md", "thêm")]
    assert diff.changes_site
    out = render_markdown(diff)
    assert "Không có thay đổi nào" not in out
    assert "### Tệp khác thay đổi\n" in out
    assert "- `content/settings.yml` (sửa)\n- `docs/index.md` (sửa)\n- `docs/van-ban/moi.md` (thêm)\n" in out


def test_a_story_edit_a_section_tells_is_not_listed_again(repo: Path) -> None:
    write(repo, {"content/stories/2017/sua.md": story("Bài sửa lại", "2017-05-06"), "content/settings.yml": "organisation: Ban\n"})
    diff = diff_against(repo, "main", today=TODAY)
    assert [s.id for s, _ in diff.stories_changed] == ["2017/sua"]
    assert [f.path for f in diff.other_files] == ["content/settings.yml"]


def test_a_deleted_docs_page_is_a_lost_url(repo: Path) -> None:
    write(repo, {"docs/gioi-thieu.md": "# Giới thiệu\n", "docs/van-ban/index.md": "# Văn bản\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Trang giới thiệu")
    (repo / "docs/gioi-thieu.md").unlink()
    (repo / "docs/van-ban/index.md").unlink()
    diff = diff_against(repo, "main", today=TODAY)
    assert diff.lost_urls == ("gioi-thieu/", "van-ban/")
    assert [(f.path, f.state) for f in diff.other_files] == [("docs/gioi-thieu.md", "xóa"), ("docs/van-ban/index.md", "xóa")]
    assert [(p.path, p.code, p.message) for p in diff.problems] == [
        ("docs/gioi-thieu.md", "GS702", "Trang gioi-thieu/ (tệp docs/gioi-thieu.md) không còn"),
        ("docs/van-ban/index.md", "GS702", "Trang van-ban/ (tệp docs/van-ban/index.md) không còn"),
    ]
    check = CliRunner().invoke(main, ["check", "--base", "main", "--root", str(repo)], env=ENV)
    assert check.exit_code == 1 and "Trang gioi-thieu/ (tệp docs/gioi-thieu.md) không còn [GS702]" in check.stdout


def test_file_format_problems_are_in_the_summary(repo: Path) -> None:
    """`fix --check` fails the pull request: its findings (GS113, with lines) are in the comment too."""
    path = repo / "content/stories/2017/sua.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Thân bài.", "Thân bài. "), encoding="utf-8")
    diff = diff_against(repo, "main", today=TODAY)
    line = path.read_text(encoding="utf-8").split("\n").index("Thân bài. ") + 1
    assert [(p.path, p.line, p.code) for p in diff.problems] == [("content/stories/2017/sua.md", line, "GS113")]
    assert [(s.id, f) for s, f in diff.stories_changed] == [("2017/sua", ("thân bài",))] and diff.other_files == ()
    out = render_markdown(diff)
    assert f"1 lỗi, 0 cảnh báo:\n\n- `content/stories/2017/sua.md:{line}` Dòng cần bỏ dấu cách cuối dòng [GS113]" in out
