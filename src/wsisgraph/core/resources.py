"""Where the ontology, data and queries live.

An installed wheel carries them under `wsisgraph/_resources` (force-included at build time); a
checkout or editable install reads them from the repository root. The package never reads the
project's shared reference folder at run time.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/wsisgraph (this file is in core/)


def resource_root() -> Path:
    """The folder holding ontology/, data/ and queries/."""
    bundled = _PACKAGE_DIR / "_resources"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parents[1]


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def queries_dir() -> Path:
    return resource_root() / "queries"
