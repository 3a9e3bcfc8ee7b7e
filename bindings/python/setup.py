# setup.py - the extension module of pyproject.toml: the binding and the runtime's C++ sources
# compiled together, so the wheel needs nothing installed. LATTICE_SOURCE names the Lattice source
# tree when this folder is built elsewhere (default: two folders up).
import glob
import os

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension
from setuptools import setup

# Compile the sources in parallel (LATTICE_BUILD_JOBS jobs, default one per core).
ParallelCompile("LATTICE_BUILD_JOBS", default=0).install()

here = os.path.dirname(os.path.abspath(__file__))
source = os.environ.get("LATTICE_SOURCE", os.path.join(here, "..", ".."))
runtime = os.path.join(source, "runtime")
# setuptools takes sources relative to this folder only.
sources = ["src/lattice/_lattice.cpp"] + sorted(
    os.path.relpath(p, here) for p in glob.glob(os.path.join(runtime, "src", "*.cpp")))
if len(sources) == 1:
    raise SystemExit("no runtime sources under %s: set LATTICE_SOURCE to the Lattice tree" % runtime)

setup(ext_modules=[Pybind11Extension(
    "lattice._lattice", sources, cxx_std=17,
    include_dirs=[os.path.join(runtime, "include"), os.path.join(source, "bindings", "common")])])
