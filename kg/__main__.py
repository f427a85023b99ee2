"""`python -m kg …`: the same command as `kg …`, for environments where the script is not on PATH."""

from kg.cli import run

run()
