"""Problems in editors' files and their reporting: a library, it imports no plugin.

Every plugin that finds a problem in a content file reports it here
(``report_problem``); the build gate counts what is logged, ``invoke check``
and the preview list the problems.
"""

from .problems import NOT_FOR_READERS_YET, ContentProblem, display_path, report_problem

__all__ = ["NOT_FOR_READERS_YET", "ContentProblem", "display_path", "report_problem"]
