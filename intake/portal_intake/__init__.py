"""The intake service: the Django project and what its apps share."""
