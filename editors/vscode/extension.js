// extension.js - the VS Code client: starts `lattice lsp` (setting `lattice.path`) for `.lat`
// files through vscode-languageclient, and restarts it when the settings change.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function start() {
  const config = vscode.workspace.getConfiguration('lattice');
  const command = config.get('path', 'lattice');
  const args = ['lsp', ...config.get('serverArguments', [])];
  client = new LanguageClient('lattice', 'Lattice',
    { run: { command, args }, debug: { command, args } },
    { documentSelector: [{ scheme: 'file', language: 'lattice' }] });
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('lattice')) return;
    if (client) await client.stop();
    await start();
  }));
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
