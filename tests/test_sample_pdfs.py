"""The sample văn bản PDFs' tool reads a record's header as the build does."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from content_model.header import split_article
from tools.sample_pdfs import read_record

RECORD = """So_hieu: 99/KH-MAU
Loai: Kế hoạch
Co_quan: Ủy ban nhân dân tỉnh
Ngay_ban_hanh: 2024-03-01
Trich_yeu: Kế hoạch mẫu về chuyển đổi số
    trong cơ quan nhà nước

# Nội dung

Văn bản mẫu.
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "99-kh-mau.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_sample_record_reads_as_the_content_model_reads_it():
    records = sorted((ROOT / "content" / "van-ban").glob("*.md"))
    assert records
    for path in records:
        record = read_record(path)
        source = split_article(path.read_text(encoding="utf-8"))
        assert record.fields == {field.key: field.value for field in source.fields}
        assert record.body == source.body.strip()


def test_a_continuation_line_is_part_of_its_field(tmp_path):
    record = read_record(write(tmp_path, RECORD))
    assert record.fields["Trich_yeu"] == (
        "Kế hoạch mẫu về chuyển đổi số trong cơ quan nhà nước"
    )
    assert record.body == "# Nội dung\n\nVăn bản mẫu."


def test_a_header_line_that_is_not_a_field_is_refused(tmp_path):
    broken = RECORD.replace("Loai: Kế hoạch", "Loai Kế hoạch")
    with pytest.raises(ValueError, match="header line is not 'Key: value'"):
        read_record(write(tmp_path, broken))
