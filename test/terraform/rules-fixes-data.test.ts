// Preferred fixes of the Terraform rules databricks-backend-private-link and the storage and Key
// Vault rules, before → after through the engine's fix-all (see rules-fixes.test.ts for why the
// expected texts live here and not in .fixed.tf files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllOf, mainOnly } from './fix-all';

/** Fix-all of a fixture's main.tf: its text before and after (marker lines removed first). */
function diff(dir: string): { before: string; after: string } {
  const outcome = fixAllOf(dir);
  const { result, again } = outcome;
  const texts = mainOnly(outcome);
  const fixedIds = new Set(result.findings.filter((f) => f.fixes.some((x) => x.kind === 'fix' && x.preferred)).map((f) => f.ruleId));
  assert.deepEqual(again.findings.filter((f) => fixedIds.has(f.ruleId)).map((f) => f.ruleId), [], 'the fixed findings are gone');
  const beforeIds = new Set(result.findings.map((f) => f.ruleId));
  assert.deepEqual(again.findings.filter((f) => !beforeIds.has(f.ruleId)).map((f) => f.ruleId), [], 'no new finding');
  return texts;
}

test('back-end Private Link: AllRules becomes NoAzureDatabricksRules', () => {
  const { before, after } = diff('backend-private-link/all-rules');
  assert.equal(after, before.replace('= "AllRules"', '= "NoAzureDatabricksRules"'));
});

test('back-end Private Link: NoAzureServiceRules becomes NoAzureDatabricksRules', () => {
  const { before, after } = diff('backend-private-link/service-rules');
  assert.equal(after, before.replace('= "NoAzureServiceRules"', '= "NoAzureDatabricksRules"'));
});

test('back-end Private Link: inserted with = aligned to its group', () => {
  const { before, after } = diff('backend-private-link/absent');
  assert.equal(
    after,
    before.replace(
      '  name                          = "dbx"\n  resource_group_name           = "rg"\n  sku                           = "premium"\n  public_network_access_enabled = false\n}',
      '  name                                  = "dbx"\n  resource_group_name                   = "rg"\n  sku                                   = "premium"\n  public_network_access_enabled         = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n}',
    ),
  );
});

test('back-end Private Link: the variable default is changed', () => {
  const { before, after } = diff('backend-private-link/variable-default');
  assert.equal(after, before.replace('default = "AllRules"', 'default = "NoAzureDatabricksRules"'));
});

test('back-end Private Link: inserted with a tab and CRLF', () => {
  const { before, after } = diff('backend-private-link/tabs-crlf');
  assert.ok(after.includes('\tpublic_network_access_enabled = false\r\n\tnetwork_security_group_rules_required = "NoAzureDatabricksRules"\r\n}'), JSON.stringify(after));
  assert.equal(after.replace(/\r\n/g, '').length > before.replace(/\r\n/g, '').length, true);
});

test('public access with AllRules: the public-access fix sets both, and back-end Private Link stays quiet', () => {
  const { before, after } = diff('backend-private-link/public-access-on');
  assert.equal(
    after,
    before
      .replace('public_network_access_enabled         = true', 'public_network_access_enabled         = false')
      .replace('= "AllRules"', '= "NoAzureDatabricksRules"'),
  );
});

test('storage (azurerm 4): absent settings are inserted aligned, with a network_rules block', () => {
  const { before, after } = diff('storage/azurerm4-absent');
  assert.equal(
    after,
    before.replace(
      '  name                     = "stlake"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}',
      '  name                            = "stlake"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  account_tier                    = "Standard"\n  account_replication_type        = "LRS"\n  allow_nested_items_to_be_public = false\n  shared_access_key_enabled       = false\n  network_rules {\n    default_action = "Deny"\n    bypass         = ["AzureServices"]\n  }\n}',
    ),
  );
});

test('storage (azurerm 4): explicit insecure values are replaced in place', () => {
  const { before, after } = diff('storage/azurerm4-insecure');
  assert.equal(
    after,
    before
      .replace('allow_nested_items_to_be_public = true', 'allow_nested_items_to_be_public = false')
      .replace('shared_access_key_enabled       = true', 'shared_access_key_enabled       = false')
      .replace('"TLS1_0"', '"TLS1_2"')
      .replace('    default_action = "Allow"', '    default_action = "Deny"\n    bypass         = ["AzureServices"]'),
  );
});

test('storage (azurerm 2): allow_blob_public_access is the argument to fix; min_tls_version is inserted', () => {
  const { after } = diff('storage/azurerm2-legacy-true');
  // azurerm 2 reads the account's data plane: Deny is offered, not preferred (storage-data-plane.test.ts).
  assert.ok(after.includes('  allow_blob_public_access  = false\n  min_tls_version           = "TLS1_2"\n  shared_access_key_enabled = false\n}'), after);
  assert.ok(!after.includes('allow_nested_items_to_be_public'));
  const absent = diff('storage/azurerm2-absent').after;
  assert.ok(absent.includes('min_tls_version           = "TLS1_2"'), absent);
  assert.ok(!absent.includes('allow_nested_items_to_be_public') && !absent.includes('allow_blob_public_access'), absent);
});

test('storage: a separate azurerm_storage_account_network_rules gets the Deny, not an inline block', () => {
  const { before, after } = diff('storage/separate-network-rules-allow');
  assert.equal(after, before.replace('default_action     = "Allow"', 'default_action     = "Deny"'));
});

test('storage: the variable default of min_tls_version is changed', () => {
  const { before, after } = diff('storage/variable-default');
  assert.equal(after, before.replace('default = "TLS1_1"', 'default = "TLS1_2"'));
});

test('storage: inserted with tabs and CRLF', () => {
  const { after } = diff('storage/tabs-crlf');
  assert.ok(after.endsWith('\taccount_replication_type = "LRS"\r\n\tallow_nested_items_to_be_public = false\r\n\tshared_access_key_enabled = false\r\n\tnetwork_rules {\r\n\t\tdefault_action = "Deny"\r\n\t\tbypass         = ["AzureServices"]\r\n\t}\r\n}\r\n'), JSON.stringify(after));
});

const KV_HEAD =
  '  name                = "kv-cmk"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  tenant_id           = "00000000-0000-0000-0000-000000000000"\n  sku_name            = "premium"\n';
const KV_HEAD_PURGE =
  '  name                     = "kv-cmk"\n  location                 = "westeurope"\n  resource_group_name      = "rg"\n  tenant_id                = "00000000-0000-0000-0000-000000000000"\n  sku_name                 = "premium"\n  purge_protection_enabled = true\n';

test('purge protection: inserted aligned on the vault that holds the workspace key', () => {
  const { before, after } = diff('keyvault/cmk-no-purge');
  assert.equal(after, before.replace(KV_HEAD, KV_HEAD_PURGE));
});

test('purge protection: the vault of a root DBFS customer-managed key', () => {
  const { before, after } = diff('keyvault/dbfs-cmk');
  assert.equal(after, before.replace(KV_HEAD, KV_HEAD_PURGE));
});

test('purge protection: false becomes true', () => {
  const { before, after } = diff('keyvault/cmk-purge-false');
  assert.equal(after, before.replace('purge_protection_enabled = false', 'purge_protection_enabled = true'));
});

test('purge protection: inserted with tabs and CRLF', () => {
  const { after } = diff('keyvault/tabs-crlf');
  assert.ok(after.includes('\tsku_name                 = "premium"\r\n\tpurge_protection_enabled = true\r\n\r\n\tnetwork_acls {'), JSON.stringify(after));
});

test('Key Vault public access: an Allow default action becomes Deny', () => {
  const { before, after } = diff('keyvault/public-acl-allow');
  assert.equal(after, before.replace('default_action = "Allow"', 'default_action = "Deny"'));
});

test('Key Vault public access: without a network_acls block, one is inserted with both required arguments', () => {
  const { before, after } = diff('keyvault/public-open');
  assert.equal(
    after,
    before.replace(
      '  sku_name            = "premium"\n}',
      '  sku_name            = "premium"\n  network_acls {\n    default_action = "Deny"\n    bypass         = "AzureServices"\n  }\n}',
    ),
  );
});

test('Key Vault public access: with public access explicitly on and access policies, the block goes after them', () => {
  const { before, after } = diff('keyvault/public-open-policies');
  assert.equal(
    after,
    before.replace(
      '    key_permissions = ["Get", "WrapKey", "UnwrapKey"]\n  }\n}',
      '    key_permissions = ["Get", "WrapKey", "UnwrapKey"]\n  }\n  network_acls {\n    default_action = "Deny"\n    bypass         = "AzureServices"\n  }\n}',
    ),
  );
});

test('Key Vault public access: where the module creates a key in the vault, Deny is offered, not preferred, and says what it assumes', () => {
  const { result } = fixAllOf('keyvault/public-open-with-key');
  const finding = result.findings.find((f) => f.ruleId === 'keyvault-public-network-access');
  assert.ok(finding);
  const fix = finding.fixes.find((f) => f.kind === 'fix');
  assert.ok(fix && !fix.preferred, JSON.stringify(finding.fixes));
  assert.match(fix.title, /\(assumes Terraform runs from an allowed network: this module uses the vault's keys\)$/);
  // Fix-all leaves the vault open rather than break terraform apply.
  const { before, after } = mainOnly(fixAllOf('keyvault/public-open-with-key'));
  assert.ok(!after.includes('network_acls') && before.length > 0);
});
