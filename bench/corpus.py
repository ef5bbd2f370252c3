"""A deterministic synthetic corpus of Vietnamese articles.

Sentences come from a word-level Markov chain trained on the sample articles
in content/bai-viet/, so the text has the real syllables, word pairs and
lengths of the portal's Vietnamese; every section, tags, authors, lead
images, headings and lists are used, and dates spread over several years.
"""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from content_model.header import split_article
from vietnamese import slugify

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"
TAGS = [
    "Kiên Giang", "thủy sản", "thuỷ sản", "Tỉnh ủy", "Tỉnh uỷ", "tàu cá",
    "Chỉ thị 32-CT/TW", "nông thôn mới", "chuyển đổi số", "an ninh mạng",
    "Đại hội XIV", "thi đua", "Phú Quốc",
    "Hà Tiên", "Rạch Giá", "biển đảo", "đảng viên", "chi bộ", "cải cách hành chính",
    "Bão", "Báo chí", "kinh tế biển", "du lịch", "giảm nghèo", "an sinh xã hội",
]  # fmt: skip
AUTHORS = [
    "Minh Khang",
    "Thu Hà",
    "Ngọc Trâm",
    "Quốc Việt",
    "Hữu Tài",
    "Lan Anh",
    "Kim Ngân",
]
SOURCES = [
    "Báo Kiên Giang",
    "Cổng Thông tin điện tử tỉnh",
    "Đài Phát thanh và Truyền hình",
]
IMAGES = [
    "tau-ca-cap-cang.jpg",
    "canh-dong-lua.jpg",
    "hoi-nghi.jpg",
    "an-ninh-mang.jpg",
]
SECTIONS = [
    "Xây dựng Đảng", "Phòng, chống tham nhũng, tiêu cực", "Đại hội XIV của Đảng",
    "Chống khai thác IUU", "Phát triển kinh tế - xã hội", "Quốc phòng, an ninh",
    "Thi đua yêu nước", "Đấu tranh phản bác quan điểm sai trái",
]  # fmt: skip
START = datetime(2016, 1, 1, 7, 0)
SHORTEST_SENTENCE = 4
# Share of body parts followed by a bullet list.
LIST_SHARE = 0.4


class SentenceChain:
    """Word-level Markov chain over the sample articles' sentences."""

    def __init__(self, texts: list[str]) -> None:
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for text in texts:
            for sentence in text.replace("\n", " ").split(". "):
                words = sentence.split()
                if len(words) < SHORTEST_SENTENCE:
                    continue
                self.starts.append((words[0], words[1]))
                for a, b, c in zip(words, words[1:], words[2:], strict=False):
                    self.next[a, b].append(c)
                self.next[words[-2], words[-1]].append("")

    def sentence(self, rng: random.Random, longest: int = 40) -> str:
        """One sentence, ending with a full stop."""
        a, b = rng.choice(self.starts)
        words = [a, b]
        while len(words) < longest:
            following = self.next.get((a, b))
            if not following:
                break
            c = rng.choice(following)
            if not c:
                break
            words.append(c)
            a, b = b, c
        return " ".join(words).rstrip(".,;:") + "."


def sample_texts() -> list[str]:
    """The bodies of the sample articles, without Markdown markers."""
    texts = []
    for path in sorted((SAMPLE / "bai-viet").rglob("*.md")):
        body = split_article(path.read_text(encoding="utf-8")).body
        lines = [line.lstrip("#-> *").strip() for line in body.splitlines()]
        texts.append("\n".join(line for line in lines if line))
    return texts


def article(
    number: int, chain: SentenceChain, rng: random.Random, total: int
) -> tuple[str, str]:
    """(relative path, file text) of synthetic article ``number``."""
    span_minutes = 10 * 365 * 24 * 60
    date = START + timedelta(
        minutes=span_minutes * number // max(total, 1) + rng.randint(0, 50)
    )
    title = chain.sentence(rng, 16).rstrip(".")
    category = SECTIONS[number % len(SECTIONS)]
    topics = [s for s in rng.sample(SECTIONS, 2) if s != category][
        : rng.choice((0, 0, 1))
    ]
    tags = ", ".join(rng.sample(TAGS, rng.randint(2, 4)))
    header = [
        f"Title: {title} ({number})",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {category}",
    ]
    if topics:
        header.append("Topics: " + "; ".join(topics))
    header += [
        f"Tags: {tags}",
        f"Authors: {rng.choice(AUTHORS)}",
        f"Source: {rng.choice(SOURCES)}",
        f"Summary: {chain.sentence(rng, 30)}",
        "Status: published",
        "Reviewed_by: Ban Biên tập",
        f"Reviewed_at: {date - timedelta(minutes=30):%Y-%m-%d %H:%M}",
    ]
    if number % 5 == 0:
        header += [
            f"Image: {{static}}/images/{rng.choice(IMAGES)}",
            "Image_caption: Ảnh minh hoạ",
        ]
    body = []
    for part in range(rng.randint(2, 4)):
        if part:
            body.append(f"## {chain.sentence(rng, 10).rstrip('.')}")
        body.append(" ".join(chain.sentence(rng) for _ in range(rng.randint(3, 6))))
        if rng.random() < LIST_SHARE:
            body += [f"- {chain.sentence(rng, 14)}" for _ in range(3)]
    slug = slugify(title)[:60].strip("-") or "bai"
    path = f"bai-viet/{date:%Y}/{slug}-{number}.md"
    return path, "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def generate(content: Path, articles: int, seed: int = 2024) -> None:
    """Write a content folder of ``articles`` synthetic articles."""
    rng = random.Random(seed)
    chain = SentenceChain(sample_texts())
    if content.exists():
        shutil.rmtree(content)
    (content / "bai-viet").mkdir(parents=True)
    shutil.copy(SAMPLE / "chuyen-muc.toml", content / "chuyen-muc.toml")
    shutil.copytree(SAMPLE / "trang", content / "trang")
    shutil.copytree(SAMPLE / "images", content / "images")
    for number in range(articles):
        relative, text = article(number, chain, rng, articles)
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
