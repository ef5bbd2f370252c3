"""Browser tests: pages of the sample site in Debian's chromium."""
