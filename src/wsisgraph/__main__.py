"""Allow `python -m wsisgraph`."""

from wsisgraph.cli import main

main()
