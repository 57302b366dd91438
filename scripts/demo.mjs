// `npm run demo`: Brickguard on the bundled examples/, then what `--fix` would change (on a copy).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'brickguard.js');
const examples = join(root, 'examples');
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function run(args, cwd) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.status;
}

console.log(bold('$ brickguard scan examples'));
run(['scan', 'examples'], root);

const copy = mkdtempSync(join(tmpdir(), 'brickguard-demo-'));
try {
  cpSync(examples, copy, { recursive: true });
  console.log(`\n${bold('$ brickguard scan --fix')} (on a copy of examples/)`);
  run(['scan', '--fix', '.'], copy);
  console.log(`\n${bold('What the fixes changed:')}`);
  for (const file of walk(copy)) {
    const before = readFileSync(join(examples, relative(copy, file)), 'utf8');
    const after = readFileSync(file, 'utf8');
    if (before !== after) printDiff(relative(copy, file), before, after);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** A small line diff (longest common subsequence) with two lines of context. */
function printDiff(name, before, after) {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push([' ', a[i++], j++]);
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push(['-', a[i++]]);
    else ops.push(['+', b[j++]]);
  }
  console.log(`--- ${name}`);
  ops.forEach((op, k) => {
    const near = ops.slice(Math.max(0, k - 2), k + 3).some((o) => o[0] !== ' ');
    if (op[0] !== ' ') console.log(`${op[0] === '+' ? '\x1b[32m+' : '\x1b[31m-'} ${op[1]}\x1b[0m`.replace(/\x1b\[\d+m/g, (m) => (process.stdout.isTTY ? m : '')));
    else if (near) console.log(`  ${op[1]}`);
    else if (k > 0 && ops[k - 1][0] !== ' ') console.log('  …');
  });
}
