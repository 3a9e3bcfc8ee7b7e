# cedar_text.py - renders a workload (workload.py) as a Cedar schema and policy set of the same
# size and shape as the Lattice policy, for timing Cedar's validator against `lattice check`.
#
# Not decision-equivalent, and it need not be: each Lattice rule becomes one permit or forbid
# with the same principal role, action list (an action group for `res.*` and `res.gN`, three
# actions for `res.{...}`), resource type, and a `when` that states the relation to the owner
# node and the rule's condition, so the validator type-checks as many policies, scopes and
# expressions as `lattice check` analyzes rules. `extends` is entity data in Cedar (Role::"a" in
# Role::"b"), which the validator never sees; `require active` becomes one forbid ... unless,
# `assigns` a permit of the `assign` action, `exclusive` a forbid on holding both roles.
from workload import ACTIONS_PER_RESOURCE, GROUP_SIZE

PRINCIPAL = {"staff": "Staff", "member": "Member"}
# The relation from the principal's node (`home`) to the resource's owner node.
RELATION = {
    "self": "resource.owner == principal.home",
    "subtree": "resource.owner in principal.home",
    "descendants": "resource.owner in principal.home && resource.owner != principal.home",
    "ancestors": "principal.home in resource.owner && resource.owner != principal.home",
    "tenant": "resource.tenant == principal.tenant && resource.owner != principal.home",
}
CONDITION = {
    "trusted": "principal.trusted",
    "not trusted": "!principal.trusted",
    "trusted and business": "principal.trusted && principal.home.business",
}
PRINCIPAL_ATTRIBUTES = "{ home: Node, tenant: Node, active: Bool, trusted: Bool }"


def schema(workload):
    lines = ["entity Node in [Node] { business: Bool };", "entity Role in [Role];",
             "entity Staff in [Role] %s;" % PRINCIPAL_ATTRIBUTES,
             "entity Member in [Role] %s;" % PRINCIPAL_ATTRIBUTES,
             'action "assign" appliesTo { principal: [Staff, Member], resource: [Role] };']
    for r in range(len(workload.resources)):
        lines.append("entity R%d { owner: Node, tenant: Node };" % r)
        lines.append('action "r%d";' % r)
        for g in range(ACTIONS_PER_RESOURCE // GROUP_SIZE):
            lines.append('action "r%d.g%d" in ["r%d"];' % (r, g, r))
        for a in range(ACTIONS_PER_RESOURCE):
            lines.append('action "r%d.a%d" in ["r%d.g%d"] appliesTo { principal: [Staff, Member], '
                         "resource: [R%d] };" % (r, a, r, a // GROUP_SIZE, r))
    return "\n".join(lines) + "\n"


def action_scope(rule):
    if rule.group >= 0:
        return 'action in Action::"r%d.g%d"' % (rule.resource, rule.group)
    if rule.actions:
        return "action in [%s]" % ", ".join(
            'Action::"r%d.a%d"' % (rule.resource, a) for a in rule.actions)
    return 'action in Action::"r%d"' % rule.resource


def policies(workload):
    lines = ["forbid (principal, action, resource) unless { principal.active };"]
    for i, role in enumerate(workload.roles):
        principal = 'principal is %s in Role::"role%d"' % (PRINCIPAL[role.kind], i)
        for rule in role.rules:
            when = RELATION[rule.relation]
            if rule.condition:
                when += " && " + CONDITION[rule.condition]
            lines.append("%s (%s, %s, resource is R%d) when { %s };" % (
                "forbid" if rule.effect == "deny" else "permit", principal, action_scope(rule),
                rule.resource, when))
        if role.assigns >= 0:
            lines.append('permit (%s, action == Action::"assign", resource == Role::"role%d");'
                         % (principal, role.assigns))
    for a, b in workload.exclusive:
        lines.append('forbid (principal in Role::"role%d", action, resource) '
                     'when { principal in Role::"role%d" };' % (a, b))
    return "\n".join(lines) + "\n"
