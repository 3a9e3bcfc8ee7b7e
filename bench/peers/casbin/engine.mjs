// casbin/engine.mjs - Casbin (node) over the scenario: the model and its rules loaded once, then
// every fact as a grouping row; per request one enforceSync with the user's node and tenant.
import fs from 'node:fs';

const MODEL = new URL('./model.conf', import.meta.url);
const POLICY = new URL('./policy.csv', import.meta.url);

export async function loadPolicy(require) {
  const casbin = require('casbin');
  const rules = fs.readFileSync(POLICY, 'utf8');
  const enforcer = await casbin.newEnforcer(
    casbin.newModelFromString(fs.readFileSync(MODEL, 'utf8')), new casbin.StringAdapter(rules));
  return { casbin, enforcer, rules };
}

/// Loads the facts the way a database adapter would hand them over: as policy lines, read once.
export async function loadEntities({ casbin, enforcer, rules }, { nodes, users, resources }) {
  const lines = [rules];
  nodes.forEach((node, id) => {
    if (node.parent >= 0) lines.push(`g2, n${id}, n${node.parent}`);
    if (node.business) lines.push(`g4, n${id}, business`);
  });
  users.forEach((user, id) => {
    for (const role of user.roles) lines.push(`g, u${id}, ${role}`);
    if (user.blocked) lines.push(`g4, u${id}, blocked`);
  });
  resources.forEach((resource, id) => {
    lines.push(`g2, r${id}, n${resource.owner}`, `g3, r${id}, n${resource.owner}`);
  });
  enforcer.setAdapter(new casbin.StringAdapter(lines.join('\n')));
  await enforcer.loadPolicy();

  // The host's session data: each user's name, node and tenant; each resource's name.
  const hostUsers = users.map((user, id) => [
    `u${id}`, `n${user.node}`, `n${nodes[user.node].tenant}`,
  ]);
  const names = resources.map((_, id) => `r${id}`);
  return function decide({ user, permission, resource }) {
    const [sub, node, tenant] = hostUsers[user];
    return enforcer.enforceSync(sub, node, tenant, names[resource], permission);
  };
}
