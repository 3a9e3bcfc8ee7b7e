#!/usr/bin/env bash
# bench/run.sh - the one command behind docs/performance.md: builds Lattice in Release, runs the
# micro-benchmarks, the side-by-side harness (Lattice, Cedar, Casbin, hand-written JS) and the
# compile-side timings, then renders the report and its plot. Run after the README's set-up.
#
# Usage: bash bench/run.sh [--sizes small,medium,large] [--requests N] [--out docs/performance.md]
# Everything it builds or downloads goes to build-bench/ (npm packages: build-bench/peers-node).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sizes=small,medium,large
requests=100000
out=docs/performance.md
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

build=build-bench
results=$build/results
mkdir -p "$results"

# The plot is drawn with Debian's matplotlib, so the report runs on Debian's own interpreter
# (a pyenv python3 earlier on PATH does not see Debian's packages); /usr/bin/time measures the
# compiler's peak RSS.
report_python=/usr/bin/python3
missing=()
"$report_python" -c "import matplotlib" 2> /dev/null || missing+=(python3-matplotlib)
[ -x /usr/bin/time ] || missing+=(time)
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

echo "==> side-by-side harness: $sizes, $requests requests each"
IFS=, read -ra size_list <<< "$sizes"
for size in "${size_list[@]}"; do
  echo "    $size"
  python3 bench/peers/run_peers.py --size "$size" --requests "$requests" \
    --lattice "$build/bin/lattice" --build-dir "$build" --node-modules "$node_dir/node_modules" \
    --out "$results/peers_$size.json"
done

echo "==> compile side: lattice check/build and Cedar validate"
bash bench/compile/run.sh "$build/bin/lattice" "$node_dir" "$results/compile.json"

echo "==> writing $out"
"$report_python" bench/report/render.py --results "$results" --sizes "$sizes" --out "$out"
echo "==> done: $out"
