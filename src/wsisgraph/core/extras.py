"""Dependencies that serve one command each, installed as extras: matplotlib draws the heatmap
(`coverage` pictures, `report`), pyLODE writes `docs`, owlready2 runs HermiT for `reason`.

`pip install wsisgraph` leaves them out; `pip install 'wsisgraph[all]'` (and the test extra) brings
them. A command whose extra is missing stops with one line saying what to install.
"""

import importlib

from wsisgraph.core.errors import WsisgraphError

# module -> the extra that installs it
EXTRAS = {"matplotlib": "plot", "pylode": "docs", "owlready2": "reason"}


def require(module: str, command: str) -> None:
    """Fail with an install hint unless `module` can be imported."""
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise WsisgraphError(f"`wsisgraph {command}` needs {module}, which is not installed: "
                             f"pip install 'wsisgraph[{EXTRAS[module]}]'") from exc
