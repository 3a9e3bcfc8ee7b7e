# workload.py - the seeded shape of the generated compile-side benchmark policy, as plain data
# that lattice_text.py and cedar_text.py render: both engines get the same roles and rules.
#
# Shape (one "size" is the number of roles; everything else follows from it):
# - a 3-level tenancy (tenant > account > subaccount), two user types (staff at the tenant,
#   members at accounts and subaccounts), flags `business` (accounts), `active` and `trusted`;
# - resources of 50 actions in 5 groups of 10. The permission universe grows with the square
#   root of the roles: ceil(sqrt(roles) / 2) resources, so 250 / 800 / 2,500 permissions at
#   100 / 1,000 / 10,000 roles. A platform's API (its resource types and actions) grows with its
#   features, not with how many roles its tenants define: real ones have tens to a few thousand
#   permissions, and 10,000 roles are mostly per-tenant custom roles over the same API;
# - 2-5 rules per role (10 % denies, 10 % conditional) naming one resource each: all of it, one
#   group or three actions, at a relation that can occur between the role's user type and the
#   resource's owners (authors rarely write rules that apply nowhere); 30 % of roles extend one of the 8 roles before them, 5 % assign an
#   earlier role, and one `exclusive` pair per 97 roles (never extended: that is an error).
# So the policy text grows linearly with the roles, and rules per resource grow as sqrt(roles).
import math
import random
from dataclasses import dataclass, field

ACTIONS_PER_RESOURCE = 50
GROUP_SIZE = 10
RELATIONS = ["self", "subtree", "descendants", "tenant", "ancestors"]
LEVEL = {"tenant": 0, "account": 1, "subaccount": 2}
SEATS = {"staff": [0], "member": [1, 2]}
MEMBER_CONDITIONS = ["trusted", "not trusted", "trusted and business"]
STAFF_CONDITIONS = ["trusted", "not trusted"]
OWNERS = ["account, subaccount", "account", "tenant, account, subaccount"]


@dataclass
class Rule:
    effect: str  # "allow" or "deny"
    resource: int
    group: int = -1  # >= 0: one group of the resource
    actions: list = field(default_factory=list)  # non-empty: these actions; else all
    relation: str = "self"
    condition: str = ""  # "" or one of *_CONDITIONS


@dataclass
class Role:
    kind: str  # "staff" or "member"
    extends: int = -1
    rules: list = field(default_factory=list)
    assigns: int = -1


@dataclass
class Workload:
    resources: list  # owner kinds, as Lattice text, per resource
    roles: list
    exclusive: list  # pairs of role indexes

    @property
    def permissions(self):
        return len(self.resources) * ACTIONS_PER_RESOURCE

    @property
    def rules(self):
        return sum(len(role.rules) for role in self.roles)


def resource_count(roles):
    return max(1, math.ceil(math.sqrt(roles) / 2))


def can_occur(relation, seat, owner):
    """Whether an owner node at level `owner` can be at `relation` from a principal at `seat`."""
    return {"self": owner == seat, "subtree": owner >= seat, "descendants": owner > seat,
            "ancestors": owner < seat, "tenant": owner > 0 and seat > 0}[relation]


def relations(kind, owners):
    levels = [LEVEL[o] for o in owners.split(", ")]
    return [r for r in RELATIONS if any(can_occur(r, s, o) for s in SEATS[kind] for o in levels)]


def make_rule(rng, kind, resources):
    effect = "deny" if rng.random() < 0.1 else "allow"
    rule = Rule(effect, rng.randrange(len(resources)))
    pick = rng.random()
    if 0.2 <= pick < 0.6:
        rule.group = rng.randrange(ACTIONS_PER_RESOURCE // GROUP_SIZE)
    elif pick >= 0.6:
        rule.actions = rng.sample(range(ACTIONS_PER_RESOURCE), 3)
    rule.relation = rng.choice(relations(kind, resources[rule.resource]))
    if rng.random() < 0.1:
        rule.condition = rng.choice(MEMBER_CONDITIONS if kind == "member" else STAFF_CONDITIONS)
    return rule


def generate(roles, seed=1):
    rng = random.Random(seed)
    exclusive = [(i + 1, i + 5) for i in range(0, roles - 8, 97)]
    in_exclusive = {r for pair in exclusive for r in pair}
    resources = [rng.choice(OWNERS) for _ in range(resource_count(roles))]
    result = []
    for i in range(roles):
        role = Role("staff" if i % 4 == 0 else "member")
        if i >= 8 and rng.random() < 0.3:
            # Extend an earlier role of the same kind (keeps chains short and acyclic).
            parent = rng.randrange(i - 8, i)
            if (parent % 4 == 0) == (role.kind == "staff") and parent not in in_exclusive:
                role.extends = parent
        role.rules = [make_rule(rng, role.kind, resources)
                      for _ in range(rng.randint(2, 5))]
        if i >= 1 and rng.random() < 0.05:
            target = rng.randrange(0, i)
            if (target % 4 == 0) == (role.kind == "staff"):
                role.assigns = target
        result.append(role)
    return Workload(resources, result, exclusive)
