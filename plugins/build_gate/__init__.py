"""Strict builds: every error of a build is listed, then the build fails."""

from .gate import register
from .problems import ContentProblem, report_problem

__all__ = ["ContentProblem", "register", "report_problem"]
