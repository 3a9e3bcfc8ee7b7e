// custom_roles.test.js - custom roles through the Node binding, on the shared policy
// bindings/common/testdata/custom_roles.lat: roles built within a ceiling decide as the C API
// says, refusals name the runtime's status and the permission, a creator gets nothing beyond its
// own rights, a set never crosses tables, and lifetimes hold whatever the collector does.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Table, CustomRoles, CustomRoleError, LatticeError, LoadError, UnknownNameError } =
  require('..');

const TESTDATA = process.env.LATTICE_TESTDATA || path.join(__dirname, '..', '..', 'common', 'testdata');
const KEY_AT_ACCOUNT = [10, 11]; // tenant 10, account 11
let work, customPath, source;

function build(src, out) {
  execFileSync(process.env.LATTICE_BIN || 'lattice', ['build', '--color', 'never', src, '-o', out],
               { stdio: 'pipe' });
  return out;
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lattice-node-custom-'));
  source = path.join(TESTDATA, 'custom_roles.lat');
  customPath = build(source, path.join(work, 'custom.ltab'));
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

function keyRoles(table) {
  const roles = new CustomRoles(table);
  assert.equal(roles.add('ci_key', 'key_role', { 'station.view': 'subtree', 'card.block': ['self'] }),
               'ci_key');
  return roles;
}

test('ceilings are introspected', () => {
  const table = Table.loadFile(customPath);
  assert.deepEqual(table.ceilings, ['key_role', 'operator_role', 'key_only']);
  assert.deepEqual(table.ceilingKinds('key_role'), ['account_user', 'api_key']);
  assert.deepEqual(table.ceilingReach('key_role', 'station.view'), ['self', 'descendants']);
  assert.deepEqual(table.ceilingReach('operator_role', 'station.activate'),
                   ['self', 'descendants', 'ancestors', 'elsewhere']);
  assert.deepEqual(table.ceilingReach('key_role', 'station.activate'), []);
  assert.throws(() => table.ceilingReach('no_such_ceiling', 'station.view'),
                (e) => e instanceof CustomRoleError && e.status === 'unknown_ceiling');
  assert.throws(() => table.ceilingReach('key_role', 'station.fly'), UnknownNameError);
});

test('a role within the ceiling decides its cells', () => {
  const table = Table.loadFile(customPath);
  const roles = keyRoles(table);
  assert.equal(roles.size, 1);
  assert.deepEqual(roles.names, ['ci_key']);
  assert.ok(roles.has('ci_key') && !roles.has('other'));
  assert.equal(roles.table, table);
  assert.equal(roles.ceilingOf('ci_key'), 'key_role');
  assert.deepEqual(roles.reach('ci_key', 'station.view'), ['self', 'descendants']);
  assert.deepEqual(roles.reach('ci_key', 'card.block'), ['self']);
  assert.deepEqual(roles.reach('ci_key', 'station.reset'), []);
  const memberships = [{ node: KEY_AT_ACCOUNT, roles: ['ci_key'] }];
  const ask = (permission, target) =>
    table.decide({ kind: 'api_key', memberships, permission, target, customRoles: roles });
  assert.deepEqual(ask('station.view', [10, 11, 12]),
                   { allowed: true, reason: 'allowed', decidingRole: 'ci_key', decidingMembership: 0 });
  assert.equal(ask('card.block', [10, 11, 12]).allowed, false); // `self` only
  assert.equal(ask('card.block', [10, 11]).allowed, true);
  assert.deepEqual(ask('station.reset', [10, 11]),
                   { allowed: false, reason: 'no_allow', decidingRole: null, decidingMembership: null });
  assert.equal(ask('station.view', [20, 11]).reason, 'other_tree');
  // A principal handle decides the same, beside a compiled role in another membership.
  const p = table.principal({ kind: 'account_user', customRoles: roles, memberships: [
    { node: KEY_AT_ACCOUNT, roles: ['ci_key'] }, { node: [10, 30], roles: ['account_admin'] }] });
  assert.equal(p.customRoles, roles);
  assert.deepEqual(p.decide('station.view', [10, 11, 5]),
                   { allowed: true, reason: 'allowed', decidingRole: 'ci_key', decidingMembership: 0 });
  assert.deepEqual(p.decide('card.delete', [10, 30]), { allowed: true, reason: 'allowed',
                   decidingRole: 'account_admin', decidingMembership: 1 });
  assert.equal(p.decide('card.block', [10, 11, 5]).reason, 'no_allow');
});

test('a custom role is held only by its ceiling\'s user types', () => {
  const table = Table.loadFile(customPath);
  const roles = new CustomRoles(table);
  roles.add('only_keys', 'key_only', [['station.view', 'self']]);
  const d = table.decide({ kind: 'account_user', memberships: [{ node: KEY_AT_ACCOUNT, roles: ['only_keys'] }],
                           permission: 'station.view', target: KEY_AT_ACCOUNT, customRoles: roles });
  assert.equal(d.reason, 'role_not_for_kind');
  assert.equal(d.decidingRole, 'only_keys');
});

test('refusals name the runtime\'s status and the permission', () => {
  const table = Table.loadFile(customPath);
  const cases = [
    ['key_role', { 'station.view': 'self', 'station.activate': 'self' }, 'outside_ceiling', 'station.activate'],
    ['key_role', [['card.view', 'self'], ['station.view', 'tenant']], 'reach_beyond_ceiling', 'station.view'],
    ['key_role', { 'station.fly': 'self' }, 'unknown_permission', 'station.fly'],
    ['key_role', { 'station.view': [] }, 'bad_reach', 'station.view'],
    ['key_only', { 'station.update_firmware': 'self' }, 'not_for_kinds', 'station.update_firmware'],
    ['no_such_ceiling', { 'station.view': 'self' }, 'unknown_ceiling', null],
  ];
  for (const [ceiling, permissions, status, permission] of cases) {
    const roles = new CustomRoles(table);
    assert.throws(() => roles.add('refused', ceiling, permissions), (e) => {
      assert.ok(e instanceof CustomRoleError && e instanceof LatticeError);
      assert.equal(e.status, status);
      assert.equal(e.permission, permission);
      assert.equal(e.role, 'refused');
      assert.equal(e.ceiling, ceiling);
      if (permission) assert.ok(e.message.includes(`\`${permission}\``), e.message);
      return true;
    });
    assert.equal(roles.size, 0); // never a silent partial role
    assert.throws(() => table.decide({ kind: 'api_key', memberships: [{ node: KEY_AT_ACCOUNT, roles: ['refused'] }],
                                       permission: 'station.view', target: KEY_AT_ACCOUNT, customRoles: roles }),
                  (e) => e instanceof UnknownNameError && e.unknownName === 'refused');
  }
});

test('bad names and reaches are refused', () => {
  const table = Table.loadFile(customPath);
  const roles = keyRoles(table);
  assert.throws(() => roles.add('ci_key', 'key_role', { 'station.view': 'self' }), /already in the set/);
  assert.throws(() => roles.add('account_admin', 'key_role', { 'station.view': 'self' }),
                /has a role of that name/);
  assert.throws(() => roles.add('k2', 'key_role', { 'station.view': 'everywhere' }), /unknown reach `everywhere`/);
  assert.throws(() => roles.add('k2', 'key_role', 'station.view'), TypeError);
  assert.throws(() => new CustomRoles({}), TypeError);
  assert.deepEqual(roles.names, ['ci_key']);
});

test('a tenant admin cannot obtain a right it lacks', () => {
  const table = Table.loadFile(customPath);
  const admin = ['account_admin'];
  assert.ok(table.canCreate(admin, 'key_role') && table.canCreate(admin, 'key_only'));
  assert.equal(table.canCreate(admin, 'operator_role'), false);
  assert.ok(table.canCreate(['tenant_support'], 'operator_role'));
  assert.equal(table.canCreate([], 'key_role'), false);
  assert.equal(table.decide({ kind: 'account_user', memberships: [{ node: KEY_AT_ACCOUNT, roles: admin }],
                              permission: 'station.activate', target: KEY_AT_ACCOUNT }).allowed, false);
  const roles = new CustomRoles(table);
  assert.throws(() => roles.add('sneaky', 'key_role', { 'station.activate': 'self' }),
                (e) => e.status === 'outside_ceiling');
  assert.throws(() => roles.add('sneaky', 'key_role', { 'station.view': 'tenant' }),
                (e) => e.status === 'reach_beyond_ceiling');
  roles.add('widest', 'key_role', { 'station.view': 'subtree', 'station.reset': 'subtree',
                                    'card.view': 'subtree', 'card.block': 'subtree' });
  const d = table.decide({ kind: 'account_user', permission: 'station.activate', target: KEY_AT_ACCOUNT,
                           memberships: [{ node: KEY_AT_ACCOUNT, roles: ['account_admin', 'widest'] }],
                           customRoles: roles });
  assert.equal(d.reason, 'no_allow');
  assert.throws(() => table.canCreate(['widest'], 'key_role'), UnknownNameError);
});

test('a set of another table is refused', () => {
  const table = Table.loadFile(customPath);
  const roles = keyRoles(table);
  const other = Table.loadFile(customPath); // the same policy, another table object
  const request = { kind: 'api_key', memberships: [{ node: KEY_AT_ACCOUNT, roles: ['ci_key'] }],
                    permission: 'station.view', target: KEY_AT_ACCOUNT };
  assert.throws(() => other.decide({ ...request, customRoles: roles }), RangeError);
  assert.throws(() => other.principal({ ...request, customRoles: roles }), /another table/);
  assert.throws(() => other.decide(request), (e) => e instanceof UnknownNameError && e.unknownName === 'ci_key');
  assert.throws(() => table.decide({ ...request, customRoles: 'ci_key' }), TypeError);
});

test('a reload cannot reinterpret a custom role', () => {
  const table = Table.loadFile(customPath);
  const anchor = 'custom role key_role for api_key, account_user {';
  const text = fs.readFileSync(source, 'utf8');
  assert.ok(text.includes(anchor));
  const shifted = path.join(work, 'shifted.lat');
  fs.writeFileSync(shifted, text.replace(anchor, 'custom role wide for api_key {\n  allow station.* in tenant;\n}\n\n' + anchor));
  const next = Table.loadFile(build(shifted, path.join(work, 'shifted.ltab')));
  assert.equal(next.ceilings[0], 'wide');
  assert.notEqual(next.fingerprint, table.fingerprint); // ceiling names are in the fingerprint
  const roles = keyRoles(table);
  const memberships = [{ node: KEY_AT_ACCOUNT, roles: ['ci_key'] }];
  const p = table.principal({ kind: 'api_key', memberships, customRoles: roles });
  assert.throws(() => next.principal({ kind: 'api_key', memberships, customRoles: roles }), /another table/);
  const fresh = new CustomRoles(next);
  fresh.add('ci_key', 'key_role', { 'station.view': 'subtree', 'card.block': 'self' });
  const q = next.principal({ kind: 'api_key', memberships, customRoles: fresh });
  for (const permission of ['station.view', 'station.activate', 'card.block', 'card.view'])
    assert.equal(p.decide(permission, KEY_AT_ACCOUNT).allowed, q.decide(permission, KEY_AT_ACCOUNT).allowed, permission);
  assert.equal(q.decide('station.activate', KEY_AT_ACCOUNT).allowed, false);
});

test('principals keep their set and table alive', async () => {
  let p;
  (() => {
    const table = Table.loadFile(customPath);
    p = table.principal({ kind: 'api_key', memberships: [{ node: KEY_AT_ACCOUNT, roles: ['ci_key'] }],
                          customRoles: keyRoles(table) });
  })();
  for (let i = 0; i < 3; ++i) { // with --expose-gc, collect; else allocate to invite collection
    if (global.gc) global.gc(); else Array.from({ length: 1e5 }, () => ({}));
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(p.decide('station.view', KEY_AT_ACCOUNT).decidingRole, 'ci_key');
  p.customRoles.add('viewer', 'key_role', { 'card.view': 'subtree' });
  assert.equal(p.decide('card.view', KEY_AT_ACCOUNT).allowed, false);
  const q = p.table.principal({ kind: 'api_key', memberships: [{ node: KEY_AT_ACCOUNT, roles: ['viewer'] }],
                                customRoles: p.customRoles });
  assert.equal(q.decide('card.view', KEY_AT_ACCOUNT).decidingRole, 'viewer');
});

test('a corrupt table yields no set', () => {
  const data = fs.readFileSync(customPath);
  data[data.length >> 1] ^= 1;
  assert.throws(() => Table.fromBuffer(data), (e) => e instanceof LoadError && e.status === 'bad_checksum');
});

test('whoCan lists roles, custom-role ceilings and user types', () => {
  const table = Table.loadFile(customPath);
  assert.deepEqual(table.whoCan({ permission: 'station.view', relation: 'self' }), {
    roles: ['account_admin', 'tenant_support'],
    ceilings: ['key_role', 'operator_role', 'key_only'],
    userTypes: ['account_user', 'api_key'],
  });
  assert.deepEqual(table.whoCan({ permission: 'station.view', relation: 'elsewhere' }),
                   { roles: ['tenant_support'], ceilings: ['operator_role'], userTypes: ['account_user'] });
  assert.deepEqual(table.whoCan({ permission: 'station.update_firmware', relation: 'descendants' }),
                   { roles: ['tenant_support'], ceilings: [], userTypes: ['account_user'] });
});
