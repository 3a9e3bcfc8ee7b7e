// session.test.js - an editor session against the real `lattice lsp`, through vscode-jsonrpc
// (the JSON-RPC layer of VS Code's language client): open an example, type a typo, take the
// "did you mean" code action, hover, jump, find references, rename, format. Bounded in time;
// the server process is killed whatever happens.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-jsonrpc/node');

const lattice = process.env.LATTICE_BIN;
const examples = process.env.LATTICE_EXAMPLES;
const TIMEOUT = 60_000;

// Positions as the protocol's default encoding counts them: UTF-16 units, as JS strings do.
function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
function offsetAt(text, position) {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + position.character;
}
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const edit of sorted)
    text = text.slice(0, offsetAt(text, edit.range.start)) + edit.newText + text.slice(offsetAt(text, edit.range.end));
  return text;
}

test('an editor session with lattice lsp', { timeout: TIMEOUT }, async () => {
  assert.ok(lattice && examples, 'LATTICE_BIN and LATTICE_EXAMPLES are set');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lattice-lsp-'));
  for (const name of ['policy.lat', 'tests.lat'])
    fs.copyFileSync(path.join(examples, 'ev_charging', name), path.join(dir, name));
  const server = spawn(lattice, ['lsp', '--debounce', '50'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const published = []; // every publishDiagnostics, in order
  const waiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    published.push(params);
    for (const waiter of [...waiters]) if (waiter.match(params)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(params);
    }
  });
  connection.listen();
  const diagnosticsFor = (uri, version) => {
    const seen = published.find((p) => p.uri === uri && p.version === version);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ match: (p) => p.uri === uri && p.version === version, resolve }));
  };

  try {
    const init = await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {},
    });
    assert.strictEqual(init.capabilities.positionEncoding, 'utf-16');
    assert.strictEqual(init.capabilities.textDocumentSync.change, 2);
    connection.sendNotification('initialized', {});

    const policyPath = path.join(fs.realpathSync(dir), 'policy.lat');
    const uri = pathToFileURL(policyPath).href;
    const testsUri = pathToFileURL(path.join(fs.realpathSync(dir), 'tests.lat')).href;
    let text = fs.readFileSync(policyPath, 'utf8');
    let version = 1;
    connection.sendNotification('textDocument/didOpen',
      { textDocument: { uri, languageId: 'lattice', version, text } });
    const baseline = (await diagnosticsFor(uri, version)).diagnostics;
    assert.ok(baseline.every((d) => d.severity !== 1), 'the example has no error');

    // Type a typo: delete one `p` of `technical_support` in an `assigns` (an incremental change).
    const typoAt = text.indexOf('assigns technical_support') + 'assigns technical_su'.length;
    const edit = { range: { start: positionAt(text, typoAt), end: positionAt(text, typoAt + 1) }, text: '' };
    text = text.slice(0, typoAt) + text.slice(typoAt + 1);
    connection.sendNotification('textDocument/didChange',
      { textDocument: { uri, version: ++version }, contentChanges: [edit] });
    const withTypo = (await diagnosticsFor(uri, version)).diagnostics;
    const unknown = withTypo.find((d) => d.severity === 1 && d.message.includes('technical_suport'));
    assert.ok(unknown, `an error names the typo: ${JSON.stringify(withTypo)}`);
    assert.strictEqual(unknown.source, 'lattice');
    assert.match(unknown.code, /^L0\d{3}$/);
    assert.deepStrictEqual(unknown.range.start, positionAt(text, typoAt - 'technical_su'.length));

    // Its "did you mean" code action, applied as an editor does.
    const actions = await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] },
    });
    const fix = actions.find((a) => a.title.includes('technical_support'));
    assert.ok(fix, `a quick fix: ${JSON.stringify(actions)}`);
    assert.strictEqual(fix.kind, 'quickfix');
    const fixEdits = fix.edit.changes[uri];
    assert.strictEqual(fixEdits.length, 1);
    connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: fixEdits.map((e) => ({ range: e.range, text: e.newText })),
    });
    text = applyEdits(text, fixEdits);
    assert.strictEqual(text, fs.readFileSync(policyPath, 'utf8'));
    const fixed = (await diagnosticsFor(uri, version)).diagnostics;
    assert.deepStrictEqual(fixed.map((d) => d.code), baseline.map((d) => d.code), 'diagnostics clear');

    // Hover a role at its declaration: its user types and what it is allowed, per relation.
    const declAt = text.indexOf('role technical_support') + 'role '.length + 3;
    const hover = await connection.sendRequest('textDocument/hover',
      { textDocument: { uri }, position: positionAt(text, declAt) });
    assert.match(hover.contents.value, /\*\*role\*\* `technical_support`/);
    assert.match(hover.contents.value, /Technical support/);
    assert.match(hover.contents.value, /- `self`: .*`station\.view`/);

    // Jump from the use in `assigns` to the declaration.
    const useAt = text.indexOf('assigns technical_support') + 'assigns '.length + 2;
    const definition = await connection.sendRequest('textDocument/definition',
      { textDocument: { uri }, position: positionAt(text, useAt) });
    assert.strictEqual(definition.uri, uri);
    assert.deepStrictEqual(definition.range.start,
      positionAt(text, text.indexOf('role technical_support') + 'role '.length));

    // References: the declaration, uses in the policy and in tests.lat (not open, read from disk).
    const references = await connection.sendRequest('textDocument/references',
      { textDocument: { uri }, position: positionAt(text, useAt), context: { includeDeclaration: true } });
    const inTests = references.filter((r) => r.uri === testsUri).length;
    const inPolicy = references.filter((r) => r.uri === uri).length;
    const testsText = fs.readFileSync(path.join(dir, 'tests.lat'), 'utf8');
    assert.strictEqual(inTests, (testsText.match(/\btechnical_support\b/g) || []).length);
    assert.strictEqual(inPolicy, (text.match(/\btechnical_support\b/g) || []).length);

    // Rename: refused onto another role's name or a keyword, then done across both files.
    await assert.rejects(connection.sendRequest('textDocument/rename',
      { textDocument: { uri }, position: positionAt(text, useAt), newName: 'support_agent' }),
      /already the name of a role/);
    await assert.rejects(connection.sendRequest('textDocument/rename',
      { textDocument: { uri }, position: positionAt(text, useAt), newName: 'allow' }),
      /keyword/);
    const renamed = await connection.sendRequest('textDocument/rename',
      { textDocument: { uri }, position: positionAt(text, useAt), newName: 'tech_support' });
    assert.strictEqual(renamed.changes[uri].length, inPolicy);
    assert.strictEqual(renamed.changes[testsUri].length, inTests);
    const newTests = applyEdits(testsText, renamed.changes[testsUri]);
    connection.sendNotification('textDocument/didOpen',
      { textDocument: { uri: testsUri, languageId: 'lattice', version: 1, text: newTests } });
    text = applyEdits(text, renamed.changes[uri]);
    connection.sendNotification('textDocument/didChange',
      { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    assert.ok(!/\btechnical_support\b/.test(text + newTests));
    const afterRename = (await diagnosticsFor(uri, version)).diagnostics;
    assert.deepStrictEqual(afterRename.map((d) => d.code), baseline.map((d) => d.code));

    // Symbols of the document: roles and resources with their actions.
    const symbols = await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.some((s) => s.name === 'tech_support'));
    const station = symbols.find((s) => s.name === 'station');
    assert.ok(station.children.some((c) => c.name === 'view'));

    // Completion after `extends ` offers roles.
    const completion = await connection.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: positionAt(text, text.indexOf('assigns tech_support') + 'assigns '.length) });
    assert.ok(completion.some((c) => c.label === 'account_owner'));
    assert.ok(!completion.some((c) => c.label === 'station'));

    // Formatting: a line indented wrongly comes back; the edit is the whole document.
    const messy = text.replace('\n  view "View dashboard";', '\n        view   "View dashboard" ;');
    assert.notStrictEqual(messy, text);
    connection.sendNotification('textDocument/didChange',
      { textDocument: { uri, version: ++version }, contentChanges: [{ text: messy }] });
    const formatEdits = await connection.sendRequest('textDocument/formatting',
      { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.strictEqual(formatEdits.length, 1);
    const formatted = applyEdits(messy, formatEdits);
    assert.ok(formatted.includes('\n  view "View dashboard";'));
    const cli = spawnSync(lattice, ['fmt', '-'], { input: messy, encoding: 'utf8' });
    assert.strictEqual(cli.status, 0);
    assert.strictEqual(formatted, cli.stdout, 'the same text as `lattice fmt`');

    // A warning (a flag no condition reads) and its "suppress with a reason" action: the
    // comment it inserts is one the compiler accepts, so the warning goes and nothing replaces it.
    text = formatted.replace('flag business on account, subaccount;',
      'flag business on account, subaccount;\nflag spare on account;');
    connection.sendNotification('textDocument/didChange',
      { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    const withWarning = (await diagnosticsFor(uri, version)).diagnostics;
    const unused = withWarning.find((d) => d.code === 'L0117');
    assert.ok(unused, `the unused flag is reported: ${JSON.stringify(withWarning)}`);
    assert.strictEqual(unused.severity, 2);
    const suppress = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: unused.range, context: { diagnostics: [unused] },
    })).find((a) => a.title.includes('suppress'));
    assert.ok(suppress, 'a suppression is offered');
    text = applyEdits(text, suppress.edit.changes[uri]);
    assert.ok(text.includes('// lattice: allow(unused-flag) "'));
    connection.sendNotification('textDocument/didChange',
      { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    const suppressed = (await diagnosticsFor(uri, version)).diagnostics;
    assert.deepStrictEqual(suppressed.map((d) => d.code), baseline.map((d) => d.code));

    await connection.sendRequest('shutdown');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    connection.sendNotification('exit');
    assert.strictEqual(await exited, 0);
  } finally {
    connection.dispose();
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
