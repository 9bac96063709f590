"""The output folder is replaced whole or not at all, and never holds what a publish did not
write (but a CNAME); an unusable folder is refused with what to do."""

from __future__ import annotations

import os

import pytest

from core.errors import InvalidInput
from core.publish import PublishOptions, publish
from core.publish.errors import WriteFailed
from core.publish.output import replace_folder


def listing(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_a_failure_midway_leaves_the_folder_as_it_was_and_no_temporary_folder(out):
    replace_folder(out, {"index.html": b"old", "projects/a.html": b"a"})
    before = listing(out)
    # "index.html" is a file, so writing "index.html/x" fails after other files were written.
    with pytest.raises(WriteFailed) as caught:
        replace_folder(out, {"index.html": b"new", "index.html/x": b"", "style.css": b""})
    assert "Choose a folder you can write to" in caught.value.suggestion
    assert listing(out) == before and (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]  # nothing left beside it


def test_each_publish_replaces_the_folder_and_keeps_a_cname(out):
    replace_folder(out, {"index.html": b"1", "projects/gone.html": b"x"})
    (out / "CNAME").write_text("alice.example\n")
    assert replace_folder(out, {"index.html": b"2"}) is True
    assert listing(out) == ["CNAME", "index.html"]
    assert (out / "CNAME").read_text() == "alice.example\n"
    assert replace_folder(out, {"index.html": b"2"}) is False  # identical: not rewritten


def test_the_folder_is_readable_by_others(out):
    replace_folder(out, {"index.html": b"x"})
    assert out.stat().st_mode & 0o755 == 0o755  # not mkdtemp's 0700: a web server reads it


@pytest.mark.parametrize("stray", [".git", "notes.txt", "projects/notes.txt", "projects/sub"])
def test_a_folder_holding_other_files_is_refused_untouched(catalog, out, stray):
    (out / "projects").mkdir(parents=True)
    (out / stray).mkdir() if "." not in stray.split("/")[-1] or stray == ".git" else (
        out / stray).write_text("mine")
    with pytest.raises(InvalidInput) as caught:
        publish(PublishOptions(out=out))
    assert stray in caught.value.message and "new or empty folder" in caught.value.suggestion
    assert (out / stray).exists() and not (out / "index.html").exists()


def test_an_output_path_that_is_a_file_is_invalid_input(catalog, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InvalidInput, match="is a file"):
        publish(PublishOptions(out=target))


def test_a_folder_that_cannot_be_made_is_a_write_failure_with_a_suggestion(catalog, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(WriteFailed) as caught:
        publish(PublishOptions(out=blocker / "site"))
    assert caught.value.code == "WRITE_FAILED"
    assert str(blocker / "site") in caught.value.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_parent_is_a_write_failure(catalog, tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(WriteFailed, match="Permission denied"):
            publish(PublishOptions(out=parent / "site"))
    finally:
        parent.chmod(0o755)
