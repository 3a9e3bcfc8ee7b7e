#!/usr/bin/env python3
"""run_case.py - robustness tests: hostile input to `lattice check`, `build` and `query`.

Usage: run_case.py --lattice BIN --work DIR CASE      (one CTest test per CASE)
       run_case.py --list                              (the known cases)
       run_case.py --check-registered "CASE;CASE;..."  (CMake registered every case)

Every case generates its input (fixed seeds: runs are reproducible), runs the compiler with a
wall-clock limit and a 1 GiB address-space limit, and checks that it
  - never crashes: no signal, no exit code >= 128;
  - exits as expected: 1 for invalid input (2 for I/O and usage problems), never 0;
  - says why: at least one diagnostic / error line, and at most MAX_OUTPUT bytes of it;
  - finishes within the case's time limit (a few seconds).
An empty file is a valid, empty policy (grammar: `header? importDecl* decl* EOF`): exit 0.

Known compiler bugs are listed in KNOWN_BUGS: a case that fails that way is reported as
"XFAIL (known bug)" and exits 77, which CTest shows as skipped (SKIP_RETURN_CODE); a listed
case that passes fails with XPASS so the entry gets removed.
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time

MEMORY_LIMIT = 1 << 30  # bytes of address space for the compiler
# Under AddressSanitizer (LATTICE_SANITIZED=1, set by CTest in a LATTICE_SANITIZE build) the
# address-space limit cannot apply: ASan reserves terabytes of shadow memory at start. The same
# 1 GiB then bounds resident memory instead (ASan's hard_rss_limit_mb kills a process past it,
# which the case reports as a crash), and time limits stretch by SANITIZED_SLOWDOWN.
SANITIZED = os.environ.get("LATTICE_SANITIZED") == "1"
SANITIZED_SLOWDOWN = 4
MAX_OUTPUT = 256 * 1024  # bytes of diagnostics a single hostile file may produce
SKIP = 77

# case -> why it currently fails. Keep in sync with the final report / issue tracker.
KNOWN_BUGS = {}


class Failure(Exception):
    pass


class Case:
    def __init__(self, lattice, work):
        self.lattice = lattice
        self.work = work

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, data):
        path = self.path(name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def run(self, args, stdin=None, timeout=10.0, file_size_limit=None):
        """Runs lattice with limits; returns (exit code, stdout, stderr, seconds). `stdin` is
        bytes to send, or an open file (object or descriptor) to read from."""
        def limit():
            if not SANITIZED:
                resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if file_size_limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        start = time.monotonic()
        env = dict(os.environ, NO_COLOR="1")
        env.pop("LATTICE_STDLIB", None)
        if SANITIZED:
            env["ASAN_OPTIONS"] = ":".join(filter(None, [
                env.get("ASAN_OPTIONS", ""), "hard_rss_limit_mb=%d" % (MEMORY_LIMIT >> 20)]))
            timeout *= SANITIZED_SLOWDOWN
        try:
            feed = {"input": stdin} if stdin is None or isinstance(stdin, bytes) else \
                {"stdin": stdin}
            proc = subprocess.run([self.lattice] + args, capture_output=True,
                                  timeout=timeout, preexec_fn=limit, env=env, **feed)
        except subprocess.TimeoutExpired:
            raise Failure("timed out after %.0f s: lattice %s" % (timeout, " ".join(args)))
        seconds = time.monotonic() - start
        out, err = proc.stdout, proc.stderr
        print("$ lattice %s  -> exit %d in %.2f s, %d bytes stdout, %d bytes stderr"
              % (" ".join(shorten(a) for a in args), proc.returncode, seconds, len(out),
                 len(err)))
        shown = err[:600].decode("utf-8", "replace").replace("\0", "\\0")
        if shown:
            print("  stderr: " + shown.replace("\n", "\n  stderr: ").rstrip())
        if proc.returncode < 0 or proc.returncode >= 128:
            raise Failure("crashed: exit %d%s" % (proc.returncode,
                          " (signal %d)" % -proc.returncode if proc.returncode < 0 else ""))
        return proc.returncode, out, err, seconds

    def expect(self, args, codes, contains=(), stdin=None, stream="stderr", timeout=10.0,
               quiet=False, file_size_limit=None):
        code, out, err, _ = self.run(args, stdin=stdin, timeout=timeout,
                                     file_size_limit=file_size_limit)
        text = out if stream == "stdout" else err
        if code not in codes:
            raise Failure("exit %d, expected %s" % (code, " or ".join(map(str, codes))))
        if quiet:
            if out or err:
                raise Failure("expected no output, got %d + %d bytes" % (len(out), len(err)))
            return out, err
        if not text.strip():
            raise Failure("no diagnostic on %s" % stream)
        if len(out) + len(err) > MAX_OUTPUT:
            raise Failure("%d bytes of output (limit %d): diagnostics must stay readable"
                          % (len(out) + len(err), MAX_OUTPUT))
        for needle in contains:
            if needle.encode() not in text:
                raise Failure("%s does not contain %r" % (stream, needle))
        return out, err


def shorten(arg):
    return arg if len(arg) < 80 else arg[:40] + "..." + arg[-30:]


PRELUDE = "policy p;\nscope tenant;\nusertype u at tenant;\nflag a on u;\nresource doc { read; }\n"


# --- cases: each takes a Case and raises Failure -----------------------------------------------

def garbage_text(c):
    rng = random.Random(1)
    alphabet = "abcxyz_019 \t\n{}()[];:,.*+-/\\\"'`~!@#$%^&|<>=?"
    text = "".join(rng.choice(alphabet) for _ in range(200_000))
    c.expect(["check", c.write("garbage.lat", text)], [1], ["error[L0"])


def empty_file(c):
    # An empty policy is refused (L0010), and no table is written.
    c.expect(["check", c.write("empty.lat", b"")], [1], ["error[L0010]"])
    c.expect(["build", c.path("empty.lat"), "-o", c.path("empty.ltab")], [1], ["error[L0010]"])
    if os.path.exists(c.path("empty.ltab")):
        raise Failure("build wrote a table for an empty policy")


def random_binary(c):
    rng = random.Random(2)
    data = bytes(rng.randrange(256) for _ in range(1 << 20))
    c.expect(["check", c.write("random.bin", data)], [1], ["error[L0006]"])
    # Random bytes that happen to be valid UTF-8 text up to a late NUL still fail cleanly.
    c.expect(["check", c.write("late_nul.lat", b"scope a;\n" * 1000 + b"\0")], [1],
             ["error[L0006]"])


def ten_megabytes(c):
    line = "scope s;  // padding padding padding padding padding padding padding\n"
    data = line * ((10 << 20) // len(line) + 1)
    c.expect(["check", c.write("ten_mb.lat", data)], [1], ["error[L0005]"])
    c.expect(["build", c.path("ten_mb.lat"), "-o", c.path("ten_mb.ltab")], [1],
             ["error[L0005]"])
    if os.path.exists(c.path("ten_mb.ltab")):
        raise Failure("build wrote a table for invalid input")


def nested_parens_100k(c):
    # Newlines every 100 brackets keep the snippet short (see huge_single_line for long lines).
    text = PRELUDE + "role r for u { allow doc.read when " + "(" * 100 + "\n" + \
        ("(" * 100 + "\n") * 999 + "a" + ")" * 100_000 + "; }\n"
    c.expect(["check", c.write("parens.lat", text)], [1], ["error[L0007]"])
    # Unbalanced: only openers, in a resource body.
    c.expect(["check", c.write("braces.lat", "resource r " + "{\n" * 100_000)], [1],
             ["error[L0007]"])


def and_chain_100k(c):
    text = PRELUDE + "role r for u { allow doc.read when a" + "\n and a" * 100_000 + "; }\n"
    c.expect(["check", c.write("and.lat", text)], [1], ["error[L0007]"])
    text = PRELUDE + "require " + "not\n" * 100_000 + "a;\n"
    c.expect(["check", c.write("not.lat", text)], [1], ["error[L0007]"])


def huge_single_line(c):
    # 1.5 MB on one line (under the 2 MiB limit) with an error at its end.
    text = "policy p; " + "scope s; " * 170_000 + "scope ;"
    c.expect(["check", c.write("line.lat", text)], [1], ["error[L0001]"])


def unterminated_strings_100k(c):
    c.expect(["check", c.write("strings.lat", '"abc\n' * 100_000)], [1],
             ["error[L0003]", "error[L0008]"])


def directory_as_file(c):
    # A folder stands for its .lat files; a folder with none is a usage error, and a folder
    # where an imported module's file would be is not taken for the module.
    empty = c.path("empty_folder")
    os.makedirs(empty, exist_ok=True)
    c.expect(["check", empty], [2], ["has no .lat files"])
    c.expect(["build", empty, "-o", c.path("dir.ltab")], [2], ["has no .lat files"])
    os.makedirs(c.path("importer/lib.lat"), exist_ok=True)
    with open(c.path("importer/policy.lat"), "w") as f:
        f.write("policy p;\nimport lib;\nscope tenant;\n")
    c.expect(["check", c.path("importer/policy.lat")], [1], ["error[L0102]"])


def nonexistent_file(c):
    c.expect(["check", c.path("no/such/file.lat")], [2], ["error[L0009]"])


# Devices are not policies: only regular files are read (issue 10, defect 8). They used to be
# read as text (/dev/null an empty policy, L0010; /dev/zero too large, L0005).
def dev_null(c):
    c.expect(["check", "/dev/null"], [2], ["error[L0009]", "not a regular file"])


def dev_zero(c):
    c.expect(["check", "/dev/zero"], [2], ["error[L0009]", "not a regular file"])
    c.expect(["fmt", "/dev/zero"], [2], ["not a regular file"])


def fifo_inputs(c):
    # A named pipe with no writer blocked every command in open(2): each must refuse it at once.
    fifo = c.path("pipe.lat")
    os.mkfifo(fifo)
    policy = c.write("ok.lat", GOOD_POLICY)
    table = c.path("ok.ltab")
    c.expect(["build", policy, "-o", table], [0], quiet=True)
    for args in (["check", fifo], ["build", fifo, "-o", c.path("x.ltab")], ["test", fifo],
                 ["doc", fifo], ["fmt", fifo], ["fmt", "--check", fifo],
                 ["explain", fifo] + QUERY, ["explain", table, "--map", fifo] + QUERY,
                 ["query", table, "--requests", fifo]):
        c.expect(args, [1, 2], ["not a regular file"], timeout=5)


def many_bad_characters(c):
    c.expect(["check", c.write("dollars.lat", "policy p;\n" + "$\n" * 10_000)], [1],
             ["error[L0002]", "error[L0008]"])


def many_syntax_errors(c):
    c.expect(["check", c.write("syntax.lat", "policy p;\n" + "scope a b;\n" * 10_000)], [1],
             ["error[L0001]", "error[L0008]"])


def extends_chain(n, cyclic):
    roles = "".join("role r%d for u extends r%d { }\n" % (i, i + 1) for i in range(n))
    last = "role r%d for u extends r0 { }\n" % n if cyclic else \
        "role r%d for u { allow doc.read; }\n" % n
    return PRELUDE + roles + last


def deep_extends_chain(c):
    # 10,000 roles, each extending the next: checked iteratively (no stack overflow) and refused
    # once past 64 levels (L0217), before closures could grow quadratically with the depth.
    c.expect(["check", c.write("extends.lat", extends_chain(10_000, False))], [1],
             ["error[L0217]"])
    # Closed into a cycle: one L0202 (with a note per member, so a shorter cycle).
    c.expect(["check", c.write("extends_cycle.lat", extends_chain(1_000, True))], [1],
             ["error[L0202]"])


def deep_scope_chain(c):
    n = 20_000
    scopes = "scope s0;\n" + "".join("scope s%d under s%d;\n" % (i + 1, i) for i in range(n))
    c.expect(["check", c.write("scopes.lat", scopes)], [0], quiet=True, timeout=20)
    n = 1_000  # a note per member of the cycle: keep it readable
    scopes = "".join("scope s%d under s%d;\n" % (i + 1, i) for i in range(n))
    cyclic = "scope s0 under s%d;\n" % n + scopes
    c.expect(["check", c.write("scopes_cycle.lat", cyclic)], [1], ["error[L0201]"],
             timeout=20)


# --- query: corrupt tables and malformed requests ------------------------------------------

GOOD_POLICY = """policy shop;
scope tenant;
scope account under tenant;
usertype staff at tenant;
flag active on staff;
resource order owned_by account { view, refund; }
role viewer for staff { allow order.view in subtree; }
role manager for staff extends viewer { allow order.* in subtree when active; }
"""
QUERY = ["--kind", "staff", "--roles", "manager", "--permission", "order.refund",
         "--relation", "descendants", "--flags", "active"]


def good_table(c):
    path = c.path("good.ltab")
    if not os.path.exists(path):
        c.expect(["build", c.write("good.lat", GOOD_POLICY), "-o", path], [0], quiet=True)
        out, _ = c.expect(["query", path] + QUERY, [0], stream="stdout")
        if not out.startswith(b"allow"):
            raise Failure("the reference table does not allow the reference query")
    with open(path, "rb") as f:
        return f.read()


def query_bad_table(c, name, data, codes=(2,)):
    path = c.write(name, data) if data is not None else c.path(name)
    c.expect(["query", path] + QUERY, list(codes), ["lattice query: error: cannot load"])
    c.expect(["query", path, "--requests", c.write("one.jsonl", json.dumps(
        {"kind": "staff", "roles": ["manager"], "permission": "order.view",
         "relation": "self"}) + "\n")], list(codes), ["cannot load"])


def query_truncated_table(c):
    table = good_table(c)
    for size in sorted({0, 1, 4, 8, 16, 32, len(table) // 2, len(table) - 1}):
        query_bad_table(c, "truncated_%d.ltab" % size, table[:size])


def query_random_table(c):
    rng = random.Random(3)
    table = good_table(c)
    query_bad_table(c, "random.ltab", bytes(rng.randrange(256) for _ in range(4096)))
    # The right header followed by garbage, and single flipped bytes all over a good table:
    # each must be refused or answered, never crash. (A flipped byte in a label may be benign.)
    query_bad_table(c, "header_garbage.ltab",
                    table[:16] + bytes(rng.randrange(256) for _ in range(len(table) - 16)))
    for i in range(40):
        flipped = bytearray(table)
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        path = c.write("flipped_%d.ltab" % i, bytes(flipped))
        c.run(["query", path] + QUERY)


def query_empty_table(c):
    query_bad_table(c, "empty.ltab", b"")


def query_text_table(c):
    query_bad_table(c, "text.ltab", GOOD_POLICY)


def query_directory_table(c):
    query_bad_table(c, "", None)


def query_nonexistent_table(c):
    query_bad_table(c, "no-such-table.ltab", None)


def query_special_tables(c):
    # The runtime reads only regular files of at most 256 MiB (issue 10, defect 6): a FIFO used
    # to block in fopen, /dev/zero to grow the buffer until memory ran out.
    fifo = c.path("pipe.ltab")
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        c.expect(["query", path] + QUERY, [2], ["cannot load", "not a regular file"], timeout=5)
        c.expect(["explain", path] + QUERY, [2], ["cannot load", "not a regular file"],
                 timeout=5)
    huge = c.path("huge.ltab")  # a hole: no disk space used
    with open(huge, "wb") as f:
        f.truncate((256 << 20) + 8)
    # query and explain load through one function (tables or bundles): one message.
    c.expect(["query", huge] + QUERY, [2], ["cannot load", "larger than 268435456 bytes"],
             timeout=5)
    c.expect(["explain", huge] + QUERY, [2], ["cannot load", "larger than 268435456 bytes"],
             timeout=5)


def query_malformed_requests(c):
    good_table(c)
    table = c.path("good.ltab")
    good = {"kind": "staff", "roles": ["manager"], "permission": "order.refund",
            "relation": "self", "flags": ["active"]}
    lines = [
        json.dumps(good),                                   # 1 allow
        "{not json",                                        # 2
        "[1, 2, 3]",                                        # 3 not an object
        json.dumps(dict(good, kind=None)),                  # 4 kind not a string
        json.dumps({k: v for k, v in good.items() if k != "permission"}),  # 5 missing field
        json.dumps(dict(good, roles="manager")),            # 6 roles not an array
        json.dumps(dict(good, flags=[1])),                  # 7 flag not a string
        json.dumps(dict(good, kind="robot")),               # 8 unknown user type
        json.dumps(dict(good, roles=["nobody"])),           # 9 unknown role
        json.dumps(dict(good, permission="order.steal")),   # 10 unknown permission
        json.dumps(dict(good, relation="sideways")),        # 11 unknown relation
        json.dumps(dict(good, flags=["nosuch"])),           # 12 unknown flag
        '"\\ud800"',                                        # 13 lone surrogate string
        "\xff\xfe garbage",                                 # 14 not UTF-8 (written as bytes)
        "{" * 10_000,                                       # 15 deep nesting
        "",                                                 # blank lines are skipped
        json.dumps(good),                                   # 17 allow again
    ]
    data = "\n".join(lines).encode("utf-8", "surrogateescape").replace(
        "\xff\xfe".encode("utf-8"), b"\xff\xfe") + b"\n"
    path = c.write("requests.jsonl", data)
    for args, stdin in ((["--requests", path], None), (["--requests", "-"], data)):
        out, err = c.expect(["query", table] + args, [1], stdin=stdin, stream="stdout")
        answers = [json.loads(line) for line in out.decode().splitlines()]
        by_line = {a.get("line"): a for a in answers}
        expected_lines = [i + 1 for i, line in enumerate(lines) if line]
        if sorted(by_line) != expected_lines:
            raise Failure("answered lines %s, expected %s" % (sorted(by_line), expected_lines))
        for number, answer in sorted(by_line.items()):
            if number in (1, 17):
                if answer.get("decision") != "allow":
                    raise Failure("line %d: expected allow, got %s" % (number, answer))
            elif answer.get("decision") != "deny" or not answer.get("error"):
                raise Failure("line %d: expected deny with an error, got %s" % (number, answer))
    # Whole stream of garbage: every line denied, exit 1, no crash.
    rng = random.Random(4)
    noise = bytes(rng.randrange(256) for _ in range(1 << 16))
    c.expect(["query", table, "--requests", c.write("noise.jsonl", noise)], [1],
             stream="stdout")


def query_malformed_memberships(c):
    # Requests with memberships at the limits of a request line: huge paths, counts far over
    # the limits, megabyte-long names. Each is answered quickly, denied with a short error
    # (names are quoted shortened), never allowed; the good lines around them are allowed.
    good_table(c)
    table = c.path("good.ltab")
    good = {"kind": "staff", "flags": ["active"],
            "memberships": [{"node": "acme", "roles": ["manager"]}],
            "permission": "order.refund", "target": "acme/a"}
    member = good["memberships"][0]
    long_name = "n" * 900_000
    lines = [
        json.dumps(good),                                                        # 1 allow
        json.dumps(dict(good, target="a/" * 400_000 + "a")),                     # 2 too deep
        json.dumps(dict(good, target=["a"] * 200_000)),                          # 3 too deep
        json.dumps(dict(good, target="/" * 900_000)),                            # 4 empty names
        json.dumps(dict(good, memberships=[member] * 20_000)),                   # 5 too many
        json.dumps(dict(good, memberships=[dict(member, roles=["manager"] * 60_000)])),  # 6
        json.dumps(dict(good, memberships=[dict(member, roles=[long_name])])),   # 7 unknown role
        json.dumps(dict(good, memberships=[dict(member, node=["a", long_name + "/"])])),  # 8
        json.dumps(dict(good, memberships=[dict(member, flags=["active"] * 60_000)])),  # 9
        json.dumps(dict(good, target=long_name)),                                # 10 other tree
        json.dumps(good),                                                        # 11 allow
    ]
    data = ("\n".join(lines) + "\n").encode()
    out, err = c.expect(["query", table, "--requests", c.write("memberships.jsonl", data)], [1],
                        stream="stdout")
    answers = [json.loads(line) for line in out.decode().splitlines()]
    if [a.get("line") for a in answers] != list(range(1, len(lines) + 1)):
        raise Failure("answered lines %s" % [a.get("line") for a in answers])
    for a in answers:
        if a["line"] in (1, 11):
            if a.get("decision") != "allow" or a.get("membership") != 1:
                raise Failure("line %d: expected allow through membership 1, got %s" %
                              (a["line"], a))
        elif a["line"] == 10:
            if a.get("decision") != "deny" or a.get("reason") != "other_tree":
                raise Failure("line 10: expected deny (other tree), got %s" % a)
        elif a.get("decision") != "deny" or not a.get("error") or len(a["error"]) > 300:
            raise Failure("line %d: expected deny with a short error, got %s" % (a["line"],
                                                                                str(a)[:300]))


def json_deep_nesting(c):
    # llvm::json recurses once per level: 100,000 brackets used to overflow the stack (SIGSEGV).
    # The CLI checks depth first (64 levels) and says where, for request lines and source maps.
    good_table(c)
    table = c.path("good.ltab")
    deep = "[" * 100_000 + "\n" + '{"a":' * 100_000 + "\n"
    out, _ = c.expect(["query", table, "--requests", c.write("deep.jsonl", deep)], [1],
                      stream="stdout")
    answers = [json.loads(line) for line in out.decode().splitlines()]
    for number, answer in enumerate(answers, 1):
        if answer.get("line") != number or "nested deeper than 64" not in answer.get("error", ""):
            raise Failure("line %d: expected a nesting error, got %s" % (number, answer))
    if len(answers) != 2:
        raise Failure("expected 2 answers, got %d" % len(answers))
    c.expect(["explain", table, "--map", c.write("deep.map", '{"format": ' + "[" * 100_000)] +
             QUERY, [2], ["invalid JSON at line 1, column 75: nested deeper than 64 levels"])


def query_requests_unreadable(c):
    # Read errors and endless lines used to end the loop silently with exit 0 (or grow memory
    # without bound): now the run stops, says why on stderr, and exits 2.
    good_table(c)
    table = c.path("good.ltab")
    c.expect(["query", table, "--requests", c.work], [2], ["cannot read", "directory"])
    directory = os.open(c.work, os.O_RDONLY)
    try:
        c.expect(["query", table, "--requests", "-"], [2], ["cannot read `<stdin>`"],
                 stdin=directory)
    finally:
        os.close(directory)
    with open("/dev/zero", "rb") as zero:
        out, _ = c.expect(["query", table, "--requests", "-"], [2],
                          ["line 1: line longer than 1048576 bytes; stopped reading"],
                          stdin=zero)
    if b'"error":"line longer than 1048576 bytes"' not in out:
        raise Failure("the endless line got no answer: %r" % out[:200])
    # A good line, then a 2 MiB line: the first is answered, the second refused, exit 2.
    good = json.dumps({"kind": "staff", "roles": ["manager"], "permission": "order.view",
                       "relation": "same"})
    long_line = '{"kind": "' + "x" * (2 << 20) + '"}'
    out, _ = c.expect(["query", table, "--requests",
                       c.write("long.jsonl", good + "\n" + long_line + "\n" + good + "\n")],
                      [2], ["line 2: line longer than"])
    answers = [json.loads(line) for line in out.decode().splitlines()]
    if [a.get("line") for a in answers] != [1, 2] or answers[0].get("decision") != "allow":
        raise Failure("expected line 1 allowed and line 2 refused, got %s" % answers)


def build_unwritable_output(c):
    policy = c.write("ok.lat", GOOD_POLICY)
    c.expect(["build", policy, "-o", c.path("no/such/dir/out.ltab")], [2],
             ["cannot write", "No such file or directory"])
    c.expect(["build", policy, "-o", c.work], [2], ["cannot write", "Is a directory"])
    # Over the file size limit: SIGXFSZ used to kill the build mid-write, leaving its
    # temporary file (issue 10, defect 4); now it is an error naming the reason, and nothing
    # is left behind.
    c.expect(["build", policy, "-o", c.path("out.ltab")], [2], ["cannot write", "File too large"],
             file_size_limit=256)
    c.expect(["doc", policy, "-o", c.path("out.html")], [2], ["cannot write", "File too large"],
             file_size_limit=256)
    left = sorted(set(os.listdir(c.work)) - {"ok.lat"})
    if left:
        raise Failure("files left behind: %s" % left)


CASES = {f.__name__: f for f in [
    garbage_text, empty_file, random_binary, ten_megabytes, nested_parens_100k, and_chain_100k,
    huge_single_line, unterminated_strings_100k, directory_as_file, nonexistent_file, dev_null,
    dev_zero, fifo_inputs, many_bad_characters, many_syntax_errors, deep_extends_chain, deep_scope_chain,
    query_truncated_table, query_random_table, query_empty_table, query_text_table,
    query_directory_table, query_nonexistent_table, query_special_tables,
    query_malformed_requests, query_malformed_memberships, json_deep_nesting,
    query_requests_unreadable, build_unwritable_output]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lattice")
    parser.add_argument("--work")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--check-registered")
    parser.add_argument("case", nargs="?")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if args.check_registered is not None:
        registered = set(args.check_registered.replace(";", " ").split())
        missing = sorted(set(CASES) - registered)
        extra = sorted(registered - set(CASES))
        if missing or extra:
            print("not registered in tests/CMakeLists.txt: %s; unknown: %s" % (missing, extra))
            return 1
        return 0
    if args.case not in CASES or not args.lattice or not args.work:
        parser.error("need --lattice, --work and one of: " + ", ".join(CASES))
    work = os.path.join(args.work, args.case)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        CASES[args.case](Case(os.path.abspath(args.lattice), work))
    except Failure as failure:
        if args.case in KNOWN_BUGS:
            print("XFAIL (known bug: %s): %s" % (KNOWN_BUGS[args.case], failure))
            return SKIP
        print("FAIL %s: %s" % (args.case, failure))
        return 1
    if args.case in KNOWN_BUGS:
        print("XPASS %s: remove it from KNOWN_BUGS in %s" % (args.case, __file__))
        return 1
    print("PASS %s" % args.case)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
