"""How the build's worker processes start: one rule for every pool of the build.

A library: it imports no plugin. The read-ahead and the page workers
(``incremental``) and the compression of the output (``precompress``) take
their ``multiprocessing`` context from ``process_context``.
"""

from .start import DEFAULTS, process_context, shares_memory, start_method

__all__ = ["DEFAULTS", "process_context", "shares_memory", "start_method"]
