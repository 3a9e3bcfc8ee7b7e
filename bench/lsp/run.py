#!/usr/bin/env python3
"""run.py - "diagnostics after an edit" for `lattice lsp` (docs/performance.md, "Language server").

Usage: run.py LATTICE [--edits N] [--roles N] [--quick] [--json OUT]

For each bundled example (policy.lat and tests.lat in a copy of its folder) and for a generated
policy of --roles roles (default 10,000; the generator of tests/lsp/generated_policy.h), starts
`lattice lsp --debounce 0`, opens the policy, waits for its diagnostics, then makes --edits
edits (typing a letter into a role's name in `extends`, then deleting it) and measures the time
from sending each change to receiving the diagnostics of that version. During the generated
policy's checks it sends a hover every 10 ms and measures each answer. Memory: the server's peak
RSS (VmHWM) against `lattice check`'s on the same files; the server's CPU time per edit (all its
threads, from /proc/PID/task/*/schedstat), which a busy machine does not inflate as it does wall
time. Prints a Markdown table; with --quick,
3 edits and 2,000 roles (the CTest smoke run, which checks that the numbers come, not their size).
With --json, the measurements are also written to OUT, for bench/report/render.py (bench/run.sh).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def generated_policy(roles):
    out = ["policy generated;\n\nscope tenant;\nscope account under tenant;\n"
           "usertype user at account;\nflag business on account;\n\n"]
    for r in range(20):
        out.append("resource res%d owned_by account { view, edit, remove; }\n" % r)
    for i in range(roles):
        extends = " extends role%d" % (i // 2) if i > 0 else ""
        out.append("\nrole role%d for user%s {\n  allow res%d.view in subtree;\n"
                   "  allow res%d.edit when business;\n}\n" % (i, extends, i % 20, (i + 7) % 20))
    return "".join(out)


class Client:
    """A minimal LSP client over the server's pipes: framing, requests, notifications."""

    def __init__(self, lattice):
        self.process = subprocess.Popen([lattice, "lsp", "--debounce", "0"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lock = threading.Condition()
        self.responses, self.diagnostics = {}, {}
        self.next_id = 0
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            now = time.perf_counter()
            with self.lock:
                if message.get("method") == "textDocument/publishDiagnostics":
                    params = message["params"]
                    self.diagnostics[(params["uri"], params.get("version"))] = (
                        now, len(params["diagnostics"]))
                elif "id" in message:
                    self.responses[message["id"]] = (now, message)
                self.lock.notify_all()

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, predicate, timeout=120):
        with self.lock:
            if not self.lock.wait_for(predicate, timeout):
                raise TimeoutError("no answer from the server")

    def response(self, id):
        self.wait(lambda: id in self.responses)
        return self.responses[id]

    def published(self, uri, version):
        self.wait(lambda: (uri, version) in self.diagnostics)
        return self.diagnostics[(uri, version)]

    def cpu_ms(self):
        """CPU time of all the server's threads so far (schedstat: nanoseconds on a CPU)."""
        total = 0
        task_dir = "/proc/%d/task" % self.process.pid
        for task in os.listdir(task_dir):
            try:
                with open(os.path.join(task_dir, task, "schedstat")) as stat:
                    total += int(stat.read().split()[0])
            except OSError:
                pass  # a thread that just ended
        return total / 1e6

    def peak_rss_kb(self):
        with open("/proc/%d/status" % self.process.pid) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        try:
            self.response(self.request("shutdown", None))
            self.notify("exit", None)
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def check_rss_kb(lattice, files):
    """Peak RSS of `lattice check` on `files`, in KiB: measured in a fresh Python whose only
    child it is (ru_maxrss of children is the largest of all of them)."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe, lattice, "check", "--color", "never"] + files,
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


def measure(lattice, folder, edits, hover_during=False):
    """Opens folder/policy.lat, edits it; returns (latencies ms, hover ms, peak RSS KiB)."""
    path = os.path.realpath(os.path.join(folder, "policy.lat"))
    uri = "file://" + path
    text = open(path, encoding="utf-8").read()
    client = Client(lattice)
    try:
        client.response(client.request("initialize", {"capabilities": {}}))
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "lattice", "version": 1, "text": text}})
        client.published(uri, 1)
        # An edit: a letter typed at the end of the first role name after `extends` or `role`.
        anchor = text.find(" extends ")
        anchor = anchor + len(" extends ") if anchor >= 0 else text.find("role ") + len("role ")
        while text[anchor].isalnum() or text[anchor] == "_":
            anchor += 1
        line = text.count("\n", 0, anchor)
        character = len(text[text.rfind("\n", 0, anchor) + 1:anchor].encode("utf-16-le")) // 2
        latencies, hovers, cpu = [], [], []
        for version in range(2, 2 + edits):
            typed = version % 2 == 0
            change = {"range": {"start": {"line": line, "character": character},
                                "end": {"line": line, "character": character + (0 if typed else 1)}},
                      "text": "x" if typed else ""}
            used = client.cpu_ms()
            start = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            if hover_during:
                while (uri, version) not in client.diagnostics:
                    sent = time.perf_counter()
                    id = client.request("textDocument/hover", {
                        "textDocument": {"uri": uri},
                        "position": {"line": line, "character": max(character - 1, 0)}})
                    answered, _ = client.response(id)
                    hovers.append((answered - sent) * 1000)
                    time.sleep(0.01)
            done, _ = client.published(uri, version)
            latencies.append((done - start) * 1000)
            time.sleep(0.005)  # the worker frees the old snapshot after publishing
            cpu.append(client.cpu_ms() - used)
        return latencies, hovers, cpu, client.peak_rss_kb()
    finally:
        client.close()


def table_lines(results):
    """The Markdown table of the measurements (also docs/performance.md's, via render.py)."""
    lines = ["| policy | diagnostics after an edit, median | max | server CPU per edit, median "
             "| hover during the check, max (count) | server peak RSS | `check` peak RSS | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results:
        hovers = row["hovers_ms"]
        lines.append("| %s | %.1f ms | %.1f ms | %.1f ms | %s | %.1f MiB | %.1f MiB | %.2f |" % (
            row["name"], statistics.median(row["latencies_ms"]), max(row["latencies_ms"]),
            statistics.median(row["cpu_ms"]),
            "%.1f ms (%d)" % (max(hovers), len(hovers)) if hovers else "",
            row["rss_kib"] / 1024, row["check_rss_kib"] / 1024,
            row["rss_kib"] / row["check_rss_kib"] if row["check_rss_kib"] else 0))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lattice")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--roles", type=int, default=10000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()
    if args.quick:
        args.edits, args.roles = 3, 2000
    lattice = os.path.abspath(args.lattice)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        examples = os.path.join(ROOT, "examples")
        for name in sorted(os.listdir(examples)):
            source = os.path.join(examples, name)
            if not os.path.exists(os.path.join(source, "tests.lat")):
                continue
            folder = os.path.join(work, name)
            shutil.copytree(source, folder)
            latencies, _, cpu, rss = measure(lattice, folder, args.edits)
            check = check_rss_kb(lattice, [os.path.join(folder, f) for f in ("policy.lat", "tests.lat")])
            rows.append((name, latencies, cpu, [], rss, check))
        folder = os.path.join(work, "generated")
        os.makedirs(folder)
        with open(os.path.join(folder, "policy.lat"), "w") as f:
            f.write(generated_policy(args.roles))
        latencies, hovers, cpu, rss = measure(lattice, folder, args.edits, hover_during=True)
        check = check_rss_kb(lattice, [os.path.join(folder, "policy.lat")])
        rows.append(("%d roles (generated)" % args.roles, latencies, cpu, hovers, rss, check))
    results = [{"name": name, "latencies_ms": latencies, "cpu_ms": cpu, "hovers_ms": hovers,
                "rss_kib": rss, "check_rss_kib": check}
               for name, latencies, cpu, hovers, rss, check in rows]
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"edits": args.edits, "roles": args.roles, "rows": results}, f, indent=1)
    print("\n".join(table_lines(results)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
