#!/usr/bin/env python3
# doctest.py - runs every command that a document shows with its output and compares the real
# output: docs cannot drift from the tool. The convention (docs/testing.md, "Doc tests"):
#   ```console [cwd=DIR]     `$ CMD` lines are commands (a trailing `\` continues on the next
#                            line); the lines up to the next `$ ` are its output, stdout and
#                            stderr as a terminal shows them. `lattice` is the built binary.
#   ```LANG file=NAME        writes the block to NAME in the working folder (append=NAME adds it
#                            to the end, after a blank line when NAME is not empty)
#   ```diff edit=NAME        edits NAME: the ` ` and `-` lines are replaced by the ` ` and `+` lines
#   <!-- doctest: same-file NAME REPO_PATH -->   NAME in the working folder equals REPO_PATH
# Each block runs in a scratch copy of DIR (a path in the repository; none: an empty folder),
# one per document and DIR, kept for the document's later blocks. `--update` rewrites the
# expected outputs with the real ones.
import argparse
import difflib
import errno
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\S*)(.*)$")
DIRECTIVE = re.compile(r"^<!-- doctest: (.*) -->$")


def attributes(text):
    return dict(re.findall(r"(\w+)=(\S+)", text))


class Block:
    def __init__(self, kind, attrs, start, lines):
        self.kind, self.attrs, self.start, self.lines = kind, attrs, start, lines


def parse(path):
    """Fenced blocks (kind, attributes, first content line index, content lines) and directives."""
    lines = open(path, encoding="utf-8").read().split("\n")
    items, i = [], 0
    while i < len(lines):
        directive = DIRECTIVE.match(lines[i])
        fence = FENCE.match(lines[i])
        if directive:
            items.append(Block("directive", {"text": directive.group(1)}, i, []))
        elif fence:
            j = i + 1
            while j < len(lines) and lines[j] != "```":
                j += 1
            items.append(Block(fence.group(1), attributes(fence.group(2)), i + 1, lines[i + 1:j]))
            i = j
        i += 1
    return lines, items


def commands(block):
    """[(command, [expected lines], first line index, end line index)] of a console block."""
    result, i, lines = [], 0, block.lines
    while i < len(lines):
        if not lines[i].startswith("$ "):
            raise ValueError(f"line {block.start + i + 1}: output before any `$ ` command")
        start, command = i, lines[i][2:]
        while command.endswith("\\"):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
        out_start = i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        result.append((command, lines[out_start:i], block.start + out_start, block.start + i))
    return result


def run_in_terminal(command, cwd, env):
    """Runs `command` with stdout and stderr on one pseudo-terminal: the order a user sees."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=120)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return code, lines


def apply_edit(path, block):
    old = [l[1:] for l in block.lines if l[:1] in (" ", "-")]
    new = [l[1:] for l in block.lines if l[:1] in (" ", "+")]
    text = open(path, encoding="utf-8").read().split("\n")
    hits = [k for k in range(len(text) - len(old) + 1) if text[k:k + len(old)] == old]
    if len(hits) != 1:
        raise ValueError(f"edit of {os.path.basename(path)}: the ` `/`-` lines occur "
                         f"{len(hits)} times, not once")
    k = hits[0]
    open(path, "w", encoding="utf-8").write("\n".join(text[:k] + new + text[k + len(old):]))


def check_document(doc, repo, lattice, scratch_root, update):
    lines, items = parse(doc)
    name = os.path.relpath(doc, repo)
    folders, last_code, failures, replacements, ran = {}, {}, [], [], 0
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8", COLUMNS="100",
               PATH=os.path.dirname(os.path.abspath(lattice)) + os.pathsep + os.environ["PATH"])
    env.pop("LATTICE_STDLIB", None)

    def folder(cwd):
        if cwd not in folders:
            path = os.path.join(scratch_root, f"{os.path.basename(doc)}-{len(folders)}")
            if cwd:
                shutil.copytree(os.path.join(repo, cwd), path)
            else:
                os.makedirs(path)
            folders[cwd] = path
        return folders[cwd]

    for block in items:
        where = f"{name}:{block.start}"
        cwd = block.attrs.get("cwd", "")
        if block.kind == "directive":
            words = block.attrs["text"].split()
            if words[:1] != ["same-file"] or len(words) < 3:
                failures.append(f"{where}: unknown directive `{block.attrs['text']}`")
                continue
            extra = attributes(" ".join(words[3:]))
            mine = os.path.join(folder(extra.get("cwd", "")), words[1])
            theirs = os.path.join(repo, words[2])
            a, b = open(mine).read().splitlines(), open(theirs).read().splitlines()
            if a != b:
                failures.append(f"{where}: {words[1]} built by the document differs from "
                                f"{words[2]}:\n" + "\n".join(difflib.unified_diff(
                                    b, a, words[2], words[1], lineterm="")))
            continue
        if "file" in block.attrs or "append" in block.attrs:
            target = os.path.join(folder(cwd), block.attrs.get("file") or block.attrs["append"])
            appending = "append" in block.attrs and os.path.exists(target)
            with open(target, "a" if appending else "w", encoding="utf-8") as f:
                f.write(("\n" if appending else "") + "\n".join(block.lines) + "\n")
            continue
        if "edit" in block.attrs:
            try:
                apply_edit(os.path.join(folder(cwd), block.attrs["edit"]), block)
            except ValueError as e:
                failures.append(f"{where}: {e}")
            continue
        if block.kind != "console":
            if any(line.startswith("$ ") for line in block.lines):
                failures.append(f"{where}: a block shows `$ ` commands but is not ```console: "
                                "mark it so that the doc test runs it")
            continue
        try:
            steps = commands(block)
        except ValueError as e:
            failures.append(f"{name}: {e}")
            continue
        for command, expected, begin, end in steps:
            scratch = folder(cwd)
            previous = last_code.get(cwd, 0)
            code, actual = run_in_terminal(f"(exit {previous}); {command}", scratch, env)
            last_code[cwd] = code
            ran += 1
            if [l.rstrip() for l in expected] != actual:
                replacements.append((begin, end, actual))
                failures.append(f"{name}:{begin}: `$ {command}` printed:\n" + "\n".join(
                    difflib.unified_diff(expected, actual, "document", "real", lineterm="")))
    if update and replacements:
        for begin, end, actual in sorted(replacements, reverse=True):
            lines[begin:end] = actual
        open(doc, "w", encoding="utf-8").write("\n".join(lines))
        print(f"updated {name}: {len(replacements)} outputs")
        failures = [f for f in failures if "printed:" not in f]
    return ran, failures


def main():
    parser = argparse.ArgumentParser(description="run the commands a document shows")
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--update", action="store_true", help="rewrite the expected outputs")
    parser.add_argument("docs", nargs="+", help="documents, relative to --repo")
    args = parser.parse_args()
    total, failures = 0, []
    with tempfile.TemporaryDirectory(prefix="lattice-doctest-") as scratch:
        for doc in args.docs:
            ran, failed = check_document(os.path.join(args.repo, doc), args.repo, args.lattice,
                                         scratch, args.update)
            total += ran
            failures += failed
            print(f"{doc}: {ran} commands{'' if not failed else ', %d problems' % len(failed)}")
    for failure in failures:
        print("\n" + failure)
    if failures:
        print(f"\nFAILED: {len(failures)} problems; after checking that the new output is right, "
              "rerun with --update to rewrite the documents (docs/testing.md)")
        return 1
    print(f"{total} commands, every output as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
