"""`python -m footfall`: the same command as the `footfall` console script."""

from footfall.cli import entry

entry()
