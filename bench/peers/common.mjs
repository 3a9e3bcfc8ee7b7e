// common.mjs - what the node engines share: the scenario reader, the timed loop over batches and
// the stats line, so every engine is measured the same way as lattice_driver.cpp measures Lattice.
import fs from 'node:fs';
import path from 'node:path';

function lines(dir, name) {
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => line.split(' '));
}

/// The entities of a scenario (bench/scenario/README.md), ids as array positions.
export function readEntities(dir) {
  const nodes = lines(dir, 'nodes.txt').map(([, parent, kind, business]) => ({
    parent: Number(parent), kind, business: business === '1',
  }));
  const users = lines(dir, 'users.txt').map(([, kind, node, blocked, roles]) => ({
    kind, node: Number(node), blocked: blocked === '1', roles: roles.split(','),
  }));
  const resources = lines(dir, 'resources.txt').map(([, type, owner]) => ({
    type, owner: Number(owner),
  }));
  // A host knows each node's tenant; computed once, parents come before children.
  nodes.forEach((node, id) => {
    node.tenant = node.parent < 0 ? id : nodes[node.parent].tenant;
  });
  return { nodes, users, resources };
}

/// Requests as they reach a host: user id, permission name, resource id.
export function readRequests(dir) {
  return lines(dir, 'requests.txt').map(([user, permission, resource]) => ({
    user: Number(user), permission, resource: Number(resource),
  }));
}

function peakRssKib() {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const match = /VmHWM:\s*(\d+)/.exec(status);
  return match ? Number(match[1]) : -1;
}

/// Nearest-rank percentile of sorted values, as lattice_driver.cpp computes it.
function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  const rank = Math.min(Math.max(Math.ceil(q * sorted.length), 1), sorted.length);
  return sorted[rank - 1];
}

/// The timing fields of the stats line from each batch's ns per decision (all passes).
function timingFields(batchNs, totalNs, decisions, passes) {
  batchNs.sort((a, b) => a - b);
  return {
    decisions_per_s: decisions === 0 ? 0 : Math.round((decisions * 1e9) / totalNs),
    ns_mean: decisions === 0 ? 0 : totalNs / decisions,
    ns_p50: percentile(batchNs, 0.5),
    ns_p99: percentile(batchNs, 0.99),
    passes,
    timed_s: totalNs / 1e9,
  };
}

/// Answers every request in batches, timing each batch: one untimed pass over the first batch
/// first (the JIT warms up, as a long-running host would be), then passes over all requests until
/// at least `minSeconds` of timed work (one pass at least), so that the median batch rests on
/// enough work to be stable. `decideBatch(requests, begin, end, answers)` answers requests
/// [begin, end) into `answers` and may return a promise (engines with an asynchronous API).
/// Every pass must give the same answers. Returns the answers and the timing fields.
///
/// `maxSeconds` (0: none) bounds an engine too slow for one pass: the first pass stops after the
/// batch that brings the timed work to it, and the answers are those of the requests asked so
/// far, in order (SpiceDB takes over 100 ms a check at the large size: 100,000 requests would
/// take hours). The requests are drawn independently, so a prefix is a fair sample of them; the
/// engine's caches are colder on it than over a full pass.
export async function timeBatches(requests, decideBatch,
  { batch = 1000, minSeconds = 0, maxSeconds = 0 } = {}) {
  const answers = new Uint8Array(requests.length);
  await decideBatch(requests, 0, Math.min(batch, requests.length), answers);
  const batchNs = [];
  let totalNs = 0, passes = 0, asked = requests.length;
  const again = new Uint8Array(requests.length);
  do {
    const out = passes === 0 ? answers : again;
    for (let begin = 0; begin < asked; begin += batch) {
      const end = Math.min(begin + batch, asked);
      const t0 = process.hrtime.bigint();
      await decideBatch(requests, begin, end, out);
      const ns = Number(process.hrtime.bigint() - t0);
      totalNs += ns;
      batchNs.push(ns / (end - begin));
      if (passes === 0 && maxSeconds > 0 && totalNs >= maxSeconds * 1e9) asked = end;
    }
    if (passes > 0 && out.some((a, i) => i < asked && a !== answers[i]))
      throw new Error(`pass ${passes + 1} answered differently from the first`);
    ++passes;
    // A pass cut short by maxSeconds is the only pass.
  } while (totalNs < minSeconds * 1e9 && asked === requests.length && asked > 0);
  const stats = timingFields(batchNs, totalNs, asked * passes, passes);
  return { answers: answers.subarray(0, asked), stats: { ...stats, answered: asked } };
}

/// The batch function of an engine that answers one request at a time with a plain function.
export function oneByOne(decide) {
  return (requests, begin, end, answers) => {
    for (let i = begin; i < end; ++i) answers[i] = decide(requests[i]) ? 1 : 0;
  };
}

/// Milliseconds taken by `fn` (awaited).
export async function timeMs(fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export function writeAnswers(file, answers) {
  fs.writeFileSync(file, Array.from(answers, (a) => (a ? '1\n' : '0\n')).join(''));
}

export function statsLine(name, loadMs, entitiesMs, timing) {
  const round = (x, digits) => Number(x.toFixed(digits));
  return JSON.stringify({
    name,
    load_ms: round(loadMs, 3),
    entities_ms: round(entitiesMs, 3),
    decisions_per_s: timing.decisions_per_s,
    ns_mean: round(timing.ns_mean, 2),
    ns_p50: round(timing.ns_p50, 2),
    ns_p99: round(timing.ns_p99, 2),
    passes: timing.passes,
    answered: timing.answered,
    timed_s: round(timing.timed_s, 3),
    peak_rss_kib: peakRssKib(),
  });
}
