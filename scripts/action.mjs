// The GitHub Action's step (action.yml): reads the inputs from INPUT_* variables as the runner sets
// them, runs `brickguard scan --format sarif`, and writes the step outputs and a job summary.
// Exit code: the CLI's (0 clean, 1 findings at or above min-severity, 2 bad usage); the SARIF file is
// written in every case but 2, so the upload step after it runs with `if: ${{ !cancelled() }}`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** An input as the runner passes it: INPUT_<NAME> with the name upper-cased and spaces as underscores. */
function input(name, fallback = '') {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

const paths = input('paths', '.')
  .split(/[\n,]/)
  .map((p) => p.trim())
  .filter(Boolean);
const minSeverity = input('min-severity', 'warning');
const category = input('category');
const sarifFile = input('sarif-file', 'brickguard.sarif');

const cli = process.env.BRICKGUARD_CLI ?? new URL('../dist/cli.js', import.meta.url).pathname;
if (!existsSync(cli)) {
  console.error(`::error::Brickguard is not built (${cli} is missing): run 'npm ci' and 'node scripts/build.mjs' in the action's folder.`);
  process.exit(2);
}
const args = [cli, 'scan', ...paths, '--format', 'sarif', '--output', sarifFile, '--min-severity', minSeverity];
if (category) args.push('--category', category);
console.log(`brickguard scan ${args.slice(2).join(' ')}`);
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
const code = run.status ?? 2;

let findings = 0;
const out = resolve(sarifFile);
if (existsSync(out)) {
  const log = JSON.parse(readFileSync(out, 'utf8'));
  const results = log.runs?.[0]?.results ?? [];
  findings = results.length;
  const byLevel = {};
  for (const r of results) byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
  if (process.env.GITHUB_STEP_SUMMARY) {
    const counts = Object.entries(byLevel).map(([level, n]) => `${n} ${level}`).join(', ') || 'none';
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### Brickguard\n\nFindings: ${counts} (category \`${log.runs?.[0]?.automationDetails?.id ?? ''}\`). SARIF: \`${sarifFile}\`.\n`);
  }
}
if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\nfindings=${findings}\n`);
}
if (code === 1) console.log(`::error::Brickguard found problems at or above '${minSeverity}'; see the code-scanning alerts or ${sarifFile}.`);
process.exit(code);
