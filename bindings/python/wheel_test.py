#!/usr/bin/env python3
# wheel_test.py - builds the wheel as a user would (pyproject.toml, offline, the installed
# setuptools and pybind11), installs it into an empty folder and runs the binding's pytest suite
# against that install. The sources are copied first: a build writes into its source folder.
import argparse
import glob
import os
import shutil
import subprocess
import sys
import zipfile


def run(argv, **kwargs):
    print("$ " + " ".join(argv), flush=True)
    proc = subprocess.run(argv, timeout=600, **kwargs)
    if proc.returncode != 0:
        sys.exit("failed (exit %d): %s" % (proc.returncode, " ".join(argv)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="the Lattice source tree")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    here = os.path.join(args.source, "bindings", "python")
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    project = os.path.join(work, "project")
    shutil.copytree(here, project, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))

    env = dict(os.environ, LATTICE_SOURCE=os.path.abspath(args.source), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    if shutil.which("ccache"):  # a second run of the test compiles nothing
        env.setdefault("CC", "ccache gcc")
        env.setdefault("CXX", "ccache g++")
    # What is tested is the packaging and the module's behaviour, not the optimiser: -O0 builds
    # the wheel in a third of the time.
    env["CFLAGS"] = env.get("CFLAGS", "") + " -O0"
    dist = os.path.join(work, "dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", dist,
         "."], cwd=project, env=env)
    wheels = glob.glob(os.path.join(dist, "lattice_policy-*.whl"))
    if len(wheels) != 1:
        sys.exit("expected one wheel in %s, found %s" % (dist, os.listdir(dist)))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        for required in ("lattice/__init__.py", "lattice/_lattice", "lattice/py.typed",
                         "lattice/_lattice.pyi"):
            if not any(n.startswith(required) for n in names):
                sys.exit("the wheel has no %s: %s" % (required, names))
        # What `pip install --target` does for a pure folder of modules: unpack the wheel.
        site = os.path.join(work, "site")
        wheel.extractall(site)
    print("built and unpacked " + os.path.basename(wheels[0]), flush=True)
    test_env = dict(os.environ, PYTHONPATH=site, PYTHONDONTWRITEBYTECODE="1")
    run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         os.path.join(project, "tests")], env=test_env, cwd=work)


if __name__ == "__main__":
    main()
