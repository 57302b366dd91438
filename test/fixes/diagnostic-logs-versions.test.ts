// The diagnostic-logs fixes write `enabled_log { category_group = "allLogs" }`, which azurerm has
// from 3.39.0. As for the encryption fixes (encryption-versions.test.ts): every allowed version has
// it → the fix as usual; only some → offered, not preferred, "needs azurerm 3.39 or later"; none →
// no fix. A limited fix points at the constraint.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import { scratchDir } from '../helpers/scratch';

const RULE = 'databricks-diagnostic-logs';

const WORKSPACE = 'resource "azurerm_databricks_workspace" "this" {\n  name                = "dbx"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "premium"\n}\n';
/** A setting with a destination and a legacy `log` block: the fix replaces its logs. */
const LEGACY_SETTING =
  '\nresource "azurerm_monitor_diagnostic_setting" "audit" {\n  name                       = "audit"\n  target_resource_id         = azurerm_databricks_workspace.this.id\n  log_analytics_workspace_id = "law"\n\n  log {\n    category = "jobs"\n  }\n}\n';

const versions = (constraint: string) => `terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "${constraint}"\n    }\n  }\n}\n`;

const CASES = [
  { constraint: '~> 3.39', expected: 'all' },
  { constraint: '~> 3.20', expected: 'some' },
  { constraint: '>= 3.0, < 3.39', expected: 'none' },
] as const;

for (const setting of ['none', 'legacy'] as const) {
  for (const { constraint, expected } of CASES) {
    test(`diagnostic-logs fix (${setting === 'none' ? 'a new setting' : 'a legacy log block replaced'}) with azurerm ${constraint}`, () => {
      const dir = scratchDir('bg-diag-versions-');
      writeFileSync(join(dir, 'main.tf'), WORKSPACE + (setting === 'legacy' ? LEGACY_SETTING : ''));
      writeFileSync(join(dir, 'versions.tf'), versions(constraint));
      const result = analyzePath(join(dir, 'main.tf'), diskHost([dir]))!;
      const findings = result.findings.filter((f) => f.ruleId === RULE);
      assert.equal(findings.length, 1, 'the finding stays whatever the version');
      const fixes = findings[0].fixes.filter((f) => f.kind === 'fix');
      const atConstraint = findings[0].related.filter((r) => r.loc.file === join(dir, 'versions.tf'));
      assert.equal(atConstraint.length, expected === 'all' ? 0 : 1, 'related information at the constraint');
      if (expected === 'none') return assert.deepEqual(fixes.map((f) => f.title), []);
      assert.equal(fixes.length, 1);
      assert.equal(fixes[0].preferred, expected === 'all');
      if (expected === 'all') assert.doesNotMatch(fixes[0].title, /needs azurerm/);
      else assert.match(fixes[0].title, /; needs azurerm 3\.39 or later$/);
    });
  }
}
