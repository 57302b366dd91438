// A fix with several intents whose edits touch the same text (two insertions that both realign a
// Terraform block) is rendered one intent after the other, as one edit, and leaves no finding.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
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

  custom_parameters {
    virtual_network_id  = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"
    public_subnet_name  = "public"
    private_subnet_name = "private"
  }
}

resource "azurerm_private_endpoint" "ui_api" {
  name                = "dbw-ui-api"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints"

  private_service_connection {
    name                           = "dbw-ui-api"
    private_connection_resource_id = azurerm_databricks_workspace.this.id
    is_manual_connection           = false
    subresource_names              = ["databricks_ui_api"]
  }
}
`;

test('both missing attributes are inserted by one quick fix, aligned, and nothing is left to report', () => {
  const dir = scratchDir('bg-turn-');
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
      '  name                                  = "dbw"\n  location                              = "westeurope"\n  sku                                   = "premium"\n  public_network_access_enabled         = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n\n  custom_parameters {',
    ),
    after,
  );
  const again = analyzePath(path, overlayHost(host, new Map([[path, after]])), options)!;
  assert.deepEqual(again.findings, []);
});
