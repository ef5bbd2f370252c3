"""Support for the tests and the benchmark: local services on 127.0.0.1."""
