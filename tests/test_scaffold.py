"""Scaffolding: `guongsang new story|unit` writes a valid file named from the Vietnamese title, and says where."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from guongsang.check import check_content
from guongsang.cli import main
from guongsang.load import load_content
from guongsang.scaffold import guess_kind, short_name_of, slug_for, unique_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đồng Lạc", "dong-lac"),
        ("Xã Nam Tân: đưa việc “làm theo Bác” vào nếp", "xa-nam-tan-dua-viec-lam-theo-bac-vao-nep"),
        (unicodedata.normalize("NFD", "Đường làng sạch đẹp"), "duong-lang-sach-dep"),
        ("  Tuổi trẻ   ĐOÀN viên  ", "tuoi-tre-doan-vien"),
        ("Chuyện 5 năm (2017–2022) #1", "chuyen-5-nam-2017-2022-1"),
        ("!!! ??? …", ""),
    ],
)
def test_slug_from_vietnamese_title(title: str, slug: str) -> None:
    assert slug_for(title) == slug


def test_long_title_is_cut_at_a_word() -> None:
    title = "Những tấm gương người tốt việc tốt ở các xã thị trấn của huyện Nam Sách trong năm học tập và làm theo Bác"
    slug = slug_for(title)
    assert slug == "nhung-tam-guong-nguoi-tot-viec-tot-o-cac-xa-thi-tran-cua-huyen-nam-sach-trong"
    assert len(slug) <= 80


def test_unique_slug_counts_up() -> None:
    assert unique_slug("a", set()) == "a"
    assert unique_slug("a", {"a"}) == "a-2"
    assert unique_slug("a", {"a", "a-2", "a-3"}) == "a-4"


@pytest.mark.parametrize(
    ("name", "kind", "short"),
    [
        ("Xã Nam Tân", "xa", "Nam Tân"),
        ("Thị trấn Nam Sách", "thi-tran", "Nam Sách"),
        ("Chi bộ Kho bạc", "chi-bo", "Kho bạc"),
        ("Trường THPT Nam Sách", "truong-hoc", "THPT Nam Sách"),
        ("Phường Trần Phú", "phuong", "Trần Phú"),
        ("Thành phố Hải Phòng", "", ""),
        ("Hội Nông dân huyện", "", ""),
        ("Xã", "", ""),
        # What is left names another unit (the commune, the school): no short name.
        ("Đảng bộ xã Nam Tân", "dang-bo", ""),
        ("Chi bộ Trường THPT Nam Sách", "chi-bo", ""),
    ],
)
def test_kind_and_short_name_from_the_name(name: str, kind: str, short: str) -> None:
    assert guess_kind(name) == kind
    assert short_name_of(name, kind) == short


def run(project: Path, *args: str, env: dict | None = None):  # noqa: ANN201
    return CliRunner().invoke(main, [*args, "--root", str(project)], env=env)


def test_new_story_writes_a_valid_draft(project: Path) -> None:
    result = run(project, "new", "story", "Xã Nam Tân: đưa việc “làm theo Bác” vào nếp", "--unit", "xa-nam-tan", "--date", "2026-11-18", "--author", "Tổ biên tập")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/stories/2026/xa-nam-tan-dua-viec-lam-theo-bac-vao-nep.md\n"
    assert "Đã tạo tệp" in result.stderr
    written = project / "content/stories/2026/xa-nam-tan-dua-viec-lam-theo-bac-vao-nep.md"
    assert written.read_text(encoding="utf-8") == (
        "---\n"
        "title: 'Xã Nam Tân: đưa việc “làm theo Bác” vào nếp'\n"
        "date: 2026-11-18\n"
        "summary: 'Cần viết: tóm tắt 1–2 câu: ai đã làm việc tốt gì, ở đâu.'\n"
        "subject: tap-the\n"
        "units:\n"
        "  - xa-nam-tan\n"
        "source:\n"
        "  title: 'Cần viết: tên bài hoặc tài liệu nguồn để người duyệt đối chiếu.'\n"
        "author: Tổ biên tập\n"
        "reviewer: ''\n"
        "status: draft\n"
        "---\n"
        "\n"
        "Cần viết: nội dung bài. Mỗi đoạn cách nhau một dòng trống; tiêu đề mục bắt đầu bằng \"## \".\n"
        "\n"
        "Ý nghĩa và ví dụ của từng trường ở phần đầu: xem trang «Hướng dẫn biên tập» của trang web.\n"
    )
    result = check_content(project)
    # Only the reminders that the placeholders are still to be written (a warning in a draft).
    assert [(p.line, p.field, p.code) for p in result.problems if p.path.startswith("content/stories/2026/")] == [
        (4, "summary", "GS708"), (9, "source.title", "GS708"), (15, "body", "GS708"),
    ]
    story = next(s for s in result.content.stories if s.slug == "xa-nam-tan-dua-viec-lam-theo-bac-vao-nep")
    assert (story.status, story.units, story.year) == ("draft", ("xa-nam-tan",), 2026)


def test_same_title_twice_gets_a_new_name(project: Path) -> None:
    args = ("new", "story", "Đường làng sạch đẹp", "-u", "xa-nam-tan", "--date", "2026-03-02")
    assert run(project, *args).stdout == "content/stories/2026/duong-lang-sach-dep.md\n"
    assert run(project, *args).stdout == "content/stories/2026/duong-lang-sach-dep-2.md\n"


def test_an_old_url_kept_as_alias_is_not_reused(project: Path) -> None:
    story = next((project / "content/stories/2017").glob("*.md"))
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\nstatus:", "\naliases:\n  - bai-viet/2026/duong-lang/\nstatus:", 1), encoding="utf-8")
    result = run(project, "new", "story", "Đường làng", "-u", "xa-nam-tan", "--date", "2026-03-02")
    assert result.stdout == "content/stories/2026/duong-lang-2.md\n"


def test_date_and_author_default_to_today_and_the_organisation(project: Path) -> None:
    result = run(project, "new", "story", "Tin vui", "-u", "xa-nam-tan", env={"GUONGSANG_TODAY": "2027-01-04"})
    assert result.stdout == "content/stories/2027/tin-vui.md\n"
    text = (project / "content/stories/2027/tin-vui.md").read_text(encoding="utf-8")
    organisation = load_content(project)[0].settings.organisation
    assert "date: 2027-01-04\n" in text
    assert f"author: {organisation}\n" in text


def test_unknown_unit_is_refused_with_the_nearest_ids(project: Path) -> None:
    result = run(project, "new", "story", "Tin vui", "-u", "xa-nam-tam", "--date", "2026-03-02")
    assert result.exit_code == 1
    assert "Không có đơn vị mã 'xa-nam-tam'. Gần nhất: xa-nam-tan" in result.stderr
    assert not (project / "content/stories/2026").exists()


def test_a_title_without_letters_is_refused(project: Path) -> None:
    result = run(project, "new", "story", "???", "-u", "xa-nam-tan", "--date", "2026-03-02")
    assert result.exit_code == 1
    assert "không có chữ hay số nào" in result.stderr


def test_a_file_the_checker_rejects_is_not_left_behind(project: Path) -> None:
    result = run(project, "new", "story", "Tin\u200b vui", "-u", "xa-nam-tan", "--date", "2026-03-02")
    assert result.exit_code == 1
    assert "[GS209]" in result.stderr
    assert list((project / "content/stories/2026").iterdir()) == []


def test_new_unit_guesses_kind_and_short_name(project: Path) -> None:
    result = run(project, "new", "unit", "Xã Nam Hồng", "--parent", "huyen-nam-sach")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/units/xa-nam-hong.yml\n"
    assert (project / "content/units/xa-nam-hong.yml").read_text(encoding="utf-8") == (
        "name: Xã Nam Hồng\nshort_name: Nam Hồng\nkind: xa\nparent: huyen-nam-sach\n"
    )
    assert [p for p in check_content(project).problems if p.path == "content/units/xa-nam-hong.yml"] == []


def test_new_unit_with_explicit_kind(project: Path) -> None:
    result = run(project, "new", "unit", "Hội Nông dân huyện Nam Sách", "--kind", "doan-the")
    assert result.stdout == "content/units/hoi-nong-dan-huyen-nam-sach.yml\n"
    assert (project / result.stdout.strip()).read_text(encoding="utf-8") == "name: Hội Nông dân huyện Nam Sách\nkind: doan-the\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Hội Nông dân huyện",), "Không đoán được loại của đơn vị 'Hội Nông dân huyện'"),
        (("Xã Nam Tân",), "Đã có đơn vị 'Xã Nam Tân' (mã xa-nam-tan"),
        # The seed's slip: "Minh Tâm" is xa-minh-tan written wrong, not a second commune.
        (("Xã Minh Tâm",), "Có phải đơn vị 'xa-minh-tan' (cách viết khác 'Minh Tâm'"),
        (("Minh Tâm", "--kind", "xa"), "Có phải đơn vị 'xa-minh-tan' (cách viết khác 'Minh Tâm'"),
        (("Nam Tân", "--kind", "xa"), "Đã có đơn vị 'Xã Nam Tân' (mã xa-nam-tan"),  # its short name
        (("Đảng bộ xã Nam Tân",), ""),  # another kind: the Party body of the commune
        (("Xã Nam Hoà",), ""),  # a new name: accepted (checked below)
        (("Xã Nam Hồng", "--parent", "huyen-nam-sac"), "Không có đơn vị mã 'huyen-nam-sac'. Gần nhất: huyen-nam-sach"),
    ],
)
def test_new_unit_refusals(project: Path, args: tuple[str, ...], message: str) -> None:
    result = run(project, "new", "unit", *args)
    if message:
        assert result.exit_code == 1
        assert message in result.stderr
    else:
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Đảng bộ xã Nam Tân", "name: Đảng bộ xã Nam Tân\nkind: dang-bo\nparent: dang-bo-huyen-nam-sach\n"),
        ("Chi bộ Trường THPT Nam Sách", "name: Chi bộ Trường THPT Nam Sách\nkind: chi-bo\nparent: dang-bo-huyen-nam-sach\n"),
    ],
)
def test_a_party_body_of_a_known_unit_checks_clean(project: Path, name: str, text: str) -> None:
    """The Party body of a commune or school: its short name would be the commune's or the school's."""
    result = run(project, "new", "unit", name, "--parent", "dang-bo-huyen-nam-sach")
    assert result.exit_code == 0, result.output
    assert (project / result.stdout.strip()).read_text(encoding="utf-8") == text
    assert check_content(project).errors == []


def test_a_new_error_on_another_file_refuses_the_scaffold(project: Path) -> None:
    """A unit whose short name is another unit's name: GS307 lands on the new file,
    never on the commune, and the file is not kept."""
    from guongsang import scaffold as S

    plan = S.Scaffold("content/units/dang-bo-xa-nam-tan.yml", "name: Đảng bộ xã Nam Tân\nshort_name: xã Nam Tân\nkind: dang-bo\n")
    (project / plan.path).write_text(plan.text, encoding="utf-8")
    errors = check_content(project).errors
    assert [(p.path, p.field, p.code) for p in errors] == [("content/units/dang-bo-xa-nam-tan.yml", "short_name", "GS307")]
    assert "xóa tệp" not in errors[0].fix and "đổi 'short_name'" in errors[0].fix
    (project / plan.path).unlink()
    # Even if the clash were reported on the other file, the scaffold sees the new error.
    with pytest.raises(S.ScaffoldError) as refused:
        S.write_scaffold(project, plan)
    assert [p.code for p in refused.value.problems] == ["GS307"]
    assert not (project / plan.path).exists()
    assert check_content(project).errors == []


def test_a_taken_unit_id_gets_a_new_name(project: Path) -> None:
    # Same id, different name: the file name moves on instead of overwriting.
    result = run(project, "new", "unit", "Xã Nam Tàn", "--kind", "xa")
    assert result.stdout == "content/units/xa-nam-tan-2.yml\n"


def test_units_are_asked_for_when_not_given(project: Path) -> None:
    result = CliRunner().invoke(main, ["new", "story", "Tin vui", "--date", "2026-03-02", "--root", str(project)], input="xa-nam-tan, thi-tran-nam-sach\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/stories/2026/tin-vui.md\n"
    assert "units:\n  - xa-nam-tan\n  - thi-tran-nam-sach\n" in (project / "content/stories/2026/tin-vui.md").read_text(encoding="utf-8")


def test_no_units_and_no_answer_is_an_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["new", "story", "Tin vui", "--date", "2026-03-02", "--root", str(project)], input="")
    assert result.exit_code == 1
    assert "Cần ít nhất một đơn vị: --unit <mã>." in result.stderr


def test_a_unit_given_twice_is_written_once(project: Path) -> None:
    result = run(project, "new", "story", "Đường làng", "-u", "xa-nam-tan", "-u", "xa-nam-tan", "--date", "2026-03-02")
    assert result.exit_code == 0, result.output
    written = (project / result.stdout.strip()).read_text(encoding="utf-8")
    assert written.count("xa-nam-tan") == 1 and "units:\n  - xa-nam-tan\n" in written
