// The extension starts the server with `lsp --node-ipc` (vscode-languageclient's TransportKind.ipc).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { cliInvocation, type Message, type PublishDiagnosticsParams } from '../helpers/lspClient';
import { ACCEPTANCE_RULES, INSECURE_ARM } from './templates';

it('serves over node IPC as the VS Code client starts it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'brickguard-ipc-'));
  const file = join(root, 'azuredeploy.json');
  writeFileSync(file, INSECURE_ARM);
  const uri = pathToFileURL(file).href;
  const { args } = cliInvocation();
  const child = fork(args[args.length - 1], ['lsp', '--node-ipc'], { execArgv: args.slice(0, -1), stdio: 'pipe' });
  const received: Message[] = [];
  const waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  child.on('message', (m: Message) => {
    if (m.method === 'workspace/configuration' && m.id !== undefined) child.send({ jsonrpc: '2.0', id: m.id, result: [{}] });
    else if (m.method && m.id !== undefined) child.send({ jsonrpc: '2.0', id: m.id, result: null });
    received.push(m);
    for (const w of [...waiters]) if (w.match(m)) w.resolve(m);
  });
  const next = (match: (m: Message) => boolean) =>
    new Promise<Message>((resolve, reject) => {
      const found = received.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('timed out')), 15000);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  try {
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { workspace: { configuration: true } } } });
    const init = await next((m) => m.id === 1 && m.result !== undefined);
    assert.ok((init.result as { capabilities: unknown }).capabilities);
    child.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
    child.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'json', version: 1, text: INSECURE_ARM } } });
    const published = await next((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishDiagnosticsParams).uri === uri);
    assert.deepEqual((published.params as PublishDiagnosticsParams).diagnostics.map((d) => d.code).sort(), ACCEPTANCE_RULES);
    child.send({ jsonrpc: '2.0', id: 2, method: 'shutdown', params: null });
    await next((m) => m.id === 2);
    child.send({ jsonrpc: '2.0', method: 'exit', params: null });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
