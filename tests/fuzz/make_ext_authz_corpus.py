#!/usr/bin/env python3
"""make_ext_authz_corpus.py - (re)writes corpus/ext_authz/, the seeds of fuzz_ext_authz: ext_authz
CheckRequests in Envoy's wire format for the fuzz target's mapping and the runtime tests' sample
table (kinds tenant_user, account_user; roles tenant_admin, support_agent, account_admin, driver),
allowed, denied and unmappable ones, some with Envoy's fields this subset leaves out.

Usage: /usr/bin/python3 make_ext_authz_corpus.py   (Debian's Python: python3-protobuf, and protoc
with grpc_python_plugin, through tests/ext_authz/ext_authz_stubs.py)
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "ext_authz"))
from ext_authz_stubs import generated_stubs  # noqa: E402

CASES = [
    ("GET", "/tenants/acme/stations/st-1",
     {"x-kind": "tenant_user", "x-memberships": "tenant_admin@acme"}),
    ("GET", "/tenants/acme/stations/st-1?x=1",
     {"x-kind": "account_user", "x-memberships": "driver@acme/a+business", "x-flags": "active"}),
    ("POST", "/stations/st-9/reset",
     {"x-kind": "account_user", "x-memberships": "account_admin,driver@acme/a+business",
      "x-account": "acme/a"}),
    ("DELETE", "/invoices",
     {"x-kind": "tenant_user", "x-memberships": "support_agent@acme,tenant_admin@other",
      "x-account": "acme/b"}),
    ("PUT", "/elsewhere",
     {"x-kind": "tenant_user", "x-memberships": "tenant_admin@acme",
      "x-permission": "station.use_terminal", "x-target": "acme/a/t-1",
      "x-facts": "request.mfa_used"}),
    ("GET", "/tenants/acme/stations/%2e%2e", {"x-kind": "tenant_user", "x-memberships": "x@y"}),
    ("GET", "/tenants/acme/stations/st-1", {"x-kind": "tenant_user",
                                            "x-memberships": "tenant_admn@acme"}),
]


def main():
    out = os.path.join(HERE, "corpus", "ext_authz")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with generated_stubs() as (pb, _):
        for index, (method, path, headers) in enumerate(CASES):
            request = pb.CheckRequest()
            http = request.attributes.request.http
            http.method, http.path, http.host = method, path, "gateway.example"
            http.headers.update(headers)
            wire = request.SerializeToString()
            with open(os.path.join(out, "check_%02d.bin" % index), "wb") as f:
                f.write(wire)
            # Envoy also sends AttributeContext.source (1, a Peer whose service is field 2) and
            # context_extensions (10): fields this subset skips.
            attributes = b"\x0a\x04\x12\x02gw" + request.attributes.SerializeToString() + \
                b"\x52\x06\x0a\x01k\x12\x01v"
            length = len(attributes)
            varint = b""
            while True:
                byte = length & 0x7f
                length >>= 7
                varint += bytes([byte | (0x80 if length else 0)])
                if not length:
                    break
            with open(os.path.join(out, "envoy_%02d.bin" % index), "wb") as f:
                f.write(b"\x0a" + varint + attributes)
    print("wrote %d seeds to %s" % (2 * len(CASES), out))


if __name__ == "__main__":
    main()
