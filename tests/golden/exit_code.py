#!/usr/bin/env python3
"""exit_code.py - run a command, pass its output through, then print `exit: N` on stdout.

Used by golden tests that check an exact exit code (lit's `not` only knows zero / non-zero):
    RUN: %exitcode %lattice check missing.lat 2>&1 | FileCheck %s
    CHECK: exit: 2
A command killed by a signal prints `exit: signal N` (a crash), which no test expects.
"""
import subprocess
import sys

if len(sys.argv) < 2:
    sys.exit("usage: exit_code.py COMMAND [ARG...]")
sys.stdout.flush()
code = subprocess.call(sys.argv[1:])
print("exit: signal %d" % -code if code < 0 else "exit: %d" % code, flush=True)
