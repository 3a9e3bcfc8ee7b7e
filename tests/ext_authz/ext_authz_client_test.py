#!/usr/bin/env python3
"""ext_authz_client_test.py - a real gRPC client (Debian's python3-grpcio) speaking Envoy's
ext_authz protocol to a real lattice-serve on a private loopback port, serving the EV example:

  * allowed and denied requests are decided as `lattice query --requests` decides the same
    requests (decision and reason);
  * requests that cannot be mapped (no route, a missing header, a path that is not normalized,
    an unknown role) are denied with PERMISSION_DENIED, a 403 and the reason;
  * a new bundle renamed over the served one is seen through gRPC too (its revision, and the
    decision it changes).

Usage: ext_authz_client_test.py LATTICE LATTICE_SERVE EXAMPLE_DIR
Bounded: every wait has a deadline, the whole test an alarm; the server runs in its own process
group, killed in `finally` whatever happened.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ext_authz_stubs import generated_stubs  # noqa: E402

DEADLINE_SECONDS = 150
RPC_TIMEOUT = 5.0
PERMISSION_DENIED = 7

MAPPING = """\
# The EV example behind a gateway: who the caller is comes from headers an authenticating
# filter sets; what it asks for from the route.
kind header x-lattice-kind
flags header x-lattice-flags
memberships header x-lattice-memberships
facts header x-lattice-facts
route GET /tenants/{tenant}/accounts/{account}/stations/{station} station.view {tenant}/{account}
route POST /tenants/{tenant}/accounts/{account}/stations/{station}/reset station.reset {tenant}/{account}
route GET /tenants/{tenant}/stations station.view {tenant}
route GET /tenants/{tenant}/accounts/{account}/cards/{card} card.view {tenant}/{account}
route DELETE /tenants/{tenant}/accounts/{account}/customers/{customer} customer.delete {tenant}/{account}
route GET /accounts/{account}/insights insights.site_insights {header:x-tenant}/{account}
permission header x-lattice-permission
target header x-lattice-target
"""

# (name, method, path, headers): each decided by lattice-serve and by `lattice query`.
CASES = [
    ("tenant admin views a station", "GET", "/tenants/acme/accounts/a/stations/st-1",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admin@acme"}),
    ("support agent views a station", "GET", "/tenants/acme/accounts/a/stations/st-1",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "support_agent@acme"}),
    ("support agent resets, with a query string", "POST",
     "/tenants/acme/accounts/a/stations/st-1/reset?now=1",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "support_agent@acme"}),
    ("blocked tenant admin", "GET", "/tenants/acme/stations",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admin@acme",
      "x-lattice-flags": "blocked"}),
    ("account owner of another account", "GET", "/tenants/acme/accounts/b/cards/c-1",
     {"x-lattice-kind": "account_user", "x-lattice-memberships": "account_owner@acme/a"}),
    ("account owner of its own account", "GET", "/tenants/acme/accounts/a/cards/c-1",
     {"x-lattice-kind": "account_user", "x-lattice-memberships": "account_owner@acme/a"}),
    ("branding specialist deletes a customer", "DELETE",
     "/tenants/acme/accounts/a/customers/u-7",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "branding_specialist@acme"}),
    ("two memberships, the second decides", "GET", "/tenants/acme/accounts/a/stations/st-1",
     {"x-lattice-kind": "tenant_user",
      "x-lattice-memberships": "branding_specialist@acme, roaming_admin,support_agent@acme"}),
    ("insights need a business account", "GET", "/accounts/a/insights",
     {"x-lattice-kind": "account_user", "x-lattice-memberships": "account_owner@acme/a",
      "x-tenant": "acme"}),
    ("insights of a business account", "GET", "/accounts/a/insights",
     {"x-lattice-kind": "account_user",
      "x-lattice-memberships": "account_owner@acme/a+business", "x-tenant": "acme"}),
    ("no route: permission and target from headers", "PATCH", "/v2/anything",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "technical_support@acme",
      "x-lattice-permission": "station.set_max_current", "x-lattice-target": "acme/b"}),
]

# Requests that cannot be mapped or resolved: denied, with the reason `error`.
UNMAPPABLE = [
    ("no route and no permission header", "PATCH", "/v2/anything",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admin@acme"},
     "no route matches `PATCH /v2/anything` and header `x-lattice-permission` is missing"),
    ("no kind header", "GET", "/tenants/acme/stations",
     {"x-lattice-memberships": "tenant_admin@acme"},
     "missing header `x-lattice-kind` (the principal's user type)"),
    ("path not normalized", "GET", "/tenants/acme/accounts/a/stations/../../../stations",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admin@acme"},
     "is not normalized"),
    ("unknown role", "GET", "/tenants/acme/stations",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admn@acme"},
     "unknown role `tenant_admn`; did you mean `tenant_admin`?"),
    ("role held by a member without a node", "GET", "/tenants/acme/stations",
     {"x-lattice-kind": "tenant_user", "x-lattice-memberships": "tenant_admin"},
     "names no node"),
    ("a header target that is not a path", "GET", "/accounts/a/insights",
     {"x-lattice-kind": "account_user", "x-lattice-memberships": "account_owner@acme/a",
      "x-tenant": "acme//x"}, "header `x-tenant`"),
]


def fail(message):
    raise AssertionError(message)


def build_bundle(lattice, policy, revision, out):
    subprocess.run([lattice, "build", policy, "--revision", revision, "--bundle", "-o", out],
                   check=True, stdout=subprocess.DEVNULL, timeout=60)


def query_line(method, path, headers):
    """The `query --requests` line equal to what the mapping makes of the request."""
    memberships = []
    pending = []
    for item in [i.strip() for i in headers["x-lattice-memberships"].split(",")]:
        if "@" not in item:
            pending.append(item)
            continue
        roles, _, rest = item.partition("@")
        node, *flags = rest.split("+")
        memberships.append({"node": node, "roles": pending + ([roles] if roles else []),
                            "flags": flags})
        pending = []
    line = {"kind": headers["x-lattice-kind"], "memberships": memberships,
            "flags": [f for f in headers.get("x-lattice-flags", "").split(",") if f]}
    segments = path.split("?")[0].split("/")[1:]
    if "x-lattice-permission" in headers:
        line["permission"] = headers["x-lattice-permission"]
        line["target"] = headers["x-lattice-target"]
    elif segments[0] == "accounts":
        line["permission"] = "insights.site_insights"
        line["target"] = headers["x-tenant"] + "/" + segments[1]
    elif len(segments) == 3:  # /tenants/{tenant}/stations
        line["permission"] = "station.view"
        line["target"] = segments[1]
    else:  # /tenants/{tenant}/accounts/{account}/KIND/{id}[/reset]
        line["permission"] = {"stations": "station.view", "cards": "card.view",
                              "customers": "customer.delete"}[segments[4]]
        if segments[-1] == "reset":
            line["permission"] = "station.reset"
        line["target"] = segments[1] + "/" + segments[3]
    return line


def lattice_query(lattice, table, lines):
    text = "".join(json.dumps(line) + "\n" for line in lines)
    run = subprocess.run([lattice, "query", table, "--requests", "-"], input=text,
                         capture_output=True, text=True, timeout=60)
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    if len(answers) != len(lines):
        fail("lattice query answered %d of %d lines: %s" % (len(answers), len(lines), run.stderr))
    return answers


def check_request(pb, method, path, headers):
    request = pb.CheckRequest()
    http = request.attributes.request.http
    http.method, http.path, http.host, http.protocol = method, path, "ev.example", "HTTP/1.1"
    http.headers.update(headers)
    return request


def headers_of(options):
    return {o.header.key: o.header.value for o in options}


def decide(stub, pb, method, path, headers):
    """(allowed, reason, revision, response) from one Check call."""
    response = stub.Check(check_request(pb, method, path, headers), timeout=RPC_TIMEOUT)
    if response.status.code == 0:
        if not response.HasField("ok_response"):
            fail("an allow without ok_response")
        return True, "allowed", headers_of(response.ok_response.headers)["x-lattice-revision"], \
            response
    if response.status.code != PERMISSION_DENIED:
        fail("a denial with status %d, not PERMISSION_DENIED" % response.status.code)
    denied = response.denied_response
    if denied.status.code != 403:
        fail("a denial answered downstream with %d, not 403" % denied.status.code)
    extra = headers_of(denied.headers)
    body = json.loads(denied.body)
    if body["decision"] != "deny" or body["reason"] != extra["x-lattice-reason"]:
        fail("a denial whose body and headers disagree: %s %s" % (denied.body, extra))
    return False, extra["x-lattice-reason"], extra["x-lattice-revision"], response


def start_server(serve, bundle, mapping, log_dir):
    out = open(os.path.join(log_dir, "serve.out"), "w+")
    err = open(os.path.join(log_dir, "serve.err"), "w+")
    process = subprocess.Popen(
        [serve, bundle, "--listen", "127.0.0.1:0", "--ext-authz-listen", "127.0.0.1:0",
         "--ext-authz-config", mapping],
        stdout=out, stderr=err, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        out.seek(0)
        text = out.read()
        match = re.search(r"lattice serve: ext_authz gRPC on 127\.0\.0\.1:(\d+)", text)
        if match and "lattice serve: listening on http://127.0.0.1:" in text:
            return process, int(match.group(1))
        if process.poll() is not None:
            err.seek(0)
            fail("lattice-serve exited with %d: %s" % (process.returncode, err.read()))
        time.sleep(0.05)
    fail("lattice-serve did not print its ext_authz port within 30 s")


def stop_server(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main():
    lattice, serve, example = sys.argv[1:4]
    signal.alarm(DEADLINE_SECONDS)
    process = None
    with tempfile.TemporaryDirectory(prefix="lattice-ext-authz-") as tmp, \
            generated_stubs() as (pb, grpc_pb):
        try:
            policy = os.path.join(example, "policy.lat")
            bundle = os.path.join(tmp, "ev.lbundle")
            build_bundle(lattice, policy, "r1", bundle)
            mapping = os.path.join(tmp, "gateway.map")
            with open(mapping, "w") as f:
                f.write(MAPPING)
            process, port = start_server(serve, bundle, mapping, tmp)
            channel = grpc.insecure_channel("127.0.0.1:%d" % port)
            grpc.channel_ready_future(channel).result(timeout=10)
            stub = grpc_pb.AuthorizationStub(channel)

            # Decided as `lattice query` decides the same requests.
            expected = lattice_query(lattice, bundle, [query_line(m, p, h) for _, m, p, h in CASES])
            seen = set()
            for (name, method, path, headers), want in zip(CASES, expected):
                allowed, reason, revision, _ = decide(stub, pb, method, path, headers)
                if "error" in want:
                    fail("%s: lattice query refused it: %s" % (name, want["error"]))
                if (allowed, reason) != (want["decision"] == "allow", want["reason"]):
                    fail("%s: ext_authz says %s (%s), lattice query %s (%s)" % (
                        name, "allow" if allowed else "deny", reason, want["decision"],
                        want["reason"]))
                if revision != "r1":
                    fail("%s: revision %r, expected r1" % (name, revision))
                seen.add(allowed)
                print("ok   %-45s %s (%s)" % (name, "allow" if allowed else "deny", reason))
            if seen != {True, False}:
                fail("the cases must include allowed and denied requests")

            # Unmappable requests: denied with the reason.
            for name, method, path, headers, why in UNMAPPABLE:
                allowed, reason, _, response = decide(stub, pb, method, path, headers)
                body = json.loads(response.denied_response.body)
                if allowed or reason != "error" or why not in body.get("error", ""):
                    fail("%s: expected a denial saying %r, got %s" % (
                        name, why, response.denied_response.body))
                if why not in response.status.message:
                    fail("%s: the status message %r does not say why" % (
                        name, response.status.message))
                print("ok   %-45s deny (%s)" % (name, body["error"]))

            # A reload seen through gRPC: support agents lose station.view in r2.
            with open(policy) as f:
                text = f.read()
            old = "  allow station.{view, import, activate, deactivate, reset, view_billing_plan,"
            if text.count(old) != 1:
                fail("the EV example changed: update the reload case")
            edited = os.path.join(tmp, "edited")
            os.mkdir(edited)
            with open(os.path.join(edited, "policy.lat"), "w") as f:
                f.write(text.replace(old, old.replace("view, import", "import")))
            next_bundle = os.path.join(tmp, "next.lbundle")
            build_bundle(lattice, os.path.join(edited, "policy.lat"), "r2", next_bundle)
            _, method, path, headers = CASES[1]
            if not decide(stub, pb, method, path, headers)[0]:
                fail("support agent views a station: must be allowed before the reload")
            os.rename(next_bundle, bundle)
            deadline = time.monotonic() + 15
            while True:
                allowed, reason, revision, _ = decide(stub, pb, method, path, headers)
                if revision == "r2":
                    break
                if time.monotonic() > deadline:
                    fail("the reload was not seen through gRPC within 15 s")
                time.sleep(0.05)
            want = lattice_query(lattice, bundle, [query_line(method, path, headers)])[0]
            if allowed or (allowed, reason) != (want["decision"] == "allow", want["reason"]):
                fail("after the reload: %s (%s), lattice query %s" % (allowed, reason, want))
            print("ok   reload to r2 seen through gRPC: support agent views a station: deny (%s)"
                  % reason)
            channel.close()
        finally:
            stop_server(process)
    print("ext_authz client test: all passed")


if __name__ == "__main__":
    main()
