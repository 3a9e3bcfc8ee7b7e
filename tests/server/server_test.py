#!/usr/bin/env python3
"""server_test.py - the decision server end to end: `lattice serve` on 127.0.0.1:0, over real HTTP.

Usage: server_test.py LATTICE SOURCE_DIR WORK_DIR

Builds the EV-charging example into a signed bundle, serves it from a folder and checks:
decisions equal `lattice query --requests` for the same requests (one by one and in batches);
what-can equals `query`'s what-can lines; malformed, unknown, oversized and over-batch calls
are 400/413 with a reason and never allow; 404 and 405; /health, /ready, /metrics (counters move),
/v1/policy; hot reload by atomic rename (a new generation and revision served), a corrupt and a
wrongly signed bundle keep the old policy and show in /health; decision log lines with masking.
Every JSON response is validated against docs/server-openapi.yaml. The server is always stopped
(its process group is killed), and every wait is bounded.
"""
import copy
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import jsonschema
import yaml

from serve_process import ServeProcess

LATTICE, SOURCE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
EXAMPLE = os.path.join(SOURCE, "examples", "ev_charging", "policy.lat")
OPENAPI = yaml.safe_load(open(os.path.join(SOURCE, "docs", "server-openapi.yaml")))
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args, env=None, stdin=None):
    result = subprocess.run([LATTICE, *args], capture_output=True, text=True, input=stdin,
                            env=dict(os.environ, **(env or {})), timeout=120)
    return result


def build_bundle(out, revision, key):
    result = run("build", EXAMPLE, "--bundle", "--sign", key, "--revision", revision, "-o", out,
                 "--no-source-map", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr


def install(path, source):
    """Replaces `path` by `source`'s bytes atomically (write beside it, rename), as a deploy."""
    temp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".new")
    shutil.copyfile(source, temp)
    os.rename(temp, path)


# ---- OpenAPI: every JSON answer must match the schema of its path, method and status ---------

def inline_refs(schema):
    """The schema with every `$ref: #/components/schemas/X` replaced by X (recursively)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            return inline_refs(OPENAPI["components"]["schemas"][name])
        return {k: inline_refs(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [inline_refs(v) for v in schema]
    return schema


def validate(method, path, status, content_type, body):
    operation = OPENAPI["paths"].get(path, {}).get(method.lower())
    responses = (operation or {}).get("responses", {})
    spec = responses.get(str(status)) or responses.get("default")
    if path not in OPENAPI["paths"]:
        spec = OPENAPI["components"]["responses"]["NotFound"]
    elif operation is None:
        spec = OPENAPI["components"]["responses"]["MethodNotAllowed"]
    check(spec is not None, "%s %s: status %d is not in the OpenAPI file" % (method, path, status))
    if spec is None:
        return
    if "$ref" in spec:
        spec = OPENAPI["components"]["responses"][spec["$ref"].split("/")[-1]]
    media = content_type.split(";")[0].strip()
    content = spec.get("content", {})
    check(media in content, "%s %s %d: content type %s is not documented" %
          (method, path, status, media))
    if media != "application/json" or media not in content:
        return
    schema = inline_refs(content[media]["schema"])
    try:
        jsonschema.Draft4Validator(schema).validate(json.loads(body))
    except jsonschema.ValidationError as error:
        check(False, "%s %s %d: the answer does not match the OpenAPI schema: %s\n%s" %
              (method, path, status, error.message, body[:400]))


# ---- the server -------------------------------------------------------------------------------

class Server(ServeProcess):
    def __init__(self, *args):
        super().__init__(LATTICE, *args)
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def call(self, method, path, body=None, raw=None, headers=None):
        """(status, headers, text); JSON bodies are validated against the OpenAPI file."""
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        for attempt in range(2):  # a keep-alive connection the server closed: reconnect once
            try:
                self.connection.request(method, path, body=data, headers=headers or {})
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                if attempt:
                    raise
        content_type = response.getheader("Content-Type", "")
        if method != "HEAD":
            validate(method, path, response.status, content_type, text)
        return response.status, response, text

    def json(self, method, path, body=None, raw=None):
        status, _, text = self.call(method, path, body, raw)
        return status, json.loads(text)


def wait_for(predicate, what, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    check(False, "timed out waiting for " + what)
    return False


# ---- requests: every name of the example, combined by a seeded generator --------------------

def names():
    text = open(EXAMPLE).read()
    roles = re.findall(r"^role (\w+) .*?for (\w+)", text, flags=re.M)
    resources = re.findall(r"^resource (\w+)[^{]*\{(.*?)^\}", text, flags=re.M | re.S)
    permissions = []
    for resource, body in resources:
        body = re.sub(r"//.*", "", body)
        for action in re.findall(r"(?:^|[;{,])\s*(\w+)\s*(?:\"[^\"]*\")?\s*[;,]", body, flags=re.M):
            permissions.append(resource + "." + action)
    return roles, sorted(set(permissions))


def requests(count):
    roles, permissions = names()
    kinds = sorted({kind for _, kind in roles})
    rng = random.Random(14)
    out = []
    for i in range(count):
        kind = rng.choice(kinds + ["robot"] if i % 50 == 7 else kinds)
        own = [r for r, k in roles if k == kind] or [r for r, _ in roles]
        request = {"id": i, "kind": kind, "roles": rng.sample(own, rng.randint(0, min(3, len(own)))),
                   "permission": rng.choice(permissions),
                   "relation": rng.choice(["self", "descendants", "ancestors", "elsewhere", "none"]),
                   "flags": rng.sample(["business", "blocked"], rng.randint(0, 2))}
        if i % 40 == 3:
            request["permission"] = "card.veiw"  # unknown: denied with a suggestion
        out.append(request)
    return out


def query_answers(table, lines):
    """`lattice query --requests` over the same requests: the reference answers, by id."""
    result = run("query", table, "--requests", "-",
                 stdin="".join(json.dumps(r) + "\n" for r in lines))
    check(result.returncode in (0, 1), "lattice query failed: " + result.stderr)
    answers = {}
    for line in result.stdout.splitlines():
        answer = json.loads(line)
        answer.pop("line")
        answers[json.dumps(answer.get("id"))] = answer
    return answers


# ---- the checks -------------------------------------------------------------------------------

def metric(text, name):
    match = re.search(r"^" + re.escape(name) + r" (\S+)$", text, flags=re.M)
    return float(match.group(1)) if match else None


def test_decisions(server, table):
    lines = requests(240)
    expected = query_answers(table, lines)
    check(sum(a.get("decision") == "allow" for a in expected.values()) > 10,
          "the generated requests allow too rarely to compare anything")
    for request in lines:
        status, answer = server.json("POST", "/v1/decide", request)
        want = expected[json.dumps(request["id"])]
        check(status == (400 if "error" in want else 200), "decide %r: status %d" % (request, status))
        answer.pop("decision_id", None)
        check(answer == want, "decide %r:\n  got  %r\n  want %r" % (request, answer, want))
    for start in range(0, len(lines), 60):
        chunk = lines[start:start + 60]
        status, body = server.json("POST", "/v1/batch", {"requests": chunk})
        check(status == 200, "batch: status %d" % status)
        got = body.get("answers", [])
        check(len(got) == len(chunk), "batch: %d answers to %d requests" % (len(got), len(chunk)))
        for request, answer in zip(chunk, got):
            answer.pop("decision_id", None)
            check(answer == expected[json.dumps(request["id"])], "batch %r: %r" % (request, answer))
    # A principal with memberships, as query answers it.
    access = {"id": "m", "kind": "account_user", "memberships": [
        {"node": "t1/a", "roles": [r for r, k in names()[0] if k == "account_user"][:1]}],
        "permission": "card.view", "target": "t1/a/b"}
    status, answer = server.json("POST", "/v1/decide", access)
    answer.pop("decision_id", None)
    check(status == 200 and answer == query_answers(table, [access])['"m"'],
          "decide with memberships: %r" % answer)


def test_what_can(server, table):
    roles, _ = names()
    for i, (role, kind) in enumerate(roles[:6]):
        request = {"id": i, "kind": kind, "roles": [role], "relation": "self", "flags": []}
        status, answer = server.json("POST", "/v1/what-can", request)
        answer.pop("decision_id", None)
        want = query_answers(table, [dict(request, what_can=True)])[str(i)]
        check(status == 200 and answer == want, "what-can %r:\n  got  %r\n  want %r" %
              (request, answer, want))
        check(len(answer.get("allowed", [])) > 0, "what-can of %s allows nothing" % role)
    status, answer = server.json("POST", "/v1/what-can", {"kind": "robot", "relation": "self"})
    check(status == 400 and answer.get("allowed") == [] and "robot" in answer.get("error", ""),
          "what-can of an unknown kind: %d %r" % (status, answer))


def test_list_filter(server, table):
    roles, _ = names()
    role = [r for r, k in roles if k == "account_user"][0]
    for sql in ("generic", "postgres", "sqlite"):
        request = {"id": sql, "kind": "account_user", "memberships": [
            {"node": "7/42", "roles": [role]}, {"node": ["7", "43"], "roles": []}],
            "permission": "card.view", "sql": sql, "column": "k"}
        status, answer = server.json("POST", "/v1/list-filter", request)
        want = run("query", table, "--list-filter", "--kind", "account_user", "--membership",
                   role + "@7/42", "--membership", "@7/43", "--permission", "card.view",
                   "--sql", sql, "--column", "k")
        check(want.returncode == 0, "query --list-filter: " + want.stderr)
        check(status == 200 and answer == {"id": sql, "format": sql, "filter": want.stdout},
              "list filter (%s):\n  got  %r\n  want %r" % (sql, answer, want.stdout))
    for body, error in [({"kind": "account_user", "roles": [role], "relation": "self",
                          "permission": "card.view"}, "memberships"),
                        ({"kind": "account_user", "memberships": [{"node": "acme", "roles": [role]}],
                          "permission": "card.view"}, "acme"),
                        ({"kind": "account_user", "memberships": [], "permission": "card.view",
                          "sql": "oracle"}, "oracle")]:
        status, answer = server.json("POST", "/v1/list-filter", body)
        check(status == 400 and error in answer.get("error", "") and "filter" not in answer,
              "a refused list filter: %d %r" % (status, answer))


def who_can_text(answer):
    """A /v1/who-can answer in the words of `lattice query --who-can`, to compare the two."""
    ticks = lambda names: ", ".join("`%s`" % n for n in names) or "none"
    flags = answer["flags"]
    lines = ["who can `%s` (%s)" % (answer["permission"], "exactly %s set" % ticks(flags)
                                    if flags else "no flags set")]
    for at in answer["relations"]:
        lines.append("  at %s: roles: %s; custom-role ceilings: %s; user types: %s" % (
            at["relation"], ticks(at["roles"]), ticks(at["custom_roles"]),
            ticks(at["user_types"])))
    return "\n".join(lines) + "\n"


def test_who_can(server, table):
    _, permissions = names()
    for i, permission in enumerate(permissions[::7]):
        request = {"id": i, "permission": permission}
        args = ["--permission", permission]
        if i % 3 == 1:
            request["relation"] = "self"
            args += ["--relation", "self"]
        if i % 2 == 1:
            request["flags"] = ["business"]
            args += ["--flags", "business"]
        status, answer = server.json("POST", "/v1/who-can", request)
        want = run("query", table, "--who-can", *args)
        check(want.returncode == 0, "query --who-can: " + want.stderr)
        check(status == 200 and answer.get("id") == i and who_can_text(answer) == want.stdout,
              "who-can %r:\n  got  %r\n  want %r" % (request, answer, want.stdout))
    for body, error in [({"permission": "card.fly"}, "card.fly"), ({}, "permission"),
                        ({"permission": "card.view", "relation": "sideways"}, "sideways"),
                        ({"permission": "card.view", "flags": "business"}, "array")]:
        status, answer = server.json("POST", "/v1/who-can", body)
        check(status == 400 and error in answer.get("error", "") and "relations" not in answer,
              "a refused who-can: %d %r" % (status, answer))


def test_refusals(server):
    roles, _ = names()
    role, kind = roles[0]
    good = {"kind": kind, "roles": [role], "permission": "card.view", "relation": "self"}
    status, answer = server.json("POST", "/v1/decide", good)
    check(status == 200 and answer["decision"] == "allow", "a good request: %r" % answer)
    cases = [
        ("malformed JSON", "/v1/decide", '{"kind": ', 400, "invalid JSON"),
        ("not an object", "/v1/decide", "[1, 2]", 400, "JSON object"),
        ("empty body", "/v1/decide", "", 400, "invalid JSON"),
        ("unknown role", "/v1/decide", json.dumps(dict(good, roles=["tenant_admn"])), 400,
         "unknown role `tenant_admn`"),
        ("unknown permission", "/v1/decide", json.dumps(dict(good, permission="card.fly")), 400,
         "card.fly"),
        ("missing field", "/v1/decide", json.dumps({"kind": kind, "roles": [role]}), 400,
         "missing string field `permission`"),
        ("wrong type", "/v1/decide", json.dumps(dict(good, roles=role)), 400, "array of strings"),
        ("too deep", "/v1/decide", "[" * 100 + "]" * 100, 400, "invalid JSON"),
        ("what-can at decide", "/v1/decide", json.dumps(dict(good, what_can=True)), 400,
         "/v1/what-can"),
        ("batch not a list", "/v1/batch", json.dumps({"requests": good}), 400, "requests"),
        ("batch over the limit", "/v1/batch", json.dumps({"requests": [good] * 9}), 400,
         "at most 8"),
        ("body over the limit", "/v1/decide", json.dumps(dict(good, id="x" * 5000)), 413,
         "limit"),
        ("batch body over the limit", "/v1/batch", json.dumps({"requests": [good] * 60}), 413,
         "limit"),
    ]
    for what, path, raw, want_status, want_error in cases:
        status, answer = server.json("POST", path, raw=raw)
        check(status == want_status, "%s: status %d, not %d (%r)" % (what, status, want_status,
                                                                     answer))
        check(want_error in answer.get("error", ""), "%s: error %r lacks %r" %
              (what, answer.get("error"), want_error))
        check(answer.get("decision") == "deny", "%s: a refusal that does not deny: %r" %
              (what, answer))
    # Within a batch, a bad element is denied in its place; the others are answered.
    status, body = server.json("POST", "/v1/batch", {"requests": [good, {"kind": 3}, good]})
    decisions = [a.get("decision") for a in body.get("answers", [])]
    check(status == 200 and decisions == ["allow", "deny", "allow"] and
          "error" in body["answers"][1], "a batch with a bad element: %r" % body)
    status, answer = server.json("GET", "/v1/nowhere")
    check(status == 404 and "error" in answer, "unknown path: %d %r" % (status, answer))
    status, response, _ = server.call("GET", "/v1/decide")
    check(status == 405 and response.getheader("Allow") == "POST", "GET /v1/decide: %d" % status)
    status, response, _ = server.call("POST", "/metrics", raw="")
    check(status == 405 and response.getheader("Allow") == "GET", "POST /metrics: %d" % status)
    status, response, text = server.call("HEAD", "/ready")
    check(status == 200 and text == "", "HEAD /ready: %d %r" % (status, text))
    status, response, _ = server.call("DELETE", "/v1/decide")
    check(status == 405, "DELETE /v1/decide: %d" % status)


def test_health_ready_metrics(server, generation):
    status, ready = server.json("GET", "/ready")
    check(status == 200 and ready.get("ready") is True, "ready: %d %r" % (status, ready))
    status, health = server.json("GET", "/health")
    check(status == 200 and health["status"] == "ok" and health["policy"]["generation"] ==
          generation and health["policy"]["revision"] == "r1", "health: %r" % health)
    status, policy = server.json("GET", "/v1/policy")
    check(status == 200 and policy["policy"] == "ev_charging" and
          policy["manifest"]["revision"] == "r1" and len(policy["manifest"]["table_sha256"]) == 64,
          "policy: %r" % policy)
    status, response, before = server.call("GET", "/metrics")
    check(status == 200 and response.getheader("Content-Type").startswith(
        "text/plain; version=0.0.4"), "metrics content type")
    allow_before = metric(before, 'lattice_decisions_total{endpoint="decide",decision="allow"}')
    count_before = metric(before, 'lattice_request_duration_seconds_count{endpoint="decide"}')
    roles, _ = names()
    role, kind = roles[0]
    for _ in range(5):
        server.json("POST", "/v1/decide", {"kind": kind, "roles": [role], "permission":
                                           "card.view", "relation": "self"})
    server.json("POST", "/v1/decide", raw="{")
    _, _, after = server.call("GET", "/metrics")
    check(metric(after, 'lattice_decisions_total{endpoint="decide",decision="allow"}') ==
          allow_before + 5, "the allow counter did not move by 5")
    check(metric(after, 'lattice_request_duration_seconds_count{endpoint="decide"}') ==
          count_before + 6, "the latency histogram did not count 6 calls")
    check((metric(after, 'lattice_request_errors_total{endpoint="decide",code="400"}') or 0) >=
          1, "the 400 was not counted")
    check(metric(after, "lattice_policy_generation") == generation, "generation gauge")
    check(re.search(r'^lattice_policy_info\{policy="ev_charging",revision="r1",', after,
                    flags=re.M), "policy info gauge:\n" + after)
    for line in after.splitlines():
        check(line.startswith("#") or re.fullmatch(r'[a-z_]+(\{[^}]*\})? [-+.e0-9Inf]+', line),
              "not an exposition line: " + line)


def test_slow_clients(server):
    """A client that stops mid-request is dropped after --timeout (1 s here); with more of them
    than worker threads (4), a good call is still answered once they are."""
    slow = []
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        slow.append(sock)
    start = time.monotonic()
    roles, _ = names()
    role, kind = roles[0]
    status, answer = server.json("POST", "/v1/decide", {"kind": kind, "roles": [role],
                                                        "permission": "card.view",
                                                        "relation": "self"})
    check(status == 200 and answer.get("decision") == "allow",
          "a call behind slow clients: %d %r" % (status, answer))
    for sock in slow:
        try:
            data = sock.recv(4096)  # the server answers 400 or just closes; it never waits on
        except (socket.timeout, ConnectionError):
            data = None
        check(data is not None and (data == b"" or data.startswith(b"HTTP/1.1 4")),
              "a stalled request was not dropped: %r" % data)
        sock.close()
    check(time.monotonic() - start < 8, "slow clients held the server %.1f s" %
          (time.monotonic() - start))


def health(server):
    return server.json("GET", "/health")[1]


def test_reload(server, deployed, work, key, other_key):
    served = health(server)["policy"]
    generation = served["generation"]
    r2 = os.path.join(work, "r2.lbundle")
    build_bundle(r2, "r2", key)
    install(deployed, r2)
    wait_for(lambda: health(server)["policy"]["revision"] == "r2", "the r2 bundle to serve")
    after = health(server)
    check(after["policy"]["generation"] == generation + 1 and after["reloads"] >= 1 and
          after["status"] == "ok", "after a good reload: %r" % after)

    # A corrupt bundle: refused, r2 keeps serving, /health says why.
    corrupt = os.path.join(work, "corrupt.lbundle")
    data = bytearray(open(r2, "rb").read())
    data[len(data) // 2] ^= 0x55
    open(corrupt, "wb").write(bytes(data))
    install(deployed, corrupt)
    wait_for(lambda: health(server)["failed_reloads"] == 1, "the corrupt bundle to be refused")
    state = health(server)
    check(state["status"] == "reload_failed" and state["last_error"] and
          state["policy"]["revision"] == "r2" and state["policy"]["generation"] == generation + 1,
          "after a corrupt bundle: %r" % state)
    status, ready = server.json("GET", "/ready")
    check(status == 200, "not ready after a refused reload")

    # Wrongly signed: refused the same way, and said so.
    wrong = os.path.join(work, "wrong.lbundle")
    build_bundle(wrong, "r3", other_key)
    install(deployed, wrong)
    wait_for(lambda: health(server)["failed_reloads"] == 2, "the wrongly signed bundle refused")
    state = health(server)
    check("not by this key" in state["last_error"] and state["policy"]["revision"] == "r2",
          "after a wrongly signed bundle: %r" % state)
    check(any("reload refused" in line for line in server.stderr), "no refusal in the log")
    _, _, text = server.call("GET", "/metrics")
    check(metric(text, 'lattice_policy_reloads_total{result="failure"}') == 2 and
          metric(text, 'lattice_policy_reloads_total{result="success"}') == 1,
          "reload counters:\n" + text)

    # SIGHUP reloads at once, whatever the interval.
    r4 = os.path.join(work, "r4.lbundle")
    build_bundle(r4, "r4", key)
    install(deployed, r4)
    os.kill(server.process.pid, signal.SIGHUP)
    wait_for(lambda: health(server)["policy"]["revision"] == "r4", "the r4 bundle to serve")
    check(health(server)["status"] == "ok", "a good reload did not clear the error")


def test_decision_log(log_path, server):
    status, answer = server.json("POST", "/v1/decide", {
        "id": "logged", "kind": "account_user", "flags": ["blocked"],
        "memberships": [{"node": "t9/secret", "roles": ["x"]}],
        "permission": "card.view", "target": "t9/secret/c"})
    decision_id = answer.get("decision_id")
    check(status == 400 and decision_id, "a logged refusal has a decision id: %r" % answer)
    entries = {}

    def read():
        entries.clear()
        for line in open(log_path):
            entry = json.loads(line)
            entries[entry["decision_id"]] = entry
        return decision_id in entries

    wait_for(read, "the decision log entry")
    entry = entries.get(decision_id, {})
    check(entry.get("request", {}).get("flags") == "***", "flags not masked: %r" % entry)
    check(entry.get("request", {}).get("memberships", [{}])[0].get("node") == "***" and
          entry["request"]["memberships"][0].get("roles") == ["x"],
          "memberships.node not masked: %r" % entry)
    check(entry.get("decision") == "deny" and entry.get("reason") == "error" and
          "unknown role" in entry.get("error", "") and entry.get("endpoint") == "decide",
          "logged refusal: %r" % entry)
    allowed = [e for e in entries.values() if e["decision"] == "allow"]
    check(allowed and all(e["role"] and e["revision"] and e["generation"] >= 1 for e in allowed),
          "logged allows carry role, revision and generation")
    check(len(entries) == sum(1 for _ in open(log_path)), "decision ids are not unique")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    deploy = os.path.join(WORK, "deploy")
    os.makedirs(deploy)
    key, other = os.path.join(WORK, "release"), os.path.join(WORK, "other")
    for name in (key, other):
        result = run("keygen", "-o", name)
        assert result.returncode == 0, result.stderr
    r1 = os.path.join(WORK, "r1.lbundle")
    build_bundle(r1, "r1", key + ".key")
    deployed = os.path.join(deploy, "ev.lbundle")
    install(deployed, r1)
    log_path = os.path.join(WORK, "decisions.jsonl")

    # Usage errors and a policy that does not load: a clear message, a non-zero exit, no server.
    for args, want in [(["--listen", "nowhere"], "HOST:PORT"), ([], "missing the policy"),
                       ([os.path.join(WORK, "absent.lbundle")], "absent.lbundle"),
                       ([deploy, "--public-key", other + ".pub"], "not by this key")]:
        result = subprocess.run([LATTICE, "serve", *args], capture_output=True, text=True,
                                timeout=30)
        check(result.returncode != 0 and want in result.stderr and "listening" not in
              result.stdout, "serve %r: %d %r" % (args, result.returncode, result.stderr))

    server = Server(deploy, "--listen", "127.0.0.1:0", "--public-key", key + ".pub",
                    "--reload-interval", "0.05", "--decision-log", log_path, "--mask", "flags",
                    "--mask", "memberships.node", "--max-body", "4096", "--max-batch", "8",
                    "--threads", "4", "--timeout", "1")
    try:
        table = os.path.join(WORK, "r1.ltab")
        result = run("build", EXAMPLE, "--revision", "r1", "-o", table, "--no-source-map")
        assert result.returncode == 0, result.stderr
        test_refusals(server)
        test_health_ready_metrics(server, 1)
        server_big = Server(deploy, "--listen", "127.0.0.1:0", "--public-key", key + ".pub")
        try:
            test_decisions(server_big, table)
            test_what_can(server_big, table)
            test_list_filter(server_big, table)
            test_who_can(server_big, table)
        finally:
            server_big.stop()
        test_slow_clients(server)
        test_decision_log(log_path, server)
        test_reload(server, deployed, WORK, key + ".key", other + ".key")
    finally:
        server.stop()
    check(server.process.returncode == 0, "the server did not exit cleanly on SIGTERM: %r" %
          server.process.returncode)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES), file=sys.stderr)
        sys.exit(1)
    print("server: all checks passed")


if __name__ == "__main__":
    main()
