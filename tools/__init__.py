"""Tools and test support, not Pelican plugins: tasks, tests and bench call them.

The preview (``invoke serve``), publishing (``invoke publish``), the sample
PDFs, the byte-identity check, and local services on 127.0.0.1 (nginx,
PostgreSQL, the intake service).
"""
