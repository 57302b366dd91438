// Compiles the end-to-end suite, the harness and the UI test (test/e2e/**/*.ts) to out/e2e/ as
// CommonJS, one file per source (mocha loads the suite files itself). Fixtures are not compiled.
import { build } from 'esbuild';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const source = join(root, 'test', 'e2e');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures') walk(p, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Build next to the target and swap it in, so a run that is using out/e2e (another terminal's
// npm test) sees either the old or the new tree, never a half-written one.
const target = join(root, 'out', 'e2e');
const fresh = `${target}.building-${process.pid}`;
const stale = `${target}.stale-${process.pid}`;
rmSync(fresh, { recursive: true, force: true });
await build({
  entryPoints: walk(source),
  outdir: fresh,
  outbase: source,
  bundle: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
if (existsSync(target)) renameSync(target, stale);
renameSync(fresh, target);
rmSync(stale, { recursive: true, force: true });
console.log(`e2e-build: compiled ${relative(root, source)} to out/e2e`);
