"""One rule for messages: settings in English, editors' content in Vietnamese.

A setting in ``pelicanconf.py`` is a developer's: its error names the setting
and says what it must be, in English. What an editor writes (articles, the
chuyên mục registry) gets Vietnamese (tests/test_content_check.py and
tests/test_registry.py). Each developer's setting below is given a wrong
value in a real build.
"""

from __future__ import annotations

import re

import pytest

# Letters that only Vietnamese text has (English messages have none).
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)
WRONG = {
    "PRECOMPRESS": {"ENABLED": True, "FORMATS": ["zstd"]},
    "WORKER_PROCESSES": {"START_METHOD": "thread"},
    "SITEMAPS": {"MAX_URLS": 0},
    "LEAD_IMAGES": {"QUALITY": 0},
    "SEARCH": {"NO_SUCH_KEY": 1},
    "LANGUAGES": {"vi": {}},
    "WEB_EDITOR": {"BACKEND": {"name": "gitea", "repo": "so-tt/cong"}},
    "SHARE_CARD": {"BACKGROUND": "red"},
    "READER_FORMS": {"LIMITS": {"comment": 0}},
}


@pytest.mark.parametrize("setting", sorted(WRONG))
def test_a_wrong_setting_is_named_in_english(site, setting):
    site.article("a", title="Bài một")
    with pytest.raises(ValueError, match=re.escape(setting)) as raised:
        site.build(**{setting: WRONG[setting]})
    assert not VIETNAMESE.search(str(raised.value)), str(raised.value)
