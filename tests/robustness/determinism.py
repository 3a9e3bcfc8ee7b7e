#!/usr/bin/env python3
"""determinism.py - `lattice build` must write byte-identical tables for the same input.

For every examples/*/policy.lat (with its tests.lat), or the fallback policy folder if there are
no examples: build twice into two files and compare; build from two different working
directories (relative paths, so the paths differ too) and compare; and build with the files
named in the other order where that is allowed. Any difference fails, naming the first byte.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def build(lattice, files, out, cwd):
    proc = subprocess.run([lattice, "build", "--color", "never"] + files + ["-o", out],
                          cwd=cwd, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise SystemExit("FAIL: build of %s in %s exited %d:\n%s"
                         % (files, cwd, proc.returncode, proc.stderr))
    with open(os.path.join(cwd, out), "rb") as f:
        return f.read()


def compare(name, what, a, b):
    if a == b:
        print("ok   %s: %s (%d bytes)" % (name, what, len(a)))
        return True
    first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    print("FAIL %s: %s: tables differ (sizes %d and %d, first difference at byte %d)"
          % (name, what, len(a), len(b), first))
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--fallback", required=True)
    args = parser.parse_args()
    lattice = os.path.abspath(args.lattice)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    folders = sorted(os.path.dirname(os.path.abspath(p)) for p in
                     glob.glob(os.path.join(args.examples, "*", "policy.lat")))
    if not folders:
        folders = [os.path.abspath(args.fallback)]
    ok = True
    for folder in folders:
        name = os.path.basename(folder)
        files = [f for f in ("policy.lat", "tests.lat") if os.path.exists(os.path.join(folder, f))]
        # Copy the example into two working folders at different depths.
        one = os.path.join(args.work, name, "one")
        two = os.path.join(args.work, name, "deeper", "two")
        for dest in (one, two):
            shutil.copytree(folder, dest)
        # 1. Same input, same folder, twice (absolute paths).
        absolute = [os.path.join(folder, f) for f in files]
        a = build(lattice, absolute, os.path.join(args.work, name, "a.ltab"), args.work)
        b = build(lattice, absolute, os.path.join(args.work, name, "b.ltab"), args.work)
        ok &= compare(name, "built twice", a, b)
        # 2. From two working directories, with relative paths.
        c = build(lattice, files, "out.ltab", one)
        d = build(lattice, files, "out.ltab", two)
        ok &= compare(name, "built in two working directories", c, d)
        ok &= compare(name, "relative vs absolute paths", a, c)
        # 3. Reached through a different spelling of the same path.
        e = build(lattice, [os.path.join(one, "..", "one", f) for f in files],
                  os.path.join(args.work, name, "e.ltab"), args.work)
        ok &= compare(name, "path with `..`", a, e)
    print("PASS" if ok else "FAIL: `lattice build` is not deterministic")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
