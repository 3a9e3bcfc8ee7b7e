#!/usr/bin/env bash
# ci/build-static-cli.sh - builds the self-contained `lattice` (docs/building.md, "A self-contained
# CLI") into OUT (default ./lattice): statically linked but for glibc, the stdlib modules compiled
# in, so the one file can be copied into a CI image. Installs only the build dependencies on
# Debian 12 (with --install-deps), configures a build without tests, benchmarks or bindings, and
# links bin/static/lattice. Usage: ci/build-static-cli.sh [--install-deps] [OUT]
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
install_deps=0
if [ "${1:-}" = "--install-deps" ]; then
  install_deps=1
  shift
fi
out="$(realpath -m "${1:-lattice}")"
build="${LATTICE_STATIC_BUILD_DIR:-$src/build-static}"

if [ $install_deps = 1 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    g++ cmake ninja-build antlr4 libantlr4-runtime-dev llvm-14-dev libfmt-dev libdtl-dev \
    libsodium-dev libssl-dev pkg-config libncurses-dev zlib1g-dev
fi

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLATTICE_STATIC_CLI=ON \
  -DLATTICE_BUILD_TESTS=OFF -DLATTICE_BUILD_BENCH=OFF -DLATTICE_BUILD_BINDINGS=OFF \
  -DLATTICE_BUILD_SERVER=OFF > /dev/null
cmake --build "$build" --target lattice_static
strip -o "$out" "$build/bin/static/lattice"
echo "built $out ($(du -h "$out" | cut -f1)): $("$out" --version)"
