"""The graph in the six UN languages: the translated titles as built, the language shapes, and the
language tools (tag check, folding, the search pattern)."""

import csv
import json
import re
import unicodedata

import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, Store

from conftest import REPO, select
from wsisgraph.cli import main
from wsisgraph.core import languages, settings
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import display
from wsisgraph.graph import build, validate
from wsisgraph.sparql import query

PREFIXES = """
PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
TRANSLATIONS = REPO / "data" / "sdg" / "translations.csv"
GRAPH = "https://w3id.org/wsisgraph/graph/sdg/translations"
SOURCE = "https://w3id.org/wsisgraph/id/source/open-sdg-translations"
ID = "https://w3id.org/wsisgraph/id/sdg/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def labels(store, node: str, prop: str = "skos:prefLabel") -> dict[str, str]:
    """The node's texts by language tag, normalised to NFC as the converter stores them."""
    rows = select(store, PREFIXES + f"SELECT ?l (LANG(?l) AS ?lang) WHERE {{ <{ID}{node}> {prop} ?l }}")
    return {r["lang"]: r["l"] for r in rows}


def source_rows() -> list[dict[str, str]]:
    with TRANSLATIONS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The data as built ---------------------------------------------------------------------------------

def test_source_rows_per_language():
    """6 x (17 goal titles + 17 short titles + 169 target titles + 247 indicator titles) = 2700."""
    rows = source_rows()
    assert len(rows) == 2700
    for lang in languages.UN_LANGUAGES:
        mine = [r for r in rows if r["lang"] == lang]
        assert sum(r["kind"] == "goal" and r["field"] == "title" for r in mine) == 17
        assert sum(r["kind"] == "goal" and r["field"] == "short_title" for r in mine) == 17
        assert sum(r["kind"] == "target" for r in mine) == 169
        assert sum(r["kind"] == "indicator" for r in mine) == 247


@pytest.mark.parametrize(("cls", "prop", "per_language"), [
    ("SDGGoal", "dcterms:title", 17), ("SDGGoal", "wsis:shortTitle", 17), ("SDGGoal", "skos:prefLabel", 17),
    ("SDGTarget", "dcterms:title", 169), ("SDGTarget", "skos:prefLabel", 169),
])
def test_goals_and_targets_in_six_languages(store, cls, prop, per_language):
    rows = select(store, PREFIXES + f"""SELECT ?lang (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?x a wsis:{cls} ; {prop} ?l BIND(LANG(?l) AS ?lang) }} GROUP BY ?lang""")
    assert {r["lang"]: int(r["n"]) for r in rows} == {lang.lower(): per_language for lang in languages.UN_LANGUAGES}


def test_indicator_titles_in_six_languages(store):
    """247 codes per language are 232 indicator nodes: 16 codes repeat an indicator listed first under
    another code (their rows label that one node), 11.5.3 has no translation, and for 5 indicators the
    translation renders an earlier wording (skos:altLabel, not the title). English: all 232."""
    rows = select(store, PREFIXES + """SELECT ?lang (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a wsis:SDGIndicator ; dcterms:title ?l BIND(LANG(?l) AS ?lang) } GROUP BY ?lang""")
    assert {r["lang"]: int(r["n"]) for r in rows} == {"en": 232, **{lang.lower(): 232 - 1 - 5 for lang in
                                                                     ("ar", "zh-Hans", "fr", "ru", "es")}}
    codes = {r["code"] for r in source_rows() if r["kind"] == "indicator" and r["lang"] == "fr"}
    assert len(codes) == 247 and "11.5.3" not in codes


def test_target_9c_in_six_languages(store):
    assert labels(store, "target/9.c") == {lang: unicodedata.normalize("NFC", text) for lang, text in {
        "ar": "تحقيق زيادة كبيرة في فرص الحصول على تكنولوجيا المعلومات والاتصــالات، "
            "والســعي إلى توفير فرص الوصــول الشــامل والميسـور إلى شـبكة الإنترنـت"
            " في أقـل البلـدان نموا، بحلول عـام 2020",
        "zh-hans": "大幅提升信息和通信技术的普及度,力争到2020年在最不发达国家以低廉的价格普遍提供因特网服务",
        "en": "Significantly increase access to information and communications techno"
            "logy and strive to provide universal and affordable access to the Inte"
            "rnet in least developed countries by 2020",
        "fr": "Accroître nettement l’accès aux technologies de l’information et des"
            " communications et faire en sorte que tous les habitants des pays les "
            "moins avancés aient accès à Internet à un coût abordable d’ici à"
            " 2020",
        "ru": "Существенно расширить доступ к информационно-коммуникационным технолог"
            "иям и стремиться к обеспечению всеобщего и недорогого доступа к Интерн"
            "ету в наименее развитых странах к 2020 году",
        "es": "Aumentar significativamente el acceso a la tecnología de la informaci"
            "ón y las comunicaciones y esforzarse por proporcionar acceso universa"
            "l y asequible a Internet en los países menos adelantados de aquí a 2"
            "020",
    }.items()}


def test_goal_1_short_title_in_russian(store):
    assert labels(store, "goal/1", "wsis:shortTitle")["ru"] == "Ликвидация нищеты"
    assert labels(store, "goal/1")["ru"] == "Ликвидация нищеты"
    assert labels(store, "goal/1", "dcterms:title")["ru"] == "Повсеместная ликвидация нищеты во всех ее формах"


def test_indicator_11_5_3_says_it_has_no_translation(store):
    assert set(labels(store, "indicator/11.5.3")) == {"en"}
    caveats = labels(store, "indicator/11.5.3", "wsis:caveat")
    assert "no title of this indicator in Arabic, Chinese, French, Russian or Spanish" in caveats["en"]


def test_earlier_wording_is_an_alternative_label_with_a_caveat(store):
    """2.5.1's translations render the wording before "(a) plant and (b) animal": never its title."""
    titles = labels(store, "indicator/2.5.1", "dcterms:title")
    assert set(titles) == {"en"} and titles["en"].startswith("Number of (a) plant and (b) animal")
    alternatives = labels(store, "indicator/2.5.1", "skos:altLabel")
    assert set(alternatives) == {lang.lower() for lang in languages.UN_LANGUAGES}
    assert alternatives["en"].startswith("Number of plant and animal genetic resources")
    assert "earlier English wording" in labels(store, "indicator/2.5.1", "wsis:caveat")["en"]
    differs = {r["code"] for r in source_rows() if r["english_matches_framework"] == "differs"}
    assert differs == {"2.5.1", "5.3.2", "10.7.2", "12.c.1", "15.4.2"}


def test_every_translated_label_is_in_its_graph_with_its_source(store):
    """Each label not in English sits in graph sdg/translations, on a node citing the source."""
    rows = select(store, PREFIXES + f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH <{GRAPH}> {{ ?x ?p ?l FILTER(isLiteral(?l) && LANG(?l) != "en") }}
        FILTER NOT EXISTS {{ GRAPH <{GRAPH}> {{ ?x wsis:referenceSource <{SOURCE}> }} }} }}""")
    assert rows[0]["n"] == "0"
    rows = select(store, PREFIXES + f"""SELECT (COUNT(*) AS ?n) WHERE {{
        ?x skos:prefLabel ?l FILTER(LANG(?l) != "en") FILTER NOT EXISTS {{ GRAPH <{GRAPH}> {{ ?x skos:prefLabel ?l }} }}
        ?x a ?c FILTER(?c IN (wsis:SDGGoal, wsis:SDGTarget, wsis:SDGIndicator)) }}""")
    assert rows[0]["n"] == "0"
    described = select(store, PREFIXES + f"SELECT ?a WHERE {{ <{SOURCE}> wsis:authority ?a }}")
    assert described


def test_at_most_one_preferred_label_per_language(store):
    rows = select(store, PREFIXES + """SELECT ?x WHERE { ?x skos:prefLabel ?a, ?b
        FILTER(?a != ?b && LANG(?a) = LANG(?b)) } LIMIT 5""")
    assert rows == []


# The shapes --------------------------------------------------------------------------------------------

def test_shipped_data_warns_only_where_the_source_has_no_translation():
    report = build.validate_shipped()
    assert report.conforms
    mine = [r for r in report.results if display(r.rule) == "wsish:SDGConcept-sixLanguages-present"]
    assert sorted((display(r.focus.value), r.value.value) for r in mine) == [
        ("id:sdg/indicator/11.5.3", lang) for lang in ("ar", "es", "fr", "ru", "zh-Hans")]


BAD_TAG = """
@prefix wsis: <https://w3id.org/wsisgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/x> a wsis:Organisation ; rdfs:label "Example"@en , "Exemple"@fr-a .
"""


def test_ill_formed_language_tag_breaks_the_shape_in_a_third_party_validator():
    """pyoxigraph refuses `@fr-a` (a singleton with no extension) while parsing; rdflib reads it, so
    pySHACL applies the shape."""
    data = rdflib.Graph().parse(data=BAD_TAG, format="turtle")
    shapes = rdflib.Graph().parse(validate.shapes_path())
    conforms, graph, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    broken = {str(o) for o in graph.objects(None, sh.sourceShape)}
    assert str(validate.SHAPES_NS) + "Languages" in broken


# Language tools ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["ar", "zh-Hans", "en", "fr", "ru", "es", "en-GB", "sr-Latn-RS", "de-CH-1996",
                                 "x-private", "es-419"])
def test_well_formed_tags(tag):
    assert languages.check_tag(tag) == tag


@pytest.mark.parametrize("tag", ["", "francais1", "en_GB", "e", "zh-", "-fr", "en GB", "abcdefghi"])
def test_ill_formed_tags(tag):
    with pytest.raises(WsisgraphError, match="BCP 47"):
        languages.check_tag(tag)


def test_shapes_use_the_same_tag_pattern():
    text = validate.shapes_path().read_text(encoding="utf-8")
    assert languages.BCP47.pattern.replace("\\", "\\\\") in text


@pytest.mark.parametrize(("text", "folded"), [
    ("Éliminer la PAUVRETÉ", "eliminer la pauvrete"), ("ПОБЕДА Ёлка й", "победа елка и"),
    ("贫穷", "贫穷"), ("الاتصــالات", "الاتصالات"), ("أُمّ", "ام"), ("Año", "ano"),
])
def test_fold(text, folded):
    assert languages.fold(text) == folded


def test_direction():
    assert languages.direction("ar") == "rtl"
    assert {languages.direction(t) for t in ("zh-Hans", "en", "fr", "ru", "es")} == {"ltr"}


def test_default_language_comes_from_the_environment(store_location):
    """$WSISGRAPH_LANG sets --lang's default; a malformed tag there is a one-line error, exit 2."""
    args = ["query", "targets-for-action-line", "-p", "line=C2", "--store", str(store_location), "--format", "csv"]
    french = CliRunner().invoke(main, args, env={settings.LANG: "fr"})
    assert french.exit_code == 0, french.output
    assert "Pas de pauvreté" in french.stdout
    bad = CliRunner().invoke(main, args, env={settings.LANG: "français"})
    assert bad.exit_code == 2 and "BCP 47" in bad.output and "Traceback" not in bad.output



# Reading in a language: queries -------------------------------------------------------------------------

def cli(store_location, *args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, [*args, "--store", str(store_location)], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_targets_for_action_line_in_spanish(store_location):
    out = cli(store_location, "query", "targets-for-action-line", "-p", "line=C2", "--lang", "es", "-f", "markdown")
    assert "| C2 | 1 |  | Fin de la Pobreza | WSIS-SDG Matrix [en] |" in out
    assert "Aumentar significativamente el acceso a la tecnología" in out  # 9.c
    assert "Significantly increase access" not in out


def test_language_from_the_environment(store_location):
    out = cli(store_location, "query", "goal-coverage", "-p", "goal=1", "-f", "csv", env={"WSISGRAPH_LANG": "ru"})
    assert "Ликвидация нищеты" in out
    out = cli(store_location, "query", "goal-coverage", "-p", "goal=1", "-f", "csv", "--lang", "fr",
              env={"WSISGRAPH_LANG": "ru"})
    assert "Pas de pauvreté" in out


def test_fallback_to_english_is_marked(store_location):
    """11.5.3 has no French title: the table shows the English one marked [en]; JSON keeps xml:lang."""
    out = cli(store_location, "query", "indicators-for-action-line", "-p", "line=C2", "--lang", "fr", "-f", "markdown")
    row = next(line for line in out.splitlines() if "| 11.5.3 |" in line)
    assert "(a) Damage to critical infrastructure and (b) number of disruptions to basic services, attributed to " \
           "disasters [en] |" in row
    french = next(line for line in out.splitlines() if "| 9.c.1 |" in line)
    assert "Proportion de la population" in french and "[en]" not in french
    data = json.loads(cli(store_location, "query", "indicators-for-action-line", "-p", "line=C2", "--lang", "fr",
                          "-f", "json"))
    tags = {b["indicatorCode"]["value"]: b["indicatorTitle"]["xml:lang"] for b in data["results"]["bindings"]}
    assert tags["11.5.3"] == "en" and tags["9.c.1"] == "fr"
    tsv = cli(store_location, "query", "indicators-for-action-line", "-p", "line=C2", "--lang", "fr", "-f", "tsv")
    assert '"@en\t' in next(line for line in tsv.splitlines() if '"11.5.3"' in line)


def test_table_marks_the_fallback(store_location):
    out = cli(store_location, "query", "facilitators", "-p", "agency=UNESCO", "--lang", "ar")
    assert "[en]" in out


def test_ill_formed_language_is_a_one_line_error(store_location):
    result = CliRunner().invoke(main, ["query", "facilitators", "--lang", "fr_FR", "--store", str(store_location)])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        "error: 'fr_FR' is not a BCP 47 language tag (e.g. ar, zh-Hans, en, fr, ru, es)"]


def test_canned_queries_take_the_language_as_a_parameter():
    """No query pastes a language: "en" appears only as the English fallback beside ?lang."""
    for canned in query.catalog().values():
        for line in canned.text.splitlines():
            if '"en"' in line and not line.lstrip().startswith("#"):
                assert "English" in line, f"{canned.name}: {line.strip()}"
        if "?lang" in canned.text:
            assert canned.params["lang"].type == "language" and canned.params["lang"].default == "en"


# Search across languages ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "language"), [
    ("pauvreté", "fr"), ("PAUVRETE", "fr"), ("贫穷", "zh-hans"), ("нищеты", "ru"), ("ПОБРЕЗА", None),
    ("pobreza", "es"), ("الفقر", "ar"), ("poverty", "en"),
])
def test_search_finds_goal_1_in_any_language(engine, text, language):
    result = query.run_canned(engine, query.find("search"), {"text": text})
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    goal = [r for r in rows if r["entity"].value == ID + "goal/1"]
    if language is None:
        assert goal == []
    else:
        assert [r["language"].value for r in goal] == [language]
        assert goal[0]["label"].value == "No poverty"


def test_search_label_follows_the_asked_language(engine):
    result = query.run_canned(engine, query.find("search"), {"text": "贫穷", "lang": "fr"})
    labels = {row[result.variables.index("code")].value: row[result.variables.index("label")].value
              for row in result.rows}
    assert labels["1"] == "Pas de pauvreté"


def test_search_ignores_tatweel_and_hamza(engine):
    """9.c's Arabic title writes الاتصــالات with tatweel; a search without it still finds it."""
    result = query.run_canned(engine, query.find("search"), {"text": "الاتصالات"})
    assert "9.c" in {row[result.variables.index("code")].value for row in result.rows}


def test_query_folds_every_character_of_the_data_as_python_does(store):
    """The query's REPLACE chain and languages.fold agree on every letter of the graph's texts: a
    one-literal store per folded form is searched for that form."""
    texts = {q.object.value for q in store.quads_for_pattern(None, None, None) if isinstance(q.object, Literal)}
    letters = sorted({c for text in texts for c in text if c.isalpha() and languages.fold(c) != c.lower()})
    assert letters, "the data has accented letters"
    probe = Store()
    for i, letter in enumerate(letters):
        probe.add(Quad(NamedNode(f"https://example.org/{i}"), NamedNode(SKOS + "prefLabel"),
                       Literal(f"x{letter}x", language="fr")))
    engine = query.EmbeddedEngine(probe)
    for i, letter in enumerate(letters):
        result = query.run_canned(engine, query.find("search"), {"text": f"x{languages.fold(letter)}x"})
        assert f"https://example.org/{i}" in {row[-1].value for row in result.rows}, letter


# Reading in a language: the coverage picture ------------------------------------------------------------

@pytest.mark.parametrize(("lang", "goal_1"), [("ar", "لا فقر"), ("zh-Hans", "无贫穷"), ("ru", "Ликвидация нищеты")])
def test_coverage_labels_in_the_language_draw_every_glyph(engine, lang, goal_1, recwarn):
    """Goal titles come in the language; action lines have English titles only, and the legend says
    so. matplotlib shapes Arabic right to left itself; a glyph missing from the fonts would warn."""
    from wsisgraph.views import coverage, heatmap

    grid = coverage.compute(engine, "goal", None, lang)
    assert grid.goals[0].label == goal_1
    assert grid.fallbacks == len(grid.lines) == 19
    png = heatmap.render_png(grid)
    svg = heatmap.render_svg(grid).decode()
    assert png.startswith(b"\x89PNG")
    assert goal_1 in svg  # the tooltips keep the text
    assert not [w for w in recwarn.list if "missing from" in str(w.message)], [str(w.message) for w in recwarn.list]


def test_coverage_command_in_arabic(store_location, tmp_path):
    out = tmp_path / "ar.svg"
    result = CliRunner().invoke(main, ["coverage", "--lang", "ar", "-o", str(out), "--store", str(store_location)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "لا فقر" in svg  # goal 1's tooltip, in Arabic
    english = tmp_path / "en.svg"
    CliRunner().invoke(main, ["coverage", "-o", str(english), "--store", str(store_location)])
    assert english.read_bytes() != out.read_bytes()


def test_export_keeps_only_the_languages_asked(store_location):
    nt = cli(store_location, "export", "-f", "nt", "--lang", "fr,en")
    tags = set(re.findall(r'"@([a-zA-Z-]+) \.$', nt, re.MULTILINE))
    assert tags == {"fr", "en"}
    everything = cli(store_location, "export", "-f", "nt")
    assert set(re.findall(r'"@([a-zA-Z-]+) \.$', everything, re.MULTILINE)) >= {"ar", "zh-hans", "fr", "ru", "es", "en"}
    untagged = [line for line in everything.splitlines() if line.endswith('" .') or '"^^<' in line]
    assert all(line in nt for line in untagged[:200])


def test_every_interface_phrase_is_in_every_un_language_with_the_same_placeholders():
    """core/messages.yaml is data a translator edits: each language has each English key, and fills
    in the same {values} (a renamed placeholder would fail only when that phrase is shown)."""
    import string

    from wsisgraph.core import messages

    table = messages.messages()
    assert set(table) == {tag.lower() for tag in languages.UN_LANGUAGES}

    def fields(phrase: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(phrase) if name}

    for tag, phrases in table.items():
        assert set(phrases) == set(table["en"]), tag
        for key, phrase in phrases.items():
            assert fields(phrase) == fields(table["en"][key]), (tag, key)
