#!/usr/bin/env python3
# git_diff.py - `lattice diff --git REV1 REV2 -- PATHS` on a temporary repository: both versions
# are read from git (imports resolve among the copies), paths are relative to the working folder.
import argparse
import os
import shutil
import subprocess
import sys

MODULE = "scope org;\nscope team under org;\n"
OLD = """policy shop;
import lib.scopes;
resource doc owned_by team { read, write; }
usertype member at org, team;
role viewer for member { allow doc.read in self; }
"""
NEW = OLD.replace("allow doc.read in self;", "allow doc.read, doc.write in subtree;")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    if shutil.which("git") is None:
        print("git not found: skipped")
        return 77
    lattice = os.path.abspath(args.lattice)
    repo = os.path.abspath(args.work)
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(os.path.join(repo, "policies", "lib"))
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               GIT_CONFIG_NOSYSTEM="1", HOME=repo, NO_COLOR="1")

    def git(*argv):
        subprocess.run(["git", *argv], cwd=repo, env=env, check=True, capture_output=True)

    def write(path, text):
        with open(os.path.join(repo, path), "w") as f:
            f.write(text)

    git("init", "-q")
    write("policies/lib/scopes.lat", MODULE)
    write("policies/policy.lat", OLD)
    git("add", ".")
    git("commit", "-q", "-m", "old")
    write("policies/policy.lat", NEW)
    write("policies/extra.lat", "role extra for member { allow doc.read in self; }\n")
    git("add", ".")
    git("commit", "-q", "-m", "new")
    # The working tree differs from both commits: the diff must read the commits.
    write("policies/policy.lat", "this is not a policy")

    failures = []

    def check(name, cwd, argv, code, expected):
        proc = subprocess.run([lattice, "diff", *argv], cwd=os.path.join(repo, cwd), env=env,
                              capture_output=True, text=True)
        ok = proc.returncode == code and all(line in proc.stdout + proc.stderr for line in expected)
        print("%-50s %s" % (name, "ok" if ok else "FAIL"))
        if not ok:
            failures.append("%s: exit %d (expected %d)\nstdout:\n%s\nstderr:\n%s" %
                            (name, proc.returncode, code, proc.stdout, proc.stderr))

    gained = ["+ doc.read on descendants", "+ doc.write on {self, descendants}"]
    check("file path from the repository root", ".",
          ["--git", "HEAD~1", "HEAD", "--", "policies/policy.lat"], 0, gained)
    check("path relative to a subfolder", "policies",
          ["--git", "HEAD~1", "HEAD", "--", "policy.lat"], 0, gained)
    check("a folder; a file new in REV2", "policies",
          ["--git", "HEAD~1", "HEAD", "--fail-on", "new-access", "--", "."], 3,
          gained + ["roles added: `extra`"])
    check("reversed: losses only", ".",
          ["--git", "HEAD", "HEAD~1", "--fail-on", "new-access", "--", "policies/policy.lat"],
          0, ["- doc.read on descendants"])
    # One revision: against the working tree as it is.
    write("policies/policy.lat", NEW)
    check("one revision against the working tree", "policies",
          ["--git", "HEAD~1", "--fail-on", "new-role", "--", "."], 3,
          gained + ["+ doc.read on self  [new-role]", "roles added: `extra`",
                    "lattice diff: new access (new-role): exit 3 as `--fail-on` asks"])
    check("working tree equal to the revision", ".",
          ["--git", "HEAD", "--fail-on", "new-access", "--", "policies"], 0,
          ["no access changes", "new access: none"])
    write("policies/policy.lat", "this is not a policy")
    check("the working tree version does not compile", ".",
          ["--git", "HEAD", "--", "policies/policy.lat"], 1,
          ["lattice diff: error: the working tree version does not compile"])
    check("an option after the paths is an error", ".",
          ["--git", "HEAD~1", "HEAD", "--", "policies", "--fail-on", "new-access"], 2,
          ["option `--fail-on` after `--`"])
    check("unknown revision", ".", ["--git", "HEAD~1", "nosuchrev", "--", "policies"], 2,
          ["lattice diff: error: unknown git revision `nosuchrev`"])
    check("path in neither revision", ".", ["--git", "HEAD~1", "HEAD", "--", "nothing.lat"], 2,
          ["no .lat file at those paths in either revision"])
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
