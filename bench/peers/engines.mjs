// engines.mjs - runs one node engine of the side-by-side harness (Cedar, Casbin, SpiceDB or the
// hand-written JS check) over a scenario: answers to a file, one JSON stats line on stdout.
//
// node engines.mjs --engine cedar|casbin|js|js-names|spicedb|spicedb-bulk --scenario DIR
//     --node-modules DIR --out ANSWERS [--workload full|plain] [--batch 1000] [--min-seconds 0]
//     [--max-seconds 0]
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  oneByOne, readEntities, readRequests, statsLine, timeBatches, timeMs, writeAnswers,
} from './common.mjs';

// Engine name -> its folder and the variant it runs (SpiceDB: one check per call, or bulk).
const ENGINES = {
  cedar: ['cedar'], casbin: ['casbin'], js: ['js'], 'js-names': ['js', 'names'],
  spicedb: ['spicedb', 'check'], 'spicedb-bulk': ['spicedb', 'bulk'],
};

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string' },
    scenario: { type: 'string' },
    'node-modules': { type: 'string' },
    out: { type: 'string' },
    workload: { type: 'string', default: 'full' },
    batch: { type: 'string', default: '1000' },
    'min-seconds': { type: 'string', default: '0' },
    'max-seconds': { type: 'string', default: '0' },
  },
});
for (const name of ['engine', 'scenario', 'out'])
  if (!args[name]) throw new Error(`engines.mjs: --${name} is required`);
if (!(args.engine in ENGINES)) throw new Error(`engines.mjs: unknown engine ${args.engine}`);
if (ENGINES[args.engine][0] !== 'js' && !args['node-modules'])
  throw new Error('engines.mjs: --node-modules is required for ' + args.engine);
const [folder, variant] = ENGINES[args.engine];
const engine = await import(`./${folder}/engine.mjs`);
if (!(engine.WORKLOADS ?? ['full']).includes(args.workload))
  throw new Error(`engines.mjs: ${args.engine} has no ${args.workload} workload`);

// The npm packages come from the given node_modules folder (bench/peers/package-lock.json).
const modules = args['node-modules'] ?? '.';
const require = createRequire(path.join(path.resolve(modules, '..'), 'noop.js'));
const options = { workload: args.workload, variant, modules: path.resolve(modules) };

engine.checkPolicy?.(require, options); // the counterpart of `lattice check`: not part of loading
const policy = await timeMs(() => engine.loadPolicy(require, options));
const ready = await timeMs(
  () => engine.loadEntities(policy.value, readEntities(args.scenario), options));
const decider = ready.value;
// An engine may take the requests in another form (js-names: by name, as a service receives
// them); converted here, outside the timing, as lattice_driver --names builds its requests.
const requests = readRequests(args.scenario);
const asked = engine.requestsFor ? engine.requestsFor(requests, options) : requests;
const timing = await timeBatches(
  asked, typeof decider === 'function' ? oneByOne(decider) : decider.batch,
  {
    batch: Number(args.batch), minSeconds: Number(args['min-seconds']),
    maxSeconds: Number(args['max-seconds']),
  });
await decider.close?.();
writeAnswers(args.out, timing.answers);
console.log(statsLine(args.engine, policy.ms, ready.ms, timing.stats));
