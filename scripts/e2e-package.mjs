// Builds the .vsix exactly as `npm run package` does, but in a temporary copy of the sources so a
// running test suite's dist/ is not replaced under it. Prints the path and size as JSON.
// Usage: node scripts/e2e-package.mjs [OUT.vsix]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = resolve(process.argv[2] ?? join(root, 'out', 'brickguard.vsix'));
const copy = mkdtempSync(join(tmpdir(), 'brickguard-package-'));
try {
  // Everything but dependencies, build output and local state (vsce reads .vscodeignore).
  const skipped = new Set(['node_modules', '.git', '.e2e', 'out', 'dist', '.vscode-test', 'scratch', 'tmp']);
  for (const entry of readdirSync(root)) {
    if (skipped.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const run = spawnSync('npm', ['run', '--silent', 'package'], { cwd: copy, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true' } });
  if (run.status !== 0) {
    process.stderr.write(`npm run package failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}\n`);
    process.exit(1);
  }
  cpSync(join(copy, 'brickguard.vsix'), out);
  process.stdout.write(`${JSON.stringify({ vsix: out, bytes: statSync(out).size })}\n`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
