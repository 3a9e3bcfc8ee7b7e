#!/usr/bin/env python3
# install_test.py - `cmake --install` into a fresh prefix, then hosts built against the installed
# tree only: a CMake project through find_package(Lattice) (C on the static library, C++ on the
# shared one) and C programs through pkg-config; and (--deb) CPack's .deb unpacked into an empty
# root, whose `lattice --version` must run.
import argparse
import os
import shutil
import subprocess
import sys

failures = []


def run(name, argv, env=None, cwd=None, expect=0, contains=()):
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    ok = proc.returncode == expect and all(c in out for c in contains)
    print("%-64s %s" % (name, "ok" if ok else "FAIL"))
    if not ok:
        failures.append("%s: exit %d (expected %d)\n$ %s\n%s" %
                        (name, proc.returncode, expect, " ".join(argv), out[-3000:]))
    return proc


def needed(path):
    proc = subprocess.run(["readelf", "-d", path], capture_output=True, text=True)
    return [line.split("[")[1].rstrip("]") for line in proc.stdout.splitlines()
            if "(NEEDED)" in line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True, help="the build folder to install from")
    parser.add_argument("--source", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--deb", action="store_true", help="build and unpack the .deb instead")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ)
    env.pop("LATTICE_STDLIB", None)
    tutorial = os.path.join(args.source, "examples", "tutorial", "policy.lat")

    if args.deb:
        if shutil.which("cpack") is None or shutil.which("dpkg-deb") is None:
            print("cpack or dpkg-deb not found: skipped")
            return 77
        run("cpack -G DEB", ["cpack", "-G", "DEB", "--config",
                             os.path.join(os.path.abspath(args.build), "CPackConfig.cmake"), "-B",
                             os.path.join(work, "pkg")], cwd=work)
        debs = [f for f in os.listdir(os.path.join(work, "pkg")) if f.endswith(".deb")] \
            if os.path.isdir(os.path.join(work, "pkg")) else []
        if len(debs) != 1:
            failures.append("expected one .deb, found %s" % debs)
        else:
            deb = os.path.join(work, "pkg", debs[0])
            run("the package depends on the CLI's shared libraries",
                ["dpkg-deb", "--field", deb, "Depends"], contains=("libc6",))
            root = os.path.join(work, "root")
            run("dpkg-deb -x into an empty root", ["dpkg-deb", "-x", deb, root])
            lattice = os.path.join(root, "usr", "bin", "lattice")
            run("lattice --version from the unpacked package", [lattice, "--version"],
                contains=("lattice",))
            write(os.path.join(work, "missing_module.lat"), "import std.nope;\n")
            run("it finds the modules installed beside it",
                [lattice, "check", os.path.join(work, "missing_module.lat")], expect=1,
                contains=(os.path.join(root, "usr", "share", "lattice", "stdlib"),))
            for header in ("lattice.h", "lattice.hpp", "format.h"):
                if not os.path.exists(os.path.join(root, "usr", "include", "lattice", header)):
                    failures.append("the package has no include/lattice/" + header)
        return report()

    prefix = os.path.join(work, "prefix")
    run("cmake --install into a fresh prefix",
        ["cmake", "--install", args.build, "--prefix", prefix])
    lattice = os.path.join(prefix, "bin", "lattice")
    table = os.path.join(work, "tutorial.ltab")
    run("the installed CLI builds the tutorial", [lattice, "build", tutorial, "-o", table],
        env=env)
    write(os.path.join(work, "missing_module.lat"), "import std.nope;\n")
    run("the installed CLI looks in the installed stdlib first",
        [lattice, "check", os.path.join(work, "missing_module.lat")], env=env, expect=1,
        contains=(os.path.join(prefix, "share", "lattice", "stdlib", "std", "nope.lat"),))

    # find_package(Lattice) from the installed prefix only.
    consumer = os.path.join(args.source, "tests", "install", "consumer")
    cbuild = os.path.join(work, "consumer-build")
    run("configure a host project with find_package(Lattice)",
        ["cmake", "-S", consumer, "-B", cbuild, "-DCMAKE_PREFIX_PATH=" + prefix,
         "-DCMAKE_BUILD_TYPE=Release"])
    run("build it", ["cmake", "--build", cbuild])
    run("the C host (static runtime, linked by cc) decides",
        [os.path.join(cbuild, "decide_c"), table], contains=("driver vehicle.lock: allow",))
    run("the C++ host (shared runtime) decides",
        [os.path.join(cbuild, "decide_cxx"), table],
        contains=("fleet_manager vehicle.delete below: allow",))
    c_needs = needed(os.path.join(cbuild, "decide_c"))
    if any(lib.startswith(("libstdc++", "liblattice")) for lib in c_needs):
        failures.append("the static C host needs %s" % c_needs)

    # pkg-config, shared and static, with the C compiler alone.
    pc_env = dict(env, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    flags = run("pkg-config --cflags --libs lattice", ["pkg-config", "--cflags", "--libs",
                                                       "lattice"], env=pc_env).stdout.split()
    source = os.path.join(consumer, "decide.c")
    shared_exe = os.path.join(work, "pc_shared")
    run("cc with pkg-config's flags (shared)", ["cc", "-std=c99", source, "-o", shared_exe] + flags)
    run("the pkg-config host decides", [shared_exe, table],
        env=dict(env, LD_LIBRARY_PATH=os.path.join(prefix, "lib")),
        contains=("driver vehicle.delete: deny",))
    libs = needed(shared_exe)
    if "libstdc++.so.6" in libs or not any(lib.startswith("liblattice_runtime") for lib in libs):
        failures.append("the pkg-config host needs %s" % libs)
    runtime_needs = needed(os.path.join(prefix, "lib", "liblattice_runtime.so.0"))
    if runtime_needs != ["libc.so.6"]:
        failures.append("liblattice_runtime.so needs %s, not only libc" % runtime_needs)
    static_exe = os.path.join(work, "pc_static")
    run("cc with the static library and no C++ runtime",
        ["cc", "-std=c99", source, "-o", static_exe,
         "-I" + os.path.join(prefix, "include"), os.path.join(prefix, "lib",
                                                              "liblattice_runtime.a")])
    run("the static pkg-config host decides", [static_exe, table],
        contains=("driver vehicle.lock: allow",))
    return report()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def report():
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
