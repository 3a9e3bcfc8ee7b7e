// decide.js - the Node example of docs/bindings.md (run by CTest): node decide.js TABLE
const { Table, UnknownNameError } = require('..');

const table = Table.loadFile(process.argv[2]); // or Table.fromBuffer(buf); throws LoadError
const admin = [{ node: [7, 42], roles: ['account_admin'], nodeFlags: ['business'] }];
const d = table.decide({ kind: 'account_user', memberships: admin, permission: 'station.view',
                         target: [7, 42, 1001] }); // the station's owner node, below account 42
console.log(d.allowed, d.reason, d.decidingRole, d.decidingMembership);
const p = table.principal({ kind: 'account_user', memberships: admin }); // once, then many times
console.log(p.decide('station.activate', [7, 42]).reason);
try {
  p.decide('station.fly', [7]);
} catch (e) {
  if (e instanceof UnknownNameError) console.log(e.message);
}
