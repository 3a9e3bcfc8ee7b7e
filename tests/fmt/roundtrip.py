#!/usr/bin/env python3
# roundtrip.py - `lattice fmt` over every example and every golden .lat input: the output is a
# fixed point (fmt(fmt(x)) == fmt(x)) and, for inputs that build, builds byte-identical tables.
import argparse
import os
import shutil
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, **kw)


def build(lattice, files, out):
    r = run([lattice, "build", "--color", "never", *files, "-o", out])
    if r.returncode != 0:
        return None
    with open(out, "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lattice", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--golden", required=True)
    args = ap.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    # Copies keep each file's folder, so relative imports resolve as in the source tree.
    copies = {"examples": args.examples, "golden": args.golden}
    for name, src in copies.items():
        shutil.copytree(src, os.path.join(args.work, name))

    units = []  # (files in the source tree, the same files in the copy)
    for name in sorted(os.listdir(args.examples)):
        d = os.path.join(args.examples, name)
        if os.path.isfile(os.path.join(d, "policy.lat")) and os.path.isfile(os.path.join(d, "tests.lat")):
            files = [os.path.join(d, "policy.lat"), os.path.join(d, "tests.lat")]
            units.append((files, [os.path.join(args.work, "examples", name, os.path.basename(f))
                                  for f in files]))
    for root, _, names in os.walk(args.golden):
        for n in sorted(names):
            if n.endswith(".lat"):
                f = os.path.join(root, n)
                units.append(([f], [os.path.join(args.work, "golden", os.path.relpath(f, args.golden))]))

    failures = []
    checked = skipped = parsed_only = 0
    for i, (orig, copy) in enumerate(units):
        before = build(args.lattice, orig, os.path.join(args.work, "before.ltab"))
        r = run([args.lattice, "fmt", *copy])
        if before is None:
            # Does not build. If it parses, fmt must still reach a fixed point; a syntax error
            # leaves the file alone (fmt exits 1), which cli.test checks.
            if r.returncode == 0:
                again = run([args.lattice, "fmt", "--check", *copy])
                if again.returncode != 0 or again.stdout:
                    failures.append(f"{orig}: not idempotent: {again.stdout.decode()}")
                parsed_only += 1
            else:
                skipped += 1
            continue
        if r.returncode != 0:
            failures.append(f"{orig}: fmt exited {r.returncode}: {r.stderr.decode()}")
            continue
        r = run([args.lattice, "fmt", "--check", *copy])
        if r.returncode != 0 or r.stdout:
            failures.append(f"{orig}: not idempotent: {r.stdout.decode()}")
        for o, c in zip(orig, copy):
            with open(c, "rb") as f:
                once = f.read()
            r = run([args.lattice, "fmt", "-"], input=once)
            if r.stdout != once:
                failures.append(f"{o}: stdin output differs from the in-place result")
        after = build(args.lattice, copy, os.path.join(args.work, "after.ltab"))
        if after is None:
            failures.append(f"{orig}: the formatted file no longer builds")
        elif after != before:
            failures.append(f"{orig}: the formatted file builds a different table")
        checked += 1

    for f in failures:
        print("FAIL:", f)
    print(f"{checked} inputs formatted and rebuilt, {parsed_only} that parse but do not build "
          f"formatted twice, {skipped} skipped (syntax errors), {len(failures)} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
