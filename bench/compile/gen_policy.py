#!/usr/bin/env python3
# gen_policy.py - writes the compile-side benchmark policy of ROLES roles (shape: workload.py) as
# OUT.lat for `lattice check`/`build` and as OUT.cedar + OUT.cedarschema for Cedar's validator.
# Usage: gen_policy.py ROLES OUT [SEED]   (deterministic: the same arguments give the same files)
import json
import sys

import cedar_text
import lattice_text
import workload


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen_policy.py ROLES OUT [SEED]")
    roles, out = int(sys.argv[1]), sys.argv[2]
    w = workload.generate(roles, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    for suffix, text in ((".lat", lattice_text.render(w)), (".cedar", cedar_text.policies(w)),
                         (".cedarschema", cedar_text.schema(w))):
        with open(out + suffix, "w") as f:
            f.write(text)
    # The counts the report shows next to the timings.
    print(json.dumps({"roles": roles, "permissions": w.permissions, "rules": w.rules,
                      "resources": len(w.resources)}))


if __name__ == "__main__":
    main()
