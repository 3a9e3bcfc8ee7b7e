#!/usr/bin/env python3
# gen_diagnostics.py - regenerates docs/diagnostics.md: every example is run for real, so the
# page shows exactly what `lattice check` prints. Usage: gen_diagnostics.py LATTICE OUT.md
"""Generates docs/diagnostics.md: every example is written to a scratch folder and run for real."""
import os, re, subprocess, sys, shutil, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LATTICE = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="lattice-diagdoc-")

def run(folder, args):
    p = subprocess.run([LATTICE, "check"] + args, cwd=folder, capture_output=True)
    out = (p.stdout + p.stderr).decode("utf-8", "backslashreplace")
    out = out.replace(ROOT + os.sep, "")  # the built-in stdlib path differs per checkout
    return out, p.returncode

def example(code, files, args=None):
    folder = os.path.join(WORK, code)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, text in files:
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    args = args or [files[0][0]]
    out, rc = run(folder, args)
    md = []
    for name, text in files:
        md.append(f"`{name}`:\n```\n{text}```\n")
    md.append(f"Output (exit code {rc}):\n```\n$ lattice check {' '.join(args)}\n{out}```\n")
    return "\n".join(md), rc

def generated(code, gen, args, shorten=None):
    folder = os.path.join(WORK, code)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    if "gen_nesting" in gen:
        os.makedirs(os.path.join(folder, "tests/golden/check/inputs"))
        shutil.copy(os.path.join(ROOT, "tests/golden/check/inputs/gen_nesting.py"), os.path.join(folder, "tests/golden/check/inputs"))
    subprocess.run(gen, shell=True, cwd=folder, check=True)
    out, rc = run(folder, args)
    if shorten:
        out = shorten(out)
    return f"```\n$ {gen}\n$ lattice check {' '.join(args)}\n{out}```\n(exit code {rc})\n", rc

TEN = "import std.tenancy;\n"

def suppress(group):
    return (f"\n\n**Suppress:** when the finding is intended, say why on the line of the finding or on\n"
            f"the line above it: `// lattice: allow({group}) \"reason\"`. `-Wno-{group}` turns the group\n"
            f"off for a whole run (see [Suppressing a finding](#suppressing-a-finding)).")
sections = []

def section(code, title, severity, meaning, body, fix, expect_rc):
    text, rc = body
    assert rc == expect_rc, (code, rc)
    # The explicit anchor `#l0101` is what SARIF's helpUri links to (see diagnostics/sarif.cpp).
    s = (f"<a id=\"{code.lower()}\"></a>\n\n## {code}: {title}\n\n**{severity}.** {meaning.strip()}\n\n"
         f"{text}\n**Fix:** {fix.strip()}\n")
    sections.append((code, title, severity, s))

# ---------------------------------------------------------------- L00xx
section("L0001", "syntax error", "Error", """
The text does not follow the grammar. The message names what was found and what the grammar
expected there. When the offending token is on a later line than the one before it, the
diagnostic is placed just after that previous token instead (`expected X after Y`, `missing X
after Y`), because something is usually missing at the end of the line. The parser recovers and
goes on, so one run reports every syntax error of a file (up to 50, see [L0008](#l0008-too-many-errors)).
Keywords are reserved only where the grammar expects them, so `import` or `role` are fine action
names; `import` declarations must come before all other declarations (an `import` after a
declaration is reported as ``unexpected `import`; expected a declaration ...``). A name where a
keyword was expected that is a near-miss of one (`rol`, `alow`, `wen`) gets ``did you mean
`role`?`` as its `help` line.""",
    example("L0001", [("policy.lat", TEN + "usertype staff at tenant\nresource doc { read; }\n")]),
    """add what is missing or remove what is extra; [language.md](language.md) has every
construct and `grammar/Lattice.g4` the exact grammar. While a file has syntax errors the semantic
checks (L01xx, L02xx) do not run, so more diagnostics may appear once it parses.""", 1)

section("L0002", "unexpected character", "Error", """
A character that cannot start any token, such as `&`, `|`, `!`, `$` or `@`. The character is
reported and skipped, and parsing continues without it. A run of such characters written together
(`&&`) is one diagnostic; for `&`, `|` and `!` the `help` line names the word to write.""",
    example("L0002", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read & in self; }\n")]),
    """delete the character. Conditions are written with the words `and`, `or` and `not`, not
`&&`, `||` or `!`.""", 1)

section("L0003", "unterminated string", "Error", """
A string literal (a label or a test name) has no closing `"` on its line; strings cannot span
lines. The rest of that line is skipped, and syntax errors that follow only from the skipped
tokens (up to the end of the statement) are not reported.""",
    example("L0003", [("policy.lat", TEN + "usertype staff \"Staff member at tenant;\n")]),
    """close the string on the same line. Use `\\n` for a line break and `\\"` for a quote inside
a string.""", 1)

section("L0004", "unterminated comment", "Error", """
A block comment opened with `/*` is never closed, so everything to the end of the file is
comment. Block comments do not nest: the first `*/` closes the comment.""",
    example("L0004", [("policy.lat", TEN + "/* TODO: add user types\nusertype staff at tenant;\n")]),
    """add the closing `*/` where the comment should end, or use `//` line comments.""", 1)

section("L0005", "file too large", "Error", """
A source file is larger than 2 MiB (2,097,152 bytes). The file is refused before it is
lexed, and the diagnostic points at its first line. The compiler reads at most one byte more
than the limit (so even an endless device such as `/dev/zero` is refused quickly), which is why
the message does not give the file's size. To reproduce it, generate a file of 3 MiB:""",
    generated("L0005", "python3 -c \"import sys; sys.stdout.write('policy big;\\n' + ' ' * (3 * 1024 * 1024))\" > big.lat", ["big.lat"]),
    """split the policy into several files: list them all on the command line, or move parts
into modules and `import` them. All files of a compilation share one namespace, so nothing else
changes.""", 1)

section("L0006", "not a text file", "Error", """
A source file is not UTF-8 text: it contains a NUL byte, or a byte sequence that is not valid
UTF-8 (including overlong forms, UTF-16 surrogates and truncated sequences). The diagnostic
points at the first bad byte and the whole file is refused. Typical causes are a file saved in
Latin-1 or UTF-16, or a binary file (such as a compiled `.ltab` table) passed by mistake. Two
generated files, one with a NUL byte and one with `é` in Latin-1 (byte 0xE9):""",
    generated("L0006", "printf 'policy p;\\nscope tenant\\000;\\n' > nul.lat; printf 'policy p;\\nscope caf\\351;\\n' > latin1.lat", ["nul.lat", "latin1.lat"]),
    """re-save the file as UTF-8 (for example `iconv -f latin1 -t utf-8 old.lat > new.lat`), or
pass the right file. In the snippet, control characters and bytes that are not UTF-8 are shown
as `?`.""", 1)

def shorten_long(out):
    lines = out.split("\n")
    res = []
    for l in lines:
        if len(l) > 110:
            l = l[:100].rstrip() + " ...(line shortened here)" if l.strip() and not set(l.strip()) <= set("^~") else l
        res.append(l)
    return "\n".join(res)

section("L0007", "nesting too deep", "Error", """
Brackets `(` and `{` are nested more than 64 deep (the braces of a role or resource body count
as one level), or one statement's condition has more than 512 `and`/`or`/`not` operators. This
is checked on the tokens before parsing, so that hostile input cannot exhaust the stack; the
file is refused at the first token past the limit. Real policies never come close; the inputs
below are generated with `tests/golden/check/inputs/gen_nesting.py` (64 parentheses inside a
role body, then a condition of 514 `a`s joined by `and`). Long lines like these are shown as a
window around the caret, with `...` where the line is cut:""",
    generated("L0007", "python3 tests/golden/check/inputs/gen_nesting.py parens 64 > deep.lat; python3 tests/golden/check/inputs/gen_nesting.py operators 513 > ops.lat", ["deep.lat", "ops.lat"]),
    """flatten the expression. A condition that long is usually better as a flag of its own,
or as several rules (the allow rules of a role are alternatives, so `allow p when a or b;` is
the same as `allow p when a; allow p when b;`).""", 1)

def last_lines(out):
    lines = out.rstrip("\n").split("\n")
    return "...\n" + "\n".join(lines[-10:]) + "\n"

section("L0008", "too many errors", "Error", """
The compiler stopped early because there were too many errors, so more problems may follow
the ones shown. There are two limits. The parser reports at most 50 syntax errors
([L0001](#l0001-syntax-error)) per file: in place of the 51st it reports `more than 50 syntax
errors; stopping here`, and the rest of the file is not examined. And while the characters of a
file are screened ([L0002](#l0002-unexpected-character) to [L0004](#l0004-unterminated-comment)),
reading stops once the compilation has 100 errors, with `too many errors (100); stopping here`
at the place of the 100th. Generated with 60 lines `scope a b;`, each one syntax error (the last
lines of the output):""",
    generated("L0008", "python3 -c \"print('policy p;'); print('\\n'.join(['scope a b;'] * 60))\" > errors.lat", ["errors.lat"], last_lines),
    """fix the first errors and run `check` again. Many errors in a row often have one cause: a
file that is not a policy at all, a missing `}` or an unterminated string.""", 1)

section("L0009", "cannot read file", "Error", """
A file named on the command line cannot be read: it does not exist, is a directory, is not a
regular file (a FIFO, socket or device such as `/dev/null`: refused before reading, so a named
pipe cannot hang the command), or may not be opened (below, `polcy.lat` is a typo). The diagnostic has no source location, so its line starts with `lattice:` and its
JSON `location` is `{}`. This is an I/O problem, so `check`, `build` and `test` exit with code 2,
not 1. The other files are still read and parsed, but the semantic checks do not run. (A module
that an `import` names but that cannot be found or read is [L0102](#l0102-module-not-found).)""",
    example("L0009", [("policy.lat", TEN + "usertype staff at tenant;\n")], ["polcy.lat"]),
    """correct the path; check the file's permissions.""", 2)

section("L0010", "empty policy", "Error", """
The files of the compilation (with everything they import) declare nothing: no scope kind,
resource, user type, flag, role, requirement or test. An empty or comment-only file is almost
always a wrong path, a truncated file or a failed generator step, and a table with nothing in it
would deny every request, so `check`, `build` and `test` refuse it with exit code 1 (and `build`
writes no table). A file that only imports modules is empty in the same way.""",
    example("L0010", [("policy.lat", "// TODO: write the policy\n")]),
    """pass the right file, or declare the policy's scope kinds, resources, user types and roles.""", 1)

# ---------------------------------------------------------------- L01xx
section("L0101", "redefinition", "Error", """
A name is declared twice. Each kind of thing (scope kinds, user types, resources, roles, flags,
action sets) has one namespace for the whole compilation, so the two declarations may be in
different files. Inside a resource, actions and groups share one namespace, including the actions
and the group that an `include` adds; those clashes read ``redefinition of action `doc.read` ``
or ``group `g` clashes with an action or group of the same name in `doc` ``. A note points at the
first declaration. A `group` that lists actions already declared outside it (``group `g`
re-declares the actions `a` and `b` of `doc` ``) is one error for the group, which still holds
them, so that uses of the group are not reported as well.""",
    example("L0101", [("policy.lat", TEN + "usertype staff at tenant;\nusertype staff at account;\n")]),
    """rename or remove one of the two. A user type that sits at several scope kinds is one
declaration: `usertype staff at tenant, account;`.""", 1)

section("L0102", "module not found", "Error", """
An `import` names a module that is on no search path. `import a.b;` looks for `a/b.lat` in the
importing file's folder, then in each folder of `$LATTICE_STDLIB`, then in the built-in
standard library. When a module there has a near-miss name, the `help` line suggests it
(``did you mean `std.tenancy`?``); otherwise it lists every path tried. A module that is found but
cannot be read gives the same code with ``cannot read module `a.b` at `PATH`: REASON``. The last
path in the `help` line is the standard library of the build that was run.""",
    example("L0102", [("policy.lat", "import std.tenency;\nusertype staff at tenant;\n")]),
    """correct the module name (the standard library has `std.tenancy`, `std.partners` and
`std.crud`), move the file where the import looks, or add its folder to `LATTICE_STDLIB`.""", 1)

section("L0103", "import cycle", "Error", """
Modules import each other in a cycle (a file importing itself is the shortest one). The error
is reported at the `import` that closes the cycle; notes show the other imports of the chain.""",
    example("L0103", [("policy.lat", TEN + "import roles;\nusertype staff at tenant;\n"),
                      ("roles.lat", "module roles;\nimport policy;\n")]),
    """remove one of the imports. All files of a compilation share one namespace and order does
not matter, so a module never needs to import the file that imports it; declarations used by
both belong in a third module that both import.""", 1)

section("L0104", "unknown scope kind", "Error", """
A name used as a scope kind (after `under`, `usertype ... at` or `owned_by`) is not declared.
After `flag ... on`, where both scope kinds and user types are allowed, the message reads
`unknown scope kind or user type`. Like every unknown name ([Unknown names](#unknown-names)),
it is reported once, with a near-miss suggestion or the module to import.""",
    example("L0104", [("policy.lat", TEN + "usertype staff at tenants;\n")]),
    """correct the spelling, declare the kind with `scope NAME;`, or import the module that
declares it (`import std.tenancy;` for `tenant`, `account` and `subaccount`). Without the import:""" +
    "\n\n" + example("L0104b", [("policy.lat", "usertype staff at tenant, account;\nresource doc owned_by account { read; }\n")])[0], 1)

section("L0105", "unknown user type", "Error", """
A name used as a user type (after `role ... for`, after `for` on an action, in `require ... for`,
or after `as` in a test case) is not declared. When the name is a scope kind, a `help` line
says so: roles and permissions are given to user types, which sit at scope kinds; likewise for
a role or any other kind of name.""",
    example("L0105", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for stuff { allow doc.read; }\n")]),
    """correct the spelling or declare the user type: `usertype NAME at SCOPE_KIND;`.""", 1)

section("L0106", "unknown resource", "Error", """
A permission pattern (in a rule or in a test case, including after `except`) names a resource
that is not declared.""",
    example("L0106", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow docs.read; }\n")]),
    """correct the spelling or declare the resource: `resource NAME { ACTIONS; }`.""", 1)

section("L0107", "unknown action", "Error", """
The resource exists but has no action or group of that name. A note points at the
resource's declaration; the `help` line suggests the nearest action or group of that resource
when one is a likely typo.""",
    example("L0107", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.view; }\n")]),
    """correct the spelling or add the action to the resource. `doc.*` means every action of
`doc`; `doc.{a, b}` names several.""", 1)

section("L0108", "unknown role", "Error", """
A name used as a role (after `extends` or `assigns`, in an `exclusive` set, or in a test case)
is not declared.""",
    example("L0108", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole editor for staff extends viewer { allow doc.read; }\n")]),
    """correct the spelling or declare the role. Roles may be declared in any order and in any
file of the compilation.""", 1)

section("L0109", "unknown flag", "Error", """
A name used as a flag (in a `when` condition, a `require`, or after `with` in a test case) is not
declared. The `help` line suggests a declared flag when the name is a near-miss of one (``did
you mean `active`?``); only when none is near does it show the declaration to add.""",
    example("L0109", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read when active; }\n")]),
    """correct the spelling or declare the flag, on the user types it describes
(`flag active on staff;`) or on the scope kinds whose nodes it describes
(`flag business on account;`).""", 1)

section("L0110", "unknown action set", "Error", """
An `include` inside a resource names no action set (`actions NAME { ... }`).""",
    example("L0110", [("policy.lat", "import std.crud;\nimport std.tenancy;\nresource doc { include curd; }\n")]),
    """correct the spelling, declare the set, or import the module that declares it (`std.crud`
has `crud`, `readwrite` and `manage`).""", 1)

section("L0111", "unknown relation", "Error", """
A rule's `in` names no relation. Rules, test cases and queries share one vocabulary: `self`,
`descendants`, `ancestors`, `elsewhere`, `subtree` and `tenant` (see
[language.md](language.md#relations)). The `help` line suggests the nearest word when the name
looks like a typo of one (`in decendants`: ``did you mean `descendants`?``), and lists the words
otherwise.""",
    example("L0111", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read in children; }\n")]),
    """use one of the words; `descendants` is strictly below the principal's node, `subtree` its
node and below.""", 1)

section("L0112", "unknown test relation", "Error", """
A test case's `on` names no relation: it takes the words of rules (`self`, `descendants`,
`ancestors`, `elsewhere`, `subtree`, `tenant`), a set of them in `{...}`, or `*` for all four
relations.""",
    example("L0112", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\ntest \"viewer reads\" { allow viewer: doc.read on own; }\n")]),
    """use one of the words (`self` for the principal's own node).""", 1)

section("L0113", "conflicting policy name", "Error", """
Two files of one compilation have `policy` headers with different names. A compilation is one
policy; the name is written into the table. `module` headers do not count.""",
    example("L0113", [("billing.lat", "policy billing;\nimport std.tenancy;\n"),
                      ("roles.lat", "policy billing_v2;\nusertype staff at tenant;\n")],
            ["billing.lat", "roles.lat"]),
    """give every file the same `policy` name, leave the header out of all but one file, or
turn the shared files into modules (`module NAME;`) that the policy imports.""", 1)

section("L0114", "ambiguous flag target", "Error", """
A `flag ... on` target is the name of both a scope kind and a user type. A flag on a scope
kind is a property of the principal's node, a flag on a user type a property of the principal,
so the compiler does not guess.""",
    example("L0114", [("policy.lat", "scope partner;\nusertype partner at partner;\nflag vip on partner;\n")]),
    """rename one of the two (for example `usertype partner_user at partner;`) and name the one
you mean.""", 1)

section("L0115", "module name mismatch", "Warning", """
The `module` header of an imported file does not match the path it was imported by. The file
is still loaded and used as usual; the header only documents what the module is called, and a
mismatch usually means a file was copied or moved. A note points at the import. This is a
warning: it does not fail `check` (exit code 0), and `build` still writes the table.""",
    example("L0115", [("policy.lat", "import scopes;\nusertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\n"),
                      ("scopes.lat", "module std.tenancy;\nscope tenant;\n")]),
    """make the header match the import path (`module scopes;` here), or import the module by
its real name from where it belongs.""", 0)

section("L0116", "old relation spelling", "Warning", """
A test case (or a rule) names a relation in the words test cases used before the vocabularies of
rules and tests were merged: `same`, `descendant` or `ancestor`. It still means what it meant
(`self`, `descendants`, `ancestors`); the `help` line says what to write. (`tenant`, the fourth
old word, is a word of the vocabulary: in a test case it now means the whole tree; write
`elsewhere` for the old meaning. See [language.md](language.md#relations).)""",
    example("L0116", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\ntest \"viewer reads\" { allow viewer: doc.read on same; }\n")]),
    """write the word of the `help` line.""" + suppress("relation-spelling"), 0)

section("L0117", "unused flag", "Warning", """
A flag that no condition reads: no `when` and no `require` names it, so no decision depends on
it (a test case's `with` only sets it). Usually a rule that was removed, a condition that names
another flag by mistake, or a flag the host sets for rules still to be written. Like every unused-declaration warning (L0117-L0120, L0221), it is reported only when the
compilation has no errors (a use that did not resolve would make a name look unused), and only
for the policy's own files: a file with a `module` header is a library, and the names its
importers do not use are no finding (an import none of whose names are used is, L0120).""",
    example("L0117", [("policy.lat", TEN + "usertype staff at tenant;\nflag active, trial on staff;\nresource doc { read; }\nrole viewer for staff { allow doc.read when active; }\n")]),
    """use the flag in a condition, or remove it.""" + suppress("unused-flag"), 0)

section("L0118", "unused user type", "Warning", """
A user type that no role is `for`: a principal of that kind can hold no role, so it is allowed
nothing (restricting a permission to it with `for` does not change that). Like every unused-declaration warning (L0117-L0120, L0221), it is reported only when the
compilation has no errors (a use that did not resolve would make a name look unused), and only
for the policy's own files: a file with a `module` header is a library, and the names its
importers do not use are no finding (an import none of whose names are used is, L0120).""",
    example("L0118", [("policy.lat", TEN + "usertype staff at tenant;\nusertype guest at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\n")]),
    """add the user type to the `for` list of the roles it should hold, or remove it.""" + suppress("unused-user-type"), 0)

section("L0119", "unused action set", "Warning", """
An action set (`actions NAME { ... }`) that no resource includes. Like every unused-declaration warning (L0117-L0120, L0221), it is reported only when the
compilation has no errors (a use that did not resolve would make a name look unused), and only
for the policy's own files: a file with a `module` header is a library, and the names its
importers do not use are no finding (an import none of whose names are used is, L0120).
So `import std.crud;` and `include crud;` do not report `readwrite` and `manage`.""",
    example("L0119", [("policy.lat", TEN + "usertype staff at tenant;\nactions review { approve, reject; }\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\n")]),
    """include the set in the resources it was written for, or remove it.""" + suppress("unused-action-set"), 0)

section("L0120", "unused import", "Warning", """
An `import` none of whose names are used: nothing that the module declares, or that the modules
it imports declare, is named anywhere else in the compilation (so one file may import a module
for the others). The warning is at the module's name in the `import`. Like the other
unused-declaration warnings it is reported only for the policy's own files and only when the
compilation has no errors.""",
    example("L0120", [("policy.lat", TEN + "import std.crud;\nusertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\n")]),
    """remove the import.""" + suppress("unused-import"), 0)

section("L0121", "mixed flag targets", "Error", """
A `flag ... on` declaration names both scope kinds and user types. A flag on a scope kind is a
property of nodes and reaches a decision through the node of each membership; a flag on a user
type is a property of the principal. Requests give the two apart (a principal's flags, each
membership's node flags) and the compiled table records each flag's side, so one flag cannot be
both ([request-model.md](request-model.md#the-request)). The error is at the first target of the
second kind.""",
    example("L0121", [("policy.lat", "scope account;\nusertype staff at account;\nflag suspended on account, staff;\n")]),
    """declare one flag for nodes and one for principals (`flag account_suspended on account;`
and `flag suspended on staff;`), and say in each condition which one you mean.""", 1)

# ---------------------------------------------------------------- L02xx
FIXTURE = "scope tenant;\nscope account under tenant;\nresource station owned_by account { view; }\nusertype account_user at account;\nflag business on account;\nrole admin for account_user { allow station.view in subtree; }\n"

def fixture_test(body):
    return FIXTURE + "test \"t\" {\n" + body + "}\n"

section("L0130", "unknown test node", "Error", """
A case about a principal names a target node, or a membership names a node, that the test block
does not declare. A test's nodes and principals are local to its block.""",
    example("L0130", [("policy.lat", fixture_test("  node acme: tenant;\n  node a: account under acme;\n  principal alice: account_user { admin at a; }\n  allow alice: station.view on b;\n"))]),
    """declare the node in this test (`node b: account under acme;`) or name one it declares.""", 1)

section("L0131", "duplicate test name", "Error", """
A test block declares a node or principal name twice. Nodes and principals share one namespace
per test, so that a case's subject and targets are never ambiguous.""",
    example("L0131", [("policy.lat", fixture_test("  node acme: tenant;\n  node acme: tenant;\n"))]),
    """rename one of them.""", 1)

section("L0132", "test name shadows role", "Error", """
A test's node or principal has the name of a role. A case's subject is either roles or a
principal: `allow admin: ...` must mean one of them.""",
    example("L0132", [("policy.lat", fixture_test("  node acme: tenant;\n  node a: account under acme;\n  principal admin: account_user { admin at a; }\n"))]),
    """name the principal after the person or key it stands for (`alice`, `ci_key`).""", 1)

section("L0201", "scope cycle", "Error", """
Scope kinds are placed `under` each other in a cycle, so the tenancy tree would have no root.
The error is reported at the declaration whose `under` closes the cycle; notes list the scope
kinds in the cycle (the first eight, then `and N more`).""",
    example("L0201", [("policy.lat", "scope tenant under account;\nscope account under tenant;\n")]),
    """remove the `under` that points back up; at least one scope kind of the tree must be a
root (declared without `under`).""", 1)

section("L0202", "extends cycle", "Error", """
Roles extend each other in a cycle (a role that extends itself, directly or through other
roles). The error is reported at the role whose `extends` closes the cycle; notes list the roles
in the cycle (the first eight, then `and N more`).""",
    example("L0202", [("policy.lat", TEN + "usertype staff at tenant;\nrole editor for staff extends viewer { }\nrole viewer for staff extends editor { }\n")]),
    """remove one of the `extends`. Extending is one-way: the extending role gets every rule of
the extended one. Rules that two roles should share belong in a third role both extend.""", 1)

section("L0203", "permission not applicable", "Error", """
A rule names a permission explicitly (`res.action` or `res.{a, b}`) that is restricted with
`for` to user types none of which may hold the role, so the rule could never grant it. A note
shows the user types the permission applies to. Broad patterns (`*`, `res.*`, groups) naturally
span such permissions and are not reported.""",
    example("L0203", [("policy.lat", TEN + "usertype staff at tenant;\nusertype customer at account;\nresource station { view; pay for customer; }\nrole operator for staff { allow station.pay; }\n")]),
    """drop the permission from the rule, give the role to a user type the permission applies to
(`role operator for staff, customer`), or widen the action's `for`.""", 1)

section("L0204", "extended role kind mismatch", "Error", """
A role extends a role that some of its user types may not hold. Every extended role must be
holdable by every user type of the extending role; the message names the user types that are
missing, and a note points at the extended role.""",
    example("L0204", [("policy.lat", TEN + "usertype staff at tenant;\nusertype customer at account;\nrole viewer for staff { }\nrole auditor for staff, customer extends viewer { }\n")]),
    """add the missing user types to the extended role's `for` (`role viewer for staff,
customer`), or remove them from the extending role.""", 1)

section("L0205", "flag not available", "Error", """
A rule's `when` condition uses a flag that none of the role's user types can ever carry: the
flag is on other user types, or on scope kinds where none of them sit. The condition could
never be true for a holder of the role. A note points at the flag's declaration. The same holds
for the user types a rule is `for` (a per-user-type rule), for any user type (a policy-wide
deny without `for`), and for the condition of a conditional `assigns`, which reads the
assigner's own flags and those of its node.""",
    example("L0205", [("policy.lat", TEN + "usertype staff at tenant;\nflag business on account;\nresource doc { read; }\nrole viewer for staff { allow doc.read when business; }\n")]),
    """declare the flag `on` something the role's user types have (here `flag business on
account, tenant;`), drop the condition, or move the rule to a role for user types that carry the
flag.""", 1)

section("L0206", "exclusive set too small", "Error", """
An `exclusive` set names fewer than two distinct roles, so it excludes nothing. A role listed
twice counts once (and also gets [L0215](#l0215-duplicate-name)).""",
    example("L0206", [("policy.lat", TEN + "usertype staff at tenant;\nrole viewer for staff { }\nexclusive viewer;\n")]),
    """list at least two different roles, or delete the declaration.""", 1)

section("L0207", "too many user types", "Error", """
A policy declares more than 64 user types (the table stores them as a 64-bit mask). The 65th
declaration, in load order, is reported; the user types after it are not declared. Generated
with 65 user types:""",
    generated("L0207", "python3 -c \"print('import std.tenancy;'); print('\\n'.join('usertype u%d at tenant;' % i for i in range(65)))\" > kinds.lat", ["kinds.lat"]),
    """merge user types. A user type says where a principal can sit, and one user type may sit at
several scope kinds (`usertype member at account, subaccount;`); differences between principals
of one type are better expressed with roles or flags.""", 1)

section("L0208", "too many flags", "Error", """
A policy declares more than 64 flags (a request carries its flags as a 64-bit mask). The 65th
flag name, in load order, is reported, also when it is one name of a longer `flag a, b, c on ...`
list. Generated with 65 flags:""",
    generated("L0208", "python3 -c \"print('import std.tenancy;'); print('usertype staff at tenant;'); print('\\n'.join('flag f%d on staff;' % i for i in range(65)))\" > flags.lat", ["flags.lat"]),
    """remove flags no rule or requirement uses, or merge flags that always hold together.""", 1)

section("L0209", "condition too complex", "Error", """
A condition expands to more than 64 cases. The compiler turns every condition into an OR of
AND-terms over flags (disjunctive normal form) for the table, and an AND of ORs multiplies out:
the seven `(a or b)` groups below give 2^7 = 128 terms. The whole condition is underlined.""",
    example("L0209", [("policy.lat", TEN + "usertype staff at tenant;\nflag a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, a7, b7 on staff;\nresource doc { read; }\nrole r for staff { allow doc.read when (a1 or b1) and (a2 or b2) and (a3 or b3) and (a4 or b4) and (a5 or b5) and (a6 or b6) and (a7 or b7); }\n")]),
    """simplify the condition, split the rule into several rules (`allow p when a1 and (...);
allow p when b1 and (...);` halves the count each time), or introduce a flag that stands for a
part of the condition and is computed by the application.""", 1)

section("L0210", "empty permission set", "Warning", """
A rule's or a test case's patterns, after `except`, match no permission at all, so the rule
has no effect or the case tests nothing (the message says `this rule ...` or `this test ...`).
This is a warning: it does not fail `check` (exit code 0).""",
    example("L0210", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.* except doc.read; }\n")]),
    """correct the patterns or the `except`, or delete the rule.""", 0)

section("L0211", "relation never reached", "Warning", """
A rule uses `descendants` (or `ancestors`), but every user type of the role sits only at scope
kinds that have no children (or no parents), so a resource can never be in that relation to a
holder of the role and the rule never applies. This is a warning: it does not fail `check`
(exit code 0).""",
    example("L0211", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read in ancestors; }\n")]),
    """use the relation you meant (`self`, `subtree`, `tenant`), or correct where the user type
sits (`usertype ... at`) or the tree (`scope ... under`).""", 0)

section("L0212", "test user type ambiguous", "Error", """
A test case without `as` holds roles that more than one user type may hold together, so it is
not clear which kind of principal the request is from. Notes list the candidate user types.""",
    example("L0212", [("policy.lat", TEN + "usertype staff at tenant;\nusertype customer at account;\nresource doc { read; }\nrole viewer for staff, customer { allow doc.read; }\ntest \"viewers read\" { allow viewer: doc.read on self; }\n")]),
    """say which with `as`: `allow viewer as staff: doc.read on self;`. To check both, write one
case per user type.""", 1)

section("L0213", "test user type mismatch", "Error", """
A test case's user type may not hold one of its roles. It has two forms:
an `allow` case with `as KIND` where `KIND` may not hold a listed role (such a request always
fails closed, so the case could never pass; a `deny` case like that is allowed on purpose, to
check exactly that), and a case without `as` whose roles no single user type may hold together
(`no user type may hold all of these roles`).""",
    example("L0213", [("policy.lat", TEN + "usertype staff at tenant;\nusertype customer at account;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\ntest \"customers read\" { allow viewer as customer: doc.read on self; }\n")]),
    """name a user type that may hold the roles, or give the role to that user type. To check that
such a request is refused, make it a `deny` case with `as`: `deny viewer as customer: doc.read on
self;`.""", 1)

section("L0214", "condition always false", "Warning", """
A condition can never hold, whatever the flags (for example `active and not active`). In a rule,
the rule never applies; in a `require`, every request of the user types it covers is denied.
This is a warning: it does not fail `check` (exit code 0).""",
    example("L0214", [("policy.lat", TEN + "usertype staff at tenant;\nflag active on staff;\nresource doc { read; }\nrole viewer for staff { allow doc.read when active and not active; }\n")]),
    """correct the condition (usually an `and` that should be `or`, or a misplaced `not`).""", 0)

section("L0215", "duplicate name", "Warning", """
A role is listed twice in an `exclusive` set (`is listed twice`) or in an `extends` list
(`is extended twice`). The repetition is ignored. This is a warning: it does not fail `check`
(exit code 0); an `exclusive` set that is left with fewer than two roles is also
[L0206](#l0206-exclusive-set-too-small).""",
    example("L0215", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read, write; }\nrole viewer for staff { allow doc.read; }\nrole editor for staff { allow doc.write; }\nexclusive viewer, editor, viewer;\n")]),
    """delete the repetition, or write the role you meant.""", 0)

section("L0216", "flag not available for require", "Error", """
A `require` uses a flag that none of the user types it covers can ever carry (those after
`for`, or all user types when there is no `for`), so the requirement could never be met and
every request of those user types would be denied. A note points at the flag's declaration.""",
    example("L0216", [("policy.lat", TEN + "usertype staff at tenant;\nflag business on account;\nrequire business for staff;\n")]),
    """limit the `require` with `for` to user types that carry the flag, or declare the flag `on`
something those user types have.""", 1)

section("L0217", "extends too deep", "Error", """
A chain of `extends` is more than 64 levels deep (a role extends a role that extends a role ...,
65 times). A role has the rules of every role it extends, transitively, so very deep chains are
refused. The error is reported once, at the first role past the limit; the roles below it are
not reported again. Generated with roles `r0` to `r69`, each extending the one before:""",
    generated("L0217", "python3 -c \"print('import std.tenancy;'); print('usertype staff at tenant;'); print('role r0 for staff { }'); print('\\n'.join('role r%d for staff extends r%d { }' % (i, i - 1) for i in range(1, 70)))\" > deep.lat", ["deep.lat"]),
    """make the hierarchy flatter: a role may extend several roles at once (`extends a, b, c`), so
a role that needs the rules of many others can list them instead of chaining them.""", 1)

SUPPRESSED_BASE = TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\n"

section("L0218", "malformed suppression", "Error", """
A comment that starts with `lattice:` is read as a suppression (see [Suppressing a
finding](#suppressing-a-finding)) and must have the form `// lattice: allow(GROUP, ...) "reason"`.
This error reports one that does not: anything but `allow` after `lattice:`, a missing `(` or
`)`, an empty group list, text after the reason, and above all a missing or empty reason: every
suppression must say why the finding is acceptable, so that a reviewer can judge it later. A
malformed suppression silences nothing. Only `//` comments are read; block comments and
comments where `lattice:` is not the first word are ordinary comments.""",
    example("L0218", [("policy.lat", SUPPRESSED_BASE + "role editor for staff extends viewer, viewer { } // lattice: allow(duplicate)\n")]),
    """add the reason as a string in double quotes: `// lattice: allow(duplicate) "the importer
repeats parents"`. For an ordinary comment that happens to start with `lattice:`, reword it.""", 1)

section("L0219", "unknown warning group", "Error", """
A suppression names a group that does not exist. The groups are the names that `-W<group>` and
`-Wno-<group>` take; the help line lists them all, and [the table of
groups](#suppressing-a-finding) says which codes each holds. Codes such as `L0215` are not group
names. A suppression with an unknown group silences nothing, not even its other groups.""",
    example("L0219", [("policy.lat", SUPPRESSED_BASE + "// lattice: allow(duplicates) \"the importer repeats parents\"\nrole editor for staff extends viewer, viewer { }\n")]),
    """write the group's name as listed (here `duplicate`).""", 1)

section("L0220", "unused suppression", "Warning", """
A suppression silences nothing: no warning of the group it names starts on the line it covers.
It is reported at the group's name (for a suppression of several groups, once for each group that
is unused), so that suppressions do not outlive the findings they were written for. A
suppression covers its own line, and, when it stands alone on its line, the first line after the
comment lines it is part of; a blank line ends that. Errors cannot be suppressed: a suppression
whose group finds only an error there is unused too, and its help line says so. This warning is
reported only when the compilation has no errors, because after an error later checks (and the
static analyzer) may not have run. It is in group `unused-suppression`, so `-Wno-unused-suppression`
turns it off.""",
    example("L0220", [("policy.lat", SUPPRESSED_BASE + "// lattice: allow(duplicate) \"the importer repeats parents\"\n\nrole editor for staff extends viewer, viewer { }\n")]),
    """remove the suppression, or move it onto the line of the finding or directly above it.""", 0)

section("L0221", "empty role", "Warning", """
A role with no rules that extends no role and assigns none: holding it allows nothing, denies
nothing and delegates nothing. A role that only combines others (`extends a, b { }`) or only
delegates (`{ assigns a; }`) is not empty. Like every unused-declaration warning (L0117-L0120, L0221), it is reported only when the
compilation has no errors (a use that did not resolve would make a name look unused), and only
for the policy's own files: a file with a `module` header is a library, and the names its
importers do not use are no finding (an import none of whose names are used is, L0120).""",
    example("L0221", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.read; }\nrole placeholder for staff { }\n")]),
    """give the role its rules, or remove it.""" + suppress("empty-role"), 0)

section("L0230", "scope resource without owner", "Error", """
A resource declared `as scope` has no `owned_by`. Its instances are nodes of the scope tree (the
repository a maintainer holds roles on), and a node needs a place: the scope kinds it sits
under are its `owned_by` kinds.""",
    example("L0230", [("policy.lat", "scope organization;\nresource repository as scope { push; }\n")]),
    """name the scope kinds its instances sit under: `resource repository owned_by organization
as scope { ... }`.""", 1)

section("L0232", "test node placement", "Error", """
A test's node is not where its scope kind can be: a node of a kind that is under other kinds needs
a parent node of one of them (`node a: account under acme;`), and a root kind's node has none.
Parents are declared before their children.""",
    example("L0232", [("policy.lat", fixture_test("  node acme: tenant;\n  node a: account;\n"))]),
    """place the node under a node of a kind its scope kind is `under`.""", 1)

section("L0233", "test flag placement", "Error", """
A test gives a flag to a node or principal that cannot carry it: a flag declared on scope kinds
belongs to the nodes of those kinds (`node a: account under acme with business;`), a flag declared
on user types to principals of those types (`principal alice: account_user with active`).""",
    example("L0233", [("policy.lat", fixture_test("  node acme: tenant with business;\n"))]),
    """move the flag to a node or principal that has it.""", 1)

section("L0234", "test membership placement", "Error", """
A test's principal holds roles at a node of a scope kind its user type is not `at`.""",
    example("L0234", [("policy.lat", fixture_test("  node acme: tenant;\n  principal alice: account_user { admin at acme; }\n"))]),
    """hold the roles at a node of one of the user type's scope kinds, or add the kind to its `at`.""", 1)

section("L0235", "principal case form", "Error", """
A case about a principal (`allow alice: station.view on a;`) uses `as`, `with` or `on *`. The
principal carries its user type and flags, and its memberships carry the relations: the case
names the target nodes.""",
    example("L0235", [("policy.lat", fixture_test("  node acme: tenant;\n  node a: account under acme;\n  principal alice: account_user { admin at a; }\n  allow alice: station.view on *;\n"))]),
    """write `allow alice: PERMISSIONS on NODE;` or `on {NODE, NODE}`.""", 1)

section("L0236", "test target placement", "Error", """
A case's target node cannot be what the permission is about: a resource's requests are about a
node of one of its `owned_by` kinds, or, for a resource that is a scope, about its own node.""",
    example("L0236", [("policy.lat", fixture_test("  node acme: tenant;\n  node a: account under acme;\n  principal alice: account_user { admin at a; }\n  allow alice: station.view on acme;\n"))]),
    """name a node of a kind the resource can be owned by.""", 1)

section("L0237", "rule kind not of role", "Error", """
A rule's `for` (a per-user-type rule: `allow ... for partner_user;`) names a user type its role is
not for. No principal of that user type can hold the role, so the rule could never apply to it.
The note shows the user types the role is for; a near-miss among them is offered as `did you
mean`. A name that is no user type at all is [L0105](#l0105-unknown-user-type).""",
    example("L0237", [("policy.lat", TEN + "usertype partner_user at tenant;\nusertype customer_user at account;\nusertype auditor at tenant;\nresource station owned_by tenant, account { view; reset; }\nrole operator for partner_user, customer_user {\n  allow station.view in subtree;\n  allow station.reset in subtree for auditor;\n}\n")]),
    """name user types of the role (`for partner_user`), or add the user type to the role's
`for`.""", 1)

section("L0238", "policy-wide allow", "Error", """
An `allow` at the top level of a policy, outside any role. A rule at the top level is a
policy-wide deny, which applies whatever role granted the access (Cedar's `forbid`); only a role
grants, so a top-level `allow` would grant nothing to anyone.""",
    example("L0238", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nrole reader for staff { allow doc.read; }\nallow doc.read in tenant;\n")]),
    """put the allow in a role, or write `deny` to forbid the permissions whatever role grants
them.""", 1)

CUSTOM = (TEN + "usertype account_user at account;\nusertype api_key at account;\n"
          "resource station owned_by account { view, reset; update_firmware for account_user; }\n"
          "role account_admin for account_user { allow station.* in subtree; }\n")

section("L0239", "custom role form", "Error", """
A custom role (`custom role NAME for USERTYPES { ... }`) is a *ceiling*: the most a role that
tenants build at run time may hold, and who may create one. It takes only `allow PERMISSIONS
[except PERMISSIONS] [in REACH];` rules and `created_by ROLES;`. A `deny`, a `when` condition,
a rule's `for`, `extends`, `assigns`, `locked` and `deprecated` have no meaning there: a role built
from it allows exactly the cells chosen at run time, with no denies and no conditions, and is
given by its creators.""",
    example("L0239", [("policy.lat", CUSTOM + "custom role key_role for api_key {\n  deny station.reset;\n  allow station.view when business;\n  created_by account_admin;\n}\n")]),
    """write the ceiling's permissions as plain `allow ... in REACH;` rules. Forbid something for
every custom role with a `deny` at the top level of the policy; express conditions with a
`require`.""", 1)

section("L0240", "created_by outside a custom role", "Error", """
`created_by` names who may create the roles of a custom role ceiling. In a role that is not
`custom` it has no meaning.""",
    example("L0240", [("policy.lat", CUSTOM + "role operator for account_user {\n  allow station.view;\n  created_by account_admin;\n}\n")]),
    """write `custom role NAME` to make it a ceiling, or give the role with `assigns` in the
assigner's role.""", 1)

section("L0241", "empty custom role", "Error", """
A custom role ceiling that allows no permission to its user types (its rules name nothing, or only
permissions whose `for` excludes every one of them): no role built from it could allow anything.""",
    example("L0241", [("policy.lat", CUSTOM + "custom role key_role for api_key {\n  allow station.update_firmware in subtree;\n}\n")]),
    """allow permissions that apply to its user types, or remove it.""", 1)

section("L0242", "custom role used as a role", "Error", """
A custom role is named where a role of the policy is expected: in `extends`, `assigns`,
`exclusive` or a delegation test case. A custom role has no rules
of its own to extend and is given by its creators (`created_by`), not by `assigns`; its roles are
built by tenants at run time. (A decision test case or a test principal's membership may name it:
it then stands for its widest custom role, [language.md](language.md#tests).)""",
    example("L0242", [("policy.lat", CUSTOM + "custom role key_role for api_key {\n  allow station.view;\n  created_by account_admin;\n}\nrole owner for account_user {\n  assigns key_role;\n}\n")]),
    """name the creators in the custom role's `created_by` instead.""", 1)

section("L0243", "test custom role outside its ceiling", "Error", """
A custom role a test declares (`custom viewer: key_role { allow ...; }`) holds a permission its
ceiling does not allow, or holds one at a relation beyond the ceiling's reach. The runtime
refuses such a role, as it refuses a tenant's, so every case holding it would fail; the test is
wrong, not the policy. A ceiling named as a role needs no declaration: it stands for its widest
custom role ([language.md](language.md#tests)).""",
    example("L0243", [("policy.lat", CUSTOM + "custom role key_role for api_key {\n  allow station.view in subtree;\n  created_by account_admin;\n}\ntest \"keys\" {\n  custom wide: key_role {\n    allow station.view in tenant;\n  }\n  allow wide: station.view on self;\n}\n")]),
    """leave the permission out of the test's role, narrow its reach, or widen the ceiling if
tenants should be able to give it.""", 1)

FACTS = (TEN + "usertype staff at account;\nflag business on account;\nflag archived on resource doc;\n"
         "flag mfa_used on request;\nresource doc owned_by account { read, edit; }\n")

section("L0250", "flag on the wrong side", "Error", """
A condition names a flag on a side its declaration does not give it. A fact is read with its
side: `resource.x` for a fact of the resource (`flag x on resource doc;`), `request.x` for a
fact of the request (`flag x on request;`), `target.x` for a node flag read at the node the
request is about; a flag of principals or of their nodes has no prefix (`business` is the flag of
the membership's node). The message says which side the flag is and how to write it.""",
    example("L0250", [("policy.lat", FACTS + "role editor for staff {\n  allow doc.read when archived;\n  deny doc.edit when resource.business;\n}\n")]),
    """write the flag as its declaration says: `resource.archived`, `target.business` for the
target's node, `business` for the membership's.""", 1)

section("L0251", "unknown fact side", "Error", """
A flag is written with a prefix other than `resource`, `request` or `target` (`doc.archived`).
Only facts have a prefix, and it names where the value comes from, not the resource.""",
    example("L0251", [("policy.lat", FACTS + "role editor for staff { allow doc.read when not doc.archived; }\n")]),
    """write `resource.archived` (or `request.x`, `target.x`).""", 1)

section("L0252", "fact not of the resource", "Error", """
A rule reads a resource fact for a permission of a resource the fact is not declared on (`flag
archived on resource doc;` read by a rule that also names `station.*`, or by `*`). No request for
that permission carries the fact, so the rule would read a value that is never known.""",
    example("L0252", [("policy.lat", FACTS + "resource station owned_by account { view; }\nrole editor for staff {\n  allow doc.*, station.view;\n  deny * when resource.archived;\n}\n")]),
    """limit the rule to the resources that have the fact (`deny doc.* when
resource.archived;`), or declare the fact on the other resources too.""", 1)

section("L0253", "target flag never set", "Error", """
A rule reads `target.x` for a permission whose target node (the resource's owner, or its own node
for a resource that is a scope) can never be of a scope kind that carries the node flag `x`.""",
    example("L0253", [("policy.lat", TEN + "usertype operator at tenant;\nflag business on account;\nresource invoice owned_by tenant { read; }\nrole ops for operator { allow invoice.read when target.business; }\n")]),
    """limit the rule to permissions whose target can carry the flag, or declare the flag on
the target's scope kind.""", 1)

section("L0254", "fact not available", "Error", """
A `require` or an `assigns` reads a fact of the resource or of the target's node. A requirement
holds for every permission of its user types and an `assigns` is about no resource, so only the
request's facts (`request.x`) are known there: `require request.mfa_used;` is fine.""",
    example("L0254", [("policy.lat", FACTS + "role editor for staff { allow doc.read; }\nrequire not resource.archived;\n")]),
    """read the fact in a rule (`deny doc.* when resource.archived;`), or use a fact of the
request.""", 1)

# ---------------------------------------------------------------- L1xxx
# The static analyzer (compiler/analysis). Each section also says how to keep a finding that is
# intended: the warning's group, for `// lattice: allow(GROUP) "reason"` and `-Wno-GROUP`.
def two_examples(first, between, second):
    """Two examples in one section, with a paragraph between them; both must exit alike."""
    assert first[1] == second[1], (first[1], second[1])
    return (first[0] + "\n" + between.strip() + "\n\n" + second[0], first[1])

section("L1001", "conflict", "Warning", """
An allow and a deny meet on one request of the [request space](#static-analysis-l1xxx), so the
deny overrides the allow there (denies win). The request is a principal of some user type with
its memberships, asking for a permission both rules name, with flags under which both conditions
(and every `require`) hold, either
- at **one node**: the principal holds the role of the allow and the role of the deny there (one
  role, or two roles that may be held together: no `exclusive` set names both, and the user type
  may hold both), at a relation both rules reach that can occur for the permission's resource;
- or through **two memberships** at distinct nodes of one tree, one holding the deny's role and
  one the allow's (the same role too), each at its own relation to the target and with its own
  node flags (the principal's flags are shared), placed where a tree can have them: a deny `in
  descendants` held at a tenant reaches an account where another membership allows `in self`.
  Only a deny that meets no allow at one node is searched this way.

The diagnostic is at the deny; the first allow it overrides is the note `the allow is here`, up
to four more follow, and the message names the permission and relation of one such request and,
when either rule has a condition, the condition under which the two meet: at one node both
conditions together, in the language's syntax (``both match `doc.write` at relation `self` when
`member and frozen` ``); through two memberships each rule's relation and condition, and a note
with the example request in tree words. A carve-out inside one role (`allow doc.*; deny
doc.write;`) is a conflict too: the help line then suggests `except`. A policy-wide deny (a
`deny` at the top level) is held with every role, so it meets each allow it overrides; it is
reported like any deny (one finding per deny, the first allow as the witness), with a help line
that says so: keep the override with a suppression, or narrow the allow. A policy-wide deny also
meets custom role ceilings, their worst case: one finding per deny and ceiling, at the deny, for
the first cell of the ceiling it overrides for one of its user types (the note at the ceiling),
with the condition under which it does.""",
    two_examples(
        example("L1001", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read, write; }\nrole editor for staff { allow doc.*; }\nrole readonly for staff { allow doc.read; deny doc.write; }\n")]),
        "Through two memberships: an auditor's deny reaches the accounts below its tenant,\n"
        "where the same principal may be an editor:",
        example("L1001-two-memberships", [("policy.lat", TEN + "usertype staff at tenant, account;\nresource doc owned_by account { read, write; }\nrole editor for staff { allow doc.* in self; }\nrole auditor for staff {\n  deny doc.write in descendants;\n  allow doc.read in subtree;\n}\n")])),
    """decide which rule should win. Inside one role, write the exception into the allow
(`allow doc.* except doc.write;`), which says the same without a deny. Between roles, if the
two are never meant to be held together (at one node, or anywhere in one tree), declare them
`exclusive`; if the deny is meant to win (a restriction role stacked on others, a block list
whose deny wins over every other membership's grant), keep it and suppress the finding.""" + suppress("conflict"), 0)

section("L1101", "unreachable rule", "Warning", """
A rule that can never decide a request of the [request space](#static-analysis-l1xxx): removing it
changes nothing, and it usually means the rule does not do what its author thinks. The message
says why:
- `every request it matches is denied by a deny rule`: every request the allow matches is also
  matched by a deny of the same role (or of a role it extends): an unconditional deny, or
  conditional ones that together leave no flags for the allow;
- `its permissions never apply at relation ...`: the rule's relation never occurs for where the
  resources can be owned, seen from where the role's user types sit: `descendants` for a resource
  owned only at the principal's own scope kind, `ancestors` for a user type at a root scope kind
  (the latter is also [L0211](#l0211-relation-never-reached));
- ``its condition needs `business`, which can never be set for `staff` at `tenant`, where its
  permissions apply``: every way the condition can hold needs a flag that cannot be set where the
  rule applies (a flag `on account` for a user who reaches the resource only from a tenant); the
  message names the flags and the user types with their scope kinds;
- ``its condition `not active` contradicts `require active` for `staff` at `tenant` ``: the
  flags could be set, but not together with the `require`s of those user types, which it names.

A deny is unreachable only when it matches no request at all; a deny that matches requests which
are denied anyway is [redundant](#l1201-redundant-rule). Rules that match no permission, or whose
condition can never hold for any flags, are reported as [L0210](#l0210-empty-permission-set) and
[L0214](#l0214-condition-always-false) instead. In the example, staff sit at accounts and documents are owned only by
accounts, so a document is never strictly below its reader's node (`account` has children, so
L0211 does not apply):""",
    example("L1101", [("policy.lat", TEN + "usertype staff at account;\nresource doc owned_by account { read; }\nrole viewer for staff { allow doc.read; allow doc.read in descendants; }\n")]),
    """remove the rule, or fix what keeps it from applying: the relation (`in self`, `in
tenant`), the resource's `owned_by`, the user type's `at`, the condition, or the deny that shadows
it.""" + suppress("unreachable"), 0)

section("L1201", "redundant rule", "Warning", """
A rule whose removal changes no decision of the [request space](#static-analysis-l1xxx). An allow
is redundant when every request it matches is also allowed by other allows of the same role or of
the roles it extends (whose conditions hold whenever its own does), or is denied anyway. A deny
is redundant when every request it matches would be denied without it: no role that can be held
beside it (not `exclusive` with it, holdable by the same user type) allows the permission there,
at the deny's node or through another membership in the same tree (the same role too, each
membership at its own relation to the target and with its own node flags), or other denies
cover it. Each finding is about removing that one rule alone: when two rules
cover each other (two identical allows), removing one can make the other needed, so remove one
rule at a time and run `check` again. In the example, `editor` extends `viewer`, which already
allows `doc.read`:""",
    example("L1201", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read, write; }\nrole viewer for staff { allow doc.read; }\nrole editor for staff extends viewer { allow doc.read; allow doc.write; }\n")]),
    """remove the rule. If it is kept on purpose (spelled out for readers, or kept while a
migration removes the rule that covers it), suppress the finding.""" + suppress("redundant"), 0)

section("L1301", "dead permission", "Warning", """
A declared permission that no request of the [request space](#static-analysis-l1xxx) is ever
allowed: no role has an allow for it that can decide a request (none at all, or only
[unreachable](#l1101-unreachable-rule) ones, or only ones shadowed by denies). A role held alone at
one node is the best case for an allow (more roles and more memberships only add denies and
requirements), so the check is per role. The diagnostic
is at the action's declaration. Typical causes are a matrix row that no column ticks, or an
action that the roles meant to grant under another name:""",
    example("L1301", [("policy.lat", TEN + "usertype staff at tenant;\nresource site { view, create; }\nrole manager for staff { allow site.view; }\n")]),
    """grant the permission to the role that should have it, or remove the action if the
platform has no such action.""" + suppress("dead-permission"), 0)

section("L1401", "privilege escalation", "Warning", """
A role may assign (`assigns`) a role that holds a right it does not hold itself, so its holders
can hand out more than they have. A right is a permission: the assigned role, held alone at one
node, is allowed it for some request of the [request space](#static-analysis-l1xxx), and a
principal holding only the assigning role, at any nodes, is never allowed it, at any relation
and with any flags. Permissions that apply to none of the assigning role's user types are not
its to lack. Assigners hold roles at one node and hand out roles held at others (an organization
admin makes someone maintainer of one repository), so rights are compared by permission,
wherever held: an allow `in descendants` at the organization covers what the maintainer holds
`in self` at the repository. The message names one such permission with the relation at which
the assigned role holds it (the witness); the diagnostic is at the role's name in `assigns`,
with a note at the assigned role. A conditional `assigns` (`assigns driver when business;`) is
looked at only if its condition can hold for a holder of the assigning role (its own flags and
its node's), and the message then names the condition.""",
    example("L1401", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read, delete; }\nrole manager for staff { allow doc.read in subtree; assigns editor; }\nrole editor for staff { allow doc.*; }\n")]),
    """give the assigning role the right too (often by extending the role it assigns), or stop
it assigning that role. If handing out the right is intended (an admin who assigns a role it must
not use itself), suppress the finding.""" + suppress("escalation"), 0)

section("L1410", "privilege escalation by custom role", "Warning", """
A role named in a custom role's `created_by` may build custom roles holding a permission it does
not hold itself. The analyzer takes the ceiling as the worst case, a custom role holding every
cell of it: a permission of the ceiling that applies to a user type of the creator, that no
principal holding only the creator is ever allowed (as for [L1401](#l1401-privilege-escalation),
at any relation and with any flags), and that a custom role of the ceiling is allowed in some
request of the [request space](#static-analysis-l1xxx) (a principal of a user type of the ceiling
at a node where the relation occurs, with flags under which the `require`s hold and no
policy-wide deny applies). The diagnostic is at the creator in `created_by`, with the permission
and relation; the note at the ceiling gives the request. One finding per creator and ceiling:
the first such permission.""",
    example("L1410", [("policy.lat", CUSTOM + "custom role key_role for api_key {\n  allow station.* in subtree;\n  created_by support;\n}\nrole support for account_user { allow station.view in subtree; }\n")]),
    """leave the permission out of the ceiling, give it to the creator, or let another role
create these custom roles. If creating it without holding it is intended (a platform operator
provisioning keys), suppress the finding.""" + suppress("escalation"), 0)

section("L1501", "exclusive roles forced together", "Error", """
A role extends two roles of one `exclusive` set (directly or through other roles), or extends a
role that it is itself exclusive with. An `exclusive` set is checked on the roles a principal holds
in the target's tree (at any of its nodes there), not on the roles they extend, so holding that
one role alone grants the rules of both: exactly what the set was declared to prevent
(separation of duty). The note points at the `exclusive`
declaration. This is an error, so it cannot be suppressed and `build` writes no table.""",
    example("L1501", [("policy.lat", TEN + "usertype staff at tenant;\nresource payment { create, approve; }\nrole clerk for staff { allow payment.create; }\nrole approver for staff { allow payment.approve; }\nrole superuser for staff extends clerk, approver { }\nexclusive clerk, approver;\n")]),
    """extend at most one role of the set. If the role really must have both duties, the
separation is not meant to hold for it: give it its own rules instead of extending the exclusive
roles, or remove the `exclusive` declaration.""", 1)

section("L1510", "custom role spans exclusive roles", "Warning", """
A custom role ceiling holds, for one of its user types, a permission that one role of an
`exclusive` set grants and the other does not, and one the other grants and the first does not:
one role built within the ceiling can hold both sides of the separation that the set keeps apart
for compiled roles (custom roles are in no `exclusive` set). The diagnostic is at the ceiling,
with a note at the `exclusive` declaration.""",
    example("L1510", [("policy.lat", TEN + "usertype staff at tenant;\nresource payment { create, approve; }\nrole clerk for staff { allow payment.create; }\nrole approver for staff { allow payment.approve; }\nexclusive clerk, approver;\ncustom role finance_key for staff { allow payment.*; }\n")]),
    """keep the rights of at most one side in the ceiling, or split it into one ceiling per
side.""" + suppress("separation-of-duty"), 0)

section("L1601", "locked role assigned", "Warning", """
A role assigns a `locked` role. A locked role is kept by those who hold it but may not be given to
anyone, so an `assigns` of it contradicts the lock. The diagnostic is at the role's name in
`assigns`, with a note at the locked role. (Extending a locked role is fine.)""",
    example("L1601", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\nlocked role legacy_admin for staff { allow doc.read; }\nrole admin for staff { allow doc.read; assigns legacy_admin; }\n")]),
    """remove the role from the `assigns` list, or remove `locked` if the role should be given
out again.""" + suppress("lifecycle"), 0)

section("L1602", "deprecated role assigned", "Warning", """
A role assigns a `deprecated` role. A deprecated role still works, but new assignments of it are
what a deprecation is meant to stop. When the declaration has a note (`deprecated "use viewer"
role ...`), the message ends with it. The diagnostic is at the role's name in `assigns`, with a
note at the deprecated role.""",
    example("L1602", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc { read; }\ndeprecated \"use viewer\" role reader for staff { allow doc.read; }\nrole viewer for staff { allow doc.read; }\nrole admin for staff { allow doc.read; assigns reader, viewer; }\n")]),
    """assign the replacement instead (the deprecation note usually names it) and remove the
deprecated role from `assigns`.""" + suppress("lifecycle"), 0)

section("L1701", "impossible test case", "Warning", """
A test case checks requests that the [request space](#static-analysis-l1xxx) says never occur, so
it passes or fails on something no host will ask: a flag of its `with` that can never be set for
its user type (or flags that are never set together: no scope kind where the user type sits has
them all), or a relation word of its `on` naming no relation that occurs for its user type and
the owners of its permissions' resources (or, for `*`, none of the four relations occurring). The
diagnostic is at the flag or the relation word (at the case for `*` and for flags that are never
set together). `check` and `test` both report it; `test` still runs the case. A word that
names several relations (`subtree`, `tenant`) is reported only when none of them occurs.""",
    example("L1701", [("policy.lat", TEN + "usertype staff at tenant;\nresource doc owned_by account { read; }\nrole viewer for staff { allow doc.read in tenant; }\ntest \"viewers\" { allow viewer: doc.read on {self, descendants}; }\n")]),
    """name the relations and flags that occur (here `on descendants`: staff sit at the tenant and
documents are owned by accounts). A case kept on purpose, to pin the answer for a host that
computes relations from a tree other than the declared one, needs its reason.""" + suppress("impossible-test"), 0)

# ---------------------------------------------------------------- intro
folder = os.path.join(WORK, "suppress")
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "policy.lat"), "w") as f:
    f.write(SUPPRESSED_BASE + "// lattice: allow(duplicate) \"the importer repeats parents\"\nrole editor for staff extends viewer, viewer { }\nrole auditor for staff extends viewer, viewer { }\n")
suppress_out, suppress_rc = run(folder, ["policy.lat"])
assert suppress_rc == 0
suppress_src = open(os.path.join(folder, "policy.lat")).read()

# The groups and their codes, as `lattice check --help` lists them.
help_text = subprocess.run([LATTICE, "check", "--help"], capture_output=True, check=True).stdout.decode()
group_rows = ["| group | codes |", "|---|---|"]
for line in help_text.split("Warning groups", 1)[1].splitlines()[1:]:
    if line.strip():
        group, codes = line.split(None, 1)
        group_rows.append(f"| `{group}` | " + ", ".join(f"[{c}](#{c.lower()})" for c in codes.split(", ")) + " |")
groups_table = "\n".join(group_rows)

folder = os.path.join(WORK, "json")
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "policy.lat"), "w") as f:
    f.write(TEN + "usertype staff at tenant;\nresource doc { read; }\nrole viewer for staff { allow doc.view when active; }\n")
text_out, text_rc = run(folder, ["policy.lat"])
json_out, json_rc = run(folder, ["--format", "json", "policy.lat"])
assert text_rc == 1 and json_rc == 1

# Every code of diagnostic_kinds.def must have a section, in code order.
defs = re.findall(r'DIAG\((\w+), "(L\d+)", (\w+),\s*"([^"]*)"', open(os.path.join(ROOT, "compiler/diagnostics/diagnostic_kinds.def")).read())
codes = [c for _, c, _, _ in defs]
assert codes == [c for c, _, _, _ in sections], (codes, [c for c, *_ in sections])
for (name, code, sev, summary), (c, title, severity, _) in zip(defs, sections):
    assert sev == severity, (code, sev, severity)

def anchor(code, title):
    return (code + "-" + title).lower().replace(" ", "-")

index = ["| code | name | severity | summary |", "|---|---|---|---|"]
for (name, code, sev, summary), (c, title, severity, _) in zip(defs, sections):
    index.append(f"| [{code}](#{anchor(code, title)}) | `{name}` | {sev.lower()} | {summary} |")

intro = f"""# Diagnostics

`lattice check` parses and checks a policy and reports every problem it finds as a
*diagnostic*; `lattice build` and `lattice test` run the same checks first and report the same
diagnostics. This page explains the format, then lists every diagnostic by its code: what it
means, a minimal program that triggers it, the exact output of `lattice check`, and how to fix it.
The examples were run with the compiler as it is in this repository; `import std.tenancy;` declares
`scope tenant; scope account under tenant; scope subaccount under account;`.

## The format of a diagnostic

A diagnostic has a location, a severity, a stable code, a message, a snippet of the source line
with the range underlined, and optionally notes (related places, each with its own snippet) and a
`help` line with a hint:

```
FILE:LINE:COLUMN: SEVERITY[CODE]: MESSAGE
  the source line
  ^~~~~~~~~~~~~~~ (under the range the diagnostic is about)
FILE:LINE:COLUMN: note: MESSAGE
  the related source line
      ^~~~
  = help: HINT
```

For example:
```
$ lattice check policy.lat
{text_out}```

- Lines and columns are 1-based; columns count bytes (clang's convention), so they match what
  editors show for ASCII text.
- Text diagnostics go to standard error. They are printed once the whole compilation is checked,
  sorted by file (in the order the files were loaded) and by position, followed by a summary line
  `N errors and M warnings generated.` (left out when there are none).
- A diagnostic that has no place in a source file ([L0009](#l0009-cannot-read-file)) starts with
  `lattice:` instead of a location.
- `--color always|never|auto` colours the severities and carets (see [cli.md](cli.md)).

### Severities

| severity | meaning |
|---|---|
| **error** | the policy is rejected: `check` exits 1, `build` writes no table, `test` runs no test |
| **warning** | the policy is valid and compiles, but part of it is almost certainly not what was meant (a rule that can never apply, a repeated name). Warnings do not fail `check`: it exits 0 when there are only warnings, and `build` writes the table |
| **note** | not a diagnostic of its own: extra information attached to an error or warning, such as where a name was first declared |

### Exit codes

| code | meaning |
|---:|---|
| 0 | no errors (there may be warnings) |
| 1 | at least one error |
| 2 | usage or I/O problem: a bad command line, or an input file that cannot be read ([L0009](#l0009-cannot-read-file)) |

The codes are the same for `--format text` and `--format json`; see [cli.md](cli.md#exit-codes-stable).

### Unknown names

A name that is not declared (a scope kind, user type, resource, action or group, role, flag, action
set, relation or module) is an error whose `help` line says, in this order of preference:
- the nearest declared name of the kind expected there, when it is a likely typo (``did you mean
  `viewer`?``, with a note where it is declared): at most a third of the name's letters inserted,
  deleted, replaced or swapped with a neighbour;
- that the name is declared as another kind of thing (`` `viewer` is a role, not a user type``);
- the module that declares it, when a module on the search path does and is not imported
  (``scope kind `tenant` is declared in module `std.tenancy`; add `import std.tenancy;```);
- otherwise, for a flag, the declaration to add. It never proposes declaring a name that is a
  near-miss of a declared one.

One mistake is one error: every later use of the same unknown name is a note of the first report
(`` `viewr` is also used here``, up to four, then `and in more places`), and so is every other name
of the same missing import. The command line does the same for unknown commands, options (only
those of the command), warning groups and the names in a `lattice query` (numbered by
membership for a principal with memberships: ``membership 2: unknown role `viewr`; did you mean
`viewer`?``).

### Phases

Files are read and parsed first (L00xx), imports are followed as they are found (L0102, L0103,
L0115), and only when every file of the compilation loaded without errors do the checks of
names and structure run (the other L01xx and L02xx). Only when those find no error does the
static analyzer run (L1xxx, below). So after fixing errors, new diagnostics may appear. Within
each phase the compiler goes on after an error, so one run reports as much as it can.

### Static analysis (L1xxx)

The static analyzer (`compiler/analysis`) looks at what the rules decide rather than how they are
written: conflicting allows and denies ([L1001](#l1001-conflict)), rules that never decide
anything ([L1101](#l1101-unreachable-rule)) or change nothing ([L1201](#l1201-redundant-rule)),
permissions nobody gets ([L1301](#l1301-dead-permission)), roles that can assign more than they
hold ([L1401](#l1401-privilege-escalation)), exclusive roles combined by `extends`
([L1501](#l1501-exclusive-roles-forced-together)), assignments of locked or deprecated roles
([L1601](#l1601-locked-role-assigned), [L1602](#l1602-deprecated-role-assigned)), and test cases
that check requests which never occur ([L1701](#l1701-impossible-test-case)). `check`, `build`
and `test` all run it.

"Never" and "can occur" refer to the *request space*: the requests a host that follows the
policy's scope tree can make (a request is described in [request-model.md](request-model.md): a
principal with its memberships, each a node and the roles held there).
- A principal of a user type holds memberships at nodes of the scope kinds of its `at` list.
- A request's target node is the resource's own node for a resource that is a scope (`as
  scope`), else its owner node, at one of the scope kinds of its `owned_by` list (any kind if
  omitted).
- The relation of the target to a membership's node can be `self` when the two kinds are equal,
  `descendants` when the target's kind is strictly below the membership's in the `under` graph
  (a kind under itself, like folders in folders, is strictly below itself), `ancestors` when
  strictly above, and `elsewhere` (in the same tree) when some root kind has both strictly
  below it. A tree has one root node, so nothing is elsewhere from it.
- Two memberships at distinct nodes stand only where a tree can put them: never both at the
  target itself; both above the target only if their kinds lie on one path up from it; and so on
  ([design.md](design.md#two-memberships)).
- The flags that can be set are the principal's (declared on the user type, one value for all
  its memberships) and each membership's node's (declared on its scope kind); every `require`
  that applies to the user type must hold at each of its nodes in the target's tree.

Every finding is a claim about that space that can be checked by deciding concrete requests (a
conflict comes with a request both rules match; removing a redundant rule changes no decision),
and the differential test (`tests/diff`) checks those claims against a reference interpreter on
random policies. Where the analyzer cannot decide a question exactly (a condition over more than
16 flags), it reports nothing rather than guess.

### JSON

`lattice check --format json` prints one JSON document on standard output instead (and no
summary line). It has the list of diagnostics and the two counts; each diagnostic has `code`,
`name` (the diagnostic's identifier in the compiler), `severity`, `message`, `location`, `notes`
(each with `message` and `location`) and, when there is a hint, `help`. In a location, `line` and
`column` are where the range begins, `end_line` and `end_column` the position just past its end,
`offset` the byte offset of the beginning in the file and `length` the range's length in bytes;
a diagnostic without a place has an empty `location` (`{{}}`). A suppressed warning (see
[Suppressing a finding](#suppressing-a-finding)) also has `suppression` and is left out of the
counts. `--format sarif` writes a SARIF 2.1.0 log instead, for code scanning
([cli.md](cli.md#sarif-output)). The same program as above:

```
$ lattice check --format json policy.lat
{json_out}```

### Suppressing a finding

Every warning belongs to a *group* (the table below). A group can be switched off for a whole run
with `-Wno-<group>` (see [cli.md](cli.md#warning-options)), or one finding can be accepted where
it is, with a comment that says why:

```
// lattice: allow(GROUP, ...) "reason"
```

- It covers the line it is on (after code, as a trailing comment) and, when it stands alone on
  its line, the first line after it; other comment lines may stand between them, a blank line may
  not. It silences the warnings of the groups it names whose location starts on a covered line.
- The reason is required ([L0218](#l0218)); the groups must exist ([L0219](#l0219)); a
  suppression that silences nothing is itself a warning ([L0220](#l0220)).
- Errors cannot be suppressed, in source or with `-Wno-`.
- A suppressed warning is not printed and not counted, so it neither fails `--werror` nor shows
  in the summary line. `--format json` still lists it, with a `suppression` object (`kind`
  `inSource`, `justification`, and the comment's `location`), and `--format sarif` gives the result
  SARIF `suppressions` that code scanning understands.

```
{suppress_src}```
```
$ lattice check policy.lat
{suppress_out}```

{groups_table}

### Codes

Codes are stable: a code is never renumbered or reused for something else, so scripts, CI
filters and documentation may rely on them (rely on `code`, not on the wording of `message`,
which may be improved). They are grouped by what they are about:

| range | group |
|---|---|
| L00xx | reading and parsing: the file and its grammar |
| L01xx | names and modules: declarations, lookups, imports |
| L02xx | types and structure: how the declarations fit together |
| L1xxx | static analysis: what the rules decide over the request space ([Static analysis](#static-analysis-l1xxx)) |

""" + "\n".join(index) + "\n"

doc = intro + "\n" + "\n".join(s for *_, s in sections)
open(sys.argv[2], "w").write(doc)
shutil.rmtree(WORK, ignore_errors=True)
print("ok", len(sections))
