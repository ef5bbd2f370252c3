"""tools/output_identity.py: what it calls identical, and what it lists."""

import subprocess

import pytest

from tools.output_identity import compare, main


def test_identical_folders_are_identical(tmp_path):
    for side in ("base", "new"):
        (tmp_path / side / "bai-viet").mkdir(parents=True)
        (tmp_path / side / "index.html").write_bytes(b"<p>trang chu</p>")
        (tmp_path / side / "bai-viet" / "a.html").write_bytes(b"\x00\x01")
    comparison = compare(tmp_path / "base", tmp_path / "new")
    assert comparison.identical
    assert comparison.files == 2


def test_every_difference_is_listed(tmp_path):
    base, new = tmp_path / "base", tmp_path / "new"
    for side in (base, new):
        side.mkdir()
        (side / "same.html").write_text("giống", encoding="utf-8")
    (base / "changed.html").write_bytes(b"a")
    (new / "changed.html").write_bytes(b"b")
    (base / "gone.xml").write_bytes(b"")
    (new / "added.json").write_bytes(b"{}")
    comparison = compare(base, new)
    assert not comparison.identical
    assert comparison.differing == ["changed.html"]
    assert comparison.only_in_base == ["gone.xml"]
    assert comparison.only_in_new == ["added.json"]


def test_an_unknown_revision_fails_before_any_build():
    with pytest.raises(subprocess.CalledProcessError):
        main(["--base", "no-such-revision", "--articles", "0"])
