"""The chuyên mục registry (`content/chuyen-muc.toml`): a library, no plugin import.

The reader resolves an article's section through it, ``invoke new`` and
``invoke check`` read it, the ``topics`` plugin writes the sections' pages
from it; ``TOPICS`` (its settings) is merged here, once.
"""

from .registry import (
    CONTEXT_KEY,
    RegistryError,
    Resolution,
    TopicRegistry,
    build_registry,
)
from .settings import registry_path, topic_settings

__all__ = [
    "CONTEXT_KEY",
    "RegistryError",
    "Resolution",
    "TopicRegistry",
    "build_registry",
    "registry_path",
    "topic_settings",
]
