#!/usr/bin/env bash
# run.sh - the compile side of issue 5: `lattice check` / `build` and Cedar's `validate` on
# generated policies of 100 / 1,000 / 10,000 roles and on the examples, written as JSON.
# Usage: run.sh LATTICE_BIN NODE_DIR OUT.json [measure.py options, e.g. --sizes 100,1000]
#   NODE_DIR holds node_modules with @cedar-policy/cedar-wasm (bench/peers). Schema: measure.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 3 ]; then
  sed -n '4,5p' "$0" >&2
  exit 2
fi
exec python3 "$here/measure.py" "$@"
