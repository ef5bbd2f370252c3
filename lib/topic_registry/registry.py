"""The chuyên mục registry: the one place where sections are defined.

Each ``[[topic]]`` entry of the TOML file becomes one Pelican ``Category``
carrying the registry's data (``description``, ``order``, ``aliases``) and its
ASCII slug. Articles name a section by its display name, slug or an alias,
in any case, Unicode form (NFC/NFD) or tone-mark placement.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pelican.contents import Category

from vietnamese import canonical_key, closest, nfc, slugify

from .settings import registry_path

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTRY_KEYS = {"name", "slug", "description", "order", "aliases"}


class RegistryError(ValueError):
    """The registry file is invalid; the message lists every problem.

    ``for_editors``: the build ends with the message, never a traceback.
    """

    for_editors = True


@dataclass(frozen=True)
class Resolution:
    """The section a written name resolves to, or suggestions when none."""

    topic: Category | None
    suggestions: tuple[str, ...] = ()


class TopicRegistry:
    """The sections of the portal, in display order, with name resolution."""

    def __init__(self, topics: list[Category], path: Path) -> None:
        self.topics = topics
        self.path = path
        self._by_key: dict[str, Category] = {}
        self._by_slug: dict[str, Category] = {topic.slug: topic for topic in topics}
        for topic in topics:
            for written in (topic.name, topic.slug, *topic.aliases):
                self._by_key[canonical_key(written)] = topic

    @classmethod
    def from_settings(cls, settings: dict) -> TopicRegistry:
        """Load the registry file named by the site's settings."""
        return cls.load(registry_path(settings), settings)

    @classmethod
    def load(cls, path: Path, settings: dict) -> TopicRegistry:
        """Read and validate a registry file; list every problem at once."""
        if path.is_symlink():
            raise RegistryError(
                f"{path}: là liên kết tượng trưng (symlink) nên không được đọc; hãy "
                "chép tệp thật vào content/"
            )
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RegistryError(
                f"{path}: không tìm thấy tệp danh mục chuyên mục"
            ) from None
        except tomllib.TOMLDecodeError as error:
            raise RegistryError(f"{path}: tệp TOML không hợp lệ: {error}") from None
        entries = data.get("topic", [])
        problems: list[str] = []
        if not entries:
            problems.append("chưa có chuyên mục nào (cần các khối [[topic]])")
        topics = []
        seen: dict[str, str] = {}
        for number, entry in enumerate(entries, start=1):
            topic = _topic_from_entry(number, entry, settings, problems)
            if topic is None:
                continue
            for written in (topic.name, topic.slug, *topic.aliases):
                key = canonical_key(written)
                owner = seen.setdefault(key, topic.name)
                if owner != topic.name:
                    problems.append(
                        f'chuyên mục thứ {number}: "{written}" đã thuộc về '
                        f'chuyên mục "{owner}"; mỗi tên, slug, bí danh chỉ dùng một lần'
                    )
            topics.append(topic)
        if problems:
            raise RegistryError("\n".join(f"{path}: {problem}" for problem in problems))
        topics.sort(key=lambda topic: (topic.order, topic.slug))
        return cls(topics, path)

    def __iter__(self):
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def by_slug(self, slug: str) -> Category | None:
        """The section with this slug."""
        return self._by_slug.get(slug)

    def resolve(self, written: str) -> Resolution:
        """Find the section an editor meant by ``written``."""
        topic = self._by_key.get(canonical_key(written))
        if topic is None:
            topic = self._by_slug.get(slugify(written))
        if topic is not None:
            return Resolution(topic)
        return Resolution(None, tuple(closest(written, self._names_and_aliases())))

    def _names_and_aliases(self) -> list[str]:
        names = [topic.name for topic in self.topics]
        names += [alias for topic in self.topics for alias in topic.aliases]
        return names


# The key of the build's one registry in Pelican's context.
CONTEXT_KEY = "topic_registry"


def build_registry(context: dict, settings: dict) -> TopicRegistry:
    """The registry of this build, read once and kept in its context.

    Every generator of a build shares one context: the reader, the section
    pages and the văn bản take their sections from this one registry, so an
    article's ``category`` is the object its section's pages list.
    """
    registry = context.get(CONTEXT_KEY)
    if registry is None:
        registry = context[CONTEXT_KEY] = TopicRegistry.from_settings(settings)
    return registry


def _topic_from_entry(
    number: int, entry: dict, settings: dict, problems: list[str]
) -> Category | None:
    where = f"chuyên mục thứ {number}"
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        problems.append(f"{where}: khoá không dùng được {sorted(unknown)}")
    name = " ".join(nfc(str(entry.get("name", ""))).split())
    slug = str(entry.get("slug", "")).strip()
    if not name:
        problems.append(f"{where}: thiếu name (tên hiển thị)")
    if not SLUG_PATTERN.match(slug):
        problems.append(
            f'{where}: slug "{slug}" chỉ được gồm chữ thường không dấu, số '
            "và dấu gạch ngang"
        )
    order = entry.get("order", number * 10)
    if not isinstance(order, int):
        problems.append(f"{where}: order phải là số nguyên")
        order = number * 10
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(f"{where}: aliases phải là danh sách chuỗi")
        aliases = []
    if not name or not SLUG_PATTERN.match(slug):
        return None
    topic = Category(name, settings)
    topic.slug = slug
    topic.description = nfc(str(entry.get("description", ""))).strip()
    topic.order = order
    topic.aliases = tuple(nfc(a).strip() for a in aliases if a.strip())
    return topic
