"""ext_authz_stubs.py - the Python classes of lattice-serve's ext_authz protocol, generated at
run time from server/ext_authz/proto (the wire-compatible subset of Envoy's
envoy.service.auth.v3) by Debian's protoc and grpc_python_plugin into a temporary folder: nothing
generated is checked in.

    with generated_stubs() as (pb, grpc_pb):
        request = pb.CheckRequest()
        stub = grpc_pb.AuthorizationStub(channel)
"""
import contextlib
import glob
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_DIR = os.path.join(ROOT, "server", "ext_authz", "proto")


def _protobuf_include():
    for candidate in ("/usr/include", "/usr/local/include"):
        if os.path.exists(os.path.join(candidate, "google", "protobuf", "any.proto")):
            return candidate
    raise RuntimeError("google/protobuf/any.proto not found (install libprotobuf-dev)")


@contextlib.contextmanager
def generated_stubs():
    """Yields (external_auth_pb2, external_auth_pb2_grpc); the folder is removed afterwards."""
    out = tempfile.mkdtemp(prefix="lattice-ext-authz-py-")
    try:
        protos = sorted(glob.glob(os.path.join(PROTO_DIR, "**", "*.proto"), recursive=True))
        plugin = shutil.which("grpc_python_plugin")
        if not plugin or not shutil.which("protoc"):
            raise RuntimeError("protoc and grpc_python_plugin are needed "
                               "(protobuf-compiler, protobuf-compiler-grpc)")
        subprocess.run(["protoc", "-I", PROTO_DIR, "-I", _protobuf_include(),
                        "--python_out", out, "--grpc_out", out,
                        "--plugin=protoc-gen-grpc=" + plugin] + protos, check=True)
        # protoc writes packages without __init__.py; Python 3 imports them as namespace
        # packages, but `google` must merge with the installed google.protobuf.
        for folder, _, _ in os.walk(out):
            if folder != out and os.path.basename(folder) != "google":
                open(os.path.join(folder, "__init__.py"), "a").close()
        sys.path.insert(0, out)
        try:
            import google  # noqa: F401 (the installed package; extended with google.rpc)
            google.__path__.append(os.path.join(out, "google"))
            pb = importlib.import_module("envoy.service.auth.v3.external_auth_pb2")
            grpc_pb = importlib.import_module("envoy.service.auth.v3.external_auth_pb2_grpc")
            yield pb, grpc_pb
        finally:
            sys.path.remove(out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
