#!/usr/bin/env python3
"""listener_test.py - the decision server's HTTP listener at the socket level: `lattice serve` on
127.0.0.1:0 with small limits (2 threads, 8 connections, 1 s timeout), spoken to over raw sockets.

Usage: listener_test.py LATTICE SOURCE_DIR WORK_DIR

Checks: pipelined keep-alive requests answered in order on one connection; many connections at
once, more than the threads, all answered right; connections over --max-connections wait and are
served once others close; a client gone mid-body, a slowloris client (a byte now and then) and an
idle keep-alive connection are closed by the timeout and hold nothing; an announced body over
--max-body is refused 413 before it is sent; a chunked body over it is refused 413 too;
`Expect: 100-continue`; a malformed request is 400 in JSON and denies; HTTP/1.0 closes unless
it asks for keep-alive. Every
wait is bounded and the server's process group is always killed.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

from serve_process import ServeProcess

LATTICE, SOURCE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
EXAMPLE = os.path.join(SOURCE, "examples", "ev_charging", "policy.lat")
FAILURES = []
GOOD = {"kind": "tenant_user", "roles": ["technical_support"],
        "permission": "station.update_firmware", "relation": "descendants"}
BAD = {"kind": "subaccount_user", "roles": ["driver"], "permission": "station.update_firmware",
       "relation": "self"}  # denied (docs/server.md)


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def post(path, body, extra=b"", version=b"HTTP/1.1"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return (b"POST " + path.encode() + b" " + version + b"\r\nHost: t\r\n" + extra +
            b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)


def read_answer(sock, buffered=b""):
    """One HTTP answer from `sock`: (status, headers dict, body bytes, bytes read past it)."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before an answer's headers: %r" % data)
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-body")
        rest += chunk
    return status, headers, rest[:length], rest[length:]


def closed_within(sock, seconds):
    """Whether the server closes `sock` (EOF or reset) within `seconds`; reads what comes."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionError:
        return True
    except socket.timeout:
        return False


class Server(ServeProcess):
    def __init__(self, *args):
        super().__init__(LATTICE, *args)

    def connect(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def decide(self, body=GOOD, timeout=10):
        with self.connect(timeout) as sock:
            sock.sendall(post("/v1/decide", body))
            status, _, answer, _ = read_answer(sock)
            return status, json.loads(answer)


def test_pipelined(server):
    """Five requests in one send: five answers, in order, on the same connection."""
    bodies = [dict(GOOD, id=i) if i % 2 == 0 else dict(BAD, id=i) for i in range(5)]
    with server.connect() as sock:
        sock.sendall(b"".join(post("/v1/decide", b) for b in bodies) +
                     b"GET /ready HTTP/1.1\r\nHost: t\r\n\r\n")
        rest = b""
        for i in range(5):
            status, headers, body, rest = read_answer(sock, rest)
            answer = json.loads(body)
            want = ("allow", 200) if i % 2 == 0 else ("deny", 200)
            check((answer.get("decision"), status) == want and answer.get("id") == i,
                  "pipelined answer %d: %d %r" % (i, status, answer))
            check(headers.get("connection", "").lower() != "close",
                  "pipelined answer %d closes the connection" % i)
        status, _, body, rest = read_answer(sock, rest)
        check(status == 200 and json.loads(body).get("ready") is True and rest == b"",
              "the GET after five pipelined POSTs: %d %r" % (status, body))


def test_many_connections(server):
    """Six times more connections than threads, each asking 20 questions kept alive."""
    results = []

    def client(n):
        try:
            with server.connect() as sock:
                rest = b""
                for i in range(20):
                    body = dict(GOOD if (n + i) % 3 else BAD, id=n * 100 + i)
                    sock.sendall(post("/v1/decide", body))
                    status, _, answer, rest = read_answer(sock, rest)
                    answer = json.loads(answer)
                    want = "allow" if (n + i) % 3 else "deny"
                    results.append(answer.get("decision") == want and
                                   answer.get("id") == n * 100 + i)
        except (OSError, ValueError) as error:
            results.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check(len(results) == 160 and all(r is True for r in results),
          "many connections: %d answers, wrong or failed: %r" %
          (len(results), [r for r in results if r is not True][:3]))


def test_connection_limit(server):
    """8 idle connections fill --max-connections: a 9th waits (in the backlog) and is answered
    once the timeout has closed the idle ones (1 s), not refused and not before."""
    idle = [server.connect() for _ in range(8)]
    time.sleep(0.2)  # all accepted
    start = time.monotonic()
    status, answer = server.decide(timeout=10)
    waited = time.monotonic() - start
    check(status == 200 and answer.get("decision") == "allow",
          "a connection over the limit: %d %r" % (status, answer))
    check(0.5 < waited < 5, "a connection over the limit waited %.2f s, not about 1 s" % waited)
    for sock in idle:
        check(closed_within(sock, 5), "an idle connection was not closed by the timeout")
        sock.close()


def test_timeouts(server):
    """A client gone mid-body, a slowloris and an idle keep-alive connection: all closed by the
    1 s timeout, and a good call is answered meanwhile."""
    gone = server.connect()
    gone.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"kind")
    gone.close()
    slow = server.connect()
    slow.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\n")
    kept = server.connect()
    kept.sendall(post("/v1/decide", GOOD))
    status, _, _, _ = read_answer(kept)
    check(status == 200, "a kept-alive call: %d" % status)
    start = time.monotonic()
    closed = False
    slow.settimeout(0.25)
    while time.monotonic() - start < 4:
        try:
            slow.sendall(b"X")  # a byte of a header every 0.25 s: a request never complete
            if slow.recv(65536) == b"":
                closed = True
                break
        except socket.timeout:
            continue
        except ConnectionError:
            closed = True
            break
    took = time.monotonic() - start
    check(closed and took < 2.5, "a slowloris client was not closed by the timeout (%.1f s)" % took)
    check(closed_within(kept, 3), "an idle keep-alive connection was not closed by the timeout")
    status, answer = server.decide()
    check(status == 200 and answer.get("decision") == "allow",
          "a call after the timeouts: %d %r" % (status, answer))
    slow.close()
    kept.close()


def test_body_limits(server):
    """An announced body over --max-body (4096) is refused before it is sent; a chunked one as
    soon as it passes the limit; `Expect: 100-continue` asks for the body."""
    with server.connect() as sock:
        sock.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000\r\n\r\n")
        status, headers, body, _ = read_answer(sock)
        answer = json.loads(body)
        check(status == 413 and answer.get("decision") == "deny" and
              "1000000000 bytes" in answer.get("error", "") and
              headers.get("connection", "").lower() == "close",
              "an announced body over the limit: %d %r %r" % (status, answer, headers))
    with server.connect() as sock:
        chunk = b"x" * 1000
        sock.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(10):
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except ConnectionError:
            pass  # refused while sending: the answer is still read below
        status, _, body, _ = read_answer(sock)
        answer = json.loads(body)
        check(status == 413 and answer.get("decision") == "deny" and
              "--max-body" in answer.get("error", ""),
              "a chunked body over the limit: %d %r" % (status, answer))
    with server.connect() as sock:
        data = json.dumps(GOOD).encode()
        sock.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                     b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n")
        status, _, _, rest = read_answer(sock)
        check(status == 100, "Expect: 100-continue answered %d" % status)
        sock.sendall(data)
        status, _, body, _ = read_answer(sock, rest)
        check(status == 200 and json.loads(body).get("decision") == "allow",
              "the body after 100 Continue: %d %r" % (status, body))


def test_malformed_and_http10(server):
    with server.connect() as sock:
        sock.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n")
        status, headers, body, _ = read_answer(sock)
        answer = json.loads(body)
        check(status == 400 and answer.get("decision") == "deny" and "error" in answer,
              "a malformed header: %d %r" % (status, answer))
        check(closed_within(sock, 3), "the connection stayed open after a malformed request")
    with server.connect() as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        status, _, body, _ = read_answer(sock)
        check(status == 400 and "error" in json.loads(body),
              "a malformed request line: %d %r" % (status, body))
    with server.connect() as sock:
        sock.sendall(post("/v1/decide", GOOD, version=b"HTTP/1.0"))
        status, headers, body, _ = read_answer(sock)
        check(status == 200 and json.loads(body).get("decision") == "allow" and
              headers.get("connection", "").lower() == "close",
              "HTTP/1.0: %d %r %r" % (status, headers, body))
        check(closed_within(sock, 3), "an HTTP/1.0 connection was kept open")
    with server.connect() as sock:  # HTTP/1.0 asking for keep-alive is told, and kept
        rest = b""
        for _ in range(2):
            sock.sendall(post("/v1/decide", GOOD, extra=b"Connection: keep-alive\r\n",
                              version=b"HTTP/1.0"))
            status, headers, body, rest = read_answer(sock, rest)
            check(status == 200 and headers.get("connection", "").lower() == "keep-alive",
                  "HTTP/1.0 keep-alive: %d %r" % (status, headers))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    table = os.path.join(WORK, "ev.ltab")
    result = subprocess.run([LATTICE, "build", EXAMPLE, "-o", table, "--no-source-map"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    server = Server(table, "--listen", "127.0.0.1:0", "--threads", "2", "--max-connections", "8",
                    "--timeout", "1", "--max-body", "4096", "--reload-interval", "0")
    try:
        test_pipelined(server)
        test_many_connections(server)
        test_timeouts(server)
        test_body_limits(server)
        test_malformed_and_http10(server)
        test_connection_limit(server)
        check(server.process.poll() is None, "the server exited during the tests")
    finally:
        server.stop()
    check(server.process.returncode == 0, "the server did not exit cleanly on SIGTERM: %r" %
          server.process.returncode)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES), file=sys.stderr)
        sys.exit(1)
    print("listener: all checks passed")


if __name__ == "__main__":
    main()
