// casbin/engine.mjs - Casbin (node, its CommonJS build) over the scenario: RBAC with domains, each
// role assigned in the nodes it reaches; per request one enforceSync. Two workloads: the bench
// policy (model.conf) and plain RBAC with domains (plain_model.conf).
import fs from 'node:fs';

export const WORKLOADS = ['full', 'plain'];

const FILES = {
  full: ['model.conf', 'policy.csv'],
  plain: ['plain_model.conf', 'plain_policy.csv'],
};

function read(name) {
  return fs.readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

/// role -> self | subtree | tenant, from reach.csv.
export function readReach() {
  const reach = new Map();
  for (const line of read('reach.csv').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [role, where] = line.split(',').map((field) => field.trim());
    reach.set(role, where);
  }
  return reach;
}

/// The nodes a role held at `node` reaches, per reach: the node, its subtree, its whole tree.
export function domainsOf(nodes) {
  const children = nodes.map(() => []);
  nodes.forEach((node, id) => { if (node.parent >= 0) children[node.parent].push(id); });
  const subtree = (root) => {
    const out = [];
    for (const stack = [root]; stack.length > 0;) {
      const n = stack.pop();
      out.push(n);
      stack.push(...children[n]);
    }
    return out;
  };
  const subtrees = new Map();
  const cached = (root) => {
    if (!subtrees.has(root)) subtrees.set(root, subtree(root));
    return subtrees.get(root);
  };
  return (where, node) => {
    if (where === 'self') return [node];
    if (where === 'subtree') return cached(node);
    if (where === 'tenant') return cached(nodes[node].tenant);
    throw new Error(`reach.csv: unknown reach ${where}`);
  };
}

export async function loadPolicy(require, { workload }) {
  // `require` loads the package's CommonJS build (lib/cjs); its ESM build is slower.
  const casbin = require('casbin');
  const [model, rules] = FILES[workload].map(read);
  const enforcer = await casbin.newEnforcer(
    casbin.newModelFromString(model), new casbin.StringAdapter(rules));
  return { casbin, enforcer, rules };
}

/// Loads the facts the way a database adapter would hand them over: as policy lines, read once.
export async function loadEntities({ casbin, enforcer, rules }, { nodes, users, resources },
                                   { workload }) {
  const reach = readReach();
  const domains = domainsOf(nodes);
  const lines = [rules];
  users.forEach((user, id) => {
    for (const role of user.roles) {
      const where = reach.get(role);
      if (!where) throw new Error(`reach.csv: no reach for role ${role}`);
      for (const n of domains(where, user.node)) lines.push(`g, u${id}, ${role}, n${n}`);
    }
  });
  enforcer.setAdapter(new casbin.StringAdapter(lines.join('\n')));
  await enforcer.loadPolicy();

  // The host's session data: each user's name, the plan of its node and whether it is blocked;
  // each resource's owner node by name.
  const hostUsers = users.map((user, id) => [
    `u${id}`, nodes[user.node].business ? 'business' : 'standard', user.blocked ? 'yes' : 'no',
  ]);
  const owners = resources.map((resource) => `n${resource.owner}`);
  if (workload === 'plain') {
    return function decide({ user, permission, resource }) {
      return enforcer.enforceSync(hostUsers[user][0], owners[resource], permission);
    };
  }
  return function decide({ user, permission, resource }) {
    const [sub, plan, blocked] = hostUsers[user];
    return enforcer.enforceSync(sub, owners[resource], permission, plan, blocked);
  };
}
