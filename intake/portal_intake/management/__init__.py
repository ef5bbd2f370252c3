"""Management commands of the intake service."""
