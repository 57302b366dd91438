// Preferred fixes of the Terraform rules, before → after, through the engine's fix-all (the
// fixtures live one per folder, so expected texts are kept here rather than in .fixed.tf files,
// which would join the fixture's module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllOf } from './fix-all';
import { CROSS_RESOURCE_RULES } from '../helpers/cross-resource';

/** Fix-all of a fixture's main.tf: the changed files' texts (marker lines removed first). */
function fixAll(dir: string): Map<string, { before: string; after: string }> {
  const { files, again } = fixAllOf(dir);
  // The fixtures hold a bare workspace: the cross-resource rules are judged in their own folders.
  const left = again.findings.filter((f) => f.severity !== 'information' && !(CROSS_RESOURCE_RULES as readonly string[]).includes(f.ruleId));
  assert.deepEqual(left.map((f) => f.ruleId), [], 'no warning left');
  return files;
}

function diff(dir: string, file = 'main.tf'): { before: string; after: string } {
  const r = fixAll(dir).get(file);
  assert.ok(r, `${dir}: ${file} changed`);
  return r;
}

/**
 * The workspace block after databricks-backend-private-link's fix, which fix-all also applies when
 * public access is off: network_security_group_rules_required after public_network_access_enabled,
 * the top-level attributes realigned to its width.
 */
function withBackendPrivateLink(text: string): string {
  return text
    .replace(/^  ([a-z_]+) +=/gm, (_m, name: string) => `  ${name.padEnd(37)} =`)
    .replace(/^(  public_network_access_enabled +=.*\n)/m, '$1  network_security_group_rules_required = "NoAzureDatabricksRules"\n');
}

test('public access (VNet-injected, with a UI/API endpoint in network.tf): a literal true becomes false, with back-end Private Link (NoAzureDatabricksRules)', () => {
  const { after } = diff('public-network-access/literal-true');
  assert.ok(after.includes(
    '  name                                  = "dbx"\n  resource_group_name                   = "rg"\n  location                              = "westeurope"\n  sku                                   = "premium"\n  public_network_access_enabled         = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n\n  custom_parameters {',
  ), after);
});

test('public access: inserted with = aligned to its group; fix-all then adds NoAzureDatabricksRules', () => {
  const { after } = diff('public-network-access/absent');
  assert.ok(after.includes(
    '  name                                  = "dbx"\n  resource_group_name                   = "rg"\n  location                              = "westeurope"\n  sku                                   = "premium"\n  public_network_access_enabled         = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n\n  custom_parameters {',
  ), after);
});

test('public access: the variable default is changed', () => {
  const { before, after } = diff('public-network-access/variable-default');
  assert.equal(
    after,
    before
      .replace('default = true', 'default = false')
      .replace('public_network_access_enabled = var.public_access\n', 'public_network_access_enabled         = var.public_access\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n')
      .replace('name                          =', 'name                                  =')
      .replace('sku                           =', 'sku                                   ='),
  );
});

test('public access: the terraform.tfvars value is changed', () => {
  const changed = fixAll('public-network-access/tfvars');
  // main.tf changes too: the classic workspace gets back-end Private Link with public access off.
  assert.deepEqual([...changed.keys()].sort(), ['main.tf', 'terraform.tfvars']);
  assert.equal(changed.get('terraform.tfvars')!.after, 'public_access = false\n');
  assert.ok(changed.get('main.tf')!.after.includes('  network_security_group_rules_required = "NoAzureDatabricksRules"\n\n  custom_parameters {'));
});

test('no public IP: a literal false becomes true', () => {
  const { before, after } = diff('no-public-ip/literal-false');
  assert.equal(after, withBackendPrivateLink(before).replace('no_public_ip = false', 'no_public_ip = true'));
});

test('no public IP (azurerm 3.90): a custom_parameters block is inserted', () => {
  const { before, after } = diff('no-public-ip/azurerm3-lock-3.90');
  assert.equal(after, withBackendPrivateLink(before).replace('"NoAzureDatabricksRules"\n}', '"NoAzureDatabricksRules"\n  custom_parameters {\n    no_public_ip = true\n  }\n}'));
});

test('no public IP (azurerm 3.x, block present): inserted into the block, aligned', () => {
  const { before, after } = diff('no-public-ip/azurerm3-block-without-flag');
  assert.equal(after, withBackendPrivateLink(before).replace('    virtual_network_id = "/subscriptions/x/vnet"\n', '    virtual_network_id = "/subscriptions/x/vnet"\n    no_public_ip       = true\n'));
});

test('premium SKU: standard becomes premium', () => {
  const { before, after } = diff('premium-sku/standard');
  assert.equal(after, withBackendPrivateLink(before).replace('"standard"', '"premium"'));
});
