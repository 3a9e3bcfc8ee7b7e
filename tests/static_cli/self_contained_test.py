#!/usr/bin/env python3
# self_contained_test.py - the self-contained CLI (bin/static/lattice, docs/building.md): no
# shared library of ANTLR, fmt, LLVM, libsodium, terminfo, zlib or the C++ runtime is NEEDED
# (readelf -d), and the binary copied alone into an empty folder, run with an environment that
# names no stdlib folder, checks, builds, tests and queries the tutorial policy, whose
# `import std.tenancy` resolves to the modules compiled into it.
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# glibc's own libraries are the only ones a self-contained CLI may need.
ALLOWED = re.compile(r"^(libc|libm|libpthread|libdl|librt|ld-linux-x86-64|ld-linux-aarch64)\.so")

failures = []


def run(name, argv, cwd, env, expect=0, contains=()):
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    missing = [c for c in contains if c not in out]
    ok = proc.returncode == expect and not missing
    print("%-60s %s" % (name, "ok" if ok else "FAIL"))
    if not ok:
        failures.append("%s: exit %d (expected %d), missing %s\n$ %s\n%s" %
                        (name, proc.returncode, expect, missing, " ".join(argv), out[-3000:]))
    return proc


def needed(path):
    proc = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True)
    return [line.split("[")[1].rstrip("]") for line in proc.stdout.splitlines()
            if "(NEEDED)" in line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True, help="the self-contained binary")
    parser.add_argument("--examples", required=True, help="the repository's examples/")
    args = parser.parse_args()

    libs = needed(args.lattice)
    bad = [lib for lib in libs if not ALLOWED.match(lib)]
    print("%-60s %s" % ("NEEDED: " + ", ".join(libs), "ok" if not bad else "FAIL"))
    if bad:
        failures.append("NEEDED beyond glibc: " + ", ".join(bad))

    with tempfile.TemporaryDirectory(prefix="lattice-self-contained-") as work:
        # The binary alone, and the policy files: nothing of the build or source tree.
        binary = os.path.join(work, "bin", "lattice")
        os.makedirs(os.path.dirname(binary))
        shutil.copy2(args.lattice, binary)
        project = os.path.join(work, "project")
        os.makedirs(project)
        for name in ("policy.lat", "tests.lat"):
            shutil.copy(os.path.join(args.examples, "tutorial", name), project)
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "NO_COLOR": "1", "HOME": work}

        run("--version", [binary, "--version"], project, env, contains=("lattice",))
        run("check (import std.tenancy from the binary)", [binary, "check", "policy.lat"],
            project, env)
        run("build", [binary, "build", "policy.lat", "-o", "policy.ltab"], project, env)
        run("test", [binary, "test", "policy.lat", "tests.lat"], project, env,
            contains=("passed",))
        run("query", [binary, "query", "policy.ltab", "--kind", "fleet_user", "--roles",
                      "driver", "--flags", "active", "--permission", "vehicle.read",
                      "--relation", "self"], project, env, contains=("allow",))
        run("query --who-can", [binary, "query", "policy.ltab", "--who-can", "--permission",
                                "vehicle.read", "--relation", "self", "--flags", "active"],
            project, env, contains=("`driver`",))
        # A misspelt stdlib module: found among the embedded ones for "did you mean".
        with open(os.path.join(project, "typo.lat"), "w") as f:
            f.write("policy typo;\nimport std.tenancyy;\n")
        run("check (a misspelt stdlib module)", [binary, "check", "typo.lat"], project, env,
            expect=1, contains=("did you mean `std.tenancy`?",))
        # $LATTICE_STDLIB still comes first: a folder of the host's own modules.
        own = os.path.join(work, "own", "std")
        os.makedirs(own)
        with open(os.path.join(own, "tenancy.lat"), "w") as f:
            f.write("module std.tenancy;\nscope tenant;\n")
        run("LATTICE_STDLIB before the embedded modules", [binary, "check", "policy.lat"],
            project, dict(env, LATTICE_STDLIB=os.path.dirname(own)), expect=1,
            contains=("unknown scope kind `account`",))

    for f in failures:
        print("\n" + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
