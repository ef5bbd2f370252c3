"""Strict builds: every error of a build is listed, then the build fails."""

from .gate import register
from .problems import ContentProblem, display_path, report_problem

__all__ = ["ContentProblem", "display_path", "register", "report_problem"]
