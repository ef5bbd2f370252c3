"""The preview of ``invoke serve``: live reload and build problems on the page.

A tool, not a Pelican plugin (never in ``PLUGINS``): it builds with
``tools.site_build.build_site``, serves the output on 127.0.0.1, and adds
its script to the pages it serves, never to the files it built.
"""

from .runner import Preview
from .server import PreviewServer
from .state import BuildProblem, PreviewState, problems_from_errors

__all__ = [
    "BuildProblem",
    "Preview",
    "PreviewServer",
    "PreviewState",
    "problems_from_errors",
]
