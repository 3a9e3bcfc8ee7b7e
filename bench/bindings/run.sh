#!/usr/bin/env bash
# bench/bindings/run.sh - the per-call decide cost of each binding (docs/bindings.md): the same
# three requests (EV-charging example, a principal with two memberships) through the C API and
# through the Python, Go, Node and Java bindings, each the best of 5 rounds, in CPU time of the
# deciding thread (Node: of the process), so that other work on the machine does not count.
# Prints a Markdown table in ns per decision, then a second one: a principal holding a compiled
# role against one holding a custom role of the same cells (bindings/common/testdata's
# custom_roles.lat). Run after building (the bindings' targets) in BUILD.
#
# Usage: bash bench/bindings/run.sh [BUILD (default build)] [N (default 1000000)]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=$(cd "${1:-build}" && pwd)
n=${2:-1000000}
work=$build/bench-bindings
mkdir -p "$work"
table=$work/ev_charging.ltab
"$build/bin/lattice" build --color never examples/ev_charging/policy.lat -o "$table"
custom=$work/custom_roles.ltab
"$build/bin/lattice" build --color never bindings/common/testdata/custom_roles.lat -o "$custom"

results=$work/results.txt
: > "$results"
cc -O2 -I runtime/include bench/bindings/decide_c.c "$build/runtime/liblattice_runtime.a" \
  -o "$work/decide_c"
"$work/decide_c" "$table" "$n" "$custom" >> "$results"
PYTHONPATH=$build/bindings/python /usr/bin/python3 bench/bindings/decide.py "$table" "$n" \
  "$custom" >> "$results"
(cd bench/bindings/go && PKG_CONFIG_PATH=$build/bindings/go/pkgconfig GOPROXY=off \
  GOCACHE=$build/bindings/go/cache GOPATH=$build/bindings/go/gopath go build -o "$work/decide_go" . )
"$work/decide_go" "$table" "$n" "$custom" >> "$results"
LATTICE_NODE_ADDON=$build/bindings/node/lattice.node node bench/bindings/decide.js "$table" "$n" \
  "$custom" >> "$results"
javac -d "$work/java" -cp "$build/bindings/java/lattice.jar" bench/bindings/DecideBench.java
java -Dlattice.jni.library="$build/bindings/java/liblattice_jni.so" \
  -cp "$build/bindings/java/lattice.jar:$work/java" DecideBench "$table" "$n" "$custom" \
  >> "$results"

c=$(awk '$1 == "c" {print $3}' "$results")
echo "| binding | principal built once: CPU ns per decision | the binding's share (minus C) | whole request by name: CPU ns per decision |"
echo "|---|---:|---:|---:|"
for lang in c python go node java; do
  p=$(awk -v l="$lang" '$1 == l && $2 == "principal" {print $3}' "$results")
  r=$(awk -v l="$lang" '$1 == l && $2 == "request" {print $3}' "$results")
  over=$(awk -v p="$p" -v c="$c" 'BEGIN {printf "%.0f", p - c}')
  [ "$lang" = c ] && over="(the decision itself)" && r="$r (ids resolved once)"
  echo "| $lang | $p | $over | ${r:-n/a} |"
done

echo
echo "| binding | compiled role: CPU ns per decision | custom role of the same cells: CPU ns per decision |"
echo "|---|---:|---:|"
for lang in c python go node java; do
  a=$(awk -v l="$lang" '$1 == l && $2 == "compiled" {print $3}' "$results")
  b=$(awk -v l="$lang" '$1 == l && $2 == "custom" {print $3}' "$results")
  echo "| $lang | ${a:-n/a} | ${b:-n/a} |"
done
