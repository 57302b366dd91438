// Runs every bench/*.bench.ts in its own process (TypeScript through tsx) and prints their reports.
// `--json`: prints one JSON object with every bench's numbers instead, and appends the run to
// bench/RESULTS.md with the date and the number of cores. Other arguments select benches by name.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const json = process.argv.includes('--json');
const only = process.argv.slice(2).filter((a) => a !== '--json');
const KEYS = ['arm_vs_jsonc', 'hcl_vs_hcl2json', 'bicep_vs_jsonc_throughput', 'cli_vs_read', 'cli_peak_rss_mb', 'lsp_vs_bare', 'server_rss_mb', 'vsix_kb', 'parse_vs_read', 'cli_vs_parse'];
const values = Object.fromEntries(KEYS.map((k) => [k, null]));
let failed = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.bench.ts')).sort()) {
  if (only.length > 0 && !only.some((s) => name.includes(s))) continue;
  const args = ['--expose-gc', '--import', 'tsx', join(dir, name)];
  if (!json) {
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (r.status !== 0) failed++;
    continue;
  }
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, BRICKGUARD_BENCH_JSON: '1' },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) failed++;
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH_JSON ')) Object.assign(values, JSON.parse(line.slice('BENCH_JSON '.length)));
    else if (line.trim()) process.stderr.write(`${line}\n`);
  }
}
if (json) {
  const cores = availableParallelism?.() ?? cpus().length;
  const out = { date: new Date().toISOString(), cores, load: Number(loadavg()[0].toFixed(1)), ...values };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  const results = join(dir, 'RESULTS.md');
  if (!existsSync(results)) {
    writeFileSync(
      results,
      '# Benchmark results\n\nOne line per `npm run bench -- --json` run (ratios against a baseline measured in the same run; load is the 1-minute load average when the run ended).\n\n' +
        `| date | cores | load | ${KEYS.join(' | ')} |\n|${' --- |'.repeat(KEYS.length + 3)}\n`,
    );
  }
  appendFileSync(results, `| ${out.date} | ${cores} | ${out.load} | ${KEYS.map((k) => String(values[k] ?? '–')).join(' | ')} |\n`);
}
process.exit(failed ? 1 : 0);
