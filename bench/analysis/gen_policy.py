#!/usr/bin/env python3
# gen_policy.py - writes a large, deterministic policy for timing `lattice check` (the parser,
# checker and static analyzer): ROLES roles over RESOURCES x ACTIONS permissions.
# Usage: gen_policy.py ROLES PERMISSIONS OUT.lat [SEED]
import random
import sys


def main():
    roles, permissions, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    actions_per_resource = 50
    resources = max(1, permissions // actions_per_resource)
    lines = ["policy bench;", "scope tenant;", "scope account under tenant;",
             "scope subaccount under account;",
             "usertype staff at tenant;", "usertype member at account, subaccount;",
             "flag business on account;", "flag active on staff, member;",
             "flag trusted on staff, member;", "require active;"]
    for r in range(resources):
        owners = rng.choice(["account, subaccount", "account", "tenant, account, subaccount"])
        groups = []
        for g in range(actions_per_resource // 10):
            acts = ", ".join("a%d" % (g * 10 + i) for i in range(10))
            groups.append("  group g%d { %s; }" % (g, acts))
        lines.append("resource r%d owned_by %s {\n%s\n}" % (r, owners, "\n".join(groups)))
    relations = ["self", "subtree", "descendants", "tenant", "ancestors"]
    for i in range(roles):
        kind = "staff" if i % 4 == 0 else "member"
        extends = ""
        if i >= 8 and rng.random() < 0.3:
            # Extend an earlier role of the same kind (keeps chains short and acyclic).
            parent = rng.randrange(max(0, i - 8), i)
            if (parent % 4 == 0) == (kind == "staff"):
                extends = " extends role%d" % parent
        body = []
        for _ in range(rng.randint(2, 5)):
            effect = "deny" if rng.random() < 0.1 else "allow"
            res = rng.randrange(resources)
            pick = rng.random()
            if pick < 0.2:
                pattern = "r%d.*" % res
            elif pick < 0.6:
                pattern = "r%d.g%d" % (res, rng.randrange(actions_per_resource // 10))
            else:
                pattern = "r%d.{%s}" % (res, ", ".join(
                    "a%d" % a for a in rng.sample(range(actions_per_resource), 3)))
            relation = rng.choice(relations if kind == "member" else ["tenant", "self"])
            cond = ""
            if rng.random() < 0.1:
                cond = " when " + rng.choice(["trusted", "not trusted", "trusted and business"]
                                             if kind == "member" else ["trusted", "not trusted"])
            body.append("  %s %s in %s%s;" % (effect, pattern, relation, cond))
        if i >= 1 and rng.random() < 0.05:
            target = rng.randrange(0, i)
            if (target % 4 == 0) == (kind == "staff"):
                body.append("  assigns role%d;" % target)
        lines.append("role role%d for %s%s {\n%s\n}" % (i, kind, extends, "\n".join(body)))
    for i in range(0, roles - 8, 97):
        lines.append("exclusive role%d, role%d;" % (i + 1, i + 5))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
