// cedar_validate.mjs - times Cedar's validator (`validate` of @cedar-policy/cedar-wasm) on one
// policy set and schema; the Cedar side of the compile-side comparison with `lattice check`.
// Usage: node cedar_validate.mjs NODE_DIR POLICY.cedar SCHEMA.cedarschema
//   NODE_DIR holds node_modules (bench/peers' packages). Prints one JSON object: validate_s (the
//   in-process time of the validate call, which parses policies and schema, like `check` does),
//   policies, errors, warnings. Exits 1 if validation fails or reports an error.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

const [dir, policyFile, schemaFile] = process.argv.slice(2);
if (!schemaFile) {
  console.error('usage: node cedar_validate.mjs NODE_DIR POLICY.cedar SCHEMA.cedarschema');
  process.exit(2);
}
// Resolve the package from NODE_DIR, not from this script's folder (it has no node_modules).
const require = createRequire(path.join(path.resolve(dir), 'noop.js'));
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const call = {
  validationSettings: {mode: 'strict'},
  schema: fs.readFileSync(schemaFile, 'utf8'),
  policies: {staticPolicies: fs.readFileSync(policyFile, 'utf8')},
};
const start = process.hrtime.bigint();
const answer = cedar.validate(call);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

if (answer.type !== 'success') {
  console.error(JSON.stringify(answer.errors.slice(0, 5), null, 2));
  process.exit(1);
}
const policies = (call.policies.staticPolicies.match(/^(permit|forbid) /gm) || []).length;
console.log(JSON.stringify({
  validate_s: seconds,
  policies,
  errors: answer.validationErrors.length,
  warnings: answer.validationWarnings.length,
  cedar_version: cedar.getCedarSDKVersion(),
}));
if (answer.validationErrors.length > 0) {
  console.error(JSON.stringify(answer.validationErrors.slice(0, 5), null, 2));
  process.exit(1);
}
