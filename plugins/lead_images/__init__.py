"""Ảnh đại diện: responsive variants of each article's lead image, made at build."""

from .planning import LeadImage, plan_widths
from .plugin import register

__all__ = ["LeadImage", "plan_widths", "register"]
