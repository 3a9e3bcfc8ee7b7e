#!/usr/bin/env python3
# mutations.py - `lattice diff` on scripted edits of every example: the edits that change access
# report exactly that change, the neutral ones (reorder, rename a group, split a role) report none.
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

# The condition every request of the example's first user type must meet (its `require`), as
# `lattice diff` prints conditions; "" when none applies.
REQUIRE = {
    "document_cloud": "authenticated",
    "ev_charging": "not blocked",
    "marketplace_console": "active and not pending and not suspended",
    "tutorial": "active",
}

PROBE = """
resource zz_probe {{ a, b; group g {{ c, d; }} }}
role zz_base for {kind} {{ allow zz_probe.a in self; }}
role zz_role for {kind} {{
  allow zz_probe.b in self;
  deny zz_probe.c in self;
  allow zz_probe.g in subtree;
}}
"""

failures = []


def statements(text):
    """Splits a policy into top-level statements (leading comments stay with their statement)."""
    out, start, depth, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i) if text.find("\n", i) >= 0 else len(text)
            continue
        if text.startswith("/*", i):
            i = text.find("*/", i) + 2
            continue
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            # A brace closes a declaration's body, except in a top-level rule, whose patterns
            # may use braces (`deny res.{a, b} when ...;`): that one ends at its `;`.
            rule = re.match(r"\s*(//[^\n]*\n\s*)*(allow|deny)\b", text[start:i])
            if depth == 0 and not rule:
                out.append(text[start:i + 1])
                start = i + 1
        elif c == ";" and depth == 0:
            out.append(text[start:i + 1])
            start = i + 1
        i += 1
    return out, text[start:]


def reorder(text):
    parts, tail = statements(text)
    head = [p for p in parts if re.match(r"\s*(//[^\n]*\n\s*)*(policy|module|import)\b", p)]
    rest = [p for p in parts if p not in head]
    return "".join(head) + "".join(reversed(rest)) + tail


def rename_groups(text):
    """Renames every group `g` of resource `r` to `g_renamed`, and every `r.g`."""
    resource = None
    renames = []
    for m in re.finditer(r"\b(resource|group)\s+(\w+)", re.sub(r"//[^\n]*", "", text)):
        if m.group(1) == "resource":
            resource = m.group(2)
        elif resource:
            renames.append((resource, m.group(2)))
    for resource, group in renames:
        text = re.sub(r"\bgroup\s+%s\b" % group, "group %s_renamed" % group, text)
        text = re.sub(r"\b%s\.%s\b" % (resource, group), "%s.%s_renamed" % (resource, group), text)
    return text, renames


def run_diff(lattice, old, new, *extra):
    proc = subprocess.run([lattice, "diff", "--format", "json", *extra, old, new],
                          capture_output=True, text=True)
    return proc


def access_set(doc):
    return sorted(("+".join(a["roles"]), a["userType"], a["change"], ",".join(a["permissions"]),
                   ",".join(a["relations"]), a["when"] or "") for a in doc["access"])


def expect(name, lattice, old, new, expected, extra_check=None):
    proc = run_diff(lattice, old, new)
    if proc.returncode != 0:
        failures.append("%s: exit %d: %s" % (name, proc.returncode, proc.stderr))
        return None
    doc = json.loads(proc.stdout)
    got = access_set(doc)
    want = sorted(expected)
    if got != want:
        failures.append("%s:\n  expected %s\n  got      %s" % (name, want, got))
    if extra_check:
        problem = extra_check(doc)
        if problem:
            failures.append("%s: %s" % (name, problem))
    print("%-60s %s" % (name, "ok" if got == want else "FAIL"))
    return doc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--examples", required=True)
    args = parser.parse_args()
    lattice = args.lattice
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    examples = sorted(d for d in os.listdir(args.examples)
                      if os.path.exists(os.path.join(args.examples, d, "policy.lat")))
    if not examples:
        print("no examples found")
        return 1
    for example in examples:
        original = open(os.path.join(args.examples, example, "policy.lat")).read()
        kind = re.search(r"^usertype\s+(\w+)", original, re.M).group(1)
        when = REQUIRE.get(example, "")
        work = os.path.join(args.work, example)
        os.makedirs(work)

        def write(name, text):
            path = os.path.join(work, name + ".lat")
            with open(path, "w") as f:
                f.write(text)
            return path

        base_text = original + PROBE.format(kind=kind)
        base = write("base", base_text)
        plain = write("original", original)

        def mutate(name, old, new):
            assert old in base_text, (example, name, old)
            return write(name, base_text.replace(old, new, 1))

        t = lambda n: "%s: %s" % (example, n)
        gained = lambda perm, rel: ("zz_role", kind, "gained", perm, rel, when)

        # Access-changing edits: exactly one change each.
        add_allow = mutate("add_allow", "  allow zz_probe.b in self;\n",
                           "  allow zz_probe.b in self;\n  allow zz_probe.a in self;\n")
        expect(t("add an allow"), lattice, base, add_allow, [gained("zz_probe.a", "self")])
        remove_deny = mutate("remove_deny", "  deny zz_probe.c in self;\n", "")
        expect(t("remove a deny"), lattice, base, remove_deny, [gained("zz_probe.c", "self")])
        widen = mutate("widen", "allow zz_probe.b in self;", "allow zz_probe.b in subtree;")
        expect(t("widen a scope (self -> subtree)"), lattice, base, widen,
               [gained("zz_probe.b", "descendants")])
        extends = mutate("extends", "role zz_role for %s {" % kind,
                         "role zz_role for %s extends zz_base {" % kind)
        expect(t("add a role to an extends"), lattice, base, extends,
               [gained("zz_probe.a", "self")])
        expect(t("the reverse edits are losses"), lattice, add_allow, base,
               [("zz_role", kind, "lost", "zz_probe.a", "self", when)])

        # --fail-on new-access: 3 on a gain, 0 on a pure loss.
        for name, old, new, code in [("gained allow", base, add_allow, 3),
                                     ("pure loss", add_allow, base, 0),
                                     ("neutral", plain, plain, 0)]:
            proc = run_diff(lattice, old, new, "--fail-on", "new-access")
            ok = proc.returncode == code
            print("%-60s %s" % (t("--fail-on new-access, " + name), "ok" if ok else "FAIL"))
            if not ok:
                failures.append("%s: exit %d, expected %d: %s" %
                                (t("--fail-on " + name), proc.returncode, code, proc.stderr))

        # Neutral edits on the example's own declarations: no access change.
        no_other = lambda doc: None if doc["summary"]["otherChanges"] == 0 else \
            "unexpected other changes: %s" % doc
        reordered = reorder(base_text)
        if reordered == base_text:
            failures.append(t("reordering changed nothing"))
        expect(t("reorder declarations"), lattice, base, write("reordered", reordered), [],
               no_other)
        renamed, groups = rename_groups(base_text)
        expect(t("rename %d group(s)" % len(groups)), lattice, base, write("renamed", renamed),
               [], no_other)
        split = mutate("split", "role zz_role for %s {\n  allow zz_probe.b in self;\n" % kind,
                       "role zz_part for %s { allow zz_probe.b in self; }\n"
                       "role zz_role for %s extends zz_part {\n" % (kind, kind))
        # zz_role keeps its access; the new role zz_part is new access of its own (new-role).
        expect(t("split a role into extends"), lattice, base, split,
               [("zz_part", kind, "gained", "zz_probe.b", "self", when)],
               lambda doc: None if doc["roles"]["added"] == ["zz_part"] and
               [a["category"] for a in doc["access"]] == ["new-role"] else
               "expected role `zz_part` added as new-role, got %s" % doc)
        except_form = mutate("except", "  allow zz_probe.g in subtree;\n",
                             "  allow zz_probe.* except zz_probe.{a, b} in subtree;\n")
        expect(t("`except` instead of a group"), lattice, base, except_form, [], no_other)

        # A real rule of the example widened from `self` to `subtree`: only gains, only at
        # `descendants` (the exact set depends on the example's other rules).
        for m in re.finditer(r"^(\s*allow [^;]*?)( in self)?;", original, re.M):
            if " in " in m.group(1) or " when " in m.group(1):
                continue
            widened = original[:m.start()] + m.group(1) + " in subtree;" + original[m.end():]
            proc = run_diff(lattice, plain, write("widen_real", widened))
            doc = json.loads(proc.stdout) if proc.returncode == 0 else None
            bad = doc is None or not doc["access"] or any(
                a["change"] != "gained" or a["relations"] != ["descendants"] for a in doc["access"])
            print("%-60s %s" % (t("widen a real rule: gains at descendants only"),
                                "FAIL" if bad else "ok"))
            if bad:
                failures.append("%s: %s %s" % (t("widen a real rule"), proc.stderr,
                                                doc and doc["access"]))
            break

    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
