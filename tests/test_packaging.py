"""The wheel carries ontology/, data/ and queries/, so an installed command never needs the checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_carries_every_resource(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           str(REPO), "-w", str(tmp_path)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("wsisgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "data", "queries"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                assert f"wsisgraph/_resources/{path.relative_to(REPO).as_posix()}" in names, path
