// lattice.test.js - the Node binding on a real compiled example (EV charging), run by node's test
// runner: allow and deny with memberships, fail-closed loading of corrupt tables, reload safety
// when ids shift, and unknown names refused with an error that names them. The tables are built
// with `lattice build` (LATTICE_BIN, else `lattice` on PATH; LATTICE_EXAMPLES, else the
// repository's examples).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const lattice = require('..');
const { Table, LoadError, UnknownNameError, LatticeError } = lattice;

const ANCHOR = 'role support_agent "Support agent" for tenant_user {';
const INSERTED = 'role supervisor "Supervisor" for tenant_user {\n  allow * in tenant;\n}\n\n';
let work, v1Path, v2Path, table;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lattice-node-test-'));
  const examples = process.env.LATTICE_EXAMPLES || path.join(__dirname, '..', '..', '..', 'examples');
  const source = path.join(examples, 'ev_charging', 'policy.lat');
  const text = fs.readFileSync(source, 'utf8');
  assert.ok(text.includes(ANCHOR), 'the example no longer declares support_agent as expected');
  const v2Source = path.join(work, 'v2.lat');
  fs.writeFileSync(v2Source, text.replace(ANCHOR, INSERTED + ANCHOR));
  v1Path = path.join(work, 'v1.ltab');
  v2Path = path.join(work, 'v2.ltab');
  const bin = process.env.LATTICE_BIN || 'lattice';
  execFileSync(bin, ['build', '--color', 'never', '--revision', 'test-v1', source, '-o', v1Path],
               { stdio: 'pipe' });
  execFileSync(bin, ['build', '--color', 'never', v2Source, '-o', v2Path], { stdio: 'pipe' });
  table = Table.loadFile(v1Path);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

const adminAtAccount = [{ node: [1, 10], roles: ['account_admin'] }];
const request = (extra) => ({ kind: 'account_user', memberships: adminAtAccount,
                              permission: 'station.view', target: [1, 10], ...extra });

test('loads a table from a file and from a buffer', () => {
  const bytes = fs.readFileSync(v1Path);
  const fromBuffer = Table.fromBuffer(bytes);
  bytes.fill(0); // the table keeps its own copy
  assert.equal(table.policyName, 'ev_charging');
  assert.equal(fromBuffer.policyName, 'ev_charging');
  assert.deepEqual(fromBuffer.roles, table.roles);
  assert.ok(table.permissions.includes('station.view'));
  assert.equal(fromBuffer.decide(request()).allowed, true);
});

test('fingerprint and revision', () => {
  assert.equal(Table.fromBuffer(fs.readFileSync(v1Path)).fingerprint, table.fingerprint);
  const v2 = Table.loadFile(v2Path);
  assert.equal(typeof table.fingerprint, 'bigint');
  assert.notEqual(v2.fingerprint, table.fingerprint);
  assert.equal(table.revision, 'test-v1');
  assert.equal(v2.revision, '');
});

test('flags on the wrong side are refused', () => {
  assert.throws(() => table.decide(request({ flags: ['business'] })), /`business` is a node flag/);
  assert.throws(() => table.decide(request({
    memberships: [{ node: [1, 10], roles: ['account_admin'], nodeFlags: ['blocked'] }] })),
  /`blocked` is a principal flag/);
});

test('allows and denies by the relation of each membership', () => {
  assert.deepEqual(table.decide(request({ target: [1, 10, 100] })),
                   { allowed: true, reason: 'allowed', decidingRole: 'account_admin', decidingMembership: 0 });
  assert.deepEqual(table.decide(request({ target: [1, 11] })),
                   { allowed: false, reason: 'no_allow', decidingRole: null, decidingMembership: null });
  assert.equal(table.decide(request({ target: [2, 10] })).reason, 'other_tree');
});

test('the deciding membership, principal flags and node flags', () => {
  const two = [{ node: [1, 11], roles: ['account_station_admin'] }, { node: [1, 10], roles: ['account_admin'] }];
  const d = table.decide(request({ memberships: two }));
  assert.equal(d.allowed, true);
  assert.equal(d.decidingMembership, 1);
  assert.equal(table.decide(request({ flags: ['blocked'] })).reason, 'requirement');
  const insights = request({ permission: 'insights.site_dashboard' });
  assert.equal(table.decide(insights).reason, 'no_allow');
  insights.memberships = [{ node: [1, 10], roles: ['account_admin'], nodeFlags: ['business'] }];
  assert.equal(table.decide(insights).allowed, true);
  const wrongKind = table.decide(request({ memberships: [{ node: [1], roles: ['tenant_admin'] }] }));
  assert.equal(wrongKind.reason, 'role_not_for_kind');
  assert.equal(wrongKind.decidingRole, 'tenant_admin');
});

test('string, number and bigint path segments', () => {
  const keys = request({ memberships: [{ node: ['acme', 'eu'], roles: ['account_admin'] }],
                         target: ['acme', 'eu', 7] });
  assert.equal(table.decide(keys).allowed, true);
  assert.equal(table.decide(request({ target: [1n, 10n] })).allowed, true);
  assert.equal(table.decide(request({ target: ['1', '10'] })).reason, 'other_tree');
});

test('a principal is built once and decided many times', () => {
  const p = table.principal({ kind: 'account_user', memberships: adminAtAccount });
  assert.equal(p.table, table);
  assert.equal(p.decide('station.view', [1, 10]).allowed, true);
  assert.equal(p.decide('station.activate', [1, 10]).allowed, false);
  assert.equal(p.decide('station.view', [1, 12]).reason, 'no_allow');
});

test('relation of paths', () => {
  assert.equal(lattice.relation([1, 10], [1, 10]), 'self');
  assert.equal(lattice.relation([1, 10], [1, 10, 100]), 'descendants');
  assert.equal(lattice.relation([1, 10], [1]), 'ancestors');
  assert.equal(lattice.relation([1, 10], [1, 11]), 'elsewhere');
  assert.equal(lattice.relation([1, 10], [2, 10]), 'none');
  assert.equal(lattice.relation(['acme', 'eu'], ['acme', 'eu', 7]), 'descendants');
  assert.equal(lattice.relation([1], ['1']), 'none');
  assert.throws(() => lattice.relation([], [1]), RangeError);
});

test('decideAt and canAssign', () => {
  const at = (relation) => table.decideAt({ kind: 'account_user', roles: ['account_admin'],
                                            permission: 'station.view', relation });
  assert.equal(at('descendants').allowed, true);
  assert.equal(at('elsewhere').reason, 'no_allow');
  assert.throws(() => at('below'), RangeError);
  assert.equal(table.canAssign(['account_owner'], 'account_admin'), true);
  assert.equal(table.canAssign(['driver'], 'driver'), false);
  assert.equal(table.canAssign(['account_admin'], 'account_owner'), false);
  // Drivers only from a BUSINESS account: a conditional `assigns` needs the assigner's flags.
  assert.equal(table.canAssign(['account_owner'], 'driver'), false);
  assert.equal(table.canAssign(['account_owner'], 'driver', []), false);
  assert.equal(table.canAssign(['account_owner'], 'driver', ['business']), true);
});

test('unknown names are refused with an error naming them', () => {
  const cases = [
    [() => table.decide(request({ memberships: [{ node: [1], roles: ['agent'] }] })), 'role', 'agent'],
    [() => table.decide(request({ permission: 'station.fly' })), 'permission', 'station.fly'],
    [() => table.decide(request({ kind: 'robot' })), 'kind', 'robot'],
    [() => table.decide(request({ flags: ['vip'] })), 'flag', 'vip'],
    [() => table.canAssign(['account_owner'], 'agent'), 'role', 'agent'],
    // The C API reads names up to a NUL: a name with one is unknown, not its prefix.
    [() => table.canAssign(['account_owner\0x'], 'driver'), 'role', 'account_owner\0x'],
    [() => table.principal({ kind: 'account_user', memberships: adminAtAccount })
      .decide('station.fly', [1]), 'permission', 'station.fly'],
  ];
  for (const [call, category, name] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof UnknownNameError && e instanceof LatticeError);
      assert.equal(e.category, category);
      assert.equal(e.unknownName, name);
      const shown = name.replace('\0', '\\x00'); // control characters are escaped in the message
      assert.equal(e.message, `unknown ${category} \`${shown}\` in policy \`ev_charging\``);
      return true;
    });
  }
});

test('bad paths and misused objects are refused', () => {
  for (const target of [[], [-1], [1.5], [2 ** 53], [2n ** 63n]])
    assert.throws(() => table.decide(request({ target })), RangeError, String(target));
  for (const target of [[null], [{}], '1/2'])
    assert.throws(() => table.decide(request({ target })), TypeError);
  assert.throws(() => table.decide(request({ memberships: [{ node: [], roles: ['account_admin'] }] })),
                /needs a node/);
  const p = table.principal({ kind: 'account_user', memberships: adminAtAccount });
  assert.throws(() => Table.prototype.decide.call(p, request()), TypeError);
  assert.throws(() => new lattice.Principal(p, { kind: 'account_user', memberships: [] }),
                /needs a lattice Table/);
  assert.throws(() => new Table(), TypeError);
});

test('corrupt tables fail closed', () => {
  const data = fs.readFileSync(v1Path);
  const flipped = Buffer.from(data);
  flipped[data.length >> 1] ^= 1;
  const cases = [[data.subarray(0, data.length >> 1), 'bad_size'], [flipped, 'bad_checksum'],
                 [data.subarray(0, 10), 'too_small'], [Buffer.from('not a table'.repeat(100)), 'bad_magic']];
  for (const [bytes, status] of cases) {
    assert.throws(() => Table.fromBuffer(bytes), (e) => e instanceof LoadError && e.status === status);
    const file = path.join(work, `${status}.ltab`);
    fs.writeFileSync(file, bytes);
    assert.throws(() => Table.loadFile(file),
                  (e) => e instanceof LoadError && e.status === status && e.message.includes(file));
  }
  assert.throws(() => Table.loadFile(path.join(work, 'missing.ltab')), { status: 'io_error' });
  assert.throws(() => Table.loadFile(work), { status: 'not_a_file' });
  assert.throws(() => Table.loadFile(v1Path, { maxBytes: 64 }), { status: 'too_large' });
});

// The reload scenario of issue 17: v2 inserts `supervisor` (allow * in tenant) above
// support_agent, so the id that meant support_agent in v1 means supervisor in v2.
test('a reload never reinterprets a role', () => {
  const v1 = Table.loadFile(v1Path);
  const v2 = Table.loadFile(v2Path);
  const oldId = v1.roles.indexOf('support_agent');
  assert.equal(v2.roles[oldId], 'supervisor');
  assert.equal(v2.roles.indexOf('support_agent'), oldId + 1);
  const agent = [{ node: [1], roles: ['support_agent'] }];
  const p1 = v1.principal({ kind: 'tenant_user', memberships: agent });
  let current = v1;
  for (const next of [v1, v2]) {
    current = next; // the reload: replace the reference; the old table lives while referenced
    const d = current.decide({ kind: 'tenant_user', memberships: agent,
                               permission: 'card.deactivate_now', target: [1, 10] });
    assert.equal(d.allowed, false);
    assert.equal(d.reason, 'no_allow');
    assert.equal(current.decide({ kind: 'tenant_user', memberships: agent, permission: 'card.view',
                                  target: [1, 10] }).decidingRole, 'support_agent');
  }
  assert.equal(p1.table, v1);
  assert.equal(p1.decide('card.deactivate_now', [1, 10]).allowed, false);
  const sup = v2.decide({ kind: 'tenant_user', memberships: [{ node: [1], roles: ['supervisor'] }],
                          permission: 'card.deactivate_now', target: [1, 10] });
  assert.equal(sup.allowed, true);
  assert.equal(sup.decidingRole, 'supervisor');
});

// Facts (docs/language.md, "Facts"): of the resource, of the target's node and of the request,
// given by name with the request, on a small policy built here.
test('facts by name', () => {
  const source = path.join(work, 'facts.lat');
  fs.writeFileSync(source, [
    'policy facts;', 'scope tenant;', 'scope account under tenant;',
    'usertype staff at tenant, account;', 'flag business on account;',
    'flag archived on resource document;', 'flag mfa_used on request;',
    'resource document owned_by account { read, edit, delete; }',
    'role editor for staff {', '  allow document.{read, edit} in subtree;',
    '  deny document.edit in subtree when resource.archived;',
    '  allow document.delete in subtree when request.mfa_used and target.business;', '}', '',
  ].join('\n'));
  const out = path.join(work, 'facts.ltab');
  execFileSync(process.env.LATTICE_BIN || 'lattice', ['build', '--color', 'never', source, '-o', out],
               { stdio: 'pipe' });
  const t = Table.loadFile(out);
  const editor = [{ node: [1], roles: ['editor'] }];
  const p = t.principal({ kind: 'staff', memberships: editor });
  assert.equal(p.decide('document.edit', [1, 2]).allowed, true);
  assert.equal(p.decide('document.edit', [1, 2], ['resource.archived']).reason, 'denied_by_rule');
  assert.equal(p.decide('document.delete', [1, 2], ['request.mfa_used']).allowed, false);
  assert.equal(p.decide('document.delete', [1, 2], ['request.mfa_used', 'target.business']).allowed,
               true);
  assert.equal(t.decide({ kind: 'staff', memberships: editor, permission: 'document.edit',
                          target: [1, 2], facts: ['resource.archived'] }).allowed, false);
  assert.throws(() => p.decide('document.delete', [1, 2], ['business']), /`business` is not a fact/);
});

test('whatCan lists exactly what decide allows', () => {
  const p = table.principal({ kind: 'account_user', memberships: [
    { node: [1, 10], roles: ['account_admin'] }, { node: [1, 11], roles: ['account_station_admin'] },
  ] });
  for (const target of [[1, 10], [1, 10, 100], [1, 11], [1], [1, 12]]) {
    const names = p.whatCan(target);
    assert.ok(Array.isArray(names));
    assert.deepEqual(names, table.permissions.filter((name) => p.decide(name, target).allowed));
  }
  assert.ok(p.whatCan([1, 10, 100]).includes('station.view'));
});

test('whatCan fails closed', () => {
  const admin = [{ node: [1, 10], roles: ['account_admin'] }];
  const p = table.principal({ kind: 'account_user', memberships: admin });
  assert.deepEqual(p.whatCan([2, 10]), []); // another tree
  const blocked = table.principal({ kind: 'account_user', flags: ['blocked'], memberships: admin });
  assert.deepEqual(blocked.whatCan([1, 10]), []); // `require not blocked`
  const wrongKind = table.principal({ kind: 'tenant_user', memberships: admin });
  assert.deepEqual(wrongKind.whatCan([1, 10]), []); // a role the kind may not hold
  assert.throws(() => p.whatCan([1, 10], ['business']), /`business` is not a fact/);
  assert.throws(() => p.whatCan([1, 10], ['resource.nope']), UnknownNameError);
  assert.throws(() => p.whatCan([]), RangeError);
  assert.throws(() => p.whatCan([1, 10], 'business'), TypeError);
  assert.throws(() => lattice.Principal.prototype.whatCan.call({}, [1]), TypeError);
});

test('list filters as terms and as SQL', () => {
  // Account admin at accounts [1, 10] and [1, 12] (docs/filter-list-endpoint.md).
  const p = table.principal({ kind: 'account_user', memberships: [
    { node: [1, 10], roles: ['account_admin'] }, { node: [1, 12], roles: ['account_admin'] }] });
  assert.deepEqual(p.listFilterTerms('station.view'), [
    { kind: 'subtree', node: [1, 10], exclusions: [] },
    { kind: 'subtree', node: [1, 12], exclusions: [] }]);
  const { sql, params } = p.listFilterSql('station.view', { dialect: 'postgres' });
  assert.equal(sql, '((node_key >= $1 AND node_key < $2) OR (node_key >= $3 AND node_key < $4))');
  const key = (...ids) => Buffer.concat(ids.map((id) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(id));
    return b;
  }));
  assert.deepEqual(params, [key(1, 10), key(1, 11), key(1, 12), key(1, 13)]);
  const lite = p.listFilterSql('station.view', { dialect: 'sqlite', column: 's.key', firstParam: 3 });
  assert.ok(lite.sql.startsWith('((s.key >= ?3 AND s.key < ?4) OR'));
  for (const [target, allowed] of [[[1, 10, 5], true], [[1, 11], false], [[1], false], [[1, 12], true]])
    assert.equal(p.decide('station.view', target).allowed, allowed);
  const blocked = table.principal({ kind: 'account_user', memberships: adminAtAccount, flags: ['blocked'] });
  assert.deepEqual(blocked.listFilterTerms('station.view'), []);
  assert.deepEqual(blocked.listFilterSql('station.view', { dialect: 'sqlite' }), { sql: '0', params: [] });
});

test('list filters refuse what they cannot express', () => {
  const p = table.principal({ kind: 'account_user', memberships: adminAtAccount });
  assert.throws(() => p.listFilterSql('station.view', { dialect: 'postgres', column: 'k; DROP TABLE t' }),
                /not a plain column name/);
  assert.throws(() => p.listFilterSql('station.view', { dialect: 'mysql' }), /unknown SQL dialect/);
  assert.throws(() => p.listFilterTerms('station.teleport'), UnknownNameError);
  const named = table.principal({ kind: 'account_user', memberships: [{ node: ['acme'], roles: ['account_admin'] }] });
  assert.throws(() => named.listFilterTerms('station.view'), /numeric node ids/);
});

test('whoCan lists exactly the roles decideAt allows, and their user types', () => {
  for (const permission of table.permissions) {
    for (const relation of ['self', 'descendants', 'ancestors', 'elsewhere']) {
      for (const flags of [[], ['business'], ['blocked']]) {
        const answer = table.whoCan({ permission, relation, flags });
        const roles = new Set();
        const kinds = new Set();
        for (const kind of table.kinds) {
          for (const role of table.roles) {
            if (table.decideAt({ kind, roles: [role], permission, relation, flags }).allowed) {
              roles.add(role);
              kinds.add(kind);
            }
          }
        }
        assert.deepEqual(answer.roles, table.roles.filter((r) => roles.has(r)));
        assert.deepEqual(answer.ceilings, []); // the example declares no custom-role ceilings
        assert.deepEqual(answer.userTypes, table.kinds.filter((k) => kinds.has(k)));
      }
    }
  }
  // `require not blocked`: nobody.
  assert.deepEqual(table.whoCan({ permission: 'station.view', flags: ['blocked'] }),
                   { roles: [], ceilings: [], userTypes: [] });
  assert.ok(table.whoCan({ permission: 'station.view' }).roles.includes('account_admin'));
});

test('whoCan fails closed on bad names', () => {
  assert.throws(() => table.whoCan({ permission: 'station.veiw' }),
                { name: 'UnknownNameError', category: 'permission', unknownName: 'station.veiw' });
  assert.throws(() => table.whoCan({ permission: 'station.view', flags: ['blokced'] }),
                UnknownNameError);
  assert.throws(() => table.whoCan({ permission: 'station.view', relation: 'subtree' }), RangeError);
  assert.throws(() => table.whoCan('station.view'), TypeError);
  assert.deepEqual(table.whoCan({ permission: 'station.view', relation: 'none' }),
                   { roles: [], ceilings: [], userTypes: [] });
});
