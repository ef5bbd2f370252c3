"""What the bench changes in the corpus: the edited articles and a new one.

An edit appends a sentence to a file's body. The articles edited are chosen
so that each meets the build differently:

- ``oldest``: the first article in time, on the last page of every list it
  is in, and the first of its section's "older / newer" chain;
- ``middle``: the middle article in time, deep in every list;
- ``newest``: the last article in time, on the front page, the first page
  of its section, tags and author, and in the feeds;
- ``largest_section``: the middle article in time of the section with the
  most articles, whose lists have the most pages;
- ``van_ban``: a văn bản (an official document's record), a different
  reader, template and section of the search index.

Only published articles are chosen (a draft is built elsewhere). Each is read
by the portal's own readers (``content_model``): its header by
``split_article``, its date and section as the build reads them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from pelican.settings import read_settings

from content_model.fields import FieldError, ReadingContext, read_date, read_topic
from content_model.header import split_article
from topic_registry.registry import TopicRegistry

ROOT = Path(__file__).resolve().parent.parent
NEW_ARTICLE_DATE = datetime(2026, 3, 1, 8, 0)
NEW_ARTICLE_CATEGORY = "Chống khai thác IUU"


def reading_context(content: Path) -> ReadingContext:
    """What the portal's field readers need: its settings and the corpus's registry."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return ReadingContext(
        settings, TopicRegistry.load(content / "chuyen-muc.toml", settings)
    )


def header_of(path: Path) -> dict[str, str]:
    """A file's header fields by lower-case name."""
    source = split_article(path.read_text(encoding="utf-8"))
    return {field.name: field.value for field in source.fields}


def chosen_articles(content: Path) -> dict[str, Path]:
    """The files the bench edits, by why they were chosen (see the module)."""
    context = reading_context(content)
    published: list[tuple[datetime, str, Path]] = []
    for path in sorted((content / "bai-viet").rglob("*.md")):
        header = header_of(path)
        if header.get("status", "published") != "published":
            continue
        try:
            section = read_topic(header.get("category", ""), context).slug
        except FieldError:
            continue
        published.append((read_date(header["date"], context), section, path))
    published.sort(key=lambda item: (item[0], str(item[2])))
    largest = Counter(section for _, section, _ in published).most_common(1)[0][0]
    in_largest = [item for item in published if item[1] == largest]
    chosen = {
        "oldest": published[0][2],
        "middle": published[len(published) // 2][2],
        "newest": published[-1][2],
        "largest_section": in_largest[len(in_largest) // 2][2],
    }
    documents = sorted((content / "van-ban").glob("*.md"))
    if documents:
        chosen["van_ban"] = documents[0]
    return chosen


def edit_body(path: Path, sentence: str = "Câu bổ sung khi biên tập lại.") -> None:
    """Append a sentence to a file's body."""
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8"
    )


def new_article_title(number: int) -> str:
    """The title of new article ``number``."""
    return f"Bài mới số {number} về thủy sản"


def add_article(content: Path, number: int) -> Path:
    """Write new article ``number``, the newest of all, in the IUU section."""
    date = NEW_ARTICLE_DATE + timedelta(minutes=number)
    path = content / "bai-viet" / "2026" / f"bai-moi-{number}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {new_article_title(number)}\nDate: {date:%Y-%m-%d %H:%M}\n"
        f"Category: {NEW_ARTICLE_CATEGORY}\nTags: thủy sản, Kiên Giang\n"
        "Authors: Thu Hà\nSummary: Một bài mới để đo bản dựng lại.\n"
        "Status: published\nReviewed_by: Ban Biên tập\n"
        f"Reviewed_at: {date - timedelta(hours=1):%Y-%m-%d %H:%M}\n\n"
        "Nội dung bài mới về thủy sản và tàu cá.\n",
        encoding="utf-8",
    )
    return path
