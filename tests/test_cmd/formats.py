#!/usr/bin/env python3
# formats.py - `lattice test --format json|junit` on every example, a failing suite and a policy
# that does not compile: stdout must be exactly one JSON document / one JUnit XML document (parsed
# with real parsers), and their counts must equal the text report's "N passed, N failed".
import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

FAILING = """
test "one passes, two fail" {
  allow viewer: doc.read on self;
  allow viewer: doc.write on subtree;
  not assigns editor: viewer;
}
test "quotes & <angles> in a name" {
  deny editor: doc.write on elsewhere;
}
"""

BROKEN = "role x for nobody { allow nothing.at_all; }\n"


def run(lattice, args):
    proc = subprocess.run([lattice, "test", "--color", "never"] + args, capture_output=True,
                          text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def text_counts(lattice, files):
    code, out, err = run(lattice, files)
    match = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
    if not match:
        raise AssertionError(f"no summary line in text output of {files}: {out!r} {err!r}")
    return code, int(match.group(1)), int(match.group(2))


def check_json(lattice, files, passed, failed, code):
    got, out, err = run(lattice, ["--format", "json"] + files)
    assert got == code, f"json exit {got}, text exit {code} for {files}"
    document = json.loads(out)  # raises on anything but exactly one document
    assert document["passed"] == passed and document["failed"] == failed, (files, document)
    cases = [c for t in document["tests"] for c in t["cases"]]
    assert len(cases) == passed + failed, files
    assert sum(not c["passed"] for c in cases) == failed, files
    for case in cases:
        assert case["passed"] == (case["failures"] == []), case
        assert case["location"]["line"] > 0 and case["text"], case
    assert isinstance(document["diagnostics"], list) and "errors" in document, files
    return document


def check_junit(lattice, files, passed, failed, code, blocks):
    got, out, err = run(lattice, ["--format", "junit"] + files)
    assert got == code, f"junit exit {got}, text exit {code} for {files}"
    root = ET.fromstring(out)
    assert root.tag == "testsuites", root.tag
    assert int(root.get("tests")) == passed + failed, (files, root.attrib)
    assert int(root.get("failures")) == failed, (files, root.attrib)
    assert int(root.get("errors")) == 0
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == blocks, (files, [s.get("name") for s in suites])
    total_failures = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases), suite.attrib
        failures = [c for c in cases if c.find("failure") is not None]
        assert int(suite.get("failures")) == len(failures), suite.attrib
        total_failures += len(failures)
        for case in cases:
            assert case.get("name") and case.get("classname") == suite.get("name"), case.attrib
            assert os.path.basename(case.get("file")).endswith(".lat"), case.attrib
            assert int(case.get("line")) > 0, case.attrib
        for case in failures:
            failure = case.find("failure")
            assert failure.get("message") and "FAIL test" in failure.text, failure.attrib
    assert total_failures == failed, files
    # The report goes to stderr so that stdout stays one XML document.
    assert f"{passed} passed, {failed} failed" in err, err


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--policy", required=True, help="a policy without tests (delegation.lat)")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failing = os.path.join(args.work, "failing.lat")
    with open(failing, "w") as f:
        f.write(FAILING)
    broken = os.path.join(args.work, "broken.lat")
    with open(broken, "w") as f:
        f.write(BROKEN)

    suites = [[os.path.join(args.examples, name, "policy.lat"),
               os.path.join(args.examples, name, "tests.lat")]
              for name in sorted(os.listdir(args.examples))
              if os.path.exists(os.path.join(args.examples, name, "tests.lat"))]
    suites.append([args.policy, failing])
    checked = 0
    for files in suites:
        code, passed, failed = text_counts(args.lattice, files)
        document = check_json(args.lattice, files, passed, failed, code)
        check_junit(args.lattice, files, passed, failed, code,
                    [t["name"] for t in document["tests"]])
        print(f"ok: {' '.join(os.path.basename(f) for f in files)}: {passed} passed, "
              f"{failed} failed")
        checked += 1
    assert failed == 2 and passed == 2, "the failing suite must have 2 failing cases of 4"

    # A policy that does not compile: JSON lists the errors, JUnit one errored testcase.
    code, out, _ = run(args.lattice, ["--format", "json", broken])
    document = json.loads(out)
    assert code == 1 and document["errors"] > 0 and document["tests"] == [], document
    code, out, _ = run(args.lattice, ["--format", "junit", broken])
    root = ET.fromstring(out)
    assert code == 1 and root.get("errors") == "1", root.attrib
    error = root.find("testsuite/testcase/error")
    assert error is not None and "error[L0" in error.text, out
    print(f"{checked} suites and a broken policy: JSON and JUnit agree with the text report")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
