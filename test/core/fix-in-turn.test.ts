// A fix with several intents whose edits touch the same text (two insertions that both realign a
// Terraform block) is rendered one intent after the other, as one edit, and leaves no finding.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text';
import { withoutCrossResource } from '../helpers/cross-resource';
import { PREMIUM_ONLY_RULES } from '../../server/src/rules/support/encryption';

const MAIN = `terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

resource "azurerm_databricks_workspace" "this" {
  name     = "dbw"
  location = "westeurope"
  sku      = "premium"
}
`;

test('both missing attributes are inserted by one quick fix, aligned, and nothing is left to report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bg-turn-'));
  const path = join(dir, 'main.tf');
  writeFileSync(path, MAIN);
  const host = diskHost([dir]);
  // The encryption design considerations of a Premium workspace are not what this test is about.
  const options = { rules: withoutCrossResource(Object.fromEntries([...PREMIUM_ONLY_RULES].map((id) => [id, 'off' as const]))) };
  const result = analyzePath(path, host, options)!;
  assert.deepEqual(result.findings.map((f) => f.ruleId), ['databricks-public-network-access']);
  const fix = result.findings[0].fixes.find((f) => f.preferred)!;
  assert.equal(fix.edits.length, 1);
  const after = applyEdits(MAIN, fix.edits);
  assert.ok(
    after.includes(
      '  name                                  = "dbw"\n  location                              = "westeurope"\n  sku                                   = "premium"\n  public_network_access_enabled         = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n}',
    ),
    after,
  );
  const again = analyzePath(path, overlayHost(host, new Map([[path, after]])), options)!;
  assert.deepEqual(again.findings, []);
});
