#!/usr/bin/env python3
"""run.py - runs session.lua in headless Neovim against `lattice lsp` on a copy of the EV-charging
example. Usage: run.py NVIM LATTICE EXAMPLES. Bounded in time; Neovim (and with it the server,
whose input then ends) is killed whatever happens."""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    nvim, lattice, examples = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as work:
        folder = os.path.join(os.path.realpath(work), "ev_charging")
        shutil.copytree(os.path.join(examples, "ev_charging"), folder)
        env = dict(os.environ, LATTICE_BIN=lattice, LATTICE_LSP_FOLDER=folder,
                   XDG_STATE_HOME=work, XDG_DATA_HOME=work, XDG_CONFIG_HOME=work)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "session.lua")
        process = subprocess.Popen([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
                                    "-c", "luafile " + script], env=env, cwd=folder,
                                   stdin=subprocess.DEVNULL)
        try:
            code = process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            print("FAIL: Neovim did not finish within 90 s")
            code = 1
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    sys.exit(code)


if __name__ == "__main__":
    main()
