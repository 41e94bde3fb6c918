"""wsisgraph: a knowledge graph of how WSIS lines up with the 2030 Agenda."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wsisgraph")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+checkout"
