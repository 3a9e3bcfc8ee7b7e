# test_lattice.py - the Python binding on a real compiled example (EV charging): allow and deny
# with memberships, fail-closed loading of corrupt tables, reload safety when ids shift, and
# unknown names refused with an error that names them.
import os

import pytest

import lattice

ADMIN_AT_ACCOUNT = [lattice.Membership([1, 10], ["account_admin"])]


@pytest.fixture(scope="module")
def table(tables):
    return lattice.Table.load_file(tables["v1"])


def test_loads_a_table_from_a_file_and_from_bytes(tables, table):
    with open(tables["v1"], "rb") as f:
        from_bytes = lattice.Table.from_bytes(f.read())
    assert table.policy_name == from_bytes.policy_name == "ev_charging"
    assert "account_admin" in table.roles and "station.view" in table.permissions
    assert table.kinds == from_bytes.kinds and table.flags == from_bytes.flags


def test_fingerprint_and_revision(tables, table):
    with open(tables["v1"], "rb") as f:
        assert lattice.Table.from_bytes(f.read()).fingerprint == table.fingerprint
    v2 = lattice.Table.load_file(tables["v2"])
    assert isinstance(table.fingerprint, int) and v2.fingerprint != table.fingerprint
    assert table.revision == "test-v1" and v2.revision == ""


def test_flags_on_the_wrong_side_are_refused(table):
    with pytest.raises(ValueError, match="`business` is a node flag"):
        table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                     permission="station.view", target=[1, 10], flags=["business"])
    with pytest.raises(ValueError, match="`blocked` is a principal flag"):
        table.decide(kind="account_user", memberships=[([1, 10], ["account_admin"], ["blocked"])],
                     permission="station.view", target=[1, 10])


def test_allows_and_denies_by_the_relation_of_each_membership(table):
    below = table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                         permission="station.view", target=[1, 10, 100])
    assert below.allowed and bool(below)
    assert below.reason == "allowed"
    assert below.deciding_role == "account_admin" and below.deciding_membership == 0
    sibling = table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                           permission="station.view", target=[1, 11])
    assert not sibling and sibling.reason == "no_allow" and sibling.deciding_role is None
    other_tenant = table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                                permission="station.view", target=[2, 10])
    assert not other_tenant and other_tenant.reason == "other_tree"


def test_the_deciding_membership_is_the_one_that_reaches(table):
    memberships = [lattice.Membership([1, 11], ["account_station_admin"]),
                   lattice.Membership([1, 10], ["account_admin"])]
    d = table.decide(kind="account_user", memberships=memberships, permission="station.view",
                     target=[1, 10])
    assert d.allowed and d.deciding_role == "account_admin" and d.deciding_membership == 1


def test_principal_and_node_flags(table):
    # `require not blocked` on the principal; insights need `business` on the member's node.
    blocked = table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                           permission="station.view", target=[1, 10], flags=["blocked"])
    assert not blocked and blocked.reason == "requirement"
    plain = table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                         permission="insights.site_dashboard", target=[1, 10])
    assert not plain and plain.reason == "no_allow"
    business = table.decide(
        kind="account_user",
        memberships=[lattice.Membership([1, 10], ["account_admin"], ["business"])],
        permission="insights.site_dashboard", target=[1, 10])
    assert business.allowed


def test_a_role_the_kind_may_not_hold_denies(table):
    d = table.decide(kind="account_user", memberships=[([1], ["tenant_admin"])],
                     permission="station.view", target=[1])
    assert not d and d.reason == "role_not_for_kind" and d.deciding_role == "tenant_admin"


def test_string_paths_and_their_ints_never_meet(table):
    d = table.decide(kind="account_user", memberships=[(["acme", "eu"], ["account_admin"])],
                     permission="station.view", target=["acme", "eu", "site-7"])
    assert d.allowed
    assert table.decide(kind="account_user", memberships=[([1], ["account_admin"])],
                        permission="station.view", target=["1"]).reason == "other_tree"
    mixed = table.decide(kind="account_user", memberships=[(["acme", 10], ["account_admin"])],
                         permission="station.view", target=["acme", 10, 3])
    assert mixed.allowed


def test_a_principal_is_built_once_and_decided_many_times(table):
    p = table.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT)
    assert p.table is table
    assert p.decide("station.view", [1, 10]).allowed
    assert not p.decide("station.activate", [1, 10]).allowed  # the owner's, not the admin's
    assert p.decide("station.view", [1, 12]).reason == "no_allow"


def test_decide_at_one_node_with_a_relation(table):
    assert table.decide_at(kind="account_user", roles=["account_admin"],
                           permission="station.view", relation="descendants").allowed
    d = table.decide_at(kind="account_user", roles=["account_admin"], permission="station.view",
                        relation="elsewhere")
    assert not d and d.reason == "no_allow"
    with pytest.raises(ValueError, match="unknown relation `below`"):
        table.decide_at(kind="account_user", roles=[], permission="station.view",
                        relation="below")


def test_relation_of_paths():
    assert lattice.relation([1, 10], [1, 10]) == "self"
    assert lattice.relation([1, 10], [1, 10, 100]) == "descendants"
    assert lattice.relation([1, 10], [1]) == "ancestors"
    assert lattice.relation([1, 10], [1, 11]) == "elsewhere"
    assert lattice.relation([1, 10], [2, 10]) == "none"
    assert lattice.relation(["acme", "eu"], ["acme", "eu", 7]) == "descendants"
    assert lattice.relation([1], ["1"]) == "none"
    with pytest.raises(ValueError):
        lattice.relation([], [1])


def test_can_assign(table):
    assert table.can_assign(["account_owner"], "account_admin")
    assert not table.can_assign(["driver"], "driver")
    assert not table.can_assign(["account_admin"], "account_owner")
    # Drivers only from a BUSINESS account: a conditional `assigns` needs the assigner's flags.
    assert not table.can_assign(["account_owner"], "driver")
    assert not table.can_assign(["account_owner"], "driver", flags=[])
    assert table.can_assign(["account_owner"], "driver", flags=["business"])


@pytest.mark.parametrize("call, category, name", [
    (lambda t: t.decide(kind="account_user", memberships=[([1], ["agent"])],
                        permission="station.view", target=[1]), "role", "agent"),
    (lambda t: t.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                        permission="station.fly", target=[1]), "permission", "station.fly"),
    (lambda t: t.decide(kind="robot", memberships=ADMIN_AT_ACCOUNT,
                        permission="station.view", target=[1]), "kind", "robot"),
    (lambda t: t.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                        permission="station.view", target=[1], flags=["vip"]), "flag", "vip"),
    (lambda t: t.can_assign(["account_owner"], "agent"), "role", "agent"),
    (lambda t: t.can_assign(["account_owner"], "driver", flags=["vip"]), "flag", "vip"),
    # The C API reads names up to a NUL: a name with one is unknown, not its prefix.
    (lambda t: t.can_assign(["account_owner\0x"], "driver"), "role", "account_owner\0x"),
    (lambda t: t.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT)
     .decide("station.fly", [1]), "permission", "station.fly"),
])
def test_unknown_names_are_refused_with_an_error_naming_them(table, call, category, name):
    with pytest.raises(lattice.UnknownNameError) as error:
        call(table)
    assert error.value.category == category and error.value.name == name
    shown = name.replace("\0", "\\x00")  # control characters are escaped in the message
    assert "unknown %s `%s` in policy `ev_charging`" % (category, shown) in str(error.value)
    assert isinstance(error.value, LookupError) and isinstance(error.value, lattice.Error)


def test_bad_paths_are_refused(table):
    for target, error in (([], ValueError), ([-1], ValueError), ([2**63], ValueError),
                          ([1.5], TypeError), ([True], TypeError), ("1/2", TypeError)):
        with pytest.raises(error):
            table.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                         permission="station.view", target=target)
    with pytest.raises(ValueError, match="needs a node"):
        table.decide(kind="account_user", memberships=[([], ["account_admin"])],
                     permission="station.view", target=[1])


def test_corrupt_tables_fail_closed(tables, tmp_path):
    with open(tables["v1"], "rb") as f:
        data = f.read()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    cases = [(data[: len(data) // 2], "bad_size"), (bytes(flipped), "bad_checksum"),
             (data[:10], "too_small"), (b"not a table" * 100, "bad_magic")]
    for bad, status in cases:
        with pytest.raises(lattice.LoadError) as error:
            lattice.Table.from_bytes(bad)
        assert error.value.status == status, (status, str(error.value))
        path = tmp_path / ("%s.ltab" % status)
        path.write_bytes(bad)
        with pytest.raises(lattice.LoadError) as error:
            lattice.Table.load_file(str(path))
        assert error.value.status == status and str(path) in str(error.value)
    with pytest.raises(lattice.LoadError) as error:
        lattice.Table.load_file(str(tmp_path / "missing.ltab"))
    assert error.value.status == "io_error"
    with pytest.raises(lattice.LoadError) as error:
        lattice.Table.load_file(str(tmp_path))
    assert error.value.status == "not_a_file"
    with pytest.raises(lattice.LoadError) as error:
        lattice.Table.load_file(tables["v1"], max_bytes=64)
    assert error.value.status == "too_large"


def test_reload_never_reinterprets_a_role(tables):
    # v2 declares `supervisor` (allow * in tenant) just above `support_agent`: at the C API the
    # id that meant support_agent in v1 means supervisor in v2.
    v1 = lattice.Table.load_file(tables["v1"])
    v2 = lattice.Table.load_file(tables["v2"])
    old_id = v1.roles.index("support_agent")
    assert v2.roles[old_id] == "supervisor"
    assert v2.roles.index("support_agent") == old_id + 1

    agent = [lattice.Membership([1], ["support_agent"])]
    p1 = v1.principal(kind="tenant_user", memberships=agent)
    current = v1
    for table in (v1, v2):
        d = table.decide(kind="tenant_user", memberships=agent, permission="card.deactivate_now",
                         target=[1, 10])
        assert not d and d.reason == "no_allow"  # support_agent's rights, not supervisor's
        assert table.decide(kind="tenant_user", memberships=agent, permission="card.view",
                            target=[1, 10]).deciding_role == "support_agent"
        current = table  # the reload: replace the reference; the old table lives while used
    assert current is v2
    # A principal built on v1 stays tied to v1 after the swap.
    assert p1.table is v1 and not p1.decide("card.deactivate_now", [1, 10])
    p2 = v2.principal(kind="tenant_user", memberships=agent)
    assert not p2.decide("card.deactivate_now", [1, 10])
    sup = v2.decide(kind="tenant_user", memberships=[([1], ["supervisor"])],
                    permission="card.deactivate_now", target=[1, 10])
    assert sup.allowed and sup.deciding_role == "supervisor"


def test_a_failed_reload_keeps_the_old_table(tables, tmp_path):
    current = lattice.Table.load_file(tables["v1"])
    broken = tmp_path / "broken.ltab"
    broken.write_bytes(b"\0" * 100)
    try:
        current = lattice.Table.load_file(str(broken))
    except lattice.LoadError:
        pass
    assert current.decide(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                          permission="station.view", target=[1, 10]).allowed


def test_facts_by_name(facts_table_path):
    t = lattice.Table.load_file(facts_table_path)
    editor = [lattice.Membership([1], ["editor"])]
    assert "resource.archived" in t.flags and "target.business" in t.flags
    principal = t.principal(kind="staff", memberships=editor)
    assert principal.decide("document.edit", [1, 2]).allowed
    assert not principal.decide("document.edit", [1, 2], facts=["resource.archived"]).allowed
    assert not principal.decide("document.delete", [1, 2], facts=["request.mfa_used"]).allowed
    assert principal.decide("document.delete", [1, 2],
                            facts=["request.mfa_used", "target.business"]).allowed
    assert t.decide(kind="staff", memberships=editor, permission="document.edit", target=[1, 2],
                    facts=["resource.archived"]).reason == "denied_by_rule"
    with pytest.raises(ValueError, match="`business` is not a fact"):
        principal.decide("document.delete", [1, 2], facts=["business"])
    with pytest.raises(ValueError, match="`request.mfa_used` is a fact"):
        t.principal(kind="staff", memberships=editor, flags=["request.mfa_used"])


def test_what_can_lists_exactly_what_decide_allows(table):
    memberships = [lattice.Membership([1, 10], ["account_admin"]),
                   lattice.Membership([1, 11], ["account_station_admin"])]
    principal = table.principal(kind="account_user", memberships=memberships)
    for target in ([1, 10], [1, 10, 100], [1, 11], [1], [1, 12]):
        names = principal.what_can(target)
        assert isinstance(names, tuple)
        assert list(names) == [p for p in table.permissions if principal.decide(p, target)]
    assert "station.view" in principal.what_can([1, 10, 100])


def test_what_can_fails_closed(table):
    principal = table.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT)
    assert principal.what_can([2, 10]) == ()  # another tree
    blocked = table.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT, flags=["blocked"])
    assert blocked.what_can([1, 10]) == ()  # `require not blocked`
    # A role the kind may not hold: every request is denied, so nothing is listed.
    wrong = table.principal(kind="tenant_user", memberships=ADMIN_AT_ACCOUNT)
    assert wrong.what_can([1, 10]) == ()
    with pytest.raises(ValueError, match="is not a fact"):
        principal.what_can([1, 10], facts=["business"])
    with pytest.raises(lattice.UnknownNameError):
        principal.what_can([1, 10], facts=["resource.nope"])
    with pytest.raises(ValueError):
        principal.what_can([])  # no node


def test_what_can_with_facts(facts_table_path):
    t = lattice.Table.load_file(facts_table_path)
    principal = t.principal(kind="staff", memberships=[lattice.Membership([1], ["editor"])])
    assert principal.what_can([1, 2]) == ("document.read", "document.edit")
    assert principal.what_can([1, 2], facts=["resource.archived"]) == ("document.read",)
    assert principal.what_can([1, 2], facts=["request.mfa_used", "target.business"]) == (
        "document.read", "document.edit", "document.delete")


def test_list_filters_as_terms_and_sql(table):
    # Account admin at accounts [1, 10] and [1, 12]: station.view is allowed in
    # both subtrees (docs/filter-list-endpoint.md), decided as decide decides each node.
    p = table.principal(kind="account_user", memberships=[
        lattice.Membership([1, 10], ["account_admin"]),
        lattice.Membership([1, 12], ["account_admin"])])
    assert p.list_filter_terms("station.view") == [("subtree", (1, 10), []),
                                                   ("subtree", (1, 12), [])]
    sql, params = p.list_filter_sql("station.view", dialect="postgres")
    assert sql == "((node_key >= $1 AND node_key < $2) OR (node_key >= $3 AND node_key < $4))"
    key = lambda *ids: b"".join(i.to_bytes(8, "big") for i in ids)
    assert params == [key(1, 10), key(1, 11), key(1, 12), key(1, 13)]
    sql, params = p.list_filter_sql("station.view", dialect="sqlite", column="s.owner_key",
                                    first_param=3)
    assert sql.startswith("((s.owner_key >= ?3 AND s.owner_key < ?4) OR")
    # Every node the terms name decides as the filter says.
    for target, allowed in [([1, 10], True), ([1, 10, 5], True), ([1, 11], False), ([1], False),
                            ([1, 12, 0], True), ([2, 10], False)]:
        assert p.decide("station.view", target).allowed == allowed
    # Nothing allowed: FALSE, no parameters; a role the kind may not hold denies everywhere.
    blocked = table.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT,
                              flags=["blocked"])
    assert blocked.list_filter_terms("station.view") == []
    assert blocked.list_filter_sql("station.view", dialect="sqlite") == ("0", [])


def test_list_filters_refuse_what_they_cannot_express(table):
    p = table.principal(kind="account_user", memberships=ADMIN_AT_ACCOUNT)
    with pytest.raises(ValueError, match="not a plain column name"):
        p.list_filter_sql("station.view", dialect="postgres", column="k; DROP TABLE t")
    with pytest.raises(ValueError, match="unknown SQL dialect"):
        p.list_filter_sql("station.view", dialect="mysql")
    with pytest.raises(lattice.UnknownNameError):
        p.list_filter_terms("station.teleport")
    named = table.principal(kind="account_user", memberships=[(["acme"], ["account_admin"])])
    with pytest.raises(ValueError, match="numeric node ids"):
        named.list_filter_terms("station.view")


def test_who_can_lists_exactly_the_roles_decide_at_allows(table):
    relations = ("self", "descendants", "ancestors", "elsewhere")
    for permission in table.permissions:
        for relation in relations:
            for flags in ([], ["business"], ["blocked"]):
                answer = table.who_can(permission, relation=relation, flags=flags)
                assert isinstance(answer, lattice.WhoCan)
                allowed = {(k, r) for k in table.kinds for r in table.roles
                           if table.decide_at(kind=k, roles=[r], permission=permission,
                                              relation=relation, flags=flags)}
                assert answer.roles == tuple(r for r in table.roles
                                             if r in {x for _, x in allowed})
                # The example has no custom-role ceilings: the user types are the roles'.
                assert answer.ceilings == ()
                assert answer.user_types == tuple(k for k in table.kinds
                                                  if k in {x for x, _ in allowed})
    # `require not blocked`: a blocked principal is allowed nothing, whatever it holds.
    assert table.who_can("station.view", relation="self", flags=["blocked"]) == ((), (), ())
    open_view = table.who_can("station.view")
    assert "account_admin" in open_view.roles and "account_user" in open_view.user_types


def test_who_can_fails_closed_on_bad_names(table):
    with pytest.raises(lattice.UnknownNameError) as e:
        table.who_can("station.veiw")
    assert e.value.category == "permission" and e.value.name == "station.veiw"
    with pytest.raises(lattice.UnknownNameError):
        table.who_can("station.view", flags=["blokced"])
    with pytest.raises(ValueError, match="unknown relation `subtree`"):
        table.who_can("station.view", relation="subtree")
    assert table.who_can("station.view", relation="none") == ((), (), ())  # another tree
