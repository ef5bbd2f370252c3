"""How the build's worker processes start: one rule for every pool of the build.

A library: it imports no plugin. The read-ahead and the page workers
(``incremental``) and the compression of the output (``precompress``) take
their ``multiprocessing`` context from ``process_context``; work started
ahead of its turn runs in a process of its own through ``RunBeside``.
"""

from .beside import RunBeside
from .start import DEFAULTS, process_context, shares_memory, start_method

__all__ = ["DEFAULTS", "RunBeside", "process_context", "shares_memory", "start_method"]
