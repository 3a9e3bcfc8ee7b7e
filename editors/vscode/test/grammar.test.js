// grammar.test.js - the TextMate grammar tokenized by vscode-textmate with the Oniguruma WASM
// engine (what VS Code itself uses) over a sample: each named token gets its scope.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const SAMPLE = `policy ev_charging; // a comment with é and 😀
import std.tenancy;
/* a block
   comment */
resource station "Stations – Übersicht" owned_by account {
  view "View";
}
// lattice: allow(dead-permission) "nobody holds it"
role tenant_admin "Tenant admin" for tenant_user extends support {
  allow station.{view, reset} in subtree when business and not blocked;
  deny card.* in self;
}
test "t" {
  node a: account;
  allow tenant_admin: station.view on *;
}
`;

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.lattice') return null;
      const file = path.join(__dirname, '..', 'syntaxes', 'lattice.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.lattice');
}

/** Every (text, innermost scope) of the sample, line by line. */
function tokenize(grammar, text) {
  const out = [];
  let state = textmate.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens)
      out.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    state = result.ruleStack;
  }
  return out;
}

test('the grammar scopes each kind of token', async () => {
  const grammar = await loadGrammar();
  const tokens = tokenize(grammar, SAMPLE);
  const scopeOf = (text, nth = 0) => {
    const found = tokens.filter((t) => t.text.trim() === text)[nth];
    assert.ok(found, `a token \`${text}\` in ${JSON.stringify(tokens.map((t) => t.text))}`);
    return found.scopes.join(' ');
  };
  assert.match(scopeOf('policy'), /keyword\.other\.lattice/);
  assert.match(scopeOf('ev_charging'), /entity\.name\.namespace/);
  assert.match(scopeOf('a comment with é and 😀'), /comment\.line\.double-slash/);
  assert.match(scopeOf('comment'), /comment\.block/);
  assert.match(scopeOf('station'), /entity\.name\.type\.lattice/); // declared
  assert.match(scopeOf('Stations – Übersicht'), /string\.quoted\.double/);
  assert.match(scopeOf('owned_by'), /keyword\.other/);
  assert.match(scopeOf('dead-permission'), /constant\.other\.warning-group/);
  assert.match(scopeOf('role'), /storage\.type/);
  assert.match(scopeOf('tenant_admin'), /entity\.name\.type\.lattice/);
  assert.match(scopeOf('extends'), /keyword\.other/);
  assert.match(scopeOf('allow'), /keyword\.other\.suppression/); // in the comment
  assert.match(scopeOf('allow', 1), /keyword\.control\.effect/);
  assert.match(scopeOf('station', 1), /entity\.name\.type\.resource/); // in a pattern
  assert.match(scopeOf('subtree'), /constant\.language\.relation/);
  assert.match(scopeOf('not'), /keyword\.operator\.logical/);
  assert.match(scopeOf('deny'), /keyword\.control\.effect/);
  assert.match(scopeOf('*', 0), /variable\.other\.member\.action|keyword\.operator\.wildcard/);
  assert.match(scopeOf('a'), /entity\.name\.variable/); // a test node
  // Nothing after a comment's end leaks into the comment.
  assert.match(scopeOf('import'), /keyword\.other\.lattice/);
});
