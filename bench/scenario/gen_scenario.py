#!/usr/bin/env python3
# gen_scenario.py - writes a seeded EV-charging-shaped workload for bench/peers: tenants > accounts
# > sub-accounts, users with roles, stations/cards/records owned by nodes, a fixed request list.
"""Generates the entities and requests of one scenario into --out (format: README.md here).

Deterministic for a (size, seed, requests) triple. Standard library only.
"""
import argparse
import json
import os
import random

# Accounts per size; every account has the same shape (ACCOUNT_SHAPE).
SIZES = {"small": 100, "medium": 1_000, "large": 10_000}
ACCOUNT_SHAPE = {"subaccounts": 5, "users": 10, "stations": 20, "cards": 10}
ACCOUNTS_PER_TENANT = 100  # at least two tenants, so some requests cross trees
TENANT_USERS = 10          # system users per tenant

TENANT_ROLES = ["tenant_admin", "customer_support", "technical_support"]
# Roles an extra user of a (sub-)account draws from, and how often.
EXTRA_ROLES = ["driver", "station_admin", "account_admin", "auditor"]
EXTRA_WEIGHTS = [5, 2, 2, 1]
SECOND_ROLES = ["driver", "station_admin", "auditor"]  # stacked on some users
STACK_SHARE = 0.25
BLOCKED_SHARE = 0.03
BUSINESS_SHARE = 0.5

ACTIONS = {
    "station": ["view", "reset", "charge", "unlock_connector", "set_max_current",
                "update_firmware", "logs"],
    "card": ["view", "activate", "block", "transactions"],
    "account": ["view_overview", "billing_info", "download_invoices", "reimburse_drivers"],
    "customer": ["invite_drivers", "block", "edit_roles"],
}
# The request mix, tuned so that about half of the requests are allowed: which resource type,
# and where the resource sits relative to the requesting user.
TYPE_WEIGHTS = {"station": 45, "card": 25, "account": 15, "customer": 15}
TENANT_USER_SHARE = 0.10  # of requests; tenant users are 1% of users but see everything
# Account-side users: a resource at their node or below, elsewhere in their account (a parent or
# sibling node), of another tenant; the rest: another account of their tenant.
OWN_SUBTREE_SHARE = 0.68
OWN_ACCOUNT_SHARE = 0.10
OTHER_TENANT_SHARE = 0.05


class Scenario:
    def __init__(self):
        self.nodes = []      # (parent or -1, kind, business)
        self.users = []      # (kind, node, blocked, [roles])
        self.resources = []  # (type, owner node)
        self.tenant_of = []  # per node
        self.account_of = []  # per node: its account (itself for an account), -1 for a tenant
        self.accounts = []   # account node ids
        self.by_account = {}  # account node -> {type: [resource ids]}
        self.by_node = {}    # node -> {type: [resource ids]} for (sub-)account nodes
        self.by_tenant = {}  # tenant node -> [account node ids]
        self.tenant_users = {}  # tenant node -> [user ids]

    def add_node(self, parent, kind, business):
        self.nodes.append((parent, kind, business))
        node = len(self.nodes) - 1
        self.tenant_of.append(node if parent < 0 else self.tenant_of[parent])
        self.account_of.append(-1 if kind == "tenant" else
                               node if kind == "account" else self.account_of[parent])
        return node

    def add_user(self, kind, node, roles, rng):
        self.users.append((kind, node, rng.random() < BLOCKED_SHARE, roles))
        return len(self.users) - 1

    def add_resource(self, rtype, owner):
        self.resources.append((rtype, owner))
        rid = len(self.resources) - 1
        self.by_account[self.account_of[owner]][rtype].append(rid)
        self.by_node.setdefault(owner, {t: [] for t in ACTIONS})[rtype].append(rid)
        return rid


def account_user_roles(rng, first):
    roles = [first]
    if rng.random() < STACK_SHARE:
        extra = rng.choice(SECOND_ROLES)
        if extra not in roles:
            roles.append(extra)
    # Rarely an auditor who also administers: the exclusive pair, denied everything.
    if rng.random() < 0.02 and "auditor" not in roles and "account_admin" not in roles:
        roles += ["auditor", "account_admin"]
    return roles


def build(size, rng):
    s = Scenario()
    accounts = SIZES[size]
    tenants = max(2, accounts // ACCOUNTS_PER_TENANT)
    tenant_nodes = [s.add_node(-1, "tenant", False) for _ in range(tenants)]
    for t in tenant_nodes:
        s.by_tenant[t] = []
        s.tenant_users[t] = []
        for _ in range(TENANT_USERS):
            roles = [rng.choice(TENANT_ROLES)]
            if rng.random() < 0.3:
                extra = rng.choice(TENANT_ROLES)
                if extra not in roles:
                    roles.append(extra)
            s.tenant_users[t].append(s.add_user("tenant_user", t, roles, rng))
    for i in range(accounts):
        tenant = tenant_nodes[i % tenants]
        business = rng.random() < BUSINESS_SHARE
        account = s.add_node(tenant, "account", business)
        s.accounts.append(account)
        s.by_tenant[tenant].append(account)
        s.by_account[account] = {rtype: [] for rtype in ACTIONS}
        # Sub-accounts usually share the account's plan; some differ.
        subs = [s.add_node(account, "subaccount", business if rng.random() < 0.8 else not business)
                for _ in range(ACCOUNT_SHAPE["subaccounts"])]
        area = [account] + subs
        s.add_resource("account", account)
        for sub in subs:
            s.add_resource("account", sub)
        users = [("account_user", account, "account_owner"),
                 ("account_user", account, "account_admin"),
                 ("account_user", account, "station_admin")]
        users += [("subaccount_user", sub, "subaccount_owner") for sub in subs]
        while len(users) < ACCOUNT_SHAPE["users"]:
            node = rng.choice(area)
            kind = "account_user" if node == account else "subaccount_user"
            users.append((kind, node, rng.choices(EXTRA_ROLES, EXTRA_WEIGHTS)[0]))
        for kind, node, role in users:
            s.add_user(kind, node, account_user_roles(rng, role), rng)
            s.add_resource("customer", node)
        for _ in range(ACCOUNT_SHAPE["stations"]):
            s.add_resource("station", rng.choice(area))
        for _ in range(ACCOUNT_SHAPE["cards"]):
            s.add_resource("card", rng.choice(area))
    return s


def pick_type(rng):
    return rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]


def in_account(s, rng, account):
    rtype = pick_type(rng)
    return rtype, rng.choice(s.by_account[account][rtype])


def in_subtree(s, rng, node):
    """A resource at `node` or below (an account's subtree is the whole account)."""
    if s.nodes[node][1] == "account":
        return in_account(s, rng, node)
    rtype = pick_type(rng)
    own = s.by_node.get(node, {}).get(rtype)
    return (rtype, rng.choice(own)) if own else in_account(s, rng, s.account_of[node])


def other_account(s, rng, tenant, avoid):
    while True:
        account = rng.choice(s.by_tenant[tenant])
        if account != avoid:
            return account


def other_tenant(s, rng, tenant):
    tenants = [t for t in s.by_tenant if t != tenant]
    return rng.choice(tenants)


def requests(s, rng, count):
    account_users = [u for u, user in enumerate(s.users) if user[0] != "tenant_user"]
    tenant_users = [u for u, user in enumerate(s.users) if user[0] == "tenant_user"]
    out = []
    for _ in range(count):
        if rng.random() < TENANT_USER_SHARE:
            user = rng.choice(tenant_users)
            tenant = s.users[user][1]
            if rng.random() < OTHER_TENANT_SHARE:
                tenant = other_tenant(s, rng, tenant)
            rtype, resource = in_account(s, rng, rng.choice(s.by_tenant[tenant]))
        else:
            user = rng.choice(account_users)
            node = s.users[user][1]
            account, tenant = s.account_of[node], s.tenant_of[node]
            roll = rng.random()
            if roll < OWN_SUBTREE_SHARE:
                rtype, resource = in_subtree(s, rng, node)
            elif roll < OWN_SUBTREE_SHARE + OWN_ACCOUNT_SHARE:
                rtype, resource = in_account(s, rng, account)
            elif roll < OWN_SUBTREE_SHARE + OWN_ACCOUNT_SHARE + OTHER_TENANT_SHARE:
                other = rng.choice(s.by_tenant[other_tenant(s, rng, tenant)])
                rtype, resource = in_account(s, rng, other)
            else:
                rtype, resource = in_account(s, rng, other_account(s, rng, tenant, account))
        out.append((user, rtype + "." + rng.choice(ACTIONS[rtype]), resource))
    return out


def write(s, reqs, out_dir, meta):
    os.makedirs(out_dir, exist_ok=True)

    def lines(name, rows):
        with open(os.path.join(out_dir, name), "w") as f:
            f.writelines(" ".join(str(c) for c in row) + "\n" for row in rows)

    lines("nodes.txt", ((i, parent, kind, int(business))
                        for i, (parent, kind, business) in enumerate(s.nodes)))
    lines("users.txt", ((i, kind, node, int(blocked), ",".join(roles))
                        for i, (kind, node, blocked, roles) in enumerate(s.users)))
    lines("resources.txt", ((i, rtype, owner) for i, (rtype, owner) in enumerate(s.resources)))
    lines("requests.txt", reqs)
    with open(os.path.join(out_dir, "scenario.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--out", required=True, help="folder to write the scenario into")
    args = parser.parse_args()
    rng = random.Random("%s/%d" % (args.size, args.seed))
    s = build(args.size, rng)
    reqs = requests(s, rng, args.requests)
    meta = {"size": args.size, "seed": args.seed, "tenants": len(s.by_tenant),
            "accounts": len(s.accounts), "nodes": len(s.nodes), "users": len(s.users),
            "resources": len(s.resources), "requests": len(reqs)}
    write(s, reqs, args.out, meta)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
