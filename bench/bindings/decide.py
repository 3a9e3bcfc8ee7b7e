#!/usr/bin/env python3
# decide.py - bench/bindings for Python: the same three requests as decide_c.c through the
# binding, on a principal built once (`principal`) and as whole requests by name (`request`).
# Times are the thread's CPU time (time.thread_time_ns). Usage:
#   PYTHONPATH=build/bindings/python decide.py TABLE N
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


if __name__ == "__main__":
    main()
