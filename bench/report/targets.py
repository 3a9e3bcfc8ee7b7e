#!/usr/bin/env python3
# targets.py - checks each target of issue 5 against one run's results and writes the summary
# table of docs/performance.md (target, measured, met). Used by render.py.
import math

# Google Benchmark's own fields; everything else in a benchmark entry is a user counter.
GBENCH_FIELDS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "threads", "aggregate_name", "aggregate_unit", "iterations", "real_time", "cpu_time",
    "time_unit", "repetition_index", "error_occurred", "error_message", "label",
    "bytes_per_second", "items_per_second"}

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Micro-benchmark families (bench/micro): the decision including the scope relation, and table
# loading at three sizes.
DECIDE_WITH_RELATION = "BM_DecideWithRelation"
LOAD = "BM_LoadAndVerify"


def to_ns(benchmark):
    return benchmark["real_time"] * UNIT_NS[benchmark["time_unit"]]


def medians(micro, family):
    return [b for b in micro["benchmarks"] if b.get("aggregate_name") == "median" and
            b["run_name"].split("/")[0] == family]


def row(target, measured, met):
    return "| %s | %s | %s |" % (target, measured, "met" if met else "**missed**")


def allocations(benchmark):
    """The heap allocations a benchmark counted in its timed loop (its `allocs...` counter), or
    infinity when it has no such counter."""
    counts = [value for key, value in benchmark.items() if key.startswith("allocs")]
    return max(counts) if counts else math.inf


def decide_rows(micros):
    """micros: [(label, Google Benchmark JSON)], one per table the benchmarks ran on."""
    rows, allocs = [], 0
    for label, micro in micros:
        runs = medians(micro, DECIDE_WITH_RELATION)
        worst = max(to_ns(b) for b in runs)
        measured = ", ".join("%s: %.1f ns" % (b["run_name"].split("/", 1)[1], to_ns(b))
                             for b in runs)
        rows.append(row("`decide` ≤ 20 ns median, scope relation included (%s)" % label,
                        measured, worst <= 20))
        # Every decide benchmark counts its allocations, per decision, call or page (counters
        # named `allocs_per_decision`, `allocs/call`, ...); one without a counter counts as
        # allocating.
        allocs = max([allocs] + [allocations(b) for b in micro["benchmarks"]
                                 if "Decide" in b["run_name"]])
    rows.append(row("`decide` allocates nothing", "%g allocations per decision (most of any "
                    "decide benchmark)" % allocs, allocs == 0))
    return rows


def ratio_rows(peers):
    rows = []
    for engine, label, factor in [("cedar", "Cedar", 1000), ("casbin", "Casbin", 1000),
                                  ("js", "the hand-written JS check", 10)]:
        found = ratios(peers, engine)
        measured = ", ".join("%s %s×" % (size, "{:,}".format(round(r))) for size, r in found)
        rows.append(row("≥ %s× faster than %s per decision (p50)" % ("{:,}".format(factor), label),
                        measured, bool(found) and all(r >= factor for _, r in found)))
    return rows


def load_rows(micro, compiled):
    runs = medians(micro, LOAD)
    per_mb = [(b, to_ns(b) / 1e6 / (b["bytes"] / 1e6)) for b in runs]
    big = [(b, v) for b, v in per_mb if b["bytes"] >= 1e6]  # 1 KB is all fixed cost
    measured = ", ".join("%s: %.3f ms/MB" % (b["run_name"].split("/", 1)[1], v) for b, v in per_mb)
    rows = [row("table load + verify ≤ 1 ms per MB (1 MB and 50 MB)", measured,
                bool(big) and all(v <= 1 for _, v in big))]
    cells = []
    for s in compiled["sizes"]:
        dense = 8 * math.ceil(s["roles"] / 64) * s["permissions"] * 4
        cell_count = s["roles"] * s["permissions"] * 4
        cells.append((s, dense * 8 / cell_count, s["table_bytes"] - dense))
    measured = "; ".join("%s roles: %.2f bit/cell + %s KiB" % (
        "{:,}".format(s["roles"]), bits, "{:,}".format(round(rest / 1024)))
        for s, bits, rest in cells)
    rows.append(row("table ≤ 1 bit per (role, permission, relation) + headers "
                    "(names, sparse rules)", measured,
                    all(bits <= 1.0 + 64 / s["roles"] for s, bits, _ in cells)))
    return rows


def compile_rows(compiled):
    slowest = max(compiled["examples"], key=lambda x: x["check_s"])
    rows = [row("`lattice check` on any example < 50 ms per process",
                "slowest: %s, %.1f ms" % (slowest["name"], slowest["check_s"] * 1000),
                slowest["check_s"] < 0.05)]
    sizes = sorted(compiled["sizes"], key=lambda s: s["roles"])
    largest = sizes[-1]
    rows.append(row("`lattice check` at %s roles < 2 s and < 1 GiB" % "{:,}".format(
        largest["roles"]), "%.2f s, %.0f MiB" % (largest["check_s"], largest["check_rss_kib"] / 1024),
        largest["roles"] >= 10000 and largest["check_s"] < 2 and
        largest["check_rss_kib"] < 1024 * 1024))
    # Linear: each step's growth in time and memory at most the growth in policy size (+25 %
    # for noise and fixed costs that do not shrink).
    steps, linear = [], True
    for small, big in zip(sizes, sizes[1:]):
        grow = big["policy_bytes"] / small["policy_bytes"]
        time = big["check_s"] / small["check_s"]
        memory = big["check_rss_kib"] / small["check_rss_kib"]
        steps.append("%s→%s roles: source ×%.1f, time ×%.1f, memory ×%.1f" % (
            "{:,}".format(small["roles"]), "{:,}".format(big["roles"]), grow, time, memory))
        linear = linear and time <= 1.25 * grow and memory <= 1.25 * grow
    rows.append(row("`check` time and memory grow no worse than linearly (each step within "
                    "1.25× the growth of the source)", "; ".join(steps),
                    linear))
    return rows


def median_of(micro, run_name):
    found = [b for b in micro["benchmarks"]
             if b.get("aggregate_name") == "median" and b["run_name"] == run_name]
    return to_ns(found[0]) if found else None


def membership_rows(micros):
    """Issue 11: memberships through principal handles (bench/micro/access_bench.cpp)."""
    rows = []
    for label, micro in micros:
        one = median_of(micro, "BM_DecideAs_Paths/memberships:1")
        eight = median_of(micro, "BM_DecideAs_Paths/memberships:8")
        path = median_of(micro, "BM_RelationOfPaths")
        if one is None or eight is None or path is None:
            continue
        rows.append(row("principal handle, 1 membership of 3 roles ≤ 20 ns median (%s)" % label,
                        "%.1f ns" % one, one <= 20))
        further = (eight - one) / 7
        rows.append(row("each further membership ≤ 5 ns (%s)" % label,
                        "%.1f ns (8 memberships: %.1f ns)" % (further, eight), further <= 5))
        rows.append(row("relation by ancestor path at depth 8 ≤ 5 ns (%s)" % label,
                        "%.1f ns" % path, path <= 5))
    return rows


def table(micros, peers, compiled):
    return (["| target | measured | |", "|---|---|---|"] + decide_rows(micros) +
            membership_rows(micros) + ratio_rows(peers) + load_rows(micros[-1][1], compiled) +
            compile_rows(compiled))


# ---- Issue 16: the strongest peers, the floor, and the host's real cost ----------------------

# The hand-written C++ floor of bench/micro (another part of issue 16): any Google Benchmark
# family whose name contains this word; absent from runs that predate it.
FLOOR_WORD = "Floor"


def p50(result, engine):
    """The engine's median ns per decision in one harness result, or None if it did not run."""
    for e in result["engines"]:
        if e["name"] == engine and "ns_p50" in e:
            return e["ns_p50"]
    return None


def ratios(peers, engine, base="lattice"):
    """[(size, engine's p50 / base's p50)] over the sizes where both ran."""
    out = []
    for size, result in peers:
        a, b = p50(result, engine), p50(result, base)
        if a is not None and b:
            out.append((size, a / b))
    return out


def times(r):
    """A ratio as the report writes it: 1,234× from 10 up, 2.5× below."""
    return "%s×" % ("{:,}".format(round(r)) if r >= 10 else "%.1f" % r)


def ratio_row(target, peers, engine, factor, base="lattice"):
    found = ratios(peers, engine, base)
    measured = ", ".join("%s %s" % (size, times(r)) for size, r in found)
    return row(target, measured or "not run", bool(found) and all(r >= factor for _, r in found))


def floor_benchmarks(micros):
    return [b for _, micro in micros for b in micro["benchmarks"]
            if b.get("aggregate_name") == "median" and FLOOR_WORD in b["run_name"]]


# bench/micro/host_bench.cpp's pairs on the same records and requests, per size: the floor, and
# lattice_decide (with the relation from labels) and a principal handle.
HOST_FLOOR, HOST_DECIDE, HOST_PRINCIPAL = "BM_Host_Floor", "BM_Host_Decide", "BM_Host_Principal"


def host_floor_row(micros):
    """The floor row from the paired host benchmarks, or None if the run has none."""
    pairs, worst = [], 0.0
    for label, micro in micros:
        for b in medians(micro, HOST_FLOOR):
            size = b["run_name"].split("/", 1)[-1]
            decide = median_of(micro, HOST_DECIDE + "/" + size)
            handle = median_of(micro, HOST_PRINCIPAL + "/" + size)
            if decide is None:
                continue
            worst = max(worst, decide / to_ns(b))
            pairs.append("%s, %s: floor %.1f ns, decide %.1f ns (%.1f×)%s" % (
                label, size, to_ns(b), decide, decide / to_ns(b),
                ", principal handle %.1f ns (%.1f×)" % (handle, handle / to_ns(b))
                if handle else ""))
    if not pairs:
        return None
    return row("Lattice decide within 2× of the hand-written C++ floor at every size",
               "; ".join(pairs), worst <= 2)


def floor_row(micros):
    paired = host_floor_row(micros)
    if paired:
        return paired
    floors = floor_benchmarks(micros)
    if not floors:
        return ("| Lattice decide within 2× of the hand-written C++ floor at every size | no "
                "`%s` benchmark in this run's bench/micro results | **not measured** |" %
                FLOOR_WORD)
    decide = {b["run_name"].split("/", 1)[-1]: to_ns(b) for _, micro in micros
              for b in medians(micro, DECIDE_WITH_RELATION)}
    measured = ", ".join("`%s` %.1f ns" % (b["run_name"], to_ns(b)) for b in floors)
    worst = max(decide.values()) / min(to_ns(b) for b in floors) if decide else math.inf
    return row("Lattice decide within 2× of the hand-written C++ floor at every size",
               "%s; `%s` at most %.1f ns (%.1f×)" % (measured, DECIDE_WITH_RELATION,
                                                     max(decide.values()), worst), worst <= 2)


def build_row(compiled):
    largest = max(compiled["sizes"], key=lambda s: s["roles"])
    extra = largest["build_s"] / largest["check_s"] - 1
    return row("`lattice build` at 10,000 roles within 10 % of `lattice check` (source map on)",
               "%s roles: build %.2f s, check %.2f s (+%.0f %%)" % (
                   "{:,}".format(largest["roles"]), largest["build_s"], largest["check_s"],
                   100 * extra), largest["roles"] >= 10000 and extra <= 0.10)


# The JS check on the requests lattice-names gets (user and resource by name, through the host's
# name indexes): the same work on both sides. Runs before it had the plain `js` only, which
# takes the user and the resource as array indexes and so does less than lattice-names.
JS_WITH_NAMES = "js-names"


def issue16_table(micros, full, plain, compiled):
    """full, plain: [(size, harness result)] of the bench policy and of plain RBAC."""
    rows = [floor_row(micros),
            ratio_row("≥ 1,000× Casbin Go, plain RBAC with domains (p50)", plain, "casbin-go",
                      1000),
            ratio_row("≥ 1,000× Casbin node, plain RBAC with domains (p50)", plain, "casbin",
                      1000),
            ratio_row("≥ 10,000× SpiceDB embedded, CheckPermission (p50)", full, "spicedb",
                      10000),
            ratio_row("≥ 10,000× SpiceDB embedded, bulk check per request (p50)", full,
                      "spicedb-bulk", 10000),
            ratio_row("≥ 2,000× Cedar-wasm (p50)", full, "cedar", 2000),
            ratio_row("≥ 10× the JavaScript check, Lattice with its name lookups (p50)", full,
                      JS_WITH_NAMES, 10, base="lattice-names"),
            build_row(compiled)]
    return ["| target | measured | |", "|---|---|---|"] + rows
