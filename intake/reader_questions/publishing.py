"""An answered question becomes ``content/hoi-dap/<năm>/<slug>.md`` in review.

The file is written with the portal's own header grammar
(``content_model.header``), with ``Status: review``, in one of two ways:

- by default, into the configured content checkout (``INTAKE_CONTENT_DIR``,
  by default the repository's ``content/``): editors commit it
  (``git add content/hoi-dap/...``);
- with ``INTAKE_GIT_BASE`` set (e.g. ``main``), as a commit on a new branch
  ``hoi-dap/<slug>`` of the repository holding that checkout, made from the
  base branch without touching its working tree: editors open a pull request
  from it.

The usual review publishes it (``Status: published``, ``Reviewed_by``,
``Reviewed_at``). Nothing reaches readers from the service itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings

from content_model.header import article_text
from portal_intake import site
from vietnamese import nfc, slugify

from .models import Question

QUESTIONS_FOLDER = "hoi-dap"
# Markdown's own characters in a reader's text are shown as typed.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!|~])")
HTML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
)
SLUG_WORDS = 70
# A summary is a header value: no markup, no placeholder.
SUMMARY_SAFE = str.maketrans({"<": "‹", ">": "›", "{": "(", "}": ")"})


class PublishError(ValueError):
    """Why a question cannot be sent to review yet (in Vietnamese)."""


def reader_text(text: str) -> str:
    """A reader's text as Markdown that renders exactly that text.

    ``<``, ``>``, ``&``, braces and Markdown's characters are escaped, and
    each line starts flush, so nothing a reader types becomes markup, a
    link, a placeholder or a code block.
    """
    lines = []
    for typed in nfc(text).replace("\r\n", "\n").split("\n"):
        line = MARKDOWN_SPECIAL.sub(r"\\\1", typed.strip())
        lines.append(line.translate(HTML_ESCAPES))
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join("  \n".join(p.split("\n")) for p in paragraphs if p.strip())


def question_slug(question: Question) -> str:
    """The page's slug: its title's, and the tracking code, so it is unique."""
    base = slugify(question.title)[:SLUG_WORDS].rstrip("-")
    return f"{base}-{question.code.lower()}" if base else question.code.lower()


def question_file(question: Question, now: datetime) -> tuple[str, str]:
    """The content file's path under ``content/`` and its text."""
    if not question.title.strip():
        raise PublishError("chưa có tiêu đề khi đăng; hãy điền rồi gửi lại")
    if not question.answer.strip():
        raise PublishError("chưa có câu trả lời")
    topic = site.topic_name(question.topic)
    if not topic:
        raise PublishError(f'chuyên mục "{question.topic}" không còn trong danh mục')
    slug = question_slug(question)
    asker = "Bạn đọc " + question.name if question.name else "Bạn đọc"
    body = (
        f"**Câu hỏi** ({reader_text(asker)}):\n\n{reader_text(question.question)}\n\n"
        f"**Trả lời:**\n\n{question.answer.strip()}"
    )
    fields = [
        ("Title", question.title),
        ("Date", f"{now:%Y-%m-%d %H:%M}"),
        ("Category", topic),
        ("Tags", "Hỏi đáp"),
        ("Summary", reader_summary(question.question)),
        ("Slug", slug),
        ("Status", "review"),
    ]
    return f"{QUESTIONS_FOLDER}/{now:%Y}/{slug}.md", article_text(fields, body)


def reader_summary(text: str, most: int = 300) -> str:
    """The question as the page's summary: one line, cut at a word."""
    one_line = " ".join(text.split())
    if len(one_line) > most:
        one_line = one_line[:most].rsplit(" ", 1)[0] + "…"
    return one_line.translate(SUMMARY_SAFE)


def commit_on_branch(
    content: Path, relative: str, text: str, base: str, author: str
) -> str:
    """Commit one new file on a new branch ``hoi-dap/<slug>`` from ``base``.

    Git's plumbing, with an index of its own: the checkout's working tree,
    index and current branch are left as they are. Returns the branch.
    """

    def git(*args: str, stdin: str | None = None, env: dict | None = None) -> str:
        return subprocess.run(
            ["git", "-C", str(content), *args],
            input=stdin, capture_output=True, text=True, check=True,
            env={**os.environ, **(env or {})},
        ).stdout.strip()  # fmt: skip

    top = Path(git("rev-parse", "--show-toplevel"))
    inside = (content.resolve() / relative).relative_to(top.resolve()).as_posix()
    branch = f"{QUESTIONS_FOLDER}/{Path(relative).stem}"
    if git("branch", "--list", branch):
        raise PublishError(f"nhánh {branch} đã có")
    blob = git("hash-object", "-w", "--stdin", stdin=text)
    with tempfile.TemporaryDirectory() as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git("read-tree", base, env=index)
        entry = f"100644,{blob},{inside}"
        git("update-index", "--add", "--cacheinfo", entry, env=index)
        tree = git("write-tree", env=index)
    person = {
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "hoi-dap@localhost",
        "GIT_COMMITTER_NAME": "Hỏi đáp", "GIT_COMMITTER_EMAIL": "hoi-dap@localhost",
    }  # fmt: skip
    message = f"Hỏi đáp: {Path(relative).stem} (chờ duyệt)"
    commit = git("commit-tree", tree, "-p", base, "-m", message, env=person)
    git("update-ref", f"refs/heads/{branch}", commit, "")
    return branch


def publish_question(question: Question, now: datetime, author: str = "") -> Path:
    """Write the question's content file for review; return its path."""
    relative, text = question_file(question, now)
    root = site.content_dir()
    path = root / relative
    base = settings.INTAKE["GIT_BASE"]
    if base:
        try:
            branch = commit_on_branch(root, relative, text, base, author or "Hỏi đáp")
        except subprocess.CalledProcessError as error:
            raise PublishError(f"git không ghi được: {error.stderr.strip()}") from error
        question.published_file = f"content/{relative} (nhánh {branch})"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        question.published_file = f"content/{relative}"
    question.slug = Path(relative).stem
    # Where the article's URL pattern (ARTICLE_URL) puts it once published.
    question.page_url = "/" + site.portal_settings()["ARTICLE_URL"].format(
        date=now, slug=question.slug
    )
    question.status = Question.Status.IN_REVIEW
    question.save(update_fields=["slug", "published_file", "page_url", "status"])
    return path
