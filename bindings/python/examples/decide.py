# decide.py - the Python example of docs/bindings.md (run by CTest): python3 decide.py TABLE
import sys

import lattice

table = lattice.Table.load_file(sys.argv[1])  # or Table.from_bytes(data); raises LoadError
admin = [lattice.Membership(node=[7, 42], roles=["account_admin"], node_flags=["business"])]
d = table.decide(kind="account_user", memberships=admin, permission="station.view",
                 target=[7, 42, 1001])  # the station's owner node: a sub-account of account 42
print(d.allowed, d.reason, d.deciding_role, d.deciding_membership)
p = table.principal(kind="account_user", memberships=admin)  # resolved once, decided many times
print(p.decide("station.activate", [7, 42]).reason)
try:
    p.decide("station.fly", [7])
except lattice.UnknownNameError as error:  # a LookupError: never a silent deny
    print(error)
