// The peer that also runs as you type: `bicep lint` (the Bicep CLI's linter, installed by
// `npm run oracles:setup`) against `brickguard scan` on the same Bicep files, in the same run.
// Both run as one process over a copy of the corpus's .bicep files; prints wall time and the ratio.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFiles, corpusOrSkip, corpusRoot, repoRoot } from '../test/helpers/corpus';
import { bicepMissing, bicepPath } from '../test/helpers/oracles';

const corpus = corpusOrSkip();
const missing = 'skip' in corpus ? corpus.skip : bicepMissing();
if (missing) {
  console.log(`bicep-lint: ${missing}; skipped`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'brickguard-lint-bench-'));
const keep = (p: string) => statSync(p).isDirectory() || p.endsWith('.bicep');
for (const part of ['databricks/bicep', 'parse/bicep']) cpSync(join(corpusRoot, part), join(dir, part), { recursive: true, filter: keep });
const files = corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')).length + corpusFiles('parse/bicep', (n) => n.endsWith('.bicep')).length;

function time(command: string, args: string[]): { ms: number; status: number | null } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: dir, stdio: 'ignore', maxBuffer: 1 << 30 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status };
}

const cli = join(repoRoot, 'dist', 'cli.js');
try {
  // Registry modules are not restored (no network): their references are reported, not fetched.
  const lint = time(bicepPath, ['lint', '--pattern', '**/*.bicep', '--no-restore']);
  const scan = time(process.execPath, [cli, 'scan', '.', '--format', 'json', '--output', join(dir, 'report.json')]);
  console.log(`bicep-lint: ${files} .bicep files, one process each side`);
  console.log(`  bicep lint --pattern   ${(lint.ms / 1000).toFixed(1)} s  (${(lint.ms / files).toFixed(1)} ms/file, exit ${lint.status})`);
  console.log(`  brickguard scan        ${(scan.ms / 1000).toFixed(1)} s  (${(scan.ms / files).toFixed(1)} ms/file, exit ${scan.status})`);
  console.log(`  ratio: brickguard scan takes ${(scan.ms / lint.ms).toFixed(2)}× the time of bicep lint`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
