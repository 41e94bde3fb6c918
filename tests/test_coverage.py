"""The coverage heatmap: its counts against the canned queries, its SVG structure, its determinism."""

import re
import struct
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from conftest import select
from wsisgraph.cli import main
from wsisgraph.sparql import query
from wsisgraph.views import coverage, heatmap

SVG = "{http://www.w3.org/2000/svg}"
BASES = [None, *coverage.BASES]


@pytest.fixture(scope="module")
def grids(engine) -> dict[tuple[str, str | None], coverage.Coverage]:
    return {(level, basis): coverage.compute(engine, level, basis) for level in coverage.LEVELS for basis in BASES}


@pytest.fixture(scope="module")
def goal_svg(grids) -> bytes:
    return heatmap.render_svg(grids[("goal", None)])


def svg_groups(svg: bytes) -> dict[str, ET.Element]:
    """Every <g id="..."> of the picture, by id."""
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def canned_matrix(engine, basis: str | None) -> dict[str, dict[str, int]]:
    """coverage-matrix answered through wsisgraph.sparql.query: lineCode -> {g1.., total}."""
    values = {"basis": coverage.BASES[basis].value} if basis else {}
    result = query.run_canned(engine, query.find("coverage-matrix"), values)
    table = {}
    for row in result.rows:
        cells = dict(zip(result.variables, row, strict=True))
        table[cells["lineCode"].value] = {name: int(cells[name].value) for name in result.variables
                                          if re.fullmatch(r"g\d+|total", name)}
    return table


@pytest.mark.parametrize("basis", BASES)
def test_cells_equal_the_coverage_matrix_query(engine, grids, basis):
    grid = grids[("goal", basis)]
    expected = canned_matrix(engine, basis)
    assert {line.code for line in grid.lines} == set(expected)
    for line in grid.lines:
        drawn = {f"g{column.code}": grid.count(line.code, column.code) for column in grid.columns}
        drawn["total"] = grid.total(line.code)
        assert drawn == expected[line.code], line.code


def test_the_matrix_basis_draws_links(grids):
    """A guard for the comparison above: the shipped matrix gives a picture with something in it."""
    grid = grids[("goal", "matrix")]
    assert sum(grid.total(line.code) for line in grid.lines if line.parent is None) > 200
    assert grid.count("C7", "17") == sum(grid.count(line.code, "17") for line in grid.lines if line.parent == "C7")


@pytest.mark.parametrize("basis", [None, "report"])  # every basis is compared at goal level above
def test_target_level_counts_equal_targets_for_action_line(engine, grids, basis):
    grid = grids[("target", basis)]
    canned = query.find("targets-for-action-line")
    for line in grid.lines:
        values = {"line": line.iri, **({"basis": coverage.BASES[basis].value} if basis else {})}
        result = query.run_canned(engine, canned, values)
        rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
        links = {(r["member"].value, r["object"].value) for r in rows if r["targetCode"] is not None}
        assert grid.total(line.code) == len(links), line.code


def test_target_columns_are_the_linked_targets_in_code_order(grids):
    grid = grids[("target", None)]
    codes = [column.code for column in grid.columns]
    assert codes == sorted(codes, key=coverage.target_sort_key)
    assert all(any(grid.count(line.code, code) for line in grid.lines) for code in codes)
    assert coverage.target_sort_key("9.2") < coverage.target_sort_key("9.10") < coverage.target_sort_key("9.a")


def test_svg_has_one_row_per_action_line_and_one_column_per_goal(store, grids, goal_svg):
    groups = svg_groups(goal_svg)
    lines = {row["code"] for row in select(store, """
        PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?code WHERE { ?line a wsis:ActionLine ; skos:notation ?code }""")}
    rows = {gid.removeprefix("row-") for gid in groups if gid.startswith("row-")}
    columns = {gid.removeprefix("col-") for gid in groups if gid.startswith("col-")}
    cells = [gid for gid in groups if gid.startswith("cell-")]
    assert rows == lines and len(lines) == 19
    assert columns == {str(n) for n in range(1, 18)}
    assert len(cells) == len(rows) * len(columns)


def test_svg_cells_carry_the_counts(grids, goal_svg):
    grid = grids[("goal", None)]
    groups = svg_groups(goal_svg)
    for line in grid.lines:
        for column in grid.columns:
            title = groups[f"cell-{line.code}-{column.code}"].find(f"{SVG}title").text
            assert int(re.search(r": (\d+) links?$", title).group(1)) == grid.count(line.code, column.code)


def test_goal_columns_wear_the_official_colours(store, goal_svg):
    groups = svg_groups(goal_svg)
    colours = {row["code"]: row["colour"].lower() for row in select(store, """
        PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?code ?colour WHERE { ?goal a wsis:SDGGoal ; skos:notation ?code ; wsis:colour ?colour }""")}
    assert len(colours) == 17
    for code, colour in colours.items():
        style = groups[f"col-{code}"].find(f"{SVG}path").get("style")
        assert f"fill: {colour}" in style, code


def test_shades_grow_with_the_count():
    steps = [heatmap.shade("#e5243b", n) for n in (0, 1, 2, 3, 5, 9, 40)]
    assert steps[0] == heatmap.EMPTY_CELL
    lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in steps[1:]]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == 5
    assert steps[-1] == "#e5243b"


def test_same_graph_gives_the_same_bytes(grids, goal_svg):
    grid = grids[("goal", None)]
    assert heatmap.render_svg(grid) == goal_svg
    png = heatmap.render_png(grid)
    assert png == heatmap.render_png(grid)
    assert not re.search(rb"<dc:date>|\d{4}-\d{2}-\d{2}T\d{2}", goal_svg)
    assert b"tIME" not in png  # no PNG time chunk
    assert b"Software" not in png


def test_png_is_a4_wide_at_200_dpi(grids):
    png = heatmap.render_png(grids[("goal", None)])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == round(heatmap.PAGE_WIDTH * heatmap.PNG_DPI)
    assert height > width / 2


def test_csv_prints_like_the_canned_query(engine, grids):
    grid = grids[("goal", None)]
    assert coverage.render_csv(grid).decode().splitlines()[0] == ",".join(
        ["lineCode", *(f"g{n}" for n in range(1, 18)), "total"])
    assert len(coverage.render_csv(grid).decode().splitlines()) == 1 + len(grid.lines)


def test_a_basis_without_links_still_draws(grids):
    grid = coverage.Coverage("target", "report", grids[("goal", None)].lines, [], grids[("goal", None)].goals)
    svg = heatmap.render_svg(grid)
    assert b"row-C2" in svg


@pytest.mark.parametrize(("suffix", "start"), [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".csv", b"lineCode,g1,")])
def test_cli_writes_each_format(store_location, tmp_path, suffix, start):
    out = tmp_path / f"grid{suffix}"
    result = CliRunner().invoke(main, ["coverage", "--store", str(store_location), "--basis", "matrix", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_rejects_an_unknown_format_and_writes_nothing(store_location, tmp_path):
    out = tmp_path / "grid.pdf"
    result = CliRunner().invoke(main, ["coverage", "--store", str(store_location), "-o", str(out)])
    assert result.exit_code == 2
    assert "unknown output type" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_cli_table_by_default(store_location):
    result = CliRunner().invoke(main, ["coverage", "--store", str(store_location), "--level", "target"])
    assert result.exit_code == 0, result.output
    assert "SDG targets" in result.stdout


def test_unknown_level_or_basis_is_an_error(engine):
    with pytest.raises(coverage.WsisgraphError):
        coverage.compute(engine, "indicator")
    with pytest.raises(coverage.WsisgraphError):
        coverage.compute(engine, "goal", "rumour")
