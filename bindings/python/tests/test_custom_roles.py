# test_custom_roles.py - custom roles through the Python binding, on the shared policy
# bindings/common/testdata/custom_roles.lat: roles built within a ceiling decide like the C API
# says, refusals name the runtime's status and the permission, a creator gets nothing beyond its
# own rights, a set never crosses tables, and lifetimes hold whatever the collector does.
import gc
import os

import pytest

import lattice
from conftest import HERE, build

TESTDATA = os.environ.get("LATTICE_TESTDATA",
                          os.path.join(HERE, "..", "..", "common", "testdata"))
KEY_AT_ACCOUNT = [10, 11]  # tenant 10, account 11


@pytest.fixture(scope="module")
def custom_path(tmp_path_factory):
    work = tmp_path_factory.mktemp("custom")
    return build(os.path.join(TESTDATA, "custom_roles.lat"), str(work / "custom.ltab"))


@pytest.fixture
def table(custom_path):
    return lattice.Table.load_file(custom_path)


def key_roles(table):
    roles = lattice.CustomRoles(table)
    name = roles.add("ci_key", "key_role", {"station.view": "subtree", "card.block": ["self"]})
    assert name == "ci_key"
    return roles


def test_ceilings_are_introspected(table):
    assert table.ceilings == ("key_role", "operator_role", "key_only")
    assert table.ceiling_kinds("key_role") == ("account_user", "api_key")
    assert table.ceiling_kinds("operator_role") == ("account_user",)
    assert table.ceiling_reach("key_role", "station.view") == ("self", "descendants")
    assert table.ceiling_reach("operator_role", "station.activate") == (
        "self", "descendants", "ancestors", "elsewhere")
    assert table.ceiling_reach("key_role", "station.activate") == ()
    with pytest.raises(lattice.CustomRoleError) as error:
        table.ceiling_reach("no_such_ceiling", "station.view")
    assert error.value.status == "unknown_ceiling"
    with pytest.raises(lattice.UnknownNameError):
        table.ceiling_reach("key_role", "station.fly")


def test_a_role_within_the_ceiling_decides_its_cells(table):
    roles = key_roles(table)
    assert len(roles) == 1 and roles.names == ("ci_key",) and "ci_key" in roles
    assert roles.ceiling_of("ci_key") == "key_role"
    assert roles.reach("ci_key", "station.view") == ("self", "descendants")
    assert roles.reach("ci_key", "card.block") == ("self",)
    assert roles.reach("ci_key", "station.reset") == ()
    key = [lattice.Membership(KEY_AT_ACCOUNT, ["ci_key"])]
    below = table.decide(kind="api_key", memberships=key, permission="station.view",
                         target=[10, 11, 12], custom_roles=roles)
    assert below.allowed and below.reason == "allowed"
    assert below.deciding_role == "ci_key" and below.deciding_membership == 0
    # card.block reaches `self` only; station.reset is in the ceiling but not in the role.
    assert not table.decide(kind="api_key", memberships=key, permission="card.block",
                            target=[10, 11, 12], custom_roles=roles)
    assert table.decide(kind="api_key", memberships=key, permission="card.block",
                        target=[10, 11], custom_roles=roles).allowed
    reset = table.decide(kind="api_key", memberships=key, permission="station.reset",
                         target=[10, 11], custom_roles=roles)
    assert not reset and reset.reason == "no_allow" and reset.deciding_role is None
    assert table.decide(kind="api_key", memberships=key, permission="station.view",
                        target=[20, 11], custom_roles=roles).reason == "other_tree"
    # A principal handle decides the same, beside a compiled role in another membership.
    p = table.principal(kind="account_user", custom_roles=roles, memberships=[
        lattice.Membership(KEY_AT_ACCOUNT, ["ci_key"]),
        lattice.Membership([10, 30], ["account_admin"])])
    assert p.custom_roles is roles
    d = p.decide("station.view", [10, 11, 5])
    assert d.allowed and d.deciding_role == "ci_key" and d.deciding_membership == 0
    d = p.decide("card.delete", [10, 30])
    assert d.allowed and d.deciding_role == "account_admin" and d.deciding_membership == 1
    assert p.decide("card.block", [10, 11, 5]).reason == "no_allow"


def test_a_custom_role_is_held_only_by_its_ceilings_user_types(table):
    roles = lattice.CustomRoles(table)
    roles.add("only_keys", "key_only", [("station.view", "self")])
    d = table.decide(kind="account_user", memberships=[(KEY_AT_ACCOUNT, ["only_keys"])],
                     permission="station.view", target=KEY_AT_ACCOUNT, custom_roles=roles)
    assert not d and d.reason == "role_not_for_kind" and d.deciding_role == "only_keys"


@pytest.mark.parametrize("ceiling,permissions,status,permission", [
    ("key_role", {"station.view": "self", "station.activate": "self"}, "outside_ceiling",
     "station.activate"),
    ("key_role", [("card.view", "self"), ("station.view", "tenant")], "reach_beyond_ceiling",
     "station.view"),
    ("key_role", {"station.fly": "self"}, "unknown_permission", "station.fly"),
    ("key_role", {"station.view": []}, "bad_reach", "station.view"),
    ("key_only", {"station.update_firmware": "self"}, "not_for_kinds",
     "station.update_firmware"),
    ("no_such_ceiling", {"station.view": "self"}, "unknown_ceiling", None),
])
def test_refusals_name_the_status_and_the_permission(table, ceiling, permissions, status,
                                                     permission):
    roles = lattice.CustomRoles(table)
    with pytest.raises(lattice.CustomRoleError) as error:
        roles.add("refused", ceiling, permissions)
    assert error.value.status == status and error.value.permission == permission
    assert error.value.role == "refused" and error.value.ceiling == ceiling
    assert isinstance(error.value, lattice.Error)
    if permission:
        assert "`%s`" % permission in str(error.value)
    # Never a silent partial role: nothing was added, and the name is unknown.
    assert len(roles) == 0 and "refused" not in roles
    with pytest.raises(lattice.UnknownNameError, match="`refused`"):
        table.decide(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["refused"])],
                     permission="station.view", target=KEY_AT_ACCOUNT, custom_roles=roles)


def test_bad_names_and_reaches_are_refused(table):
    roles = key_roles(table)
    with pytest.raises(ValueError, match="already in the set"):
        roles.add("ci_key", "key_role", {"station.view": "self"})
    with pytest.raises(ValueError, match="has a role of that name"):
        roles.add("account_admin", "key_role", {"station.view": "self"})
    with pytest.raises(ValueError, match="unknown reach `everywhere`"):
        roles.add("k2", "key_role", {"station.view": "everywhere"})
    with pytest.raises(TypeError):
        roles.add("k2", "key_role", "station.view")
    assert roles.names == ("ci_key",)


def test_a_tenant_admin_cannot_obtain_a_right_it_lacks(table):
    admin = ["account_admin"]
    # The admin may build key roles, and lacks station.activate: no key role it builds has it.
    assert table.can_create(admin, "key_role") and table.can_create(admin, "key_only")
    assert not table.can_create(admin, "operator_role")
    assert table.can_create(["tenant_support"], "operator_role")
    assert not table.can_create([], "key_role")
    admin_alone = [lattice.Membership(KEY_AT_ACCOUNT, admin)]
    assert not table.decide(kind="account_user", memberships=admin_alone,
                            permission="station.activate", target=KEY_AT_ACCOUNT)
    roles = lattice.CustomRoles(table)
    with pytest.raises(lattice.CustomRoleError) as error:
        roles.add("sneaky", "key_role", {"station.activate": "self"})
    assert error.value.status == "outside_ceiling"
    with pytest.raises(lattice.CustomRoleError) as error:  # wider than its own subtree
        roles.add("sneaky", "key_role", {"station.view": "tenant"})
    assert error.value.status == "reach_beyond_ceiling"
    # Holding every key role cell it may build still does not activate a station.
    roles.add("widest", "key_role", {p: "subtree" for p in (
        "station.view", "station.reset", "card.view", "card.block")})
    d = table.decide(kind="account_user", permission="station.activate", target=KEY_AT_ACCOUNT,
                     memberships=[(KEY_AT_ACCOUNT, ["account_admin", "widest"])],
                     custom_roles=roles)
    assert not d and d.reason == "no_allow"
    with pytest.raises(lattice.UnknownNameError):
        table.can_create(["widest"], "key_role")  # custom roles create nothing


def test_a_set_of_another_table_is_refused(custom_path, table):
    roles = key_roles(table)
    other = lattice.Table.load_file(custom_path)  # the same policy, another table object
    key = [(KEY_AT_ACCOUNT, ["ci_key"])]
    with pytest.raises(ValueError, match="another table"):
        other.decide(kind="api_key", memberships=key, permission="station.view",
                     target=KEY_AT_ACCOUNT, custom_roles=roles)
    with pytest.raises(ValueError, match="another table"):
        other.principal(kind="api_key", memberships=key, custom_roles=roles)
    # Without the set the name is simply unknown: never some other role's id.
    with pytest.raises(lattice.UnknownNameError, match="`ci_key`"):
        other.decide(kind="api_key", memberships=key, permission="station.view",
                     target=KEY_AT_ACCOUNT)
    with pytest.raises(TypeError):
        table.decide(kind="api_key", memberships=key, permission="station.view",
                     target=KEY_AT_ACCOUNT, custom_roles="ci_key")


def test_a_reload_cannot_reinterpret_a_custom_role(custom_path, table, tmp_path):
    # The reloaded policy inserts a ceiling first, so every ceiling id shifts; the set and the
    # principal built on the old table keep deciding by it, and the new table needs a new set.
    with open(os.path.join(TESTDATA, "custom_roles.lat"), encoding="utf-8") as f:
        text = f.read()
    anchor = "custom role key_role for api_key, account_user {"
    assert anchor in text
    shifted = tmp_path / "shifted.lat"
    shifted.write_text(text.replace(anchor, "custom role wide for api_key {\n"
                                    "  allow station.* in tenant;\n}\n\n" + anchor))
    new = lattice.Table.load_file(build(str(shifted), str(tmp_path / "shifted.ltab")))
    # Ceiling names are part of the vocabulary fingerprint (docs/table-format.md).
    assert new.ceilings[0] == "wide" and new.fingerprint != table.fingerprint
    roles = key_roles(table)
    p = table.principal(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["ci_key"])],
                        custom_roles=roles)
    assert not p.decide("station.activate", KEY_AT_ACCOUNT)
    with pytest.raises(ValueError, match="another table"):
        new.principal(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["ci_key"])],
                      custom_roles=roles)
    fresh = lattice.CustomRoles(new)
    fresh.add("ci_key", "key_role", {"station.view": "subtree", "card.block": "self"})
    q = new.principal(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["ci_key"])],
                      custom_roles=fresh)
    for permission in ("station.view", "station.activate", "card.block", "card.view"):
        assert p.decide(permission, KEY_AT_ACCOUNT).allowed == \
            q.decide(permission, KEY_AT_ACCOUNT).allowed, permission
    assert not q.decide("station.activate", KEY_AT_ACCOUNT)


def test_principals_keep_their_set_and_table_alive(custom_path):
    table = lattice.Table.load_file(custom_path)
    roles = key_roles(table)
    p = table.principal(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["ci_key"])],
                        custom_roles=roles)
    del table, roles
    gc.collect()
    d = p.decide("station.view", KEY_AT_ACCOUNT)
    assert d.allowed and d.deciding_role == "ci_key"
    # Adding to the set after the principal was built leaves the principal's decisions as they
    # were, and the new role is usable by principals built afterwards.
    p.custom_roles.add("viewer", "key_role", {"card.view": "subtree"})
    assert p.decide("station.view", KEY_AT_ACCOUNT).allowed
    assert not p.decide("card.view", KEY_AT_ACCOUNT)
    q = p.table.principal(kind="api_key", memberships=[(KEY_AT_ACCOUNT, ["viewer"])],
                          custom_roles=p.custom_roles)
    assert q.decide("card.view", KEY_AT_ACCOUNT).deciding_role == "viewer"
    s = lattice.CustomRoles(lattice.Table.load_file(custom_path))
    gc.collect()
    assert s.table.policy_name == "bindings_custom"
    s.add("k", "key_role", {"station.view": "self"})


def test_a_corrupt_table_yields_no_set(custom_path):
    with open(custom_path, "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0x01
    with pytest.raises(lattice.LoadError) as error:
        lattice.Table.from_bytes(bytes(data))
    assert error.value.status == "bad_checksum"
    with pytest.raises(TypeError):
        lattice.CustomRoles(None)


def test_what_can_with_custom_roles(table):
    roles = key_roles(table)
    key = [lattice.Membership(KEY_AT_ACCOUNT, ["ci_key"])]
    principal = table.principal(kind="api_key", memberships=key, custom_roles=roles)
    for target in ([10, 11], [10, 11, 12], [10], [10, 13]):
        assert list(principal.what_can(target)) == [
            p for p in table.permissions if principal.decide(p, target)]
    assert principal.what_can([10, 11]) == ("station.view", "card.block")
    assert principal.what_can([10, 11, 12]) == ("station.view",)


def test_who_can_lists_roles_ceilings_and_user_types(table):
    view = table.who_can("station.view", relation="self")
    assert view == lattice.WhoCan(("account_admin", "tenant_support"),
                                  ("key_role", "operator_role", "key_only"),
                                  ("account_user", "api_key"))
    # Beyond the subtree only tenant support and the operator ceiling reach.
    assert table.who_can("station.view", relation="elsewhere") == (
        ("tenant_support",), ("operator_role",), ("account_user",))
    # update_firmware is for account users only: key_role holds no such cell, api keys never.
    firmware = table.who_can("station.update_firmware", relation="descendants")
    assert firmware.roles == ("tenant_support",) and firmware.user_types == ("account_user",)
    assert firmware.ceilings == ()
