// types.test.ts - index.d.ts checked by the TypeScript compiler (bindings.node.types): typical
// uses compile under --strict, and misuses are errors (each @ts-expect-error must be one).
import {
  CustomRoleError, CustomRoles, Decision, FilterTerm, LoadError, Membership, Principal, Table, UnknownNameError, WhoCan, relation,
} from '..';

const table: Table = Table.loadFile('policy.ltab', { maxBytes: 1 << 20 });
const memberships: Membership[] = [{ node: [7, 'eu', 42n], roles: ['account_admin'], nodeFlags: ['business'] }];
const d: Decision = table.decide({ kind: 'account_user', memberships, permission: 'station.view', target: [7] });
const allowed: boolean = d.allowed;
const role: string | null = d.decidingRole;
const p: Principal = table.principal({ kind: 'account_user', flags: [], memberships });
const same: Table = p.table;
const reason: 'allowed' | 'no_allow' | string = p.decide('station.view', [7, 42]).reason;
const can: string[] = p.whatCan([7, 42], ['resource.archived']);
const r: 'self' | 'descendants' | 'ancestors' | 'elsewhere' | 'none' = relation([7], [7, 42]);
const ok: boolean = table.canAssign(['account_owner'], 'driver', ['business']);
const at = table.decideAt({ kind: 'account_user', roles: ['account_admin'], permission: 'station.view', relation: 'descendants' });
const fingerprint: bigint = table.fingerprint;
const revision: string = table.revision;
const names: string[] = [...table.kinds, ...table.roles, ...table.permissions, ...table.flags, table.policyName];
try {
  Table.fromBuffer(new Uint8Array(0));
} catch (e) {
  if (e instanceof LoadError) console.log(e.status);
  if (e instanceof UnknownNameError) console.log(e.category, e.unknownName);
}
const keys = new CustomRoles(table);
const key: string = keys.add('ci_key', 'key_role', { 'station.view': 'subtree', 'card.block': ['self', 'descendants'] });
keys.add('other', 'key_role', [['station.view', 'tenant']]);
const kp: Principal = table.principal({ kind: 'api_key', memberships: [{ node: [7], roles: [key] }], customRoles: keys });
const held: CustomRoles | null = kp.customRoles;
const creatable: boolean = table.canCreate(['account_admin'], 'key_role');
const reach: ('self' | 'descendants' | 'ancestors' | 'elsewhere' | 'none')[] = table.ceilingReach('key_role', 'station.view');
const custom: string[] = [...table.ceilings, ...table.ceilingKinds('key_role'), ...keys.names, keys.ceilingOf(key)];
try {
  keys.add('bad', 'key_role', { 'station.fly': 'self' });
} catch (e) {
  if (e instanceof CustomRoleError) console.log(e.status, e.permission, e.ceiling, e.role);
}
// @ts-expect-error: a reach is a reach word
keys.add('bad', 'key_role', { 'station.view': 'everywhere' });
// @ts-expect-error: customRoles is a CustomRoles set, not a name
table.decide({ kind: 'api_key', memberships: [], permission: 'x', target: [7], customRoles: 'ci_key' });
console.log(held, creatable, reach, custom, keys.size, keys.has(key), keys.reach(key, 'station.view'));
// @ts-expect-error: a relation word is one of five
table.decideAt({ kind: 'account_user', roles: [], permission: 'x', relation: 'below' });
// @ts-expect-error: a target is a path, not a string
p.decide('station.view', '7/42');
// @ts-expect-error: what-can takes a target path, not a permission
p.whatCan('station.view', [7]);
// @ts-expect-error: memberships are required
table.principal({ kind: 'account_user' });
const terms: FilterTerm[] = p.listFilterTerms('station.view', ['request.mfa_used']);
const where: { sql: string; params: Uint8Array[] } = p.listFilterSql('station.view', { dialect: 'postgres', column: 'node_key' });
// @ts-expect-error: the dialects are postgres and sqlite
p.listFilterSql('station.view', { dialect: 'mysql' });
// @ts-expect-error: tables are made by loadFile or fromBuffer
new Table();
const who: WhoCan = table.whoCan({ permission: 'station.view', relation: 'descendants', flags: ['business'] });
const whoNames: string[] = [...who.roles, ...who.ceilings, ...who.userTypes];
// @ts-expect-error: who-can asks about one relation word, not a reach
table.whoCan({ permission: 'station.view', relation: 'subtree' });
console.log(allowed, role, same, reason, can, r, ok, at, names, fingerprint, revision, terms, where, whoNames);
