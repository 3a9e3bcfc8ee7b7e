#!/usr/bin/env python3
"""package_test.py - packages the VS Code extension with @vscode/vsce and checks the .vsix.

Usage: package_test.py SOURCE WORK

SOURCE is editors/vscode; WORK holds its npm tree (node_modules, installed by .ci/setup with
`npm ci`). The extension's files are copied into WORK, `vsce package` writes WORK/lattice.vsix,
and the archive must hold the manifest, the client, the grammar, the language configuration and
the client's runtime dependencies, and nothing of the development tools or the tests.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile

FILES = ["package.json", "extension.js", "language-configuration.json", "README.md",
         ".vscodeignore", "syntaxes/lattice.tmLanguage.json"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, work = sys.argv[1], sys.argv[2]
    vsce = os.path.join(work, "node_modules", ".bin", "vsce")
    if not os.path.exists(vsce):
        sys.exit("no vsce in %s: run .ci/setup (npm ci of editors/vscode)" % work)
    for name in FILES:
        os.makedirs(os.path.dirname(os.path.join(work, name)) or work, exist_ok=True)
        shutil.copyfile(os.path.join(source, name), os.path.join(work, name))
    vsix = os.path.join(work, "lattice.vsix")
    if os.path.exists(vsix):
        os.remove(vsix)
    subprocess.run([vsce, "package", "--out", vsix, "--skip-license",
                    "--allow-missing-repository"], cwd=work, check=True, timeout=240,
                   stdout=subprocess.DEVNULL)
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
        grammar = json.loads(archive.read("extension/syntaxes/lattice.tmLanguage.json"))
    problems = []
    for required in ["extension.vsixmanifest", "[Content_Types].xml", "extension/package.json",
                     "extension/extension.js", "extension/language-configuration.json",
                     "extension/syntaxes/lattice.tmLanguage.json", "extension/readme.md",
                     "extension/node_modules/vscode-languageclient/lib/node/main.js",
                     "extension/node_modules/vscode-jsonrpc/package.json"]:
        if required not in names:
            problems.append("missing " + required)
    for name in names:
        if "/@vscode/vsce/" in name or "/vscode-textmate/" in name or "/test/" in name \
                and not name.startswith("extension/node_modules/"):
            problems.append("should not be packaged: " + name)
    language = manifest["contributes"]["languages"][0]
    if language["id"] != "lattice" or language["extensions"] != [".lat"]:
        problems.append("the language is not `lattice` for .lat files: %r" % language)
    if manifest["contributes"]["grammars"][0]["scopeName"] != grammar["scopeName"]:
        problems.append("the grammar's scope name differs from the manifest's")
    if "lattice.path" not in manifest["contributes"]["configuration"]["properties"]:
        problems.append("no `lattice.path` setting")
    for problem in problems:
        print("FAIL", problem)
    if problems:
        sys.exit(1)
    print("ok: %s (%d files)" % (vsix, len(names)))


if __name__ == "__main__":
    main()
