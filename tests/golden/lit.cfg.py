# lit.cfg.py - lit configuration of the golden tests (tests/golden) and the robustness tests
# (tests/robustness). Paths come from lit.site.cfg.py, which CMake writes into the build tree.
import os
import lit.formats

# The build-tree paths: from `--param lattice_site=FILE` (what CTest passes), else
# $LATTICE_LIT_SITE, else the default build folder `<repo>/build`.
_here = os.path.dirname(os.path.abspath(__file__))
_site = lit_config.params.get("lattice_site") or os.environ.get("LATTICE_LIT_SITE") or \
    os.path.join(_here, "..", "..", "build", "tests", "golden", "lit.site.cfg.py")
if not os.path.exists(_site):
    lit_config.fatal("no lit.site.cfg.py at %s: configure with CMake first, or pass "
                     "--param lattice_site=BUILD/tests/golden/lit.site.cfg.py" % _site)
lit_config.load_config(config, _site)

config.name = "lattice"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".lat", ".test"]
# inputs/ holds files used by tests (imported modules, tables, request streams): not tests.
config.excludes = [
    "inputs", "exit_code.py", "check_coverage.py", "lit.cfg.py", "lit.site.cfg.py", "README.md"
]
config.test_source_root = _here
config.test_exec_root = os.path.join(config.lattice_obj_root, "golden")

# Diagnostics must not depend on the terminal or the caller's environment (lit passes a clean
# environment: no LATTICE_STDLIB, so imports resolve against the built-in stdlib path).
config.environment["NO_COLOR"] = "1"
config.environment["LC_ALL"] = "C"

config.substitutions.append(("%lattice", config.lattice_path))
config.substitutions.append(("%stdlib", config.lattice_stdlib))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "inputs")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%exitcode", "%s %s" % (config.python_executable, os.path.join(_here, "exit_code.py"))))
# `FileCheck` and `not` in command position (start of a RUN line, or after `|`, `&&`, `||`, `;`)
# resolve to the configured LLVM tools; elsewhere (`CHECK-NOT`, `and not f0`) they stay words.
# (lit prefixes each RUN line with `%dbg(RUN: at line N)` before substituting.)
_command_start = r"(^|[|&;]\s*|%dbg\([^)]*\)\s*)"
config.substitutions.append((_command_start + r"FileCheck(?=\s)", r"\g<1>" + config.filecheck_path))
config.substitutions.append((_command_start + r"not(?=\s)", r"\g<1>" + config.not_path))

# Some commands (prlimit, /usr/bin/time) are optional on the host.
if os.path.exists("/usr/bin/prlimit"):
    config.available_features.add("prlimit")
