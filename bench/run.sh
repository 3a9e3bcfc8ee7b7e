#!/usr/bin/env bash
# bench/run.sh - the one command behind docs/performance.md: builds Lattice in Release, runs the
# micro-benchmarks, the side-by-side harness (Lattice, Cedar, Casbin node and Go, SpiceDB, the
# hand-written JS check) on both workloads and the compile-side timings, then renders the report
# and its plot. Run after the README's set-up.
#
# Usage: bash bench/run.sh [--sizes small,medium,large] [--requests N] [--min-seconds S]
#                          [--max-seconds S] [--compile-sizes 100,1000,10000]
#                          [--cedar-max-roles N] [--out docs/performance.md]
# Everything it builds or downloads goes to build-bench/ (npm packages: build-bench/peers-node).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sizes=small,medium,large
requests=100000
min_seconds=2 # each engine repeats the requests until this much timed work
max_seconds=120 # a node engine answers only the first requests when one pass would take longer
compile_sizes=100,1000,10000
cedar_max_roles=""          # validate every size with Cedar (13 minutes at 10,000 roles)
out=docs/performance.md
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --min-seconds) min_seconds=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --compile-sizes) compile_sizes=$2; shift 2 ;;
    --cedar-max-roles) cedar_max_roles=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

build=build-bench
results=$build/results
mkdir -p "$results"

# The plot is drawn with Debian's matplotlib, so the report runs on Debian's own interpreter
# (a pyenv python3 earlier on PATH does not see Debian's packages); /usr/bin/time measures the
# compiler's peak RSS; Casbin Go is built with Debian's Go from Debian's Casbin sources.
report_python=/usr/bin/python3
missing=()
"$report_python" -c "import matplotlib" 2> /dev/null || missing+=(python3-matplotlib)
[ -x /usr/bin/time ] || missing+=(time)
command -v go > /dev/null || missing+=(golang-go)
[ -f /usr/share/gocode/src/github.com/casbin/casbin/enforcer.go ] ||
  missing+=(golang-github-casbin-casbin-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null
fi

echo "==> building Release into $build"
log=$results/build.log
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLATTICE_BUILD_TESTS=OFF \
  > "$log" 2>&1 || { cat "$log"; exit 1; }
cmake --build "$build" >> "$log" 2>&1 || { tail -60 "$log"; exit 1; }

# The peer engines at the versions of bench/peers/package-lock.json.
node_dir=$build/peers-node
if ! cmp -s bench/peers/package-lock.json "$node_dir/package-lock.json" ||
   [ ! -d "$node_dir/node_modules/casbin" ]; then
  echo "==> installing the peer engines (npm ci in $node_dir)"
  mkdir -p "$node_dir"
  cp bench/peers/package.json bench/peers/package-lock.json "$node_dir/"
  (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

echo "==> machine"
python3 bench/report/machine.py "$node_dir/node_modules" > "$results/machine.json"

# Twice: on the compiled EV-charging example (a real policy) and on the denser hand-built table
# (more roles per kind, denies and conditions on every other permission, 3 exclusive sets).
echo "==> micro-benchmarks (Google Benchmark)"
# (The example's findings are pinned by its golden test; here they would only be noise.)
"$build/bin/lattice" build examples/ev_charging/policy.lat -o "$results/ev_charging.ltab" \
  2> "$results/ev_charging.log" || { cat "$results/ev_charging.log"; exit 1; }
micro() { # micro OUT.json [TABLE]
  env ${2:+LATTICE_BENCH_TABLE="$2"} "$build/bench/bench_decide" --benchmark_format=json \
    --benchmark_out="$1" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    > /dev/null
}
micro "$results/micro_ev.json" "$results/ev_charging.ltab"
micro "$results/micro_dense.json"
# Issue 16's first target compares lattice_decide with the hand-written floor on the same records
# (BM_Host_Decide and BM_Host_Floor, bench/micro/host_bench.cpp): the run stops here if either
# did not run on either table (skipped with an error, or an old bench_decide), rather than
# render a report whose floor row says "not measured".
for json in "$results/micro_ev.json" "$results/micro_dense.json"; do
  "$report_python" - "$json" <<'PY' || exit 1
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
for family in ("BM_Host_Floor", "BM_Host_Decide"):
    done = [b for b in runs if b["run_name"].startswith(family + "/")
            and b.get("aggregate_name") == "median" and not b.get("error_occurred")]
    errors = {b.get("error_message") for b in runs
              if b["run_name"].startswith(family + "/") and b.get("error_occurred")}
    if len(done) < 2:
        sys.exit("run.sh: %s has no medians in %s%s" % (
            family, sys.argv[1], ": " + "; ".join(sorted(errors)) if errors else ""))
PY
done

echo "==> side-by-side harness: $sizes, $requests requests each, >= $min_seconds s per engine"
IFS=, read -ra size_list <<< "$sizes"
failed=""
for size in "${size_list[@]}"; do
  for workload in full plain; do
    echo "    $size, $workload workload"
    suffix=""
    [ "$workload" = full ] || suffix="_$workload"
    # A failed engine (a wrong answer, a crash, a timeout) is written into the results and the
    # report, and the run ends with an error after the report is written.
    python3 bench/peers/run_peers.py --size "$size" --workload "$workload" \
      --requests "$requests" --min-seconds "$min_seconds" --max-seconds "$max_seconds" \
      --lattice "$build/bin/lattice" --build-dir "$build" --node-modules "$node_dir/node_modules" \
      --out "$results/peers_$size$suffix.json" || failed="$failed $size/$workload"
  done
done

echo "==> compile side: lattice check/build and Cedar validate ($compile_sizes roles)"
bash bench/compile/run.sh "$build/bin/lattice" "$node_dir" "$results/compile.json" \
  --sizes "$compile_sizes" ${cedar_max_roles:+--cedar-max-roles "$cedar_max_roles"}

echo "==> the decision server: HTTP load, batch, reload storm, 1 MB reload (bench/server/run.py)"
python3 bench/server/run.py --build "$build" --json "$results/server.json" --no-splice ||
  failed="$failed server"
echo "==> language server: diagnostics after an edit (bench/lsp/run.py)"
python3 bench/lsp/run.py "$build/bin/lattice" --json "$results/lsp.json"

echo "==> writing $out"
"$report_python" bench/report/render.py --results "$results" --sizes "$sizes" --out "$out"
if [ -n "$failed" ]; then
  echo "==> $out written, but engines failed or differed from the reference in:$failed" >&2
  exit 1
fi
echo "==> done: $out"
