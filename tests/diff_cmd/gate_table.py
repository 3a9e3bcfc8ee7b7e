#!/usr/bin/env python3
# gate_table.py - `lattice diff --fail-on` on a table of change kinds applied to gate_base.lat: each
# kind asserts gate or no gate, the exact categories, and that every witness request the diff
# names is allowed by the new table and, unless it shows what a newly obtainable role grants
# (new-delegation), denied by the old one (through `lattice query`).
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

# (name, [(text in gate_base.lat, replacement), ...], categories the gate must report).
# An empty category list means "no new access": the gate must pass (exit 0).
CASES = [
    # --- new access -----------------------------------------------------------------------
    ("new role with an allow",
     [("role clerk for staff", "role superuser for member { allow * in subtree; }\nrole clerk for staff")],
     ["new-role"]),
    ("new role assigned by an existing role",
     [("assigns viewer;", "assigns viewer, helper;"),
      ("role clerk for staff", "role helper for member { allow doc.write in self; }\nrole clerk for staff")],
     ["new-role", "new-delegation"]),
    ("widened assigns",
     [("assigns viewer;", "assigns viewer, owner;")], ["new-delegation"]),
    ("assigns chain through a new edge",
     [("  allow doc.read in self;\n}", "  allow doc.read in self;\n  assigns owner;\n}")],
     ["new-delegation"]),
    ("locked removed from an assigned role",
     [("locked role legacy", "role legacy")], ["new-delegation"]),
    ("exclusive set removed",
     [("exclusive payer, approver, auditor;", "")], ["removed-exclusive"]),
    ("exclusive set shrunk",
     [("exclusive payer, approver, auditor;", "exclusive payer, approver;")],
     ["removed-exclusive"]),
    ("exclusive set split in two",
     [("exclusive payer, approver, auditor;", "exclusive payer, approver;\nexclusive payer, auditor;")],
     ["removed-exclusive"]),
    ("deny removed (it blocked another held role)",
     [("  deny doc.delete in subtree when not mfa;\n", "")], ["removed-deny"]),
    ("deny narrowed: reach",
     [("deny doc.delete in subtree when not mfa;", "deny doc.delete in descendants when not mfa;")],
     ["removed-deny"]),
    ("deny narrowed: condition strengthened",
     [("deny doc.delete in subtree when not mfa;",
       "deny doc.delete in subtree when not mfa and business;")],
     ["removed-deny"]),
    ("deny removed inside one role",
     [("deny bill.view in tenant;", "")], ["removed-deny"]),
    ("except removed",
     [("allow doc.* except doc.purge in self;", "allow doc.* in self;")], ["new-allow"]),
    ("require removed",
     [("require not blocked for member;", "")], ["removed-requirement"]),
    ("require weakened",
     [("require not blocked for member;", "require not blocked or mfa for member;")],
     ["removed-requirement"]),
    ("permission `for` widened",
     [("pay for staff;", "pay for staff, member;")], ["widened-permission"]),
    ("role `for` widened",
     [("role viewer \"Viewer\" for member", "role viewer \"Viewer\" for member, staff")],
     ["new-holder"]),
    ("new user type holding an existing role",
     [("usertype member at account;", "usertype member at account;\nusertype guest at account;"),
      ("role viewer \"Viewer\" for member", "role viewer \"Viewer\" for member, guest")],
     ["new-holder"]),
    ("condition removed",
     [("allow doc.write in subtree when mfa;", "allow doc.write in subtree;")], ["new-allow"]),
    ("condition weakened (a conjunct dropped)",
     [("allow doc.share in self when mfa and business;", "allow doc.share in self when mfa;")],
     ["new-allow"]),
    ("condition weakened past 16 flags: only the 17th flag matters",
     [("flag business on account;",
       "flag business on account;\n" + "".join("flag f%02d on member;\n" % i for i in range(17))),
      ("allow doc.share in self when mfa and business;",
       "allow doc.share in self when mfa and business;\n  allow doc.purge in self when " +
       " and ".join("f%02d" % i for i in range(17)) + ";")],
     ["new-allow"]),
    ("reach widened",
     [("  allow doc.read in self;\n}", "  allow doc.read in subtree;\n}")],
     ["new-allow"]),
    ("new permission under a wildcard",
     [("read \"Read\", write, delete;", "read \"Read\", write, delete, archive;")],
     ["new-permission"]),
    ("extends added",
     [("role clerk for staff {", "role clerk for staff extends payer {")], ["new-allow"]),
    ("allow added",
     [("role clerk for staff {\n  allow bill.view in tenant;\n",
       "role clerk for staff {\n  allow bill.view in tenant;\n  allow bill.pay in tenant;\n")],
     ["new-allow"]),
    ("policy-wide deny removed",
     [("deny bill.pay in tenant when not mfa for staff;", "")], ["removed-deny"]),
    ("policy-wide deny narrowed: reach",
     [("deny bill.pay in tenant when not mfa for staff;",
       "deny bill.pay in descendants when not mfa for staff;")], ["removed-deny"]),
    ("policy-wide deny moved to another permission",
     [("deny bill.pay in tenant when not mfa for staff;",
       "deny bill.view in tenant when not mfa for staff;")], ["removed-deny"]),
    ("per-user-type rule widened to another user type",
     [("allow doc.write in tenant for staff;", "allow doc.write in tenant for staff, member;")],
     ["new-allow"]),
    ("per-user-type rule's `for` removed",
     [("allow doc.write in tenant for staff;", "allow doc.write in tenant;")], ["new-allow"]),
    ("conditional assigns: condition removed",
     [("assigns viewer when mfa;", "assigns viewer;")], ["new-delegation"]),
    ("conditional assigns: condition weakened",
     [("assigns viewer when mfa;", "assigns viewer when mfa or business;")], ["new-delegation"]),
    # --- no new access ---------------------------------------------------------------------
    ("declarations reordered",
     [("role auditor for staff {\n  allow bill.view in tenant;\n}\n", ""),
      ("policy gate;\n", "policy gate;\nrole auditor for staff { allow bill.view in tenant; }\n")],
     []),
    ("labels renamed",
     [("\"Documents\"", "\"Files\""), ("\"Viewer\"", "\"Reader\""), ("\"Staff\"", "\"Employees\"")],
     []),
    ("a rule split in two",
     [("allow doc.* except doc.purge in self;",
       "allow doc.{read, write, delete} in self;\n  allow doc.share in self;")],
     []),
    ("group renamed",
     [("group admin {", "group manage {")], []),
    ("comments and layout",
     [("role clerk for staff {\n  allow bill.view in tenant;\n}",
       "// clerks read bills\nrole clerk for staff { allow bill.view in tenant; }")],
     []),
    ("deny added",
     [("role clerk for staff {\n  allow bill.view in tenant;\n",
       "role clerk for staff {\n  allow bill.view in tenant;\n  deny bill.view in tenant when mfa;\n")],
     []),
    ("reach narrowed",
     [("allow doc.write in subtree when mfa;", "allow doc.write in self when mfa;")], []),
    ("condition strengthened on an allow",
     [("allow doc.write in subtree when mfa;", "allow doc.write in subtree when mfa and business;")],
     []),
    ("exclusive set added",
     [("exclusive payer, approver, auditor;",
       "exclusive payer, approver, auditor;\nexclusive clerk, payer;")],
     []),
    ("role locked", [("role viewer \"Viewer\"", "locked role viewer \"Viewer\"")], []),
    ("assigns narrowed", [("assigns editor, legacy;", "assigns legacy;")], []),
    ("role removed",
     [("role auditor for staff {\n  allow bill.view in tenant;\n}\n", ""),
      ("exclusive payer, approver, auditor;", "exclusive payer, approver;")],
     []),
    ("role deprecated", [("role clerk for staff", "deprecated \"use auditor\" role clerk for staff")],
     []),
    ("requirement added",
     [("require not blocked for member;", "require not blocked for member;\nrequire mfa for staff;")],
     []),
    ("new role with only a deny",
     [("role clerk for staff", "role jail for member { deny * in subtree; }\nrole clerk for staff")],
     []),
    ("new role with no rule, assigned",
     [("assigns viewer;", "assigns viewer, nobody;"),
      ("role clerk for staff", "role nobody for member { }\nrole clerk for staff")],
     []),
    ("unused flag added",
     [("flag business on account;", "flag business on account;\nflag trial on account;")], []),
    ("allow moved into the extended role's only extender",
     [("role viewer \"Viewer\" for member {\n  allow doc.read in self;\n}",
       "role viewer \"Viewer\" for member { }"),
      ("allow doc.write in subtree when mfa;", "allow doc.read in self;\n  allow doc.write in subtree when mfa;"),
      ("assigns viewer;", "")],
     []),
    ("policy-wide deny added",
     [("require not blocked for member;",
       "require not blocked for member;\ndeny doc.delete in tenant when blocked;")], []),
    ("policy-wide deny widened",
     [("deny bill.pay in tenant when not mfa for staff;", "deny bill.* in tenant when not mfa;")],
     []),
    ("per-user-type rule narrowed",
     [("allow doc.read in tenant;\n  allow doc.write in tenant for staff;",
       "allow doc.read in tenant for staff;\n  allow doc.write in tenant for staff;")], []),
    ("conditional assigns: condition strengthened",
     [("assigns viewer when mfa;", "assigns viewer when mfa and business;")], []),
    ("`except` instead of listing",
     [("allow doc.* except doc.purge in self;", "allow doc.{read, write, delete, share} in self;")],
     []),
]


def flags_of(text):
    return set(re.findall(r"^flag (\w+)", text, re.M))


def witnesses(doc):
    for item in doc["access"]:
        if item["change"] == "gained":
            yield item["category"], item["witness"]
    for item in doc["combinations"]:
        yield item["category"], item["witness"]
    for item in doc["delegations"]:
        yield item["category"], item["witness"]


def query(lattice, table, requests):
    """Decides each request with `lattice query --requests`; unknown names decide deny."""
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    proc = subprocess.run([lattice, "query", table, "--requests", "-"], input=lines,
                          capture_output=True, text=True)
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return [a["decision"] for a in answers]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    lattice = args.lattice
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    base_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gate_base.lat")
    base_text = open(base_path).read()
    base_table = os.path.join(args.work, "base.ltab")
    subprocess.run([lattice, "build", base_path, "-o", base_table, "--no-source-map"],
                   check=True, capture_output=True)
    failures = []
    gates = no_gates = 0
    for number, (name, edits, expected) in enumerate(CASES):
        text = base_text
        for old, new in edits:
            if text.count(old) != 1:
                failures.append("%s: edit text %r found %d times" % (name, old, text.count(old)))
            text = text.replace(old, new, 1)
        path = os.path.join(args.work, "case%02d.lat" % number)
        with open(path, "w") as f:
            f.write(text)
        proc = subprocess.run([lattice, "diff", "--format", "json", "--fail-on", "new-access",
                               base_path, path], capture_output=True, text=True)
        problems = []
        want_code = 3 if expected else 0
        if proc.returncode != want_code:
            problems.append("exit %d, expected %d: %s" % (proc.returncode, want_code, proc.stderr))
        doc = json.loads(proc.stdout) if proc.returncode in (0, 3) else None
        if doc is not None:
            if sorted(doc["newAccess"]) != sorted(expected):
                problems.append("categories %s, expected %s" % (doc["newAccess"], expected))
            # Every witness: allowed by the new table, denied by the old one.
            table = path.replace(".lat", ".ltab")
            build = subprocess.run([lattice, "build", path, "-o", table, "--no-source-map"],
                                   capture_output=True, text=True)
            if build.returncode != 0:
                problems.append("new version does not build: %s" % build.stderr)
            items = list(witnesses(doc))
            for category, w in items:
                if w["relation"] is None:  # memberships at different nodes: not a query yet
                    problems.append("witness %s [%s] holds its roles at different nodes; this "
                                    "table's cases are built to have single-node witnesses" %
                                    (w["testCase"], category))
            requests = [{"kind": w["userType"], "roles": w["roles"], "permission": w["permission"],
                         "relation": w["relation"], "flags": w["flags"]} for _, w in items]
            old_flags = flags_of(base_text)
            old_requests = [dict(r, flags=[f for f in r["flags"] if f in old_flags])
                            for r in requests]
            now = query(lattice, table, requests) if build.returncode == 0 else []
            before = query(lattice, base_table, old_requests)
            for i, (category, w) in enumerate(items):
                if i >= len(now) or now[i] != "allow":
                    problems.append("witness %s [%s] is not allowed by the new table" %
                                    (w["testCase"], category))
                if category != "new-delegation" and (i >= len(before) or before[i] != "deny"):
                    problems.append("witness %s [%s] is not denied by the old table" %
                                    (w["testCase"], category))
        print("%-66s %s" % (name, "FAIL" if problems else ("gate" if expected else "no gate")))
        if problems:
            failures.append("%s:\n    %s" % (name, "\n    ".join(problems)))
        elif expected:
            gates += 1
        else:
            no_gates += 1
    print("%d change kinds: %d gate, %d no gate, %d failed" %
          (len(CASES), gates, no_gates, len(failures)))
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
