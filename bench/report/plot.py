#!/usr/bin/env python3
# plot.py - draws docs/performance.svg: ns per decision against scenario size for every engine,
# and compile/validate time against policy size. Called by render.py; needs Debian's matplotlib.
import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

# The same sources must give a byte-identical SVG: no date, fixed ids.
matplotlib.rcParams["svg.hashsalt"] = "lattice-performance"
matplotlib.rcParams["svg.fonttype"] = "none"

ENGINE_STYLE = {
    "lattice": ("Lattice (C++ runtime, dense ids)", "o", "#1b7837"),
    "lattice-names": ("Lattice host with names", "o", "#7fbc41"),
    "js": ("hand-written JS check", "s", "#762a83"),
    "js-names": ("hand-written JS check with names", "s", "#c2a5cf"),
    "casbin-go": ("Casbin (Go)", "v", "#b35806"),
    "casbin": ("Casbin (node)", "^", "#e08214"),
    "cedar": ("Cedar (wasm)", "D", "#2166ac"),
    "spicedb": ("SpiceDB embedded (CheckPermission)", "P", "#b2182b"),
    "spicedb-bulk": ("SpiceDB embedded (bulk, per check)", "X", "#f4a582"),
}


def finish(axes, xlabel, ylabel, title):
    """Log-log axes with labels, a grid and a legend."""
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)


def draw(path, peers, compile_sizes):
    """peers: [(accounts, results)] by size (the bench policy's workload); compile_sizes:
    compile.json's "sizes" list."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))

    for engine, (label, marker, color) in ENGINE_STYLE.items():
        points = [(accounts, e["ns_p50"]) for accounts, result in peers
                  for e in result["engines"] if e["name"] == engine and "ns_p50" in e]
        if points:
            left.plot(*zip(*points), marker=marker, color=color, label=label)
    finish(left, "accounts in the scenario (each with 5 sub-accounts)",
           "ns per decision (median over batches)", "Decision time, bench policy, same requests")

    roles = [s["roles"] for s in compile_sizes]
    for key, label, marker, color in [
            ("check_s", "lattice check (with analyzer)", "o", "#1b7837"),
            ("build_s", "lattice build", "v", "#5aae61"),
            ("cedar_validate_s", "Cedar validate (wasm)", "D", "#2166ac")]:
        points = [(r, s[key] * 1000) for r, s in zip(roles, compile_sizes)
                  if s.get(key) is not None]
        if points:
            right.plot(*zip(*points), marker=marker, color=color, label=label)
    finish(right, "roles in the generated policy", "wall time (ms)", "Compile and validate time")

    figure.tight_layout()
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
