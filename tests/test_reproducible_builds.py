"""The same content builds to the same bytes, whatever the hash seed or folder.

Each build runs in its own process with its own ``PYTHONHASHSEED``, from a
copy of the content in another folder (as on another machine), so any order
taken from a set or a dict of strings, or any path of the build machine that
leaks into a page, shows as a difference.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, SITEURL

BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path[:0] = [{lib!r}, {plugins!r}, {root!r}]
    from tools.site_build import build_site
    result = build_site(Path({settings!r}), {{
        "PATH": sys.argv[1], "OUTPUT_PATH": sys.argv[2],
        "SITEURL": {siteurl!r}, "FEED_DOMAIN": {siteurl!r},
    }})
    sys.exit(0 if result.ok else 1)
    """
)


def build_in_process(content: Path, output: Path, seed: int, production: bool) -> None:
    settings = ROOT / ("publishconf.py" if production else "pelicanconf.py")
    script = BUILD.format(
        lib=str(ROOT / "lib"),
        root=str(ROOT),
        plugins=str(ROOT / "plugins"),
        settings=str(settings),
        siteurl=SITEURL,
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(content), str(output)],
        env={**os.environ, "PYTHONHASHSEED": str(seed)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def tree(output: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def newsroom(site) -> None:
    """Articles of one minute, shared tags and authors, a page, a văn bản, a PDF."""
    for name in ("mot", "hai", "ba", "bon", "nam", "sau"):
        site.article(
            name,
            title=f"Tin {name} cùng giờ",
            date="2024-05-14 08:15",
            Tags="thủy sản, thuỷ sản, Kiên Giang, IUU",
            Authors="Thu Anh, Minh Khoa",
            Topics="Chống khai thác IUU; Xây dựng Đảng",
        )
    site.article("khac", title="Tin khác giờ", date="2024-05-15 09:00", Tags="IUU")
    # The sample's pages: files of one name in two folders (trang/gioi-thieu.md,
    # trang/en/gioi-thieu.md) keep the order they were read in.
    shutil.copytree(
        ROOT / "content" / "trang", site.content / "trang", dirs_exist_ok=True
    )
    site.write("van-ban/files/32-ct-tw.pdf", b"%PDF-1.4\n%%EOF\n")
    site.write(
        "van-ban/32-ct-tw.md",
        "So_hieu: 32-CT/TW\nLoai: Chỉ thị\nCo_quan: Ban Bí thư\n"
        "Ngay_ban_hanh: 2024-04-10\nTrich_yeu: Về chống khai thác IUU\n"
        "File: {static}/van-ban/files/32-ct-tw.pdf\nCategory: Chống khai thác IUU\n\n"
        "Nội dung chỉ thị.\n",
    )


def test_two_hash_seeds_and_two_folders_build_the_same_bytes(site, tmp_path):
    newsroom(site)
    elsewhere = tmp_path / "may-khac" / "noi-dung"
    shutil.copytree(site.content, elsewhere)
    outputs = []
    for seed, content in ((1, site.content), (2, elsewhere), (11, site.content)):
        output = tmp_path / f"output-{seed}"
        shutil.rmtree(content.parent / "cache", ignore_errors=True)  # clean builds
        build_in_process(content, output, seed, production=True)
        outputs.append(tree(output))
    first = outputs[0]
    assert len(first) > 50
    assert any(name.endswith(".gz") for name in first)
    for other in outputs[1:]:
        assert other.keys() == first.keys()
        differ = [name for name in first if first[name] != other[name]]
        assert differ == []
    for name, data in first.items():
        if name.endswith((".html", ".xml", ".json")):
            assert str(tmp_path).encode() not in data, name
