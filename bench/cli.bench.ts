// `brickguard scan` of the whole corpus against a Node script that only walks and reads the same
// files, each in its own process, in the same run: time ratio and the CLI's peak RSS. Also a
// script that reads and parses them with Brickguard's parsers (parse-only.ts), the least a scan
// must do: how far that floor is from reading, and the scan from it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { corpusOrSkip } from '../test/helpers/corpus';
import { reportJson } from './report';

const corpus = corpusOrSkip();
if ('skip' in corpus) {
  console.log(`cli: ${corpus.skip}`);
  reportJson({ cli_vs_read: null, cli_peak_rss_mb: null, parse_vs_read: null, cli_vs_parse: null });
  process.exit(0);
}
const repo = join(__dirname, '..');
const cli = process.env.BRICKGUARD_CLI ?? join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
const preload = join(__dirname, 'rss-preload.cjs');

const READ_ONLY = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const walk = (p) => { for (const e of readdirSync(p, { withFileTypes: true })) { const q = join(p, e.name);
  if (e.isDirectory()) { if (!['.git', 'node_modules', '.terraform'].includes(e.name)) walk(q); }
  else if (/\\.(bicep|bicepparam|tf|tfvars|json|jsonc)$/i.test(e.name)) readFileSync(q, 'utf8'); } };
walk(process.argv[1]);`;

function run(args: string[]): { ms: number; rssKb: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /BENCH_MAXRSS_KB (\d+)/.exec(r.stderr);
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, rssKb: m ? Number(m[1]) : NaN };
}

// Bundled like dist/cli.js, so both run the same compiled parsers.
const scratch = mkdtempSync(join(tmpdir(), 'brickguard-bench-'));
const parseOnly = join(scratch, 'parse-only.js');
buildSync({ entryPoints: [join(__dirname, 'parse-only.ts')], outfile: parseOnly, bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'warning' });

// Interleaved rounds, best of each: a busy machine slows all alike.
let cliBest = { ms: Infinity, rssKb: 0 };
let readBest = Infinity;
let parseBest = Infinity;
try {
  for (let i = 0; i < 2; i++) {
    readBest = Math.min(readBest, run(['-e', READ_ONLY, corpus.root]).ms);
    parseBest = Math.min(parseBest, run([parseOnly, corpus.root]).ms);
    const c = run([cli, 'scan', corpus.root, '--format', 'json']);
    if (c.ms < cliBest.ms) cliBest = c;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const ratio = cliBest.ms / readBest;
console.log(`cli: brickguard scan of the corpus ${cliBest.ms.toFixed(0)} ms, read-only script ${readBest.toFixed(0)} ms: ${ratio.toFixed(1)}× (target ≤ 5×)`);
console.log(`cli: read and parse only ${parseBest.toFixed(0)} ms: ${(parseBest / readBest).toFixed(1)}× reading; the scan is ${(cliBest.ms / parseBest).toFixed(1)}× that`);
console.log(`cli: peak RSS ${(cliBest.rssKb / 1024).toFixed(0)} MB (target ≤ 300 MB)`);
reportJson({
  cli_vs_read: Number(ratio.toFixed(2)),
  cli_peak_rss_mb: Math.round(cliBest.rssKb / 1024),
  parse_vs_read: Number((parseBest / readBest).toFixed(2)),
  cli_vs_parse: Number((cliBest.ms / parseBest).toFixed(2)),
});
