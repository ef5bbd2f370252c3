"""Defaults of the questions plugin, merged once with the site's ``QUESTIONS``."""

from plugin_settings import merged

DEFAULTS = {
    # The folder of content/ that holds the answers (articles in review first).
    "PATH": "hoi-dap",
    # The listing of published answers, with the question form, and its feeds.
    "URL": "hoi-dap/",
    # What nginx shows on the forms' paths while the intake service is down.
    "UNAVAILABLE_URL": "hoi-dap/tam-ngung/",
    "FEED_SIZE": 30,
}


def question_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``QUESTIONS``."""
    return merged(settings, "QUESTIONS", DEFAULTS)
