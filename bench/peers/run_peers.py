#!/usr/bin/env python3
# run_peers.py - the side-by-side harness: one scenario, the reference answers, then Lattice, Cedar,
# Casbin (node and Go), SpiceDB and the hand-written JS check one at a time; every answer must
# equal the reference's. Two workloads: the bench policy (full) and plain RBAC with domains.
"""Runs the side-by-side harness for one size and writes its results as JSON (README.md).

Exit status: 0 when every engine answered every request as the reference interpreter did and the
allowed share is about half; 1 otherwise (the first mismatches are printed); 2 on bad usage.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The Lattice policy of each workload; the peers hold the same policies written by hand.
POLICIES = {"full": os.path.join(ROOT, "bench", "scenario", "policy.lat"),
            "plain": os.path.join(ROOT, "bench", "scenario", "plain.lat")}
GENERATOR = os.path.join(ROOT, "bench", "scenario", "gen_scenario.py")
sys.path.insert(0, os.path.join(ROOT, "bench", "report"))
import machine  # noqa: E402  (bench/report/machine.py: the machine, also for the report)
ENGINES = ["lattice", "lattice-names", "cedar", "casbin", "casbin-go", "js", "js-names", "spicedb",
           "spicedb-bulk"]
# The engines that have the plain workload (plain RBAC with domains).
PLAIN_ENGINES = ["lattice", "lattice-names", "casbin", "casbin-go"]
NODE_ENGINES = ["cedar", "casbin", "js", "js-names", "spicedb", "spicedb-bulk"]
CASBIN_GO = os.path.join(HERE, "casbin-go")
ALLOWED_SHARE = (0.40, 0.60)  # the generator aims at about half
SHOWN_MISMATCHES = 5


def log(message):
    print("run_peers: " + message, file=sys.stderr, flush=True)


def run(command, timeout=None):
    """Runs `command`; returns its stdout, raises RuntimeError with its stderr on failure."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError("no answer within %d s" % timeout) from None
    if done.returncode != 0:
        raise RuntimeError("%s exited with %d: %s" % (os.path.basename(command[0]),
                                                      done.returncode, done.stderr.strip()[-2000:]))
    return done.stdout


def read_answers(path):
    with open(path) as f:
        return [line.strip() for line in f]


def build_casbin_go(args, work):
    """Builds bench/peers/casbin-go with Debian's Go toolchain against Debian's Casbin sources
    (golang-github-casbin-casbin-dev in /usr/share/gocode), offline in GOPATH mode; returns the
    binary. The sources are copied into a GOPATH of the build folder: Go reads the import
    github.com/casbin/casbin/v2 as Debian's github.com/casbin/casbin only for code that lies in
    a GOPATH and has a go.mod (minimal module compatibility)."""
    out = os.path.abspath(os.path.join(work, "casbin-go"))  # one per work folder (parallel CTest)
    source = os.path.join(out, "gopath", "src", "lattice.bench", "casbin-go")
    os.makedirs(source, exist_ok=True)
    for name in os.listdir(CASBIN_GO):
        if name.endswith(".go") or name == "go.mod":
            shutil.copyfile(os.path.join(CASBIN_GO, name), os.path.join(source, name))
    binary = os.path.join(out, "casbin_go")
    env = dict(os.environ, GO111MODULE="off", GOPROXY="off", GOFLAGS="",
               GOPATH=os.path.join(out, "gopath") + os.pathsep + args.gopath,
               GOCACHE=os.path.abspath(os.path.join(args.build_dir, "bench", "peers", "go-cache")))
    try:
        done = subprocess.run([args.go, "build", "-o", binary, "."], cwd=source, env=env,
                              capture_output=True, text=True, check=False)
    except OSError as e:
        raise RuntimeError("cannot run %s: %s (.ci/setup installs golang-go)" % (args.go, e))
    if done.returncode != 0:
        raise RuntimeError("go build failed (.ci/setup installs golang-go and "
                           "golang-github-casbin-casbin-dev): " + done.stderr.strip()[-2000:])
    return binary


def scenario(args, work):
    """Writes the scenario into `work`, or keeps the one there if the current generator wrote it
    with the same arguments (both workloads run on one scenario); returns its scenario.json."""
    try:
        path = os.path.join(work, "scenario.json")
        if os.path.getmtime(path) < os.path.getmtime(GENERATOR):
            raise OSError("older than the generator")
        with open(path) as f:
            meta = json.load(f)
        if (meta.get("size"), meta.get("seed"), meta.get("requests")) == (
                args.size, args.seed, args.requests) and all(
                    os.path.exists(os.path.join(work, name)) for name in
                    ("nodes.txt", "users.txt", "resources.txt", "requests.txt")):
            return meta
    except (OSError, ValueError):
        pass
    return json.loads(run([sys.executable, GENERATOR, "--size", args.size, "--seed",
                           str(args.seed), "--requests", str(args.requests), "--out", work]))


def engine_command(name, args, scenario, table, answers, casbin_go):
    timing = ["--batch", str(args.batch), "--min-seconds", str(args.min_seconds)]
    if name in ("lattice", "lattice-names"):
        return ([os.path.join(args.build_dir, "bench", "peers", "peers_lattice_driver"),
                 table, scenario, answers] + timing + (["--names"] if name != "lattice" else []))
    if name == "casbin-go":
        return [casbin_go, "--casbin", os.path.join(HERE, "casbin"), "--workload", args.workload,
                "--scenario", scenario, "--out", answers] + timing
    # The V8 heap may grow to a few GiB; beyond that the engine counts as failed, not the machine.
    return [args.node, "--max-old-space-size=%d" % args.node_heap_mib,
            os.path.join(HERE, "engines.mjs"), "--engine", name, "--scenario", scenario,
            "--node-modules", args.node_modules, "--workload", args.workload,
            "--out", answers, "--max-seconds", str(args.max_seconds)] + timing


def compare(name, expected, got, requests):
    """Number of requests whose answer differs from the reference (a missing answer differs)."""
    wrong = [i for i in range(len(expected)) if i >= len(got) or got[i] != expected[i]]
    if len(got) != len(expected):
        log("%s: %d answers for %d requests" % (name, len(got), len(expected)))
    for i in wrong[:SHOWN_MISMATCHES]:
        log("%s differs on request %d (%s): reference %s, %s %s" % (
            name, i + 1, requests[i], expected[i], name, got[i] if i < len(got) else "missing"))
    return len(wrong)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", required=True, choices=["small", "medium", "large"])
    parser.add_argument("--lattice", required=True, help="the lattice tool (for `lattice build`)")
    parser.add_argument("--build-dir", required=True, help="CMake build folder with "
                        "bench/peers/peers_lattice_driver and peers_reference_answers")
    parser.add_argument("--node-modules", required=True,
                        help="node_modules with the packages of bench/peers/package.json")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workload", default="full", choices=sorted(POLICIES),
                        help="full: the bench policy (denies, conditions, require, exclusive); "
                             "plain: RBAC with domains, allows only")
    parser.add_argument("--engines", help="comma-separated (default: every engine of the "
                        "workload)")
    parser.add_argument("--batch", type=int, default=1000, help="requests per timed batch")
    parser.add_argument("--min-seconds", type=float, default=0.0, help="repeat the requests "
                        "until each engine has timed at least this much work (0: one pass)")
    parser.add_argument("--max-seconds", type=float, default=0.0, help="a node engine whose one "
                        "pass would take longer answers only the requests of the batches that "
                        "bring its timed work to this much; those are compared (0: no bound)")
    parser.add_argument("--go", default="go")
    parser.add_argument("--gopath", default="/usr/share/gocode",
                        help="GOPATH holding Casbin's Go sources (Debian's)")
    parser.add_argument("--node", default="node")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per engine")
    parser.add_argument("--node-heap-mib", type=int, default=4096)
    parser.add_argument("--work", help="scenario folder (default: BUILD_DIR/bench/peers/work/SIZE)")
    parser.add_argument("--out", required=True, help="results JSON")
    parser.add_argument("--flip-reference", type=int, default=0, metavar="N",
                        help="self test: invert the reference's first N answers, so that every "
                             "engine must be reported as differing (the run then fails)")
    args = parser.parse_args()
    available = PLAIN_ENGINES if args.workload == "plain" else ENGINES
    engines = args.engines.split(",") if args.engines else available
    if any(e not in available for e in engines):
        parser.error("--engines takes a comma-separated subset of %s for the %s workload" % (
            ",".join(available), args.workload))
    if any(e in NODE_ENGINES for e in engines) and not os.path.isdir(args.node_modules):
        log("no node_modules at %s: run .ci/setup (it installs bench/peers/package-lock.json into "
            "build/peers-node)" % args.node_modules)
        return 1

    work = args.work or os.path.join(args.build_dir, "bench", "peers", "work", args.size)
    os.makedirs(work, exist_ok=True)
    policy = POLICIES[args.workload]
    table = os.path.join(work, "%s.ltab" % args.workload)
    reference = os.path.join(work, "reference_%s.txt" % args.workload)
    try:
        meta = scenario(args, work)
        run([args.lattice, "build", policy, "-o", table])
        run([os.path.join(args.build_dir, "bench", "peers", "peers_reference_answers"), policy,
             work, reference])
    except (OSError, RuntimeError) as e:
        log("cannot prepare the scenario: %s" % e)
        return 1
    casbin_go = None
    if "casbin-go" in engines:
        try:
            casbin_go = build_casbin_go(args, work)
        except RuntimeError as e:
            log("cannot build Casbin Go: %s" % e)
            return 1
    expected = read_answers(reference)
    for i in range(min(args.flip_reference, len(expected))):
        expected[i] = "0" if expected[i] == "1" else "1"
    with open(os.path.join(work, "requests.txt")) as f:
        requests = [line.strip() for line in f]
    allowed = sum(a == "1" for a in expected)
    log("%s, %s workload: %d requests, %d allowed by the reference" % (
        args.size, args.workload, len(expected), allowed))

    share = allowed / max(len(expected), 1)
    ok = ALLOWED_SHARE[0] <= share <= ALLOWED_SHARE[1]
    if not ok:
        log("the allowed share %.2f is outside %s" % (share, ALLOWED_SHARE))
    results = []
    for name in engines:
        answers = os.path.join(work, "answers_%s_%s.txt" % (args.workload, name))
        if os.path.exists(answers):
            os.remove(answers)
        start = time.monotonic()
        try:
            out = run(engine_command(name, args, work, table, answers, casbin_go),
                      timeout=args.timeout)
            stats = json.loads(out.strip().splitlines()[-1])
            # An engine stopped by --max-seconds answered the first requests only (the Lattice
            # and Casbin Go drivers answer every request and do not report `answered`).
            asked = stats.get("answered", len(expected))
            if not (0 < asked <= len(expected)) or (asked < len(expected) and
                                                   args.max_seconds <= 0):
                raise RuntimeError("answered %s of %d requests" % (asked, len(expected)))
            stats["answered"] = asked
            stats["mismatches"] = compare(name, expected[:asked], read_answers(answers),
                                          requests)
        except (OSError, RuntimeError, ValueError, IndexError) as e:
            # A measured failure (time, memory, crash): reported, and the run fails.
            stats = {"name": name, "error": str(e), "mismatches": len(expected)}
            log("%s failed after %.0f s: %s" % (name, time.monotonic() - start, e))
        ok = ok and "error" not in stats and stats["mismatches"] == 0
        log("%s: %s" % (name, json.dumps(stats)))
        results.append(stats)

    with open(args.out, "w") as f:
        json.dump({"size": args.size, "workload": args.workload, "seed": args.seed,
                   "accounts": meta["accounts"],
                   "users": meta["users"], "resources": meta["resources"],
                   "requests": len(expected), "allowed": allowed, "engines": results,
                   "machine": machine.describe(args.node_modules)}, f, indent=1)
        f.write("\n")
    verdict = "all engines agree with the reference" if ok else "FAILED"
    log("results in %s: %s" % (args.out, verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
