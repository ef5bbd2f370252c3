"""Góp ý dự thảo: comments from readers on draft documents."""
