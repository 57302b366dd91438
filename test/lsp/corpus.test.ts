// The language server's workspace scan over the real-world corpus agrees with the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { corpusOrSkip } from '../helpers/corpus';
import { LspClient, cliInvocation, type PublishDiagnosticsParams } from '../helpers/lspClient';

const corpus = corpusOrSkip();

it('brickguard/scanFiles over the corpus matches `brickguard scan`', { skip: 'skip' in corpus ? corpus.skip : false }, async () => {
  if (!('root' in corpus)) return;
  const folder = join(corpus.root, 'databricks');
  const { command, args } = cliInvocation();
  const cli = spawnSync(command, [...args, 'scan', folder, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(cli.stdout) as { files: unknown[]; findings: unknown[] };

  const client = new LspClient();
  await client.initialize(pathToFileURL(corpus.root).href);
  const result = await client.request<{ files: number; findings: number }>('brickguard/scanFiles', { uris: [pathToFileURL(folder).href] }, 60000);
  assert.equal(result.files, report.files.length);
  assert.equal(result.findings, report.findings.length);
  const published = client.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics');
  const withFindings = new Set(published.filter((m) => (m.params as PublishDiagnosticsParams).diagnostics.length > 0).map((m) => (m.params as PublishDiagnosticsParams).uri));
  assert.ok(withFindings.size > 10);
  const errors = client.notifications.filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 1);
  assert.deepEqual(errors.map((m) => (m.params as { message: string }).message), [], 'no errors logged');
  assert.equal(await client.stop(), 0);
});
