#!/usr/bin/env python3
"""validate_sarif.py --lattice BIN --schema SCHEMA.json --work DIR [--examples DIR]

Runs `lattice check|build|test --format sarif` on real inputs (warnings, suppressed warnings,
errors with notes, an unreadable file, a clean policy, the examples) and validates each log:

1. against the official SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json, shipped by the npm
   package @microsoft/jest-sarif; .ci/setup installs it from tests/sarif/package-lock.json into
   build/sarif-schema) with Debian's python3-jsonschema (Draft 4, as the schema declares);
2. against what GitHub code scanning needs beyond the schema: absolute help and information
   URIs, a rule for every ruleId (and a matching ruleIndex), a message text and a located
   physicalLocation with startLine for every result, relative artifact URIs under %SRCROOT%.

Exits 77 (CTest: skipped) when the schema or jsonschema is missing outside CI; in CI (CI set)
that is a failure, so a machine that did not run .ci/setup cannot pass silently.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

SUPPRESSED = """policy p;
scope tenant;
usertype u at tenant;
flag active on u;
resource doc { read, write; }
// lattice: allow(condition) "kept until the flag migration lands"
role r for u { allow doc.read when active and not active; }
role q for u {
  allow doc.write when active and not active; // lattice: allow(condition) "trailing form"
  allow doc.read when active and not active;
}
test "t" { deny r: doc.read on self; }
"""

NOTES = """policy p;
scope tenant;
usertype u at tenant;
resource doc { read; }
role r for u { allow doc.read; }
role r for u { allow doc.read; }
role s for u extends nobody { }
"""

CLEAN = """policy p;
scope tenant;
usertype u at tenant;
resource doc { read; }
role r for u { allow doc.read; }
test "reads" { allow r: doc.read on self; }
"""

ABSOLUTE_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def fail(message):
    print("FAIL: " + message)
    return 1


def github_checks(name, log):
    """What code scanning relies on and the schema does not enforce. Returns a list of problems."""
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs", [])
    if len(runs) != 1:
        problems.append("expected exactly one run, got %d" % len(runs))
        return problems
    run = runs[0]
    driver = run["tool"]["driver"]
    if driver.get("name") != "lattice":
        problems.append("tool.driver.name is %r" % driver.get("name"))
    if not driver.get("version"):
        problems.append("tool.driver.version is missing")
    if not ABSOLUTE_URI.match(driver.get("informationUri", "")):
        problems.append("informationUri is not an absolute URI")
    rules = driver.get("rules", [])
    ids = [rule["id"] for rule in rules]
    if ids != sorted(set(ids)):
        problems.append("rules are not unique and sorted: %s" % ids)
    for rule in rules:
        for field in ("id", "name", "shortDescription", "helpUri", "defaultConfiguration"):
            if field not in rule:
                problems.append("rule %s has no %s" % (rule.get("id"), field))
        if not ABSOLUTE_URI.match(rule.get("helpUri", "")):
            problems.append("rule %s: helpUri is not absolute" % rule.get("id"))
        if not re.search(r"/diagnostics\.md#l\d{4}$", rule.get("helpUri", "")):
            problems.append("rule %s: helpUri does not point at its section" % rule.get("id"))
        if rule.get("defaultConfiguration", {}).get("level") not in ("error", "warning", "note"):
            problems.append("rule %s: bad default level" % rule.get("id"))
    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    if not (base.startswith("file:///") and base.endswith("/")):
        problems.append("%%SRCROOT%% is not a file URI ending in /: %r" % base)
    used = set()
    for i, result in enumerate(run.get("results", [])):
        where = "result %d (%s)" % (i, result.get("ruleId"))
        if result.get("ruleId") not in ids:
            problems.append(where + ": ruleId has no rule")
        elif ids.index(result["ruleId"]) != result.get("ruleIndex"):
            problems.append(where + ": ruleIndex does not match")
        used.add(result.get("ruleId"))
        if result.get("level") not in ("error", "warning", "note"):
            problems.append(where + ": bad level")
        if not result.get("message", {}).get("text"):
            problems.append(where + ": no message text")
        locations = result.get("locations", [])
        if not locations:
            problems.append(where + ": no location (code scanning shows no result without one)")
        for location in locations + result.get("relatedLocations", []):
            physical = location.get("physicalLocation", {})
            artifact = physical.get("artifactLocation", {})
            uri = artifact.get("uri", "")
            if "uriBaseId" in artifact and (uri.startswith("/") or ABSOLUTE_URI.match(uri)):
                problems.append(where + ": relative uri expected with uriBaseId: %r" % uri)
            if "uriBaseId" not in artifact and not uri.startswith("file:///"):
                problems.append(where + ": uri without base is not a file URI: %r" % uri)
            region = physical.get("region", {})
            if region.get("startLine", 0) < 1 or region.get("startColumn", 0) < 1:
                problems.append(where + ": region without startLine/startColumn")
            if (region.get("endLine", 0), region.get("endColumn", 0)) < \
                    (region.get("startLine", 0), region.get("startColumn", 0)):
                problems.append(where + ": region ends before it starts")
        for suppression in result.get("suppressions", []):
            if suppression.get("kind") != "inSource" or not suppression.get("justification"):
                problems.append(where + ": suppression without kind inSource or justification")
    if used != set(ids):
        problems.append("rules that no result uses: %s" % sorted(set(ids) - used))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--examples")
    args = parser.parse_args()
    args.lattice = os.path.abspath(args.lattice)
    args.work = os.path.abspath(args.work)
    if args.examples:
        args.examples = os.path.abspath(args.examples)

    in_ci = bool(os.environ.get("CI"))
    missing = None
    try:
        import jsonschema
    except ImportError:
        missing = "python3-jsonschema is not installed (Debian package python3-jsonschema)"
    if not os.path.exists(args.schema):
        missing = ("the SARIF schema %s is missing: run .ci/setup (it installs the npm package "
                   "from tests/sarif/package-lock.json)" % args.schema)
    if missing:
        print(("FAIL: " if in_ci else "SKIP: ") + missing)
        return 1 if in_ci else 77

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    for name, text in (("suppressed.lat", SUPPRESSED), ("notes.lat", NOTES), ("clean.lat", CLEAN)):
        with open(os.path.join(args.work, name), "w", encoding="utf-8") as f:
            f.write(text)

    # (name, command line after the binary, expected exit code, folder to run in)
    runs = [
        ("suppressed warnings", ["check", "--format", "sarif", "suppressed.lat"], 0, args.work),
        ("--werror", ["check", "--format", "sarif", "--werror", "suppressed.lat"], 1, args.work),
        ("errors with notes", ["check", "--format", "sarif", "notes.lat"], 1, args.work),
        ("clean", ["check", "--format", "sarif", "clean.lat"], 0, args.work),
        ("unreadable file", ["check", "--format", "sarif", "missing.lat"], 2, args.work),
        ("build", ["build", "--format", "sarif", "suppressed.lat", "-o",
                   os.path.join(args.work, "out.ltab")], 0, args.work),
        ("test", ["test", "--format", "sarif", "clean.lat"], 0, args.work),
        ("outside the working directory", ["check", "--format", "sarif",
                                           os.path.join(args.work, "notes.lat")], 1, "/"),
    ]
    if args.examples:
        for name in sorted(os.listdir(args.examples)):
            folder = os.path.join(args.examples, name)
            if os.path.exists(os.path.join(folder, "policy.lat")):
                runs.append(("example " + name,
                             ["check", "--format", "sarif", "policy.lat", "tests.lat"], None,
                             folder))

    failures = 0
    results_seen = suppressed_seen = related_seen = 0
    for name, argv, expected_rc, cwd in runs:
        p = subprocess.run([args.lattice] + argv, cwd=cwd, capture_output=True)
        if expected_rc is not None and p.returncode != expected_rc:
            failures += fail("%s: exit code %d, expected %d\n%s" % (
                name, p.returncode, expected_rc, p.stderr.decode(errors="replace")))
            continue
        try:
            log = json.loads(p.stdout)
        except ValueError as e:
            failures += fail("%s: stdout is not one JSON document: %s" % (name, e))
            continue
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for error in errors[:10]:
            failures += fail("%s: schema: %s at /%s" % (
                name, error.message, "/".join(str(x) for x in error.absolute_path)))
        for problem in github_checks(name, log):
            failures += fail("%s: %s" % (name, problem))
        results = log["runs"][0].get("results", [])
        results_seen += len(results)
        suppressed_seen += sum(1 for r in results if r.get("suppressions"))
        related_seen += sum(1 for r in results if r.get("relatedLocations"))
        print("ok: %s (%d results)" % (name, len(results)))

    # The runs above must have exercised what they are there for.
    if suppressed_seen == 0:
        failures += fail("no run produced a suppressed result")
    if related_seen == 0:
        failures += fail("no run produced relatedLocations")
    print("%d passed, %d failed" % (len(runs) - min(failures, len(runs)), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
