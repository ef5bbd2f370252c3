"""The content model: how an editor's file becomes an article, a page or a văn bản.

A library, it imports no plugin: the header grammar (``header.py``), the
fields and their checks (``fields.py``), where each file is written and the
one clash reporter (``locations.py``), the Markdown reader (``reader.py``),
the checks across files (``cross_checks.py``) and ``invoke new``'s draft
(``new_article.py``). The ``article_model`` plugin connects it to Pelican;
``documents``, ``invoke check`` and the intake service use it as it is.
"""
