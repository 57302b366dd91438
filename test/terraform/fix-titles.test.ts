// Terraform fix titles quote values as HCL does: with double quotes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';

test('Terraform fix titles quote HCL strings with double quotes', () => {
  const dir = scratchDir('bg-tf-titles-');
  const path = join(dir, 'main.tf');
  writeFileSync(
    path,
    'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  sku  = "standard"\n  public_network_access_enabled = false\n  network_security_group_rules_required = "AllRules"\n}\n',
  );
  const result = analyzePath(path, diskHost([dir]))!;
  const titles = result.findings.flatMap((f) => f.fixes.filter((x) => x.kind === 'fix').map((x) => x.title));
  assert.ok(titles.includes('Set the tier to "premium"'), titles.join(' | '));
  assert.ok(titles.includes('Set network_security_group_rules_required to "NoAzureDatabricksRules"'), titles.join(' | '));
  assert.ok(titles.every((t) => !/'/.test(t)), titles.join(' | '));
});
