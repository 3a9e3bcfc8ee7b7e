"""Lattice: decide requests from compiled Lattice decision tables (the runtime's Python binding).

Names (kinds, roles, permissions, flags) are resolved against each Table object, so a principal
or decision can never use the ids of one table with another: reload by loading a new Table and
replacing the reference to the old one.

    table = lattice.Table.load_file("policy.ltab")
    d = table.decide(kind="account_user", flags=[],
                     memberships=[lattice.Membership([7, 42], ["account_admin"])],
                     permission="station.view", target=[7, 42, 99])
    if d.allowed: ...
"""
from typing import NamedTuple, Sequence, Tuple, Union

from ._lattice import (CustomRoleError, CustomRoles, Decision, Error, LoadError, Principal, Table,
                       UnknownNameError, relation)

__all__ = ["CustomRoleError", "CustomRoles", "Decision", "Error", "LoadError", "Membership",
           "Principal", "Table", "UnknownNameError", "WhoCan", "relation"]
__version__ = "0.1.0"

NodeId = Union[int, str]


class Membership(NamedTuple):
    """Roles held at one node. `node` is the node's ancestor path, from its tree's root down to
    itself, in the host's own ids: non-negative ints below 2**63 or strs (a str never equals an
    int). `node_flags` names the node's flags (flags declared on scope kinds)."""
    node: Sequence[NodeId]
    roles: Sequence[str]
    node_flags: Sequence[str] = ()


class WhoCan(NamedTuple):
    """Table.who_can's answer, each in declaration order: the roles a principal holding one of
    them alone (at the relation, with the flags) is allowed the permission through, the custom-role
    ceilings whose widest role is, and the user types of those."""
    roles: Tuple[str, ...]
    ceilings: Tuple[str, ...]
    user_types: Tuple[str, ...]
