"""Render the runner's measurements as the markdown section of benchmarks/RESULTS.md, bars first.

Kept apart from run.py so the tables can be re-rendered from a saved --json file without
measuring again: `python benchmarks/report.py results.json`.
"""

import json
import sys
from pathlib import Path

from wsisgraph.core.output import write_atomic

ENGINE_TITLES = {"oxigraph-memory": "oxigraph memory", "oxigraph-disk": "oxigraph disk", "rdflib": "rdflib Graph",
                 "virtuoso": "Virtuoso"}
EMBEDDED = ("oxigraph-memory", "oxigraph-disk")
GOAL_QUERIES = ("coverage-matrix", "action-lines-for-goal")
BAR_SPEEDUP = 100.0
BAR_VIRTUOSO = 2.0
BAR_SHIPPED_QUERY = 0.020
BAR_MILLION_QUERY = 0.250
BAR_MILLION_SEARCH = 1.0  # `search` returns thousands of rows at 1M
BAR_EXPORT = 10.0
BAR_BUILD = 5.0
BAR_SHACL = 60.0


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.3g} ms"
    return f"{value:.3g} s"


def cell(result: dict | None) -> str:
    if not result:
        return "–"
    if "capped" in result:
        return f"> {seconds(result['capped'])} (capped)"
    if "error" in result:
        return "error"
    return seconds(result["median"])


def timing(result: dict | None) -> float | None:
    """The median, or the cap as a lower bound (flagged by the caller)."""
    if not result:
        return None
    return result.get("median", result.get("capped"))


def ratio(slow: dict | None, fast: dict | None) -> str:
    """slow ÷ fast; a capped side makes it a bound (≥ when the slow one was capped, ≤ when the fast
    one was), and two capped sides say nothing."""
    a, b = timing(slow), timing(fast)
    if a is None or b is None or b == 0 or "error" in (slow or {}) or "error" in (fast or {}):
        return "–"
    slow_capped, fast_capped = "capped" in slow, "capped" in fast
    if slow_capped and fast_capped:
        return "–"
    bound = "≥ " if slow_capped else "≤ " if fast_capped else ""
    return f"{bound}{a / b:.3g}×"


def size_title(size: dict) -> str:
    if size["label"] == "shipped":
        return f"Shipped graph ({size['quads']:,} quads)"
    return (f"{size['label']}: {size['activity_triples']:,} synthetic activity triples ({size['quads']:,} quads in the "
            "published graphs)")


def exported(result: dict | None) -> dict | None:
    """An export's measurement in the shape `cell` and `timing` read."""
    return {"median": result["seconds"]} if result and "seconds" in result else result


def size_table(size: dict) -> list[str]:
    engines = [e for e in ENGINE_TITLES if e in size["engines"]]
    has_virtuoso = "virtuoso" in engines
    ratio_heads = ["rdflib ÷ memory", "rdflib ÷ disk"] + (["memory ÷ Virtuoso", "disk ÷ Virtuoso"] if has_virtuoso
                                                            else [])
    lines = ["| step | " + " | ".join(ENGINE_TITLES[e] for e in engines) + " | " + " | ".join(ratio_heads) + " |",
             "|---" * (1 + len(engines) + len(ratio_heads)) + "|"]

    def row(step: str, pick) -> None:
        values = {e: pick(size["engines"][e]) for e in engines}
        ratios = [ratio(values.get("rdflib"), values.get(e)) for e in EMBEDDED]
        if has_virtuoso:
            ratios += [ratio(values.get(e), values.get("virtuoso")) for e in EMBEDDED]
        lines.append(f"| {step} | " + " | ".join(cell(values[e]) for e in engines) + " | " + " | ".join(ratios) + " |")

    row("load Turtle", lambda r: ({"median": r["load"]} if "load" in r else
                                  {"capped": r["load_capped"]} if "load_capped" in r else None))
    names = sorted({q for r in size["engines"].values() for q in r.get("queries", {})})
    for name in names:
        row(f"`{name}`", lambda r, n=name: r.get("queries", {}).get(n))
    row("export Turtle", lambda r: ({"median": r["export"]["seconds"]} if "seconds" in r.get("export", {}) else
                                    r.get("export")))
    for fmt in sorted({f for r in size["engines"].values() for f in r.get("exports", {})}):
        row(f"export {fmt}", lambda r, f=fmt: exported(r.get("exports", {}).get(f)))
    lines.append("| peak memory (process before loading) | " + " | ".join(
        f"{size['engines'][e]['peak_rss_kib'] / 1024:.0f} MiB ({size['engines'][e]['rss_before_load_kib'] / 1024:.0f})"
        if "peak_rss_kib" in size["engines"][e] else "–" for e in engines) + " |" + " |" * len(ratio_heads))
    writers = {e: r["writer_peak_rss_kib"] for e, r in size["engines"].items() if "writer_peak_rss_kib" in r}
    if writers:
        lines.append("| peak memory of the process that wrote the store | " + " | ".join(
            f"{writers[e] / 1024:.0f} MiB" if e in writers else "" for e in engines) + " |" + " |" * len(ratio_heads))
    failed = [f"{e}: {r['failed']}" for e, r in size["engines"].items() if "failed" in r]
    if failed:
        lines.append("")
        lines.append("Failed: " + "; ".join(failed))
    return lines


def agreement_lines(size: dict) -> list[str]:
    differ = {q: v for q, v in size["agreement"].items() if v["differing"]}
    lines = []
    if not differ:
        lines.append(f"Answers: each of the {len(size['agreement'])} queries gave the same rows on every engine "
                     "that answered it.")
    else:
        lines.append("Answers that differ:")
        lines += [f"- `{q}`: " + "; ".join(f"{engine} {detail}" for engine, detail in v["differing"].items())
                  + f" (compared with {v['reference']})" for q, v in sorted(differ.items())]
    errors = [f"`{q}` on {e}: {r['queries'][q]['error']}" for e, r in size["engines"].items()
              for q in sorted(r.get("queries", {})) if "error" in r["queries"][q]]
    errors += [f"Turtle export on {e}: {r['export']['error']}" for e, r in size["engines"].items()
               if "error" in r.get("export", {})]
    if errors:
        lines += ["", "Errors: " + "; ".join(errors)]
    return lines


def shacl_lines(size: dict) -> list[str]:
    runs = size.get("shacl") or {}
    if not runs:
        return []
    if any("skipped" in r for r in runs.values()):
        return [f"SHACL: {next(iter(runs.values())).get('skipped')}."]
    parts = []
    for engine, r in runs.items():
        if "capped" in r:
            parts.append(f"{engine}: > {seconds(r['capped'])} (capped)")
        elif "not_run" in r:
            parts.append(f"{engine}: not run ({r['not_run']})")
        elif "failed" in r:
            parts.append(f"{engine}: failed ({r['failed']})")
        else:
            parts.append(f"{r['method']}: {seconds(r['seconds'])}, {r['results']} results, "
                         f"peak {r['peak_rss_kib'] / 1024:.0f} MiB")
    same = shacl_same(size)
    verdict = "" if same is None else (" Same report: yes." if same else " Same report: NO.")
    faults = size.get("faults", 0) if size["activity_triples"] else 0
    data = (f"the same data with {faults} activities each breaking one rule" if faults else "the same data")
    return [f"SHACL validation of {data} (graphs `dataset` and `inferred` left out, as the build does; load "
            "included): " + "; ".join(parts) + "." + verdict]


def shacl_same(size: dict) -> bool | None:
    """Whether every validator's report equals plain pySHACL's (None where pySHACL did not finish)."""
    runs = size.get("shacl") or {}
    reference = runs.get("rdflib", {}).get("digest")
    others = [r["digest"] for e, r in runs.items() if e != "rdflib" and r.get("digest")]
    return None if reference is None or not others else all(d == reference for d in others)


def find_size(results: dict, triples: int) -> dict | None:
    return next((s for s in results["sizes"] if s["activity_triples"] == triples and s["label"] != "shipped"), None)


def shipped(results: dict) -> dict | None:
    return next((s for s in results["sizes"] if s["label"] == "shipped"), None)


def bar_rows(results: dict) -> list[str]:
    rows = ["| bar | measured | verdict |", "|---|---|---|"]
    size = find_size(results, 100_000)
    for name in GOAL_QUERIES:
        if not size or "rdflib" not in size["engines"]:
            rows.append(f"| embedded ≥ {BAR_SPEEDUP:g}× rdflib on `{name}` at 100k | not measured in this run | – |")
            continue
        base = size["engines"]["rdflib"].get("queries", {}).get(name)
        for engine in EMBEDDED:
            mine = size["engines"].get(engine, {}).get("queries", {}).get(name)
            got = timing(base) / timing(mine) if timing(base) and timing(mine) else None
            verdict = "–" if got is None else ("met" if got >= BAR_SPEEDUP else
                                               f"missed by {BAR_SPEEDUP / got:.2g}×")
            rows.append(f"| embedded ≥ {BAR_SPEEDUP:g}× rdflib on `{name}` at 100k ({ENGINE_TITLES[engine]}) | "
                        f"{ratio(base, mine)} ({cell(base)} vs {cell(mine)}) | {verdict} |")
    for label, compared in (("100k", size), ("1M", find_size(results, 1_000_000))):
        if not compared or "virtuoso" not in compared["engines"]:
            rows.append(f"| embedded within {BAR_VIRTUOSO:g}× of Virtuoso at {label} | not measured in this run | – |")
            continue
        for engine in EMBEDDED:
            worst, worst_name, over = 0.0, None, []
            for name, theirs in compared["engines"]["virtuoso"].get("queries", {}).items():
                mine = compared["engines"][engine].get("queries", {}).get(name)
                if timing(mine) and timing(theirs):
                    times = timing(mine) / timing(theirs)
                    over += [f"`{name}` {times:.2g}×"] if times > BAR_VIRTUOSO else []
                    if times > worst:
                        worst, worst_name = times, name
            verdict = "met" if not over else f"missed on {len(over)}: " + ", ".join(over)
            rows.append(f"| embedded within {BAR_VIRTUOSO:g}× of Virtuoso on every query at {label} "
                        f"({ENGINE_TITLES[engine]}) | worst {worst:.3g}× (`{worst_name}`) | {verdict} |")
    for label, size, limit in (("the shipped graph", shipped(results), BAR_SHIPPED_QUERY),
                               ("1M", find_size(results, 1_000_000), BAR_MILLION_QUERY)):
        if not size:
            rows.append(f"| every query ≤ {seconds(limit)} on {label} | not measured in this run | – |")
            continue
        search = f" (`search` ≤ {seconds(BAR_MILLION_SEARCH)})" if label == "1M" else ""
        for engine in EMBEDDED:
            queries = size["engines"].get(engine, {}).get("queries", {})
            slow = {n: timing(r) for n, r in queries.items() if timing(r) is None or timing(r) > (
                BAR_MILLION_SEARCH if search and n == "search" else limit)}
            worst = max(queries.items(), key=lambda item: timing(item[1]) or float("inf"), default=(None, None))
            measured = f"slowest `{worst[0]}` {cell(worst[1])}" if worst[0] else "no queries"
            verdict = "met" if not slow else f"missed on {len(slow)} of {len(queries)}: " + ", ".join(
                f"`{n}` {seconds(t) if t else 'error'}" for n, t in sorted(slow.items()))
            rows.append(f"| every query ≤ {seconds(limit)} on {label}{search} ({ENGINE_TITLES[engine]}) | {measured} | "
                        f"{verdict} |")
    million = find_size(results, 1_000_000)
    for engine in EMBEDDED if million else ():
        found = million["engines"].get(engine, {})
        times = {"turtle": exported(found.get("export")),
                 **{f: exported(r) for f, r in found.get("exports", {}).items()}}
        slow = {f: r for f, r in times.items() if not r or "median" not in r or r["median"] > BAR_EXPORT}
        worst = max(times.items(), key=lambda item: timing(item[1]) or float("inf"), default=(None, None))
        verdict = "met" if not slow else f"missed on {len(slow)}: " + ", ".join(
            f"{f} {cell(r)}" for f, r in slow.items())
        rows.append(f"| export at 1M in every format ≤ {BAR_EXPORT:g} s ({ENGINE_TITLES[engine]}) "
                    f"| slowest {worst[0]} {cell(worst[1])} | {verdict} |")
    if million and "virtuoso" in million["engines"] and "oxigraph-disk" in million["engines"]:
        mine = million["engines"]["oxigraph-disk"].get("peak_rss_kib")
        theirs = million["engines"]["virtuoso"].get("peak_rss_kib")
        if mine and theirs:
            verdict = "met" if mine <= theirs else f"missed by {mine / theirs:.2g}×"
            rows.append(f"| peak memory at 1M, oxigraph disk ≤ Virtuoso | {mine / 1024:.0f} MiB vs "
                        f"{theirs / 1024:.0f} MiB | {verdict} |")
    built = results.get("build", {})
    if "median" in built:
        verdict = "met" if built["median"] <= BAR_BUILD else f"missed by {built['median'] / BAR_BUILD:.2g}×"
        rows.append(f"| build of the shipped graph ≤ {BAR_BUILD:g} s | {seconds(built['median'])} "
                    f"(median of {built['n']}) | {verdict} |")
    runs = {e: r for e, r in ((million or {}).get("shacl") or {}).items() if e != "rdflib"}
    if not runs:
        rows.append(f"| SHACL validation at 1M ≤ {BAR_SHACL:g} s | not measured in this run | – |")
    for r in runs.values():
        if "seconds" in r:
            verdict = "met" if r["seconds"] <= BAR_SHACL else f"missed by {r['seconds'] / BAR_SHACL:.2g}×"
            rows.append(f"| SHACL validation at 1M ≤ {BAR_SHACL:g} s | {r['method']}: {seconds(r['seconds'])} | "
                        f"{verdict} |")
        elif "capped" in r:
            rows.append(f"| SHACL validation at 1M ≤ {BAR_SHACL:g} s | {r['engine']}: > {seconds(r['capped'])} "
                        "(capped) | missed |")
    compared = [(s["label"], shacl_same(s)) for s in results["sizes"] if shacl_same(s) is not None]
    if compared:
        rows.append("| the faster validators give the same report as plain pySHACL | " + ", ".join(
            f"{label}: {'same' if same else 'DIFFERENT'}" for label, same in compared) + " | " +
            ("met" if all(same for _, same in compared) else "missed") + " |")
    return rows


def render(results: dict) -> str:
    m = results["machine"]
    settings = results["settings"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    out = [
        "## Scale benchmarks (`benchmarks/run.py`)",
        "",
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB memory ({m['os']}). "
        "The cores are shared with other engineers' test runs, so single timings can be noisy; medians help, "
        "and ratios within one size were measured minutes apart.",
        f"Versions: {versions}.",
        f"Settings: seed {settings['seed']}; each query warmed up once, then up to {settings['repeats']} timed runs "
        f"within {settings['budget']:g} s (the median is shown; a warm-up slower than that is the one measurement); "
        f"each query or export is stopped after {settings['cap']:g} s and shown as capped (a lower bound, never a "
        f"guess). Every engine loads the same Turtle file in its own process; peak memory is that process's peak "
        "resident set (for Virtuoso, the server's). Data: the published graphs of the real graph as built (all "
        "but `inferred`, what every engine's default graph holds in use) plus N synthetic activity triples from "
        "`benchmarks/generate.py`. Exports stream to a file; the embedded engines also export every other format.",
        "",
        "### Bars",
        "",
        *bar_rows(results),
    ]
    if results.get("skipped_queries"):
        out += ["", "Queries not run: " + "; ".join(f"`{n}`: {why}" for n, why in results["skipped_queries"].items())]
    for size in results["sizes"]:
        out += ["", f"### {size_title(size)}", ""]
        if "load_average" in size:
            out += [f"Machine load average (1 min) when this size started and ended: "
                    f"{size['load_average'][0]:.1f} / {size['load_average'][1]:.1f} on {m['cores']} cores.", ""]
        out += [*size_table(size), "", *agreement_lines(size), *shacl_lines(size)]
    return "\n".join(out) + "\n"


def write(path: Path, section: str, begin: str, end: str) -> None:
    """Replace the text between the markers (or append it), leaving every other section as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{begin}\n{section}{end}\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1].removeprefix("\n")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block
    write_atomic(path, text.encode("utf-8"))


if __name__ == "__main__":
    from run import BEGIN, END, RESULTS
    measured = json.loads(Path(sys.argv[1]).read_text())
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else RESULTS
    write(target, render(measured), BEGIN, END)
