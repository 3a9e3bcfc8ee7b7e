// engines.mjs - runs one node engine of the side-by-side harness (Cedar, Casbin or the hand-written
// JS check) over a scenario: answers to a file, one JSON stats line on stdout.
//
// node engines.mjs --engine cedar|casbin|js --scenario DIR --node-modules DIR --out ANSWERS
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  readEntities, readRequests, statsLine, timeDecisions, timeMs, writeAnswers,
} from './common.mjs';

const ENGINES = ['cedar', 'casbin', 'js'];

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string' },
    scenario: { type: 'string' },
    'node-modules': { type: 'string' },
    out: { type: 'string' },
    batch: { type: 'string', default: '1000' },
  },
});
for (const name of ['engine', 'scenario', 'out'])
  if (!args[name]) throw new Error(`engines.mjs: --${name} is required`);
if (!ENGINES.includes(args.engine)) throw new Error(`engines.mjs: unknown engine ${args.engine}`);
if (args.engine !== 'js' && !args['node-modules'])
  throw new Error('engines.mjs: --node-modules is required for ' + args.engine);

// The npm packages come from the given node_modules folder (bench/peers/package-lock.json).
const modules = args['node-modules'] ?? '.';
const require = createRequire(path.join(path.resolve(modules, '..'), 'noop.js'));
const engine = await import(`./${args.engine}/engine.mjs`);

engine.checkPolicy?.(require); // the counterpart of `lattice check`: not part of loading
const policy = await timeMs(() => engine.loadPolicy(require));
const ready = await timeMs(() => engine.loadEntities(policy.value, readEntities(args.scenario)));
const timing = timeDecisions(readRequests(args.scenario), ready.value, Number(args.batch));
writeAnswers(args.out, timing.answers);
console.log(statsLine(args.engine, policy.ms, ready.ms, timing.stats));
