// The Terraform encryption fixes write arguments and a resource that azurerm added over time
// (managed services key 2.71, managed disk key 3.41, root DBFS key resource 3.71 — before it, under
// its older name, counted on from 3.0 —, the flags 2.67).
// As the module's version constraints allow (rules.md, Version constraints): every allowed version
// has it → the fix as usual; only some → offered, not preferred, its title says which version it
// needs; none → no fix. Markers: test/terraform/fixtures/encryption-versions/; before → after:
// test/fixes/fixtures/terraform/encryption-versions-*/ (BRICKGUARD_UPDATE_FIXTURES=1 rewrites them).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const MARKERS = join(repoRoot, 'test', 'terraform', 'fixtures', 'encryption-versions');
const FIXES = join(repoRoot, 'test', 'fixes', 'fixtures', 'terraform');

const SERVICES = 'databricks-cmk-managed-services';
const DISK = 'databricks-cmk-managed-disk';
const DBFS = 'databricks-cmk-dbfs-root';
const INFRA = 'databricks-infrastructure-encryption';

/** Per folder and rule: 'all' (the usual fix), a version the title says it needs, or 'none'. */
const EXPECTED: Record<string, Record<string, string>> = {
  // >= 4.0: every allowed version has everything.
  'azurerm-4-open': { [SERVICES]: 'all', [DISK]: 'all', [DBFS]: 'all', [INFRA]: 'all' },
  // ~> 3.0 (3.0 up to 4.0): crosses the managed disk (3.41) and root DBFS key (3.71) releases.
  'azurerm-3-pessimistic': { [SERVICES]: 'all', [DISK]: '3.41', [DBFS]: '3.71', [INFRA]: 'all' },
  // >= 3.0, < 3.41: no allowed version has the managed disk key; the root DBFS key resource has its older name.
  'azurerm-3-before-disk-keys': { [SERVICES]: 'all', [DISK]: 'none', [DBFS]: 'all', [INFRA]: 'all' },
  // >= 2.60, < 3.0: crosses 2.67 (flags) and 2.71 (managed services key); nothing later.
  'azurerm-2-range': { [SERVICES]: '2.71', [DISK]: 'none', [DBFS]: 'none', [INFRA]: '2.67' },
};

for (const [folder, rules] of Object.entries(EXPECTED)) {
  test(`encryption fixes and the azurerm versions of ${folder}`, () => {
    const host = diskHost([repoRoot]);
    const entry = join(MARKERS, folder, 'main.tf');
    const result = analyzePath(entry, host)!;
    for (const [rule, expected] of Object.entries(rules)) {
      const findings = result.findings.filter((f) => f.ruleId === rule);
      assert.equal(findings.length, 1, `${rule}: the finding stays whatever the version`);
      const fixes = findings[0].fixes.filter((f) => f.kind === 'fix');
      // A fix the constraint limits points at it.
      const atConstraint = findings[0].related.filter((r) => r.loc.file === join(MARKERS, folder, 'versions.tf') && r.message.startsWith('The version is read here'));
      assert.equal(atConstraint.length, expected === 'all' ? 0 : 1, `${rule}: related information at the constraint`);
      if (expected === 'none') {
        assert.deepEqual(fixes.map((f) => f.title), [], `${rule}: no allowed azurerm version has what the fix writes`);
        continue;
      }
      assert.equal(fixes.length, 1, rule);
      const [fix] = fixes;
      assert.equal(fix.preferred, false, `${rule}: encryption fixes are offered, never preferred`);
      if (expected === 'all') assert.doesNotMatch(fix.title, /needs azurerm/, rule);
      else assert.ok(fix.title.endsWith(`; needs azurerm ${expected} or later`), `${rule}: ${fix.title}`);
      // Offered fixes still work: the finding is gone once applied.
      const again = analyzePath(entry, overlayHost(host, applyFixEdits(fix)))!;
      assert.deepEqual(again.findings.filter((f) => f.ruleId === rule).map((f) => f.message), [], `${rule}: the finding is gone`);
    }
  });
}

const BEFORE_AFTER = [
  { dir: 'encryption-versions-managed-disk-3x', rule: DISK, needs: '3.41' },
  { dir: 'encryption-versions-dbfs-root-4x', rule: DBFS, needs: undefined },
  // Every allowed version predates 3.71: the key resource under its older name.
  { dir: 'encryption-versions-dbfs-root-3-70', rule: DBFS, needs: undefined },
  { dir: 'encryption-versions-managed-services-2x', rule: SERVICES, needs: '2.71' },
];

for (const c of BEFORE_AFTER) {
  test(`encryption fix before → after: ${c.dir}`, () => {
    const dir = join(FIXES, c.dir);
    const entry = join(dir, 'main.tf');
    const host = diskHost([repoRoot]);
    const finding = analyzePath(entry, host)!.findings.find((f) => f.ruleId === c.rule)!;
    const fix = finding.fixes.find((f) => f.kind === 'fix')!;
    assert.equal(fix.preferred, false);
    assert.equal(fix.title.endsWith(`; needs azurerm ${c.needs} or later`), c.needs !== undefined, fix.title);
    const after = applyFixEdits(fix);
    expectFixedFiles(after, dir);
    const again = analyzePath(entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    assert.deepEqual(again.findings.filter((f) => f.ruleId === c.rule), []);
  });
}
