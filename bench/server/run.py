#!/usr/bin/env python3
"""run.py - the decision server's full-length benchmark: HTTP keep-alive load at 1, 16 and 64
connections (decisions/s, p50/p99/p99.9), the batch endpoint, a reload storm, and the reload of a
1 MB bundle with answers going on (bench/server/reload_bench). Writes the figures as JSON and
splices the "Decision server" section into docs/performance.md (bench/report/server_section.py).

Usage: bench/server/run.py [--build build] [--seconds 10] [--reloads 200] [--roles 1050]
                           [--json build/server-bench.json] [--out docs/performance.md]
                           [--no-splice]
The tests of tests/server_load run the same measurements briefly in CTest.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "server_load"))
sys.path.insert(0, os.path.join(ROOT, "bench", "report"))
import server_load  # noqa: E402
import server_section  # noqa: E402


def load_average():
    with open("/proc/loadavg") as f:
        return " / ".join(f.read().split()[:3])


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def reload_figures(build, roles, reloads, work):
    """Two 1 MB-class bundles of the generated bench policy (revisions a and b), reloaded."""
    base = os.path.join(work, "bench")
    counts = json.loads(subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "compile", "gen_policy.py"), str(roles),
         base], check=True, capture_output=True, text=True).stdout)
    bundles = []
    for revision in ("a", "b"):
        out = os.path.join(work, revision + ".lbundle")
        subprocess.run([os.path.join(build, "bin", "lattice"), "build", base + ".lat",
                        "--revision", revision, "--bundle", "-o", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        bundles.append(out)
    run = subprocess.run([os.path.join(build, "bench", "server", "reload_bench")] + bundles +
                         [str(reloads)], check=True, capture_output=True, text=True, timeout=600)
    figures = json.loads(run.stdout)
    figures.update(roles=roles, permissions=counts["permissions"])
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--reloads", type=int, default=200)
    parser.add_argument("--roles", type=int, default=1050)  # about 1 MB of bundle
    parser.add_argument("--json", default=os.path.join(ROOT, "build", "server-bench.json"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.md"))
    parser.add_argument("--no-splice", action="store_true",
                        help="only write --json (bench/run.sh renders the whole page itself)")
    args = parser.parse_args()
    machine = {"date": datetime.date.today().isoformat(), "cpu": cpu_model(),
               "cores": os.cpu_count(), "load_before": load_average()}
    tests = argparse.Namespace(lattice=os.path.join(args.build, "bin", "lattice"),
                               serve=os.path.join(args.build, "bin", "lattice-serve"),
                               example=os.path.join(ROOT, "examples", "ev_charging"),
                               seconds=args.seconds)
    figures = {"seconds": args.seconds, "batch_size": server_load.BATCH_SIZE}
    for name in ("load", "storm"):
        with tempfile.TemporaryDirectory(prefix="lattice-server-bench-") as work:
            figures[name] = server_load.TESTS[name](tests, work)
    with tempfile.TemporaryDirectory(prefix="lattice-reload-bench-") as work:
        figures["reload"] = reload_figures(args.build, args.roles, args.reloads, work)
    machine["load_after"] = load_average()
    figures["machine"] = machine
    with open(args.json, "w") as f:
        json.dump(figures, f, indent=1)
    if args.no_splice:
        print("wrote %s" % args.json)
        return
    server_section.splice(args.out, server_section.render(figures))
    print("wrote %s and the \"Decision server\" section of %s" % (args.json, args.out))


if __name__ == "__main__":
    main()
