// The fix-all ladder (rules.md, Fix safety): from a bare classic workspace, fix-all (Fix All in
// File, scan --fix) reaches the full private shape — Premium, VNet injection, no public IP, a
// databricks_ui_api private endpoint with a DNS zone group, public access off with
// NoAzureDatabricksRules, an allLogs diagnostic setting — in ARM, Bicep and Terraform (with and
// without variables.tf). Every changed file has a `.fixed` beside it (BRICKGUARD_UPDATE_FIXTURES=1
// rewrites them); `scan --fix` reaches the same texts; the oracle tests compile the Bicep and ARM
// results.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, fixAll, overlayHost } from '../../server/src/engine';
import type { AnalysisResult } from '../../server/src/engine/types';
import { scanAndFix } from '../../server/src/cli/scan';
import { repoRoot } from '../helpers/corpus';
import { fixedPathOf } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures');
const UPDATE = process.env.BRICKGUARD_UPDATE_FIXTURES ?? '';

/** The rules of the ladder: none may leave a warning (or an error) on the fixed workspace. */
export const LADDER_RULES = [
  'databricks-premium-sku',
  'databricks-vnet-injection',
  'databricks-no-public-ip',
  'databricks-private-endpoint',
  'databricks-private-dns-zone',
  'databricks-public-network-access',
  'databricks-backend-private-link',
  'databricks-diagnostic-logs',
];

const CASES: { dir: string; entry: string }[] = [
  { dir: 'arm/ladder', entry: 'template.json' },
  { dir: 'bicep/ladder', entry: 'main.bicep' },
  { dir: 'terraform/ladder-with-variables-tf', entry: 'main.tf' },
  { dir: 'terraform/ladder-without-variables-tf', entry: 'main.tf' },
];

/** The names of the inputs a text declares (Bicep `param`, Terraform `variable`, ARM `parameters` keys). */
function declaredInputs(path: string, text: string): string[] {
  if (path.endsWith('.bicep')) return [...text.matchAll(/^param\s+([A-Za-z_]\w*)/gm)].map((m) => m[1]);
  if (path.endsWith('.tf')) return [...text.matchAll(/^variable\s+"([^"]+)"/gm)].map((m) => m[1]);
  const parsed = JSON.parse(text) as { parameters?: Record<string, unknown> };
  return Object.keys(parsed.parameters ?? {});
}

function ladderFindings(r: AnalysisResult): string[] {
  return r.findings.filter((f) => LADDER_RULES.includes(f.ruleId) && f.severity !== 'information').map((f) => `${f.ruleId}: ${f.message}`);
}

for (const c of CASES) {
  test(`fix-all ladder: ${c.dir}`, () => {
    const dir = join(ROOT, c.dir);
    const entry = join(dir, c.entry);
    const host = diskHost([repoRoot]);
    const result = analyzePath(entry, host)!;
    const own = result.files.filter((f) => dirname(f.path) === dir).map((f) => f.path);
    // The bare workspace fails every rule of the ladder.
    const before = new Set(result.findings.map((f) => f.ruleId));
    for (const id of ['databricks-premium-sku', 'databricks-vnet-injection', 'databricks-private-endpoint', 'databricks-public-network-access', 'databricks-diagnostic-logs']) {
      assert.ok(before.has(id), `the bare workspace has no ${id} finding`);
    }
    const outcome = fixAll(result, { files: own });
    console.log(`ladder ${c.dir}: ${outcome.rounds} fix-all rounds`);
    assert.equal(outcome.exhausted, false, `fix-all stopped at its round limit after ${outcome.rounds} rounds`);
    const after = new Map([...outcome.changes].map(([p, x]) => [p, x.after]));
    for (const [file, text] of after) {
      const expected = fixedPathOf(file);
      if (UPDATE === '1' || (UPDATE !== '' && file.includes(UPDATE))) writeFileSync(expected, text);
      assert.ok(existsSync(expected), `${expected} is missing (run with BRICKGUARD_UPDATE_FIXTURES=1 and review)`);
      assert.equal(text, readFileSync(expected, 'utf8'), `${file} after fix-all differs from ${expected}`);
    }
    for (const name of readdirSync(dir).filter((n) => n.includes('.fixed'))) {
      assert.ok([...after.keys()].some((f) => fixedPathOf(f) === join(dir, name)), `${name} is stale`);
    }
    const again = analyzePath(entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after fix-all`);
    assert.deepEqual(ladderFindings(again), [], 'a warning of the ladder is left');
    // Each new input is declared once (names made unique, nothing declared twice across files).
    const inputs = [...again.files].filter((f) => dirname(f.path) === dir).flatMap((f) => declaredInputs(f.path, f.text).map((n) => n.toLowerCase()));
    assert.deepEqual(inputs.filter((n, i) => inputs.indexOf(n) !== i), [], 'an input is declared twice');
    const added = inputs.length - result.files.filter((f) => dirname(f.path) === dir).flatMap((f) => declaredInputs(f.path, f.text)).length;
    assert.ok(added >= 3, `only ${added} new inputs`);
    // Fix-all again changes nothing.
    assert.deepEqual([...fixAll(again, { files: own }).changes.keys()], [], 'a second fix-all still changes the files');
  });
}

test('fix-all ladder through `scan --fix`: every case reaches the same text as its .fixed files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'brickguard-ladder-'));
  try {
    for (const c of CASES) cpSync(join(ROOT, c.dir), join(tmp, c.dir), { recursive: true, filter: (p) => !p.includes('.fixed') });
    const { fixed } = scanAndFix({ paths: ['.'], cwd: tmp });
    for (const c of CASES) {
      const dir = join(ROOT, c.dir);
      for (const name of readdirSync(dir).filter((n) => !n.includes('.fixed'))) {
        const expected = existsSync(fixedPathOf(join(dir, name))) ? readFileSync(fixedPathOf(join(dir, name)), 'utf8') : readFileSync(join(dir, name), 'utf8');
        assert.equal(readFileSync(join(tmp, c.dir, name), 'utf8'), expected, `${c.dir}/${name} after scan --fix`);
      }
      const entry = fixed.find((f) => f.path === join(tmp, c.dir, c.entry));
      assert.ok(entry, `scan --fix reports nothing fixed in ${c.dir}`);
      for (const id of ['databricks-premium-sku', 'databricks-vnet-injection', 'databricks-private-endpoint', 'databricks-public-network-access', 'databricks-diagnostic-logs']) {
        assert.ok(entry.ruleIds.includes(id), `${c.dir}: ${id} is not reported fixed (${entry.ruleIds.join(', ')})`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
