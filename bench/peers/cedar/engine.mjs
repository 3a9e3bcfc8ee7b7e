// cedar/engine.mjs - Cedar (cedar-wasm) over the scenario: policies and schema parsed once, and per
// request the smallest entity slice that decides: principal, its node, the resource and its path.
import fs from 'node:fs';

const POLICY = new URL('./policy.cedar', import.meta.url);
const SCHEMA = new URL('./schema.cedarschema', import.meta.url);
const POLICY_SET = 'ev_bench';
const RESOURCE_TYPES = {
  station: 'Station', card: 'Card', account: 'Account', customer: 'Customer',
};

function failure(what, answer) {
  return new Error(`cedar: ${what}: ${JSON.stringify(answer.errors ?? answer.validationErrors)}`);
}

/// The policies must validate against the schema (the counterpart of `lattice check`, so untimed).
export function checkPolicy(require) {
  const cedar = require('@cedar-policy/cedar-wasm/nodejs');
  const answer = cedar.validate({
    schema: fs.readFileSync(SCHEMA, 'utf8'),
    policies: { staticPolicies: fs.readFileSync(POLICY, 'utf8') },
  });
  if (answer.type !== 'success' || answer.validationErrors.length > 0)
    throw failure('the policies do not validate', answer);
}

/// Parses the policies and the schema once into cedar-wasm's cache.
export async function loadPolicy(require) {
  const cedar = require('@cedar-policy/cedar-wasm/nodejs');
  for (const answer of [
    cedar.preparsePolicySet(POLICY_SET, { staticPolicies: fs.readFileSync(POLICY, 'utf8') }),
    cedar.preparseSchema(POLICY_SET, fs.readFileSync(SCHEMA, 'utf8')),
  ])
    if (answer.type !== 'success') throw failure('cannot parse', answer);
  return cedar;
}

/// The host's store: each entity as the JSON Cedar takes, built once. Per request the host passes
/// the smallest slice that decides correctly: the principal (its roles as parents, so no role
/// entity is needed), the principal's node (the policies read its `business`), and the resource
/// with every node above it as parents (the path a tree store keeps), so that `resource in
/// principal.node` needs no node entity and Cedar's ancestor closure has nothing to walk.
export async function loadEntities(cedar, { nodes, users, resources }) {
  const uid = (type, id) => ({ type, id: String(id) });
  const nodeEntities = nodes.map((node, id) => ({
    uid: uid('Node', id),
    attrs: { business: node.business },
    parents: [],
  }));
  const chains = []; // per node: its id and its ancestors' ids
  nodes.forEach((node, id) => chains.push(node.parent < 0 ? [id] : [id, ...chains[node.parent]]));
  const hostUsers = users.map((user, id) => {
    const entity = {
      uid: uid('User', id),
      attrs: {
        node: { __entity: uid('Node', user.node) },
        tenant: { __entity: uid('Node', nodes[user.node].tenant) },
        blocked: user.blocked,
      },
      parents: user.roles.map((name) => uid('Role', name)),
    };
    return { uid: entity.uid, entity, node: nodeEntities[user.node] };
  });
  const hostResources = resources.map((resource, id) => {
    const entity = {
      uid: uid(RESOURCE_TYPES[resource.type], id),
      attrs: { owner: { __entity: uid('Node', resource.owner) } },
      parents: chains[resource.owner].map((n) => uid('Node', n)),
    };
    return { uid: entity.uid, entity };
  });
  const actions = new Map(); // permission name -> action uid

  return function decide({ user: userId, permission, resource: resourceId }) {
    const user = hostUsers[userId];
    const resource = hostResources[resourceId];
    let action = actions.get(permission);
    if (!action) actions.set(permission, (action = uid('Action', permission)));
    const answer = cedar.statefulIsAuthorized({
      principal: user.uid,
      action,
      resource: resource.uid,
      context: {},
      preparsedPolicySetId: POLICY_SET,
      preparsedSchemaName: POLICY_SET,
      validateRequest: false,
      entities: [user.entity, user.node, resource.entity],
    });
    if (answer.type !== 'success') throw failure('authorization failed', answer);
    return answer.response.decision === 'allow';
  };
}
