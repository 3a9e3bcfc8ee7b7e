#!/usr/bin/env python3
# check_layout.py - every .lat file of the repository is in `lattice fmt` layout (CTest
# fmt.layout): runs `lattice fmt --check` on each and prints its diff when it is not. The few files
# whose test needs another layout are listed below with the reason; each must still exist.
import argparse
import os
import subprocess
import sys

# path (relative to the repository) -> why it is not in fmt layout
EXEMPT = {
    # Syntax errors: fmt formats only what parses (it reports the errors and changes nothing).
    "tests/golden/check/L0001_import_after_declaration.lat": "a syntax error is the test",
    "tests/golden/check/L0001_multiple_syntax_errors.lat": "syntax errors are the test",
    "tests/golden/check/L0001_syntax_error.lat": "a syntax error is the test",
    "tests/golden/check/L0002_unexpected_character.lat": "a stray character is the test",
    "tests/golden/check/L0003_unterminated_string.lat": "an unterminated string is the test",
    "tests/golden/check/L0004_unterminated_comment.lat": "an unterminated comment is the test",
    "tests/golden/json/syntax_errors.lat": "a syntax error is the test",
    "tests/golden/single_error/17_missing_semicolon_in_role.lat": "one syntax mistake is the test",
    "tests/golden/single_error/18_missing_semicolon_after_declaration.lat": "one syntax mistake is the test",
    "tests/golden/single_error/19_missing_closing_brace.lat": "one syntax mistake is the test",
    "tests/golden/single_error/31_keyword_typo.lat": "one syntax mistake is the test",
    "tests/golden/single_error/32_unterminated_label.lat": "one syntax mistake is the test",
    "tests/golden/single_error/33_import_after_declaration.lat": "one syntax mistake is the test",
    "tests/golden/single_error/34_c_style_and.lat": "one syntax mistake is the test",
    "tests/golden/single_error/38_missing_comma_in_list.lat": "one syntax mistake is the test",
    "tests/golden/single_error/39_test_missing_on.lat": "one syntax mistake is the test",
    "tests/golden/single_error/40_role_missing_for.lat": "one syntax mistake is the test",
    # Layout is the subject of the test.
    "tests/golden/inputs/fmt/messy.lat": "the formatter's own input: every construct, badly laid out",
    "tests/golden/warnings/suppression_placement.lat":
        "which lines a suppression covers: one-line roles, an indented comment line",
}
SKIP_DIRS = {".git", "node_modules"}


def lat_files(repo):
    for root, dirs, files in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(files):
            if name.endswith(".lat"):
                yield os.path.relpath(os.path.join(root, name), repo)


def main():
    parser = argparse.ArgumentParser(description="every .lat file is in lattice fmt layout")
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    files = list(lat_files(args.repo))
    missing = sorted(set(EXEMPT) - set(files))
    bad = []
    for path in files:
        if path in EXEMPT:
            continue
        proc = subprocess.run([args.lattice, "fmt", "--check", path], cwd=args.repo,
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            bad.append(path)
            print(proc.stdout + proc.stderr)
    print(f"{len(files) - len(EXEMPT)} files checked, {len(EXEMPT)} exempt, "
          f"{len(bad)} not in fmt layout")
    if missing:
        print("exempt files that no longer exist (remove them from EXEMPT): " + ", ".join(missing))
    if bad:
        print("run `lattice fmt FILE` on them; for a golden test, then update the positions in "
              "its CHECK lines:\n  " + "\n  ".join(bad))
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main())
