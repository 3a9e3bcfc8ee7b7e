#!/usr/bin/env python3
"""check_coverage.py DEF_FILE GOLDEN_DIR - fails if a diagnostic code has no golden test.

Reads every DIAG(Name, "L0xxx", Severity, ...) of compiler/diagnostics/diagnostic_kinds.def and
looks for a golden test (a .lat or .test file under GOLDEN_DIR, inputs/ excluded) that expects
it: `error[L0xxx]` / `warning[L0xxx]` in a CHECK line, or `"code": "L0xxx"` for JSON. Tests
marked XFAIL do not count: a code is covered only by a test that passes. Also fails if a test
expects a code that the .def file does not declare (a renamed or removed code).
"""
import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    def_file, golden = sys.argv[1], sys.argv[2]
    declared = {}
    with open(def_file, encoding="utf-8") as f:
        for m in re.finditer(r'DIAG\(\s*(\w+)\s*,\s*"(L\d{4})"\s*,\s*(\w+)', f.read()):
            declared[m.group(2)] = (m.group(1), m.group(3))
    if not declared:
        sys.exit("no DIAG(...) entries found in %s" % def_file)

    expected = re.compile(r'(?:error|warning)\[(L\d{4})\]|"code": "(L\d{4})"')
    covered = {}
    for root, dirs, files in os.walk(golden):
        dirs[:] = sorted(d for d in dirs if d not in ("inputs", "Output"))
        for name in sorted(files):
            if not name.endswith((".lat", ".test")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if re.search(r"XFAIL:", text):
                continue
            for line in text.splitlines():
                if "CHECK" not in line and not re.match(r"^\s*(//\s*)?[A-Z0-9_]+(-[A-Z]+)*:", line):
                    continue
                for m in expected.finditer(line):
                    code = m.group(1) or m.group(2)
                    covered.setdefault(code, set()).add(os.path.relpath(path, golden))

    missing = sorted(code for code in declared if code not in covered)
    unknown = sorted(code for code in covered if code not in declared)
    for code in sorted(declared):
        name, severity = declared[code]
        tests = covered.get(code)
        print("%s %-28s %-8s %s" % (code, name, severity,
                                    ", ".join(sorted(tests)) if tests else "MISSING"))
    if unknown:
        for code in unknown:
            print("error: %s is expected by %s but not declared in %s"
                  % (code, ", ".join(sorted(covered[code])), def_file))
    if missing:
        print("error: %d of %d diagnostic codes have no passing golden test: %s"
              % (len(missing), len(declared), ", ".join(missing)))
    if missing or unknown:
        return 1
    print("all %d diagnostic codes are covered" % len(declared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
