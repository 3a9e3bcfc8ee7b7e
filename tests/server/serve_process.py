"""serve_process.py - `lattice serve ... --listen 127.0.0.1:0` as a child process for the server's
tests: waits (bounded) for its one "listening on" line, keeps its stderr, kills its process group.
"""
import os
import re
import signal
import subprocess
import threading

LISTENING = re.compile(r"lattice serve: listening on http://127\.0\.0\.1:(\d+)\n")


class ServeProcess:
    def __init__(self, lattice, *args):
        self.process = subprocess.Popen([lattice, "serve", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)
        self.stderr = []
        self.port = None
        found = threading.Event()

        def read_stdout():
            for line in self.process.stdout:
                match = LISTENING.fullmatch(line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    found.set()

        def read_stderr():
            for line in self.process.stderr:
                self.stderr.append(line)

        threading.Thread(target=read_stdout, daemon=True).start()
        threading.Thread(target=read_stderr, daemon=True).start()
        if not found.wait(20):
            self.stop()
            raise RuntimeError("no listening line within 20 s; stderr:\n" + "".join(self.stderr))

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)
