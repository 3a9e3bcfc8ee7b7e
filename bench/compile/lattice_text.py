# lattice_text.py - renders a workload (workload.py) as a Lattice policy: one `resource` per
# resource, one `role` per role with its rules, `assigns` and `exclusive` pairs.
from workload import ACTIONS_PER_RESOURCE, GROUP_SIZE

HEADER = ["policy bench;", "scope tenant;", "scope account under tenant;",
          "scope subaccount under account;",
          "usertype staff at tenant;", "usertype member at account, subaccount;",
          "flag business on account;", "flag active on staff, member;",
          "flag trusted on staff, member;", "require active;"]


def pattern(rule):
    if rule.group >= 0:
        return "r%d.g%d" % (rule.resource, rule.group)
    if rule.actions:
        return "r%d.{%s}" % (rule.resource, ", ".join("a%d" % a for a in rule.actions))
    return "r%d.*" % rule.resource


def render(workload):
    lines = list(HEADER)
    for r, owners in enumerate(workload.resources):
        groups = []
        for g in range(ACTIONS_PER_RESOURCE // GROUP_SIZE):
            actions = ", ".join("a%d" % (g * GROUP_SIZE + i) for i in range(GROUP_SIZE))
            groups.append("  group g%d { %s; }" % (g, actions))
        lines.append("resource r%d owned_by %s {\n%s\n}" % (r, owners, "\n".join(groups)))
    for i, role in enumerate(workload.roles):
        extends = " extends role%d" % role.extends if role.extends >= 0 else ""
        body = []
        for rule in role.rules:
            when = " when " + rule.condition if rule.condition else ""
            body.append("  %s %s in %s%s;" % (rule.effect, pattern(rule), rule.relation, when))
        if role.assigns >= 0:
            body.append("  assigns role%d;" % role.assigns)
        lines.append("role role%d for %s%s {\n%s\n}" % (i, role.kind, extends, "\n".join(body)))
    for a, b in workload.exclusive:
        lines.append("exclusive role%d, role%d;" % (a, b))
    return "\n".join(lines) + "\n"
