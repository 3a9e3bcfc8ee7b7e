// decide.js - bench/bindings for Node: the same three requests as decide_c.c through the
// binding, on a principal built once (`principal`) and as whole requests by name (`request`).
// Times are the process's CPU time (process.cpuUsage). With CUSTOM_TABLE (custom_roles.lat of
// bindings/common/testdata), also the same requests by a principal holding the compiled role
// `account_admin` and by one holding a custom role of the same cells (`compiled`, `custom`).
// Usage: LATTICE_NODE_ADDON=build/bindings/node/lattice.node node decide.js TABLE N [CUSTOM_TABLE]
'use strict';
const { Table, CustomRoles } = require('../../bindings/node');

const REQUESTS = [['station.view', [1, 10, 100]], ['station.activate', [1, 10]], ['station.view', [1, 11]]];
const EXPECTED = [true, false, false];
const MEMBERSHIPS = [{ node: [1, 10], roles: ['account_admin'] },
                     { node: [1, 12], roles: ['account_station_admin'] }];

function bestOf(rounds, n, call) {
  let best = Infinity;
  for (let r = 0; r < rounds; ++r) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; ++i) call(...REQUESTS[i % 3]);
    const used = process.cpuUsage(start); // microseconds of the process (GC threads included)
    best = Math.min(best, ((used.user + used.system) * 1000) / n);
  }
  return best;
}

const table = Table.loadFile(process.argv[2]);
const n = Number(process.argv[3]);
const p = table.principal({ kind: 'account_user', memberships: MEMBERSHIPS });
const whole = (permission, target) =>
  table.decide({ kind: 'account_user', memberships: MEMBERSHIPS, permission, target });
const check = (f) => REQUESTS.map((r) => f(...r).allowed).join() === EXPECTED.join();
if (!check((a, b) => p.decide(a, b)) || !check(whole)) {
  console.error('decided wrongly');
  process.exit(1);
}
console.log(`node principal ${bestOf(5, n, (a, b) => p.decide(a, b)).toFixed(1)}`);
console.log(`node request ${bestOf(5, Math.max(1, n >> 2), whole).toFixed(1)}`);

if (process.argv[4]) {
  const custom = Table.loadFile(process.argv[4]);
  const roles = new CustomRoles(custom);
  roles.add('ops', 'key_role', { 'station.view': 'subtree', 'station.reset': 'subtree',
                                 'card.view': 'subtree', 'card.block': 'subtree' });
  const compiled = custom.principal({ kind: 'account_user', memberships: [{ node: [1, 10], roles: ['account_admin'] }] });
  const built = custom.principal({ kind: 'account_user', memberships: [{ node: [1, 10], roles: ['ops'] }],
                                   customRoles: roles });
  if (!check((a, b) => compiled.decide(a, b)) || !check((a, b) => built.decide(a, b))) {
    console.error('decided wrongly with a custom role');
    process.exit(1);
  }
  console.log(`node compiled ${bestOf(5, n, (a, b) => compiled.decide(a, b)).toFixed(1)}`);
  console.log(`node custom ${bestOf(5, n, (a, b) => built.decide(a, b)).toFixed(1)}`);
}
