// The language server as an editor drives it: RSS with every file of corpus/databricks open, and
// didChange → publishDiagnostics on a 5,000-line file against the bare analysis of the same text
// in this process (the server's debounce subtracted), in the same run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzePath, diskHost, overlayHost } from '../server/src/engine';
import { LspClient, type PublishDiagnosticsParams } from '../test/helpers/lspClient';
import { corpusOrSkip } from '../test/helpers/corpus';
import { reportJson } from './report';

const DEBOUNCE_MS = 200; // server/src/lsp/server.ts

function languageOf(path: string): string {
  if (path.endsWith('.bicepparam')) return 'bicepparam';
  if (path.endsWith('.bicep')) return 'bicep';
  if (path.endsWith('.tfvars')) return 'terraform-vars';
  if (path.endsWith('.tf')) return 'terraform';
  return 'json';
}

function supported(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) supported(p, out);
    else if (/\.(bicep|bicepparam|tf|tfvars|json)$/i.test(e.name)) out.push(p);
  }
  return out;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const corpus = corpusOrSkip();
  if ('skip' in corpus) {
    console.log(`lsp: ${corpus.skip}`);
    reportJson({ lsp_vs_bare: null, server_rss_mb: null });
    return;
  }
  // 1. RSS with the whole Databricks corpus open.
  const root = join(corpus.root, 'databricks');
  const client = new LspClient();
  await client.initialize(pathToFileURL(root).href);
  const files = supported(root);
  for (const f of files) client.open(pathToFileURL(f).href, languageOf(f), readFileSync(f, 'utf8'));
  const deadline = Date.now() + 600_000;
  const pending = new Set(files.map((f) => pathToFileURL(f).href));
  while (pending.size > 0 && Date.now() < deadline) {
    for (const uri of [...pending]) if (client.publishedFor(uri).length > 0) pending.delete(uri);
    await new Promise((r) => setTimeout(r, 200));
  }
  const serverRss = rssMb(client.process.pid!);
  console.log(`lsp: ${files.length} files of corpus/databricks open (${pending.size} without diagnostics yet): server RSS ${serverRss.toFixed(0)} MB (target < 200 MB)`);
  await client.stop();

  // 2. didChange → publishDiagnostics on a 5,000-line Bicep file.
  const block = (i: number) => `resource ws${i} 'Microsoft.Databricks/workspaces@2023-02-01' = {\n  name: 'ws${i}'\n  location: 'westeurope'\n  sku: {\n    name: 'standard'\n  }\n  properties: {\n    managedResourceGroupId: 'x${i}'\n    publicNetworkAccess: 'Enabled'\n  }\n}\n`;
  let text = '';
  for (let i = 0; text.split('\n').length < 5000; i++) text += block(i);
  const dir = '/tmp';
  const path = join(dir, `brickguard-bench-${process.pid}.bicep`);
  const host = overlayHost(diskHost([dir]), new Map([[path, text]]));
  analyzePath(path, host);
  const bare = median(
    Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      analyzePath(path, host);
      return performance.now() - t0;
    }),
  );
  const lsp = new LspClient();
  await lsp.initialize(null);
  const uri = pathToFileURL(path).href;
  lsp.open(uri, 'bicep', text);
  await lsp.diagnostics(uri, 0);
  const latencies: number[] = [];
  for (let v = 2; v < 7; v++) {
    const since = lsp.notifications.length;
    const changed = `${text}// edit ${v}\n`;
    const t0 = performance.now();
    lsp.changeFull(uri, v, changed);
    await lsp.diagnostics(uri, since, (p: PublishDiagnosticsParams) => p.version === v || p.version === undefined);
    latencies.push(performance.now() - t0);
  }
  await lsp.stop();
  const latency = median(latencies);
  const ratio = Math.max(0, latency - DEBOUNCE_MS) / bare;
  console.log(`lsp: 5,000-line file: didChange → publishDiagnostics ${latency.toFixed(0)} ms, bare analysis ${bare.toFixed(0)} ms, debounce ${DEBOUNCE_MS} ms: ${ratio.toFixed(2)}× (target ≤ 2×)`);
  reportJson({ lsp_vs_bare: Number(ratio.toFixed(2)), server_rss_mb: Math.round(serverRss) });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
