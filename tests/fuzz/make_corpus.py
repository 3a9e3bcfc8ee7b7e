#!/usr/bin/env python3
"""make_corpus.py - (re)writes the seed corpora of tests/fuzz/corpus from the repository.

Usage: make_corpus.py LATTICE_BINARY

  corpus/policy/        every example as one file (std imports and tests.lat inlined, so the
                        single-file targets reach the checker, the analyzer and the tables), and
                        every golden .lat input; seeds of fuzz_frontend and fuzz_fmt
  corpus/bundle/        the examples as unsigned bundles (`build --bundle`, a fixed
                        SOURCE_DATE_EPOCH); seeds of fuzz_bundle
  corpus/table/         the examples compiled by `lattice build`; seeds of fuzz_table and
                        fuzz_table_resealed
  corpus/policy_pair/   the review-gate table's edits (tests/diff_cmd/gate_table.py): its base
                        policy, a line `=====`, the edited policy; and random pairs small enough
                        for the oracle, written by lattice_gate_test (next to LATTICE_BINARY);
                        seeds of fuzz_diff
  corpus/http_api/      calls of the decision server's API: a byte choosing the route (0 decide,
                        1 batch, 2 what-can, 3-7 others, 8 list-filter, 9 who-can;
                        fuzz_http_api.cpp), then the body: the request lines below as decide,
                        what-can, batch, list-filter and who-can bodies;
                        seeds of fuzz_http_api
  corpus/lsp/           editor sessions as the language server reads them (framed JSON-RPC):
                        open an example, change it, every request, cancel, shut down; the
                        documents sit in a folder that does not exist; seeds of fuzz_lsp
  corpus/request_line/  request lines for the runtime tests' sample table (kinds tenant_user,
                        account_user; roles tenant_admin, support_agent, account_admin, driver,
                        legacy, auditor), of both shapes (one node; memberships and a target);
                        seeds of fuzz_request_line

Policy seeds end in `.lat.seed`, so that sweeps over the repository's `.lat` files (fmt --check,
...) pass them by: many are deliberately malformed. Run it again when the examples, the golden
inputs or the table format change; the fuzzers also
run on whatever is in these folders. Inputs that once failed live in tests/fuzz/regressions/.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAX_SEED = 64 * 1024


def inline_imports(text):
    def module(match):
        path = os.path.join(ROOT, "stdlib", *match.group(1).split(".")) + ".lat"
        body = open(path).read()
        return re.sub(r"^module .*;\n", "", body, flags=re.M)
    return re.sub(r"^import ([\w.]+);.*$", module, text, flags=re.M)


def examples():
    base = os.path.join(ROOT, "examples")
    for name in sorted(os.listdir(base)):
        policy = os.path.join(base, name, "policy.lat")
        if not os.path.exists(policy):
            continue
        text = inline_imports(open(policy).read())
        tests = os.path.join(base, name, "tests.lat")
        if os.path.exists(tests):
            text += "\n" + re.sub(r"^import .*$", "", open(tests).read(), flags=re.M)
        yield name, text


def policy_pairs():
    """The review-gate table's cases as (name, before + marker + after)."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "diff_cmd"))
    import gate_table
    base = open(os.path.join(ROOT, "tests", "diff_cmd", "gate_base.lat")).read()
    for number, (name, edits, _) in enumerate(gate_table.CASES):
        after = base
        for old, new in edits:
            after = after.replace(old, new, 1)
        yield "gate_%02d_%s.seed" % (number, re.sub(r"\W+", "_", name).strip("_")), \
            base + "=====\n" + after


def lsp_sessions():
    """Framed editor sessions over the first example (the fuzzer cuts and splices them)."""
    def frame(message):
        body = json.dumps(message).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body
    name, text = next(iter(examples()))
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    uri = "file:///lattice-fuzz/%s/policy.lat" % name
    doc = {"textDocument": {"uri": uri}}
    at = lambda line, character: dict(doc, position={"line": line, "character": character})
    start = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "lattice", "version": 1, "text": text}}},
    ]
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {
            "start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 5}},
            "text": "é😀x"}]}}
    requests = [
        ("textDocument/hover", at(40, 8)), ("textDocument/definition", at(40, 8)),
        ("textDocument/references", dict(at(40, 8), context={"includeDeclaration": True})),
        ("textDocument/prepareRename", at(40, 8)),
        ("textDocument/rename", dict(at(40, 8), newName="renamed")),
        ("textDocument/documentSymbol", doc), ("textDocument/completion", at(41, 10)),
        ("textDocument/formatting", dict(doc, options={"tabSize": 2, "insertSpaces": True})),
        ("textDocument/codeAction", dict(doc, range={"start": {"line": 3, "character": 0},
            "end": {"line": 3, "character": 4}}, context={"diagnostics": [{"range": {
            "start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 4}},
            "message": "m", "data": {"replacement": "x", "group": "redundant"}}]})),
    ]
    end = [{"jsonrpc": "2.0", "id": 90, "method": "shutdown"},
           {"jsonrpc": "2.0", "method": "exit"}]
    sessions = {}
    calls = [{"jsonrpc": "2.0", "id": 10 + i, "method": m, "params": p}
             for i, (m, p) in enumerate(requests)]
    sessions["session_full"] = start + calls + [change] + calls + end
    sessions["session_utf8"] = ([dict(start[0], params={"capabilities": {"general": {
        "positionEncodings": ["utf-8"]}}})] + start[1:] + [change] + calls[:3] + end)
    sessions["session_cancel"] = start + [{"jsonrpc": "2.0", "method": "$/cancelRequest",
                                           "params": {"id": 10}}] + calls[:2]
    sessions["session_uninitialized"] = calls[:2] + end
    out = {name: b"".join(frame(m) for m in messages) for name, messages in sessions.items()}
    out["session_split_header"] = b"Content-Length: 2\r\n\r\n{}Content-Len"
    return out


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


REQUESTS = [
    {"kind": "tenant_user", "roles": ["tenant_admin"], "permission": "station.view",
     "relation": "descendant", "flags": []},
    {"id": "r-1", "kind": "account_user", "roles": ["driver"], "permission": "station.view",
     "relation": "same", "flags": ["active"]},
    {"id": 7, "kind": "account_user", "roles": ["driver", "legacy"], "permission":
     "station.reset", "relation": "none", "flags": ["active", "business"]},
    {"kind": "tenant_user", "roles": ["support_agent", "auditor"], "permission":
     "billing.invoices", "relation": "tenant"},
    {"id": {"trace": [1, 2.5, None, True]}, "kind": "robot", "permission": "x.y",
     "relation": "same"},
    {"kind": "account_user", "roles": "driver", "permission": "station.view", "relation": "same"},
    {"kind": "account_user", "permission": "station.view", "relation": "sideways"},
    # Principals with memberships: nodes as paths or lists of names, node flags, other trees.
    {"id": "m-1", "kind": "account_user", "flags": ["active"], "memberships": [
        {"node": "t1/a", "roles": ["account_admin"], "flags": ["business"]},
        {"node": ["t1", "b"], "roles": ["driver"]}], "permission": "station.reset",
     "target": "t1/a/s-1"},
    {"kind": "tenant_user", "memberships": [
        {"node": "t1", "roles": ["tenant_admin"]}, {"node": "t2", "roles": ["support_agent"]}],
     "permission": "billing.invoices", "target": ["t2", "x"]},
    {"kind": "account_user", "flags": ["active", "business"], "memberships": [
        {"node": "t1/a", "roles": ["account_admin", "legacy"]}], "permission": "station.view",
     "target": "t1/a"},
    {"kind": "account_user", "flags": ["active"], "memberships": [], "permission":
     "station.view", "target": "t1"},
    {"kind": "account_user", "roles": ["driver"], "memberships": [{"node": "t1"}],
     "permission": "station.view", "target": "t1"},
    {"kind": "account_user", "memberships": [{"node": "t1//a", "roles": ["drvier"]}, 3],
     "permission": "station.view", "target": "/t1"},
]
RAW_LINES = [
    "{not json", "[1, 2, 3]", '"\\ud800"', "", "   ", "{\"kind\": \"\\u00e9\"}", "[" * 70,
    "{\"a\":" * 30 + "1" + "}" * 30, "nul\u0000byte", "{\"kind\": 1e999}",
]


def http_api_seeds(folder):
    """Calls of fuzz_http_api: route byte + body, from REQUESTS and RAW_LINES."""
    for i, request in enumerate(REQUESTS):
        write(folder, "decide_%02d.seed" % i, b"\x00" + json.dumps(request).encode())
        what_can = {k: v for k, v in request.items() if k != "permission"}
        write(folder, "what_can_%02d.seed" % i, b"\x02" + json.dumps(what_can).encode())
    for start in range(0, len(REQUESTS), 6):
        body = json.dumps({"requests": REQUESTS[start:start + 6]})
        write(folder, "batch_%02d.seed" % start, b"\x01" + body.encode())
    write(folder, "batch_over_limit.seed", b"\x01" + json.dumps({"requests": REQUESTS}).encode())
    write(folder, "batch_not_a_list.seed", b"\x01" + b'{"requests": {"kind": "x"}}')
    for i, line in enumerate(RAW_LINES):
        write(folder, "raw_%02d.seed" % i, b"\x00" + line.encode("utf-8", "surrogatepass"))
    for route in range(3, 8):
        write(folder, "route_%d.seed" % route, bytes([route]))
    for i, request in enumerate(r for r in REQUESTS if "memberships" in r):
        numeric = dict(request, memberships=[{"node": "7/%d" % n, "roles": m.get("roles", [])}
                                             if isinstance(m, dict) else m
                                             for n, m in enumerate(request["memberships"])])
        numeric.pop("target", None)
        for sql in ("generic", "postgres", "sqlite"):
            write(folder, "list_filter_%02d_%s.seed" % (i, sql),
                  b"\x08" + json.dumps(dict(numeric, sql=sql)).encode())
    for i, request in enumerate(REQUESTS):
        question = {k: v for k, v in request.items()
                    if k in ("id", "permission", "relation", "flags", "facts")}
        write(folder, "who_can_%02d.seed" % i, b"\x09" + json.dumps(question).encode())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lattice = os.path.abspath(sys.argv[1])
    corpus = os.path.join(HERE, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    policies, tables, lines, pairs, bundles = (
        os.path.join(corpus, d)
        for d in ("policy", "table", "request_line", "policy_pair", "bundle"))
    with tempfile.TemporaryDirectory() as work:
        for name, text in examples():
            write(policies, "example_%s.lat.seed" % name, text)
            source = os.path.join(work, name + ".lat")
            write(work, name + ".lat", text)
            out = os.path.join(work, name + ".ltab")
            subprocess.run([lattice, "build", source, "-o", out, "--no-source-map", "-Wno-error"],
                           check=True, capture_output=True)
            write(tables, name + ".ltab", open(out, "rb").read())
            out = os.path.join(work, name + ".lbundle")
            subprocess.run([lattice, "build", source, "--bundle", "--revision", "seed", "-o", out,
                            "--no-source-map", "-Wno-error"], check=True, capture_output=True,
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
            write(bundles, name + ".lbundle", open(out, "rb").read())
    golden = os.path.join(ROOT, "tests", "golden")
    for folder, _, files in sorted(os.walk(golden)):
        for file in sorted(files):
            path = os.path.join(folder, file)
            if file.endswith(".lat") and os.path.getsize(path) <= MAX_SEED:
                relative = os.path.relpath(path, golden).replace(os.sep, "_")
                write(policies, "golden_" + relative + ".seed", open(path, "rb").read())
    for name, text in policy_pairs():
        write(pairs, name, text)
    gate_test = os.path.join(os.path.dirname(lattice), "lattice_gate_test")
    subprocess.run([gate_test, "--seed", "1", "--count", "40", "--write-pairs", pairs],
                   check=True, capture_output=True)
    for name, data in lsp_sessions().items():
        write(os.path.join(corpus, "lsp"), name + ".jsonrpc", data)
    for i, request in enumerate(REQUESTS):
        write(lines, "request_%02d.json" % i, json.dumps(request))
    for i, line in enumerate(RAW_LINES):
        write(lines, "raw_%02d.json" % i, line.encode("utf-8", "surrogatepass"))
    http_api = os.path.join(corpus, "http_api")
    http_api_seeds(http_api)
    print("wrote %s" % ", ".join("%d %s" % (len(os.listdir(d)), os.path.basename(d))
                                 for d in (policies, tables, lines, pairs, bundles, http_api)))


if __name__ == "__main__":
    main()
