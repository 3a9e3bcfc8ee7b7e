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

const addonPath = process.env.LATTICE_NODE_ADDON || path.join(__dirname, 'build', 'lattice.node');
const addon = require(addonPath);
addon.setErrorClasses(LoadError, UnknownNameError);

module.exports = {
  Table: addon.Table,
  Principal: addon.Principal,
  LatticeError,
  LoadError,
  UnknownNameError,
};
