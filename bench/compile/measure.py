#!/usr/bin/env python3
# measure.py - the compile-side benchmark behind run.sh: `lattice check` / `lattice build` time and
# peak RSS on generated policies and the examples, and Cedar's `validate` on the same policies.
# Usage: measure.py LATTICE_BIN NODE_DIR OUT.json [--sizes 100,1000,10000] [--runs 3]
#        [--example-runs 10] [--cedar-runs 1] [--no-cedar]
#
# OUT.json: {"sizes": [{"roles", "permissions", "resources", "rules", "policy_bytes",
#   "check_s", "check_rss_kib", "build_s", "build_rss_kib", "table_bytes", "findings",
#   "findings_by_code": {"L1001": n, ...}, "cedar_policies", "cedar_policy_bytes",
#   "cedar_schema_bytes", "cedar_validate_s", "cedar_process_s", "cedar_rss_kib",
#   "cedar_errors", "cedar_version"}],
#  "examples": [{"name", "policy_bytes", "check_s", "check_rss_kib", "build_s", "build_rss_kib",
#   "table_bytes", "findings"}], "runs": {...}}
# Times are wall seconds of one process, best of N runs (the machine may be shared); RSS is the
# peak resident set of that process (/usr/bin/time), in KiB. Cedar fields are null with
# --no-cedar. Cedar's validator takes minutes at 10,000 roles, so it runs once by default.
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FINDING = re.compile(r"^\S.*: (?:warning|error)\[(L1\d{3})\]", re.M)


def run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
    """Runs argv once: (wall seconds, peak RSS KiB, exit code). The RSS comes from /usr/bin/time:
    a child forked from Python would count Python's own pages in its peak."""
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        code = subprocess.call(["/usr/bin/time", "-q", "-f", "%M", "-o", rss.name] + argv,
                               stdout=stdout, stderr=stderr)
        seconds = time.perf_counter() - start
        return seconds, int(rss.read().split()[-1]), code


def best(argv, runs, ok=(0,), **streams):
    """Best (shortest) of `runs` runs, with its RSS; fails if an exit code is not in `ok`."""
    results = []
    for _ in range(runs):
        seconds, kib, code = run(argv, **streams)
        if code not in ok:
            sys.exit("measure.py: %s exited %d" % (" ".join(argv), code))
        results.append((seconds, kib))
    return min(results)


def lattice_side(lattice, policy, work, runs):
    """check and build of one policy file."""
    out = os.path.join(work, "check.txt")
    with open(out, "w") as sink:  # the first run's diagnostics give the findings
        run([lattice, "check", "--color", "never", policy], stderr=sink)
    with open(out) as f:
        codes = FINDING.findall(f.read())
    # Warnings exit 0; L1501 (exclusive roles forced) is an error and exits 1.
    check_s, check_kib = best([lattice, "check", "--color", "never", policy], runs, ok=(0, 1))
    table = os.path.join(work, "policy.ltab")
    build_s, build_kib = best([lattice, "build", "--color", "never", "-o", table, policy], runs)
    by_code = {}
    for code in codes:
        by_code[code] = by_code.get(code, 0) + 1
    return {"policy_bytes": os.path.getsize(policy), "check_s": round(check_s, 4),
            "check_rss_kib": check_kib, "build_s": round(build_s, 4), "build_rss_kib": build_kib,
            "table_bytes": os.path.getsize(table), "findings": len(codes),
            "findings_by_code": dict(sorted(by_code.items()))}


def cedar_side(node_dir, base, work, runs):
    """Cedar's validate on the policy set and schema gen_policy.py wrote next to the .lat."""
    script = os.path.join(HERE, "cedar_validate.mjs")
    argv = ["node", script, node_dir, base + ".cedar", base + ".cedarschema"]
    best_run = None
    for _ in range(runs):
        answer = os.path.join(work, "cedar.json")
        with open(answer, "w") as sink:
            seconds, kib, code = run(argv, stdout=sink, stderr=None)
        if code != 0:
            sys.exit("measure.py: Cedar validation failed on %s.cedar" % base)
        with open(answer) as f:
            result = json.load(f)
        if best_run is None or result["validate_s"] < best_run[0]["validate_s"]:
            best_run = (result, seconds, kib)
    result, seconds, kib = best_run
    return {"cedar_policies": result["policies"],
            "cedar_policy_bytes": os.path.getsize(base + ".cedar"),
            "cedar_schema_bytes": os.path.getsize(base + ".cedarschema"),
            "cedar_validate_s": round(result["validate_s"], 4), "cedar_process_s": round(seconds, 4),
            "cedar_rss_kib": kib, "cedar_errors": result["errors"],
            "cedar_version": result["cedar_version"]}


def main():
    parser = argparse.ArgumentParser(prog="measure.py")
    parser.add_argument("lattice")
    parser.add_argument("node_dir", help="folder holding node_modules with @cedar-policy/cedar-wasm")
    parser.add_argument("out")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--example-runs", type=int, default=10)
    parser.add_argument("--cedar-runs", type=int, default=1)
    parser.add_argument("--no-cedar", action="store_true")
    parser.add_argument("--cedar-max-roles", type=int, default=None,
                        help="validate with Cedar only the policies of at most this many roles "
                             "(Cedar's validate takes minutes at 10,000)")
    args = parser.parse_args()
    lattice = os.path.abspath(args.lattice)
    result = {"sizes": [], "examples": [],
              "runs": {"lattice": args.runs, "examples": args.example_runs,
                       "cedar": 0 if args.no_cedar else args.cedar_runs}}
    with tempfile.TemporaryDirectory() as work:
        for roles in (int(n) for n in args.sizes.split(",")):
            print("  %d roles" % roles, file=sys.stderr)
            base = os.path.join(work, "policy_%d" % roles)
            counts = json.loads(subprocess.check_output(
                [sys.executable, os.path.join(HERE, "gen_policy.py"), str(roles), base]))
            row = dict(counts)
            row.update(lattice_side(lattice, base + ".lat", work, args.runs))
            if args.no_cedar or (args.cedar_max_roles is not None and
                                 roles > args.cedar_max_roles):
                row.update({key: None for key in (
                    "cedar_policies", "cedar_policy_bytes", "cedar_schema_bytes",
                    "cedar_validate_s", "cedar_process_s", "cedar_rss_kib", "cedar_errors",
                    "cedar_version")})
            else:
                row.update(cedar_side(args.node_dir, base, work, args.cedar_runs))
            result["sizes"].append(row)
        for policy in sorted(glob.glob(os.path.join(ROOT, "examples", "*", "policy.lat"))):
            name = os.path.basename(os.path.dirname(policy))
            print("  examples/%s" % name, file=sys.stderr)
            row = {"name": name}
            row.update(lattice_side(lattice, policy, work, args.example_runs))
            result["examples"].append(row)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
