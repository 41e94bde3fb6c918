"""How good and how fast `wsisgraph ingest` is (issue 11), recorded in benchmarks/RESULTS.md.

Quality: the seed report (../shared/sources/000_4a7bf0ed2a01d9a4.txt) is ingested without writing
and its linked mentions are compared with the hand-curated graph of the same report
(data/report/cwg-wsis-sdg-39-40.ttl), counted per (passage, entity) and per kind. The curated
graph says which passage each thing comes from (wsis:sourcePassage) and which passage states each
relation (a wsis:SourcedStatement: wsis:statementSubject, wsis:statementObject and
wsis:sourcePassage); every such (passage, thing) pair is a reference citation. Because the curators
also sourced things a paragraph implies without naming them ("the secretariat" is ITU's), a second
reference keeps only the pairs whose passage prints one of the thing's names (label, altLabel,
notation, symbol); both are reported.

Speed: a 30-page report (the seed report's text repeated to about 30 pages of 3,000 characters)
read, cleaned, segmented, recognised, linked and turned into triples, without the store update
(timed apart: writing, validating the touched nodes and swapping in the new build); a 10,000-row
activity list read and turned into triples, likewise.

At scale (--scale 1m --documents 100, issue 15): a store holding benchmarks/generate.py's synthetic
activities (the same triples run.py measures, here as one ingested graph) and 100 ingested reports
(the seed report under 100 synthetic symbols) is built once; then `wsisgraph ingest` of one more
report and the first `wsisgraph query describe` of the new document are timed as separate commands,
as a user runs them: ingest-to-queryable.

    python benchmarks/ingest.py [--store DIR] [--markdown]
    python benchmarks/ingest.py --scale 1m --documents 100 [--markdown]
"""

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

import generate
from wsisgraph.core import namespaces
from wsisgraph.core.namespaces import ID, W, graph_iri
from wsisgraph.graph import build, store
from wsisgraph.ingest import activities, record, storage
from wsisgraph.ingest.link import ACTION_LINE_SCHEME, GraphIndex

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "sources" / "000_4a7bf0ed2a01d9a4.txt"
CURATED = REPO / "data" / "report" / "cwg-wsis-sdg-39-40.ttl"
PASSAGE = ID + "passage/cwg-wsis-sdg-39-40-report/"
KINDS = {  # benchmark kind -> classes (local names) of the linked node; documents: those with a symbol
    "resolutions": {"Resolution"},
    "document symbols": {"MeetingDocument", "Document", "Report", "Roadmap"},
    "meetings": {"Meeting"},
    "action lines": {"ActionLine"},
    "SDG codes": {"SDGGoal", "SDGTarget", "SDGIndicator", "ConceptScheme"},
    "processes": {"Process"},
    "organisations": {"Organisation"},
}
GOALS = {"resolutions": 0.95, "document symbols": 0.95, "meetings": 0.95, "action lines": 0.95, "SDG codes": 0.95,
         "processes": 0.85, "organisations": 0.85}
PAGE_CHARS = 3000


def kind_of(index: GraphIndex, iri: str) -> str | None:
    node = index.nodes.get(iri)
    if node is None:
        return None
    if iri == ACTION_LINE_SCHEME:  # "the WSIS Action Lines", as "the SDGs" is the SDG scheme
        return "action lines"
    kind = next((kind for kind, classes in KINDS.items() if node.cls in classes), None)
    if kind == "document symbols" and iri not in index.symbols.values():
        return None  # described documents ("the Secretary-General's report") are not symbol citations
    return kind


def reference(index: GraphIndex) -> set[tuple[str, str]]:
    """(passage key, entity IRI) pairs the curated graph sources to a passage of the report."""
    triples = [q.triple for q in parse(path=str(CURATED), format=RdfFormat.TURTLE)]
    statements = defaultdict(dict)
    pairs = set()
    for t in triples:
        if t.predicate == W.sourcePassage and t.object.value.startswith(PASSAGE):
            statements[t.subject].setdefault("passage", []).append(t.object.value)
        if t.predicate in (W.statementSubject, W.statementObject) and isinstance(t.object, NamedNode):
            statements[t.subject].setdefault("ends", []).append(t.object.value)
    for subject, facts in statements.items():
        for passage in facts.get("passage", []):
            key = passage.removeprefix(PASSAGE)
            for entity in [subject.value, *facts.get("ends", [])]:
                if kind_of(index, entity):
                    pairs.add((key, entity))
    return pairs


def names(index: GraphIndex) -> dict[str, set[str]]:
    """Every way the graph names a thing, plus the short forms a citation prints: a resolution's
    number, a meeting's ordinal ("39th"), "SDGs" for the SDG scheme."""
    out = defaultdict(set)
    for iri, node in index.nodes.items():
        tail = iri.rsplit("-", 1)[-1]
        if node.cls == "Resolution" and tail.isdigit():
            out[iri].add(f" {tail}")
        if node.cls == "Meeting" and tail.isdigit():
            out[iri].add(f"{tail}th")
    out[ID + "scheme/sdg"] |= {"sdgs", "sustainable development goals"}
    for phrase in index.phrases:
        out[phrase.iri].add(phrase.text.casefold())
    for symbol, iri in index.symbols.items():
        out[iri].add(symbol.casefold())
    for (_, code), iri in index.codes.items():
        out[iri].add(code.casefold())
    return out


def quality(index: GraphIndex) -> list[dict]:
    analysis = record.analyse(SEED, record.Options(key="benchmark-seed"), lambda key: index)
    texts = {r.passage.key: r.passage.text.casefold() for r in analysis.passages}
    predicted = {(r.passage.key, x.link.iri) for r in analysis.passages for x in r.linked
                 if kind_of(index, x.link.iri)}
    known = names(index)
    ref_all = reference(index)
    ref_named = {(p, e) for p, e in ref_all if any(n in texts.get(p, "") for n in known.get(e, ()))}
    rows = []
    for kind in KINDS:
        mine = {x for x in predicted if kind_of(index, x[1]) == kind}
        for label, ref in (("sourced", ref_all), ("named", ref_named)):
            theirs = {x for x in ref if kind_of(index, x[1]) == kind}
            tp = len(mine & theirs)
            rows.append({"kind": kind, "reference": label, "tp": tp, "fp": len(mine - theirs),
                         "fn": len(theirs - mine), "precision": tp / len(mine) if mine else float("nan"),
                         "recall": tp / len(theirs) if theirs else float("nan"),
                         "missed": sorted(theirs - mine), "extra": sorted(mine - theirs)})
    return rows


def timed(function, repeat: int = 5) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds (the CPU time shows the cost on a machine other jobs share)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def speed(location: Path, index: GraphIndex, folder: Path) -> dict[str, float]:
    seed = SEED.read_text(encoding="utf-8")
    long_report = folder / "report-30-pages.txt"
    copies = -(-30 * PAGE_CHARS // len(seed))
    long_report.write_text("\n".join([seed] * copies), encoding="utf-8")
    options = record.Options(key="benchmark-30-pages")
    report_time, report_cpu, _ = timed(lambda: record.triples(record.analyse(long_report, options, lambda key: index)))
    rows = folder / "activities-10000.csv"
    lines = [f"C{1 + i % 11}" for i in range(10_000)]
    targets = sorted(code for (cls, code), _ in index.codes.items() if cls == "SDGTarget")
    with rows.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Description", "Action lines", "SDG targets", "Organisation", "Date"])
        for i in range(10_000):
            writer.writerow([f"Activity {i}", f"Synthetic activity number {i}", lines[i],
                             f"{targets[i % len(targets)]}; {targets[(7 * i) % len(targets)]}", "ITU",
                             f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"])
    list_time, list_cpu, listing = timed(
        lambda: activities.read(rows, index, "benchmark-list", None, {}, False, None, ""), 3)
    graph = record.triples(record.analyse(long_report, options, lambda key: index))
    start = time.perf_counter()
    storage.write(location, {"ingested/benchmark-30-pages": graph})
    report_check = time.perf_counter() - start
    start = time.perf_counter()
    storage.write(location, {"ingested/benchmark-list": listing.triples})
    list_check = time.perf_counter() - start
    return {"report_chars": len(long_report.read_text(encoding="utf-8")), "report_s": report_time,
            "report_cpu_s": report_cpu, "list_cpu_s": list_cpu, "load": os.getloadavg()[0],
            "report_triples": len(graph), "report_check_s": report_check,
            "list_s": list_time, "list_triples": len(listing.triples), "list_check_s": list_check}


def markdown(rows: list[dict], timings: dict[str, float]) -> str:
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d")
    out = [f"## Ingestion (`benchmarks/ingest.py`, {when}, {platform.processor() or platform.machine()}, "
           f"Python {platform.python_version()})", "",
           "Linked mentions of the seed report against its hand-curated graph, per (passage, entity).",
           "`sourced`: every pair the curated graph sources to a passage; `named`: those whose passage prints",
           "one of the entity's names.", "",
           "| kind | reference | TP | FP | FN | precision | recall | goal |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['kind']} | {r['reference']} | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.2f} | "
                   f"{r['recall']:.2f} | {GOALS[r['kind']]:.2f} |")
    out += ["", f"Speed (load average {timings['load']:.1f} on {os.cpu_count()} cores while measuring):", "",
            "| job | size | median wall | median CPU | triples | store update (apart) | goal |",
            "|---|---|---|---|---|---|---|",
            f"| report: read, clean, segment, recognise, link, triples | {timings['report_chars']:,} characters "
            f"(~{timings['report_chars'] // PAGE_CHARS} pages) | {timings['report_s']:.2f} s | "
            f"{timings['report_cpu_s']:.2f} s | {timings['report_triples']:,} | {timings['report_check_s']:.1f} s "
            "| 2 s |",
            f"| activity list: read, check, triples | 10,000 rows | {timings['list_s']:.2f} s | "
            f"{timings['list_cpu_s']:.2f} s | {timings['list_triples']:,} | {timings['list_check_s']:.1f} s | 10 s |",
            ""]
    return "\n".join(out)


SCALE_SYMBOL = "SYNTHETIC-REPORT/{}"


def command(*args: str) -> float:
    """Wall seconds of one `wsisgraph` command, run as a user runs it."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "wsisgraph", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wsisgraph {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - start


def at_scale(size: int, documents: int, folder: Path) -> dict:
    """Ingest-to-queryable of one report into a store of `size` synthetic triples and `documents`
    ingested reports."""
    location = folder / "store"
    started = time.perf_counter()
    build.build(location)  # the shipped graph: what the documents are linked against
    reader = store.open_read_only(location)
    index = GraphIndex(reader, [g for g in reader.named_graphs() if isinstance(g, NamedNode)
                                and g != graph_iri(namespaces.INFERRED_GRAPH)])
    storage.folder(location).mkdir()
    for number in range(documents):
        key = f"synthetic-report-{number + 1:03d}"
        options = record.Options(key=key, symbol=SCALE_SYMBOL.format(number + 1),
                                 title=f"Synthetic report {number + 1}")
        graph = record.triples(record.analyse(SEED, options, lambda key: index))
        storage.path_for(location, key).write_bytes(storage.turtle(graph))
    triples = generate.activities(size, 1, generate.read_context(generate.real_graph()))
    storage.path_for(location, "synthetic-activities").write_bytes(storage.turtle(triples))
    del triples
    report = build.build(location)
    setup = time.perf_counter() - started
    key, symbol = f"synthetic-report-{documents + 1:03d}", SCALE_SYMBOL.format(documents + 1)
    ingest_s = command("ingest", str(SEED), "--key", key, "--symbol", symbol, "--store", str(location))
    query_s = command("query", "describe", "-p", f"entity={symbol}", "--store", str(location), "--format", "csv")
    citations_s = command("query", "citations", "-p", f"document={symbol}", "--store", str(location),
                          "--format", "csv")
    remove_s = command("ingest", "--remove", key, "--store", str(location))
    return {"quads": report.total, "documents": documents, "size": size, "setup_s": setup, "ingest_s": ingest_s,
            "query_s": query_s, "citations_s": citations_s, "remove_s": remove_s, "load": os.getloadavg()[0]}


def scale_markdown(result: dict) -> str:
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    total = result["ingest_s"] + result["query_s"]
    return "\n".join([
        f"### Ingest-to-queryable at scale (`benchmarks/ingest.py --scale`, {when})", "",
        f"A store of {result['quads']:,} quads: {result['size']:,} synthetic activity triples (benchmarks/generate.py, "
        f"seed 1) and {result['documents']} ingested reports, built once in {result['setup_s']:.0f} s. Then, each as "
        f"its own command: `wsisgraph ingest` of the seed report under a new key and symbol, the first `wsisgraph "
        f"query describe` of the new document (it answers with the document's facts), `query citations` of it (a "
        f"heavier canned query, whose speed at scale is the canned queries' own bar), and `wsisgraph ingest "
        f"--remove` of it. Load average "
        f"{result['load']:.1f} on {os.cpu_count()} cores after the run.", "",
        "| step | wall | goal |", "|---|---|---|",
        f"| `ingest` (read, recognise, link, write, update the store, validate the touched nodes) | "
        f"{result['ingest_s']:.2f} s | |",
        f"| first `query describe` of it | {result['query_s']:.2f} s | |",
        f"| **ingest-to-queryable** | **{total:.2f} s** | 5 s |",
        f"| `query citations` of it | {result['citations_s']:.2f} s | |",
        f"| `ingest --remove` | {result['remove_s']:.2f} s | |", ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build one in a temporary folder)")
    parser.add_argument("--markdown", action="store_true", help="print the RESULTS.md section")
    parser.add_argument("--scale", type=generate.parse_size, help="ingest-to-queryable at this many synthetic triples")
    parser.add_argument("--documents", type=int, default=100, help="ingested reports in the store (with --scale)")
    args = parser.parse_args()
    if args.scale is not None:
        with tempfile.TemporaryDirectory(prefix="wsisgraph-ingest-scale-") as tmp:
            result = at_scale(args.scale, args.documents, Path(tmp))
        print(scale_markdown(result) if args.markdown else result)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        location = args.store or Path(tmp) / "store"
        if not store.exists(location):
            build.build(location)
        reader = store.open_read_only(location)
        index = GraphIndex(reader, [g for g in reader.named_graphs() if isinstance(g, NamedNode)
                                    and g != graph_iri(namespaces.INFERRED_GRAPH)])
        rows = quality(index)
        timings = speed(location, index, Path(tmp))
    if args.markdown:
        print(markdown(rows, timings))
    else:
        for r in rows:
            print(f"{r['kind']:14} {r['reference']:8} P={r['precision']:.2f} R={r['recall']:.2f} "
                  f"tp={r['tp']} fp={r['fp']} fn={r['fn']}")
            if r["reference"] == "named":
                for label, items in (("missed", r["missed"]), ("extra", r["extra"])):
                    for passage, iri in items:
                        print(f"    {label}: {passage} {iri.removeprefix(ID)}")
        print(timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
