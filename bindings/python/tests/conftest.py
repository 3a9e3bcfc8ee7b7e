# conftest.py - builds the tables the tests decide on, with the real `lattice build`, from the
# bundled EV-charging example: `v1` as shipped, `v2` with a role inserted above `support_agent`
# (so every later role id shifts: the reload scenario of issue 17); v1 has the revision test-v1. LATTICE_BIN names the CLI
# (else `lattice` on PATH), LATTICE_EXAMPLES the examples folder (else the repository's).
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.environ.get("LATTICE_EXAMPLES", os.path.join(HERE, "..", "..", "..", "examples"))
ANCHOR = 'role support_agent "Support agent" for tenant_user {'
INSERTED = 'role supervisor "Supervisor" for tenant_user {\n  allow * in tenant;\n}\n\n'


def build(source, out, *options):
    lattice = os.environ.get("LATTICE_BIN") or shutil.which("lattice")
    if not lattice:
        pytest.fail("no lattice CLI: set LATTICE_BIN or put `lattice` on PATH")
    proc = subprocess.run([lattice, "build", "--color", "never", *options, source, "-o", out],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def tables(tmp_path_factory):
    work = tmp_path_factory.mktemp("tables")
    with open(os.path.join(EXAMPLES, "ev_charging", "policy.lat"), encoding="utf-8") as f:
        text = f.read()
    assert ANCHOR in text, "the example no longer declares support_agent as the test expects"
    v2 = work / "v2.lat"
    v2.write_text(text.replace(ANCHOR, INSERTED + ANCHOR), encoding="utf-8")
    return {
        "v1": build(os.path.join(EXAMPLES, "ev_charging", "policy.lat"), str(work / "v1.ltab"),
                    "--revision", "test-v1"),
        "v2": build(str(v2), str(work / "v2.ltab")),
    }


# A small policy with facts (docs/language.md, "Facts"): of the resource, the target's node and
# the request.
FACTS_POLICY = """policy facts;
scope tenant;
scope account under tenant;
usertype staff at tenant, account;
flag business on account;
flag archived on resource document;
flag mfa_used on request;
resource document owned_by account { read, edit, delete; }
role editor for staff {
  allow document.{read, edit} in subtree;
  deny document.edit in subtree when resource.archived;
  allow document.delete in subtree when request.mfa_used and target.business;
}
"""


@pytest.fixture(scope="session")
def facts_table_path(tmp_path_factory):
    work = tmp_path_factory.mktemp("facts")
    (work / "facts.lat").write_text(FACTS_POLICY, encoding="utf-8")
    return build(str(work / "facts.lat"), str(work / "facts.ltab"))
