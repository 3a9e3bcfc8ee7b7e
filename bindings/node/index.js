// index.js - the Lattice runtime for Node.js: decide requests from compiled Lattice decision
// tables, by name. The addon (src/addon.cc) is found at LATTICE_NODE_ADDON, else beside this file
// in build/ (CMake: the lattice_node target; see docs/bindings.md).
'use strict';

const path = require('node:path');

/** Base class of the errors this module throws. */
class LatticeError extends Error {}

/** A table that did not load (corrupt, truncated, unreadable, too large): no Table exists. */
class LoadError extends LatticeError {
  constructor(message, status) {
    super(message);
    this.name = 'LoadError';
    /** the runtime's load status as a word: bad_checksum, bad_size, io_error, ... */
    this.status = status;
  }
}

/** A name (kind, role, permission, flag) the table does not have: nothing is decided. */
class UnknownNameError extends LatticeError {
  constructor(message, category, name) {
    super(message);
    this.name = 'UnknownNameError';
    this.category = category;
    this.unknownName = name;
  }
}

/** A custom role the runtime refused (nothing was added): the runtime's status as a word
 * (outside_ceiling, reach_beyond_ceiling, unknown_permission, unknown_ceiling, bad_reach, ...) and
 * the offending permission (null when no entry is at fault). */
class CustomRoleError extends LatticeError {
  constructor(message, status, role, ceiling, permission) {
    super(message);
    this.name = 'CustomRoleError';
    this.status = status;
    this.role = role;
    this.ceiling = ceiling;
    this.permission = permission;
  }
}

const addonPath = process.env.LATTICE_NODE_ADDON
  ? path.resolve(process.env.LATTICE_NODE_ADDON)
  : path.join(__dirname, 'build', 'lattice.node');
const addon = require(addonPath);
addon.setErrorClasses(LoadError, UnknownNameError, CustomRoleError);
const { Table, Principal, CustomRoles } = addon;

// The addon leaves each decision in four numbers (allowed, reason, deciding role id, deciding
// membership); the object is built here, with the names of the table that decided.
const out = addon.decision;
const NONE = 0xffffffff;
const REASONS = addon.reasons; // the runtime's reasons as words, by number

// Per table: its role names by id and its permission ids by name, read once.
const vocabularies = new WeakMap();
function vocabularyOf(table) {
  let v = vocabularies.get(table);
  if (v === undefined) {
    v = { policy: table.policyName, roles: table.roles,
          permissions: new Map(table.permissions.map((name, id) => [name, id])) };
    vocabularies.set(table, v);
  }
  return v;
}

const CUSTOM_ROLE = 0x80000000; // LATTICE_CUSTOM_ROLE | i: role i of the request's set

// Per custom role set: its role names by index, kept here as `add` succeeds (the runtime gives
// role i of a set the id CUSTOM_ROLE | i), so naming a deciding role costs no native call.
const customNames = new WeakMap();

Object.defineProperty(CustomRoles.prototype, 'add', {
  value: function add(name, ceiling, permissions) {
    const added = this._add(name, ceiling, permissions); // throws before anything is added
    let names = customNames.get(this);
    if (names === undefined) customNames.set(this, (names = []));
    names.push(added);
    return added;
  },
});

function readDecision(v, custom) {
  let role = null;
  if (out[2] !== NONE) {
    role = out[2] < CUSTOM_ROLE ? v.roles[out[2]] ?? null
      : (custom && customNames.get(custom)?.[out[2] - CUSTOM_ROLE]) ?? null;
  }
  return {
    allowed: out[0] === 1,
    reason: REASONS[out[1]] ?? 'unknown',
    decidingRole: role,
    decidingMembership: out[3] === NONE ? null : out[3],
  };
}

Object.defineProperties(Table.prototype, {
  /** Decides one request of a principal with memberships. */
  decide: { value: function decide(request) {
    this._decide(request);
    return readDecision(vocabularyOf(this), request.customRoles);
  } },
  /** Decides for roles held at one node, given the target's relation to it. */
  decideAt: { value: function decideAt(request) {
    this._decideAt(request);
    return readDecision(vocabularyOf(this));
  } },
  /** A principal resolved once against this table; it keeps the table alive. */
  principal: { value: function principal(spec) {
    const p = this._principal(spec);
    Object.defineProperty(p, 'table', { value: this, enumerable: true });
    Object.defineProperty(p, 'customRoles', { value: spec.customRoles ?? null, enumerable: true });
    return p;
  } },
});

Object.defineProperty(Principal.prototype, 'decide', { value: function decide(permission, target, facts) {
  if (!(this.table instanceof Table)) throw new TypeError('use table.principal(...)');
  if (typeof permission !== 'string') throw new TypeError('permission must be a string');
  const v = vocabularyOf(this.table);
  const id = v.permissions.get(permission);
  if (id === undefined) {
    throw new UnknownNameError(`unknown permission \`${permission}\` in policy \`${v.policy}\``,
                               'permission', permission);
  }
  this._decide(id, target, facts);
  return readDecision(v, this.customRoles);
} });

/** The relation of the target node to a node, both as paths: self, descendants, ancestors,
 * elsewhere or none (another tree). */
const relation = addon.relation;

module.exports = { Table, Principal, CustomRoles, LatticeError, LoadError, UnknownNameError,
                   CustomRoleError, relation };
