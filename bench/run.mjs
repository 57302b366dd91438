// Runs every bench/*.bench.ts in its own process (TypeScript through tsx) and prints their reports.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const only = process.argv.slice(2);
let failed = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.bench.ts')).sort()) {
  if (only.length > 0 && !only.some((s) => name.includes(s))) continue;
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, name)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
