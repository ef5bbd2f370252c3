"""Chuyên mục: the registry of sections and their pages, archives and feeds."""

from .plugin import register
from .registry import RegistryError, Resolution, TopicRegistry

__all__ = ["RegistryError", "Resolution", "TopicRegistry", "register"]
