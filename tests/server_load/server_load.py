#!/usr/bin/env python3
"""server_load.py - load and fault tests of lattice-serve on loopback (docs/testing.md, "Server
load and fault tests"). Each test starts its own lattice-serve on a private port, serving the EV
example, drives it with wrk (Debian's wrk, a Lua script for POST bodies and p99.9), and stops it
in `finally` by killing its process group. Every wait is bounded.

  load      decisions/s over keep-alive at 1, 16 and 64 connections with p50/p99/p99.9, and the
            batch endpoint's decisions/s; no request may fail
  storm     a new bundle renamed into place every 10 ms during load: no request fails and every
            answer comes from one whole table (bundles A and B swap two decisions; a /v1/batch
            of both must be exactly one bundle's pair, and the one its revision gives)
  bad       a corrupt and a wrongly signed bundle renamed in during load change nothing: every
            answer and the generation stay, /health reports the refusal
  restart   kill -9 during a reload storm, start again: the last whole bundle is served
  all       the four, in that order

Usage: server_load.py TEST --lattice BIN --serve BIN --example DIR [--seconds S] [--json FILE]
`--seconds` is each wrk run's length (CTest runs short ones); `--json` writes the figures.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

# Bundle B swaps two decisions of bundle A (the EV example): support agents lose station.view,
# branding specialists gain it.
EDITS = [
    ("  allow station.{view, import, activate, deactivate, reset, view_billing_plan,",
     "  allow station.{import, activate, deactivate, reset, view_billing_plan,"),
    ("  allow platform.branding in tenant;", "  allow platform.branding, station.view in tenant;"),
]
SUPPORT_VIEWS = {"kind": "tenant_user", "memberships": [{"node": "acme", "roles": ["support_agent"]}],
                 "permission": "station.view", "target": "acme/a"}
BRANDING_VIEWS = {"kind": "tenant_user",
                  "memberships": [{"node": "acme", "roles": ["branding_specialist"]}],
                  "permission": "station.view", "target": "acme/a"}
BATCH_SIZE = 100  # decisions per /v1/batch call in the load test
# The load test's /v1/decide rows give the server one thread and wrk (one thread, run_wrk) the
# other core: on one 2-core machine a server thread per core shares a core with the client, and
# three busy threads on two cores put the scheduler's wait into p99 (docs/performance.md,
# "Decision server"). The batch row runs the server at its default (test_load).
LOAD_SERVER = ["--threads", "1"]
# The storm renames a bundle every 10 ms; the server looks for a changed file every 5 ms, so it
# reloads nearly every one of them (its default, 1 s, would see a few).
STORM_RELOAD = ["--reload-interval", "0.005"]


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


class Server:
    """A lattice-serve in its own process group, on a private port."""

    def __init__(self, serve, path, work, extra=()):
        self.serve, self.path, self.work, self.extra = serve, path, work, list(extra)
        self.process = None
        self.port = None

    def start(self, timeout=30):
        self.out = open(os.path.join(self.work, "serve.out"), "w+")
        self.err = open(os.path.join(self.work, "serve.err"), "a+")
        self.process = subprocess.Popen(
            [self.serve, self.path, "--listen", "127.0.0.1:0"] + self.extra,
            stdout=self.out, stderr=self.err, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.out.seek(0)
            match = re.search(r"lattice serve: listening on http://127\.0\.0\.1:(\d+)",
                              self.out.read())
            if match:
                self.port = int(match.group(1))
                return self
            if self.process.poll() is not None:
                self.err.seek(0)
                fail("lattice-serve exited with %d: %s" % (self.process.returncode,
                                                            self.err.read()[-2000:]))
            time.sleep(0.05)
        fail("lattice-serve did not say where it listens within %d s" % timeout)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=5) as answer:
            return json.loads(answer.read())

    def post(self, path, body):
        request = urllib.request.Request(self.url(path), data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.loads(answer.read())

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def health_fields(health):
    """(generation, revision, last error) from /health (docs/server-openapi.yaml); the first two
    are None while no policy is loaded."""
    policy = health.get("policy", {})
    return policy.get("generation"), policy.get("revision"), health["last_error"]


def build_bundles(lattice, example, work, keys=False):
    """Bundles A (revision a) and B (revision b), signed by `release` when keys is set, and
    their key files; returns a dict of paths."""
    paths = {}
    sign = []
    if keys:
        for name in ("release", "other"):
            subprocess.run([lattice, "keygen", "-o", os.path.join(work, name)], check=True,
                           stdout=subprocess.DEVNULL, timeout=30)
        paths["public_key"] = os.path.join(work, "release.pub")
        sign = ["--sign", os.path.join(work, "release.key")]
    with open(os.path.join(example, "policy.lat")) as f:
        text = f.read()
    edited = text
    for old, new in EDITS:
        if edited.count(old) != 1:
            fail("the EV example changed: update EDITS in server_load.py (%r)" % old)
        edited = edited.replace(old, new)
    for name, source in (("a", text), ("b", edited)):
        folder = os.path.join(work, "policy_" + name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "policy.lat"), "w") as f:
            f.write(source)
        out = os.path.join(work, name + ".lbundle")
        subprocess.run([lattice, "build", os.path.join(folder, "policy.lat"), "--revision", name,
                        "--bundle", "-o", out] + sign, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=dict(os.environ, SOURCE_DATE_EPOCH="1"),
                       timeout=120)
        paths[name] = out
    if keys:
        out = os.path.join(work, "wrongly_signed.lbundle")
        subprocess.run([lattice, "build", os.path.join(work, "policy_b", "policy.lat"),
                        "--revision", "b", "--bundle", "-o", out, "--sign",
                        os.path.join(work, "other.key")], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
        paths["wrongly_signed"] = out
    with open(paths["a"], "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0xFF  # inside the table: its SHA-256 no longer matches
    paths["corrupt"] = os.path.join(work, "corrupt.lbundle")
    with open(paths["corrupt"], "wb") as f:
        f.write(data)
    return paths


def place(source, target):
    """Copies source next to target, then renames it over target: readers see the old file or
    the new one, whole."""
    temporary = target + ".next"
    shutil.copyfile(source, temporary)
    os.rename(temporary, target)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)
    return path


def run_wrk(server, body_file, connections, seconds, script="wrk_post.lua", extra_args=(),
            threads=1):
    # One client thread drives every connection (wrk is event-driven); see LOAD_SERVER.
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", "%ds" % seconds,
               # A slow answer is measured, not dropped: wrk's own timeout only catches a
               # server that stopped answering.
               "--timeout", "30s", "-s", os.path.join(HERE, script), server.url(body_file[0]),
               "--", body_file[1]] + list(extra_args)
    run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                         env=dict(os.environ, LATTICE_WRK_DIR=HERE))
    match = re.search(r"^WRK_RESULT (.*)$", run.stdout, re.M)
    if run.returncode != 0 or not match:
        fail("wrk failed (%d): %s %s" % (run.returncode, run.stdout[-1000:], run.stderr[-1000:]))
    result = json.loads(match.group(1))
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def wrk_errors(result):
    return sum(result[k] for k in ("connect_errors", "read_errors", "write_errors",
                                   "status_errors", "timeouts")) + result["bad"]


def check_answers_once(server):
    """The batch answer now, as `allow,deny` or `deny,allow`."""
    answer = server.post("/v1/batch", {"requests": [SUPPORT_VIEWS, BRANDING_VIEWS]})
    decisions = [item["decision"] for item in answer["answers"]]
    return ",".join(decisions)


def serve_a(args, work, paths, extra=()):
    """Bundle A renamed into place as the served file and a lattice-serve serving it: (the
    served file, the server)."""
    served = os.path.join(work, "served.lbundle")
    place(paths["a"], served)
    return served, Server(args.serve, served, work, extra).start()


# --- the tests ----------------------------------------------------------------------------------

def test_load(args, work):
    paths = build_bundles(args.lattice, args.example, work)
    figures = {"connections": {}}
    _, server = serve_a(args, work, paths, LOAD_SERVER)
    try:
        decide = ("/v1/decide", write_json(os.path.join(work, "decide.json"), SUPPORT_VIEWS))
        for connections in (1, 16, 64):
            result = run_wrk(server, decide, connections, args.seconds)
            if wrk_errors(result):
                fail("load at %d connections: errors %s" % (connections, result))
            figures["connections"][str(connections)] = result
            print("load  %2d connections: %9.0f decisions/s  p50 %5d us  p99 %5d us  "
                  "p99.9 %5d us" % (connections, result["rate"], result["p50_us"],
                                    result["p99_us"], result["p999_us"]))
    finally:
        server.kill()
    # A batch call carries 100 decisions, so the client's share of the CPU is small: the server
    # runs at its default, a thread per core.
    _, server = serve_a(args, work, paths)
    try:
        batch = ("/v1/batch", write_json(os.path.join(work, "batch.json"), {
            "requests": [SUPPORT_VIEWS if i % 2 else BRANDING_VIEWS for i in range(BATCH_SIZE)]}))
        result = run_wrk(server, batch, 16, args.seconds)
        if wrk_errors(result):
            fail("batch load: errors %s" % result)
        result["decisions_per_second"] = result["rate"] * BATCH_SIZE
        figures["batch"] = result
        print("batch 16 connections: %9.0f decisions/s (%d a call)  p99 %5d us" % (
            result["decisions_per_second"], BATCH_SIZE, result["p99_us"]))
    finally:
        server.kill()
    return figures


class Storm(threading.Thread):
    """Renames bundle A and B alternately over the served file every `interval` seconds."""

    def __init__(self, paths, served, interval=0.010):
        super().__init__(daemon=True)
        self.paths, self.served, self.interval = paths, served, interval
        self.stop = threading.Event()
        self.renames = 0

    def run(self):
        names = ("b", "a")
        while not self.stop.is_set():
            place(self.paths[names[self.renames % 2]], self.served)
            self.renames += 1
            self.stop.wait(self.interval)


def storm_body(work):
    return ("/v1/batch", write_json(os.path.join(work, "storm.json"),
                                    {"requests": [SUPPORT_VIEWS, BRANDING_VIEWS]}))


def test_storm(args, work):
    paths = build_bundles(args.lattice, args.example, work)
    served, server = serve_a(args, work, paths, STORM_RELOAD)
    storm = Storm(paths, served)
    try:
        generation_before = health_fields(server.get("/health"))[0]
        storm.start()
        result = run_wrk(server, storm_body(work), 16, args.seconds, script="wrk_storm.lua",
                         extra_args=["storm"])
        storm.stop.set()
        storm.join(timeout=10)
        generation_after = health_fields(server.get("/health"))[0]
        print("storm: %d renames in %d s, %d answers checked, %d bad; generation %s -> %s" % (
            storm.renames, args.seconds, result["checked"], result["bad"], generation_before,
            generation_after))
        if wrk_errors(result) or result["checked"] == 0:
            fail("reload storm: failed or mixed answers %s" % result)
        # Most renames must have been reloaded (each differs from the serving file); a tenth
        # leaves room for a loaded machine, and still proves a storm, not one reload.
        if not isinstance(generation_after, int) or \
                generation_after - (generation_before or 0) < max(1, storm.renames // 10):
            fail("reload storm: %d renames but generation %s -> %s" % (
                storm.renames, generation_before, generation_after))
        return {"renames": storm.renames, "answers": result["checked"],
                "reloads": generation_after - generation_before, "p99_us": result["p99_us"],
                "p999_us": result["p999_us"], "max_us": result["max_us"]}
    finally:
        storm.stop.set()
        server.kill()


def wait_for_error(server, generation, previous, what, timeout=10):
    """Waits until /health reports a reload error other than `previous`; the generation must
    not move meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now, _, error = health_fields(server.get("/health"))
        if now != generation:
            fail("%s: the generation changed from %s to %s" % (what, generation, now))
        if error and error != previous:
            return error
        time.sleep(0.02)
    fail("%s: /health reported no new error within %d s" % (what, timeout))


def test_bad(args, work):
    paths = build_bundles(args.lattice, args.example, work, keys=True)
    served, server = serve_a(args, work, paths, ["--public-key", paths["public_key"]])
    try:
        generation, revision, _ = health_fields(server.get("/health"))
        if check_answers_once(server) != "allow,deny":
            fail("bundle A must answer allow,deny")
        results = {}

        def load():
            results["wrk"] = run_wrk(server, storm_body(work), 16, args.seconds,
                                     script="wrk_storm.lua", extra_args=["storm", "allow,deny"])

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(min(0.5, args.seconds / 4))
        reports = [""]
        for bad in ("corrupt", "wrongly_signed"):
            place(paths[bad], served)
            reports.append(wait_for_error(server, generation, reports[-1], bad))
            print("bad bundle %-15s refused, /health: %s" % (bad, reports[-1][:150]))
        loader.join(timeout=args.seconds + 90)
        result = results.get("wrk")
        if not result or wrk_errors(result) or result["checked"] == 0:
            fail("bad bundles during load: an answer changed or failed: %s" % result)
        now_generation, now_revision, _ = health_fields(server.get("/health"))
        if now_generation != generation or now_revision != revision:
            fail("bad bundles changed the policy: generation %s -> %s, revision %s -> %s" % (
                generation, now_generation, revision, now_revision))
        print("bad bundles: %d answers checked during load, all from bundle A" % result["checked"])
        return {"answers": result["checked"], "errors": reports[1:]}
    finally:
        server.kill()


def test_restart(args, work):
    paths = build_bundles(args.lattice, args.example, work)
    served, server = serve_a(args, work, paths, STORM_RELOAD)
    storm = Storm(paths, served)
    try:
        storm.start()
        killer = threading.Timer(min(1.0, args.seconds / 2), server.kill)
        killer.start()
        try:
            run_wrk(server, storm_body(work), 16, max(2, args.seconds), script="wrk_storm.lua",
                    extra_args=["storm"])
        except Failure:
            pass  # wrk sees the server die: expected
        killer.join()
        storm.stop.set()
        storm.join(timeout=10)
        with open(served, "rb") as f:
            on_disk = f.read()
        last = "a" if on_disk == open(paths["a"], "rb").read() else "b"
        server = Server(args.serve, served, work).start()
        _, revision, _ = health_fields(server.get("/health"))
        answer = check_answers_once(server)
        want = {"a": "allow,deny", "b": "deny,allow"}[last]
        print("restart after kill -9 mid-storm: serves revision %s, answers %s" % (revision,
                                                                                  answer))
        if revision != last or answer != want:
            fail("after the restart: revision %s answering %s, the last bundle was %s (%s)" % (
                revision, answer, last, want))
        return {"revision": revision}
    finally:
        storm.stop.set()
        server.kill()


TESTS = {"load": test_load, "storm": test_storm, "bad": test_bad, "restart": test_restart}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("test", choices=sorted(TESTS) + ["all"])
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--serve", required=True)
    parser.add_argument("--example", required=True)
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is not installed (Debian: wrk)")
    names = list(TESTS) if args.test == "all" else [args.test]
    # Each wrk run is bounded by --seconds; the whole run by this alarm.
    signal.alarm(600 + 20 * args.seconds * len(names))
    figures = {}
    for name in names:
        with tempfile.TemporaryDirectory(prefix="lattice-server-%s-" % name) as work:
            figures[name] = TESTS[name](args, work)
    if args.json:
        write_json(args.json, figures)
    print("server %s: passed" % args.test)


if __name__ == "__main__":
    try:
        main()
    except Failure as error:
        print("FAILED: %s" % error, file=sys.stderr)
        sys.exit(1)
