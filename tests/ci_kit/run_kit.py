#!/usr/bin/python3
"""run_kit.py - runs the commands of the CI kit (ci/github/lattice.yml, ci/pre-commit-config.yaml)
against an example in a temporary git repository, so the kit cannot rot (docs/ci.md).

Every `run:` step of the workflow except the `install-*` ones runs with bash -eo pipefail (as
GitHub runs it) in the repository, with the workflow's `env`, `${{ ... }}` replaced by the values
of a pull request from a base commit to a head commit that adds access, and LATTICE set to the
binary under test. Then each pre-commit hook's `entry` runs with the repository's matching files.
Checks exit codes, that the SARIF log is produced (also when `check` fails) and that the diff is.
A command whose subcommand the binary lacks (`diff`, `fmt`: written concurrently) is skipped,
with a message, and only then. Needs python3-yaml (Debian), installed by .ci/setup.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


def has_subcommand(lattice, name):
    result = subprocess.run([lattice, name, "--help"], capture_output=True, text=True)
    return "unknown command" not in result.stderr


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)


def lattice_files(repo):
    out = subprocess.run(["git", "-C", repo, "ls-files"], check=True, capture_output=True,
                         text=True).stdout.split()
    return sorted(out)


def make_repo(work, example, lattice, formatter):
    repo = os.path.join(work, "repo")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(repo, "policy"))
    for name in sorted(os.listdir(example)):
        if name.endswith(".lat"):
            shutil.copy(os.path.join(example, name), os.path.join(repo, "policy", name))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "CI kit test")
    policy = os.path.join(repo, "policy")
    lat = [os.path.join(policy, f) for f in sorted(os.listdir(policy))]
    if formatter:  # the fmt hook must pass on the committed files
        subprocess.run([lattice, "fmt", *lat], check=True)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    base = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    # The pull request adds access: a new role (the tutorial's vocabulary).
    with open(os.path.join(policy, "policy.lat"), "a") as f:
        f.write('\nrole auditor "Auditor" for operator {\n  allow invoice.view in tenant;\n}\n')
    if formatter:
        subprocess.run([lattice, "fmt", *lat], check=True)
    git(repo, "commit", "-q", "-am", "head: add an auditor role")
    head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    return repo, base, head


def substitute(value, context):
    def expression(match):
        key = match.group(1).strip()
        if key not in context:
            fail("the workflow uses ${{ %s }}, which the test does not know" % key)
            return ""
        return context[key]
    return re.sub(r"\$\{\{(.*?)\}\}", expression, str(value))


def run_step(step, env, repo):
    command = step["run"]
    print("--- step %s: %s" % (step.get("id", "?"), command.strip()), flush=True)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                          cwd=repo, env=env).returncode


def check_sarif(path, expect_results):
    try:
        with open(path) as f:
            log = json.load(f)
    except (OSError, ValueError) as error:
        fail("no SARIF log at %s: %s" % (path, error))
        return
    if log.get("version") != "2.1.0" or log["runs"][0]["tool"]["driver"]["name"] != "lattice":
        fail("%s is not a lattice SARIF 2.1.0 log" % path)
    if expect_results and not log["runs"][0].get("results"):
        fail("%s has no results although the policy has an error" % path)


def run_workflow(kit, lattice, repo, base, head, available):
    with open(os.path.join(kit, "github", "lattice.yml")) as f:
        workflow = yaml.safe_load(f)
    context = {
        "github.event_name": "pull_request",
        "github.event.pull_request.base.sha": base,
        "github.event.pull_request.head.sha": head,
    }
    ran = set()
    for job_name, job in workflow["jobs"].items():
        env = dict(os.environ)
        for scope in (workflow.get("env", {}), job.get("env", {})):
            env.update({k: substitute(v, context) for k, v in scope.items()})
        env["LATTICE"] = lattice
        for step in job["steps"]:
            if "run" not in step or step.get("id", "").startswith("install"):
                continue
            sub = re.search(r'"\$LATTICE" (\w+)', step["run"])
            if sub and not available.get(sub.group(1), True):
                print("SKIP: step %s: this lattice has no `%s` subcommand yet" %
                      (step.get("id"), sub.group(1)), flush=True)
                continue
            step_env = dict(env)
            step_env.update({k: substitute(v, context) for k, v in step.get("env", {}).items()})
            code = run_step(step, step_env, repo)
            ran.add(step.get("id"))
            if code != 0:
                fail("workflow step %s exited %d, expected 0" % (step.get("id"), code))
            if step.get("id") == "check":
                check_sarif(os.path.join(repo, "lattice.sarif"), False)
                # A policy with an error: check exits 1 and the SARIF (uploaded `if: always()`)
                # still holds the finding.
                broken = os.path.join(repo, "policy", "zz_broken.lat")
                with open(broken, "w") as f:
                    f.write("role broken for nobody { allow nothing.at_all; }\n")
                code = run_step(step, step_env, repo)
                os.remove(broken)
                if code != 1:
                    fail("workflow step check exited %d on a policy with an error, expected 1"
                         % code)
                check_sarif(os.path.join(repo, "lattice.sarif"), True)
                run_step(step, step_env, repo)  # leave the clean log in place
            if step.get("id") == "diff":
                path = os.path.join(repo, "lattice-diff.md")
                if not os.path.exists(path) or "auditor" not in open(path).read():
                    fail("the diff step wrote no Markdown naming the new role `auditor`")
    for required in ("check", "test"):
        if required not in ran:
            fail("the workflow has no `%s` step with a run command" % required)


def run_hooks(kit, lattice, repo, available):
    with open(os.path.join(kit, "pre-commit-config.yaml")) as f:
        config = yaml.safe_load(f)
    hooks = [hook for r in config["repos"] for hook in r["hooks"]]
    for hook in hooks:
        argv = shlex.split(hook["entry"])
        if argv[0] != "lattice":
            fail("hook %s does not run `lattice`" % hook["id"])
            continue
        if len(argv) > 1 and not available.get(argv[1], True):
            print("SKIP: hook %s: this lattice has no `%s` subcommand yet" % (hook["id"], argv[1]),
                  flush=True)
            continue
        pattern = re.compile(hook.get("files", ""))
        files = [f for f in lattice_files(repo) if pattern.search(f)]
        print("--- hook %s: %s %s" % (hook["id"], hook["entry"], " ".join(files)), flush=True)
        code = subprocess.run([lattice, *argv[1:], *files], cwd=repo).returncode
        if code != 0:
            fail("hook %s exited %d, expected 0" % (hook["id"], code))
    if not any(shlex.split(h["entry"])[1:2] == ["check"] for h in hooks):
        fail("the pre-commit config has no `lattice check` hook")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--kit", required=True, help="the ci/ folder")
    parser.add_argument("--example", required=True, help="an example folder (tutorial)")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    lattice = os.path.abspath(args.lattice)
    available = {name: has_subcommand(lattice, name) for name in ("diff", "fmt")}
    repo, base, head = make_repo(os.path.abspath(args.work), args.example, lattice,
                                 available["fmt"])
    run_workflow(args.kit, lattice, repo, base, head, available)
    run_hooks(args.kit, lattice, repo, available)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
