#!/usr/bin/env python3
# decide.py - bench/bindings for Python: the same three requests as decide_c.c through the
# binding, on a principal built once (`principal`) and as whole requests by name (`request`).
# Times are the thread's CPU time (time.thread_time_ns). With CUSTOM_TABLE (custom_roles.lat of
# bindings/common/testdata), also the same requests by a principal holding the compiled role
# `account_admin` and by one holding a custom role of the same cells (`compiled`, `custom`).
# Usage: PYTHONPATH=build/bindings/python decide.py TABLE N [CUSTOM_TABLE]
import sys
import time

import lattice

REQUESTS = [("station.view", [1, 10, 100]), ("station.activate", [1, 10]), ("station.view", [1, 11])]
EXPECTED = [True, False, False]
MEMBERSHIPS = [lattice.Membership([1, 10], ["account_admin"]),
               lattice.Membership([1, 12], ["account_station_admin"])]


def best_of(rounds, n, call):
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time_ns()
        for i in range(n):
            call(*REQUESTS[i % 3])
        best = min(best, (time.thread_time_ns() - start) / n)
    return best


def main():
    table = lattice.Table.load_file(sys.argv[1])
    n = int(sys.argv[2])
    p = table.principal(kind="account_user", memberships=MEMBERSHIPS)

    def whole(permission, target):
        return table.decide(kind="account_user", memberships=MEMBERSHIPS, permission=permission,
                            target=target)

    if [p.decide(*r).allowed for r in REQUESTS] != EXPECTED or \
            [whole(*r).allowed for r in REQUESTS] != EXPECTED:
        sys.exit("decided wrongly")
    print("python principal %.1f" % best_of(5, n, p.decide))
    print("python request %.1f" % best_of(5, n // 4 or 1, whole))
    if len(sys.argv) > 3:
        custom(lattice.Table.load_file(sys.argv[3]), n)


def custom(table, n):
    roles = lattice.CustomRoles(table)
    roles.add("ops", "key_role", {p: "subtree" for p in (
        "station.view", "station.reset", "card.view", "card.block")})
    compiled = table.principal(kind="account_user", memberships=[([1, 10], ["account_admin"])])
    built = table.principal(kind="account_user", memberships=[([1, 10], ["ops"])],
                            custom_roles=roles)
    for p in (compiled, built):
        if [p.decide(*r).allowed for r in REQUESTS] != EXPECTED:
            sys.exit("decided wrongly with a custom role")
    print("python compiled %.1f" % best_of(5, n, compiled.decide))
    print("python custom %.1f" % best_of(5, n, built.decide))


if __name__ == "__main__":
    main()
