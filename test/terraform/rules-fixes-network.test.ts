// Preferred fixes of the Terraform network rules, before → after, through the engine's fix-all
// (fixtures live one per folder, so the expected texts are kept here; see rules-fixes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllOf, mainOnly } from './fix-all';

/** Fix-all of a fixture's main.tf: its text before and after (marker lines removed first). */
function fixMain(dir: string): { before: string; after: string } {
  const outcome = fixAllOf(dir);
  assert.ok(outcome.files.size > 0, 'fix-all changes the file');
  assert.deepEqual(outcome.again.findings.map((f) => f.ruleId), [], 'no finding left');
  return mainOnly(outcome);
}

test('public IP on a NIC: the attribute line is removed and the block realigned', () => {
  const { after } = fixMain('public-ip-on-nic/single');
  assert.ok(
    after.includes(
      '  ip_configuration {\n' +
        '    name                          = "internal"\n' +
        '    subnet_id                     = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"\n' +
        '    private_ip_address_allocation = "Dynamic"\n' +
        '  }\n',
    ),
    after,
  );
  assert.ok(!after.includes('public_ip_address_id'), after);
});

test('public IP on a NIC: only the configuration that has one changes, and the public IP nothing else uses goes', () => {
  const { before, after } = fixMain('public-ip-on-nic/two-configurations');
  const pip = before.slice(0, before.indexOf('resource "azurerm_network_interface"'));
  assert.match(pip, /^resource "azurerm_public_ip" "this" \{[^]*\n\}\n\n$/);
  assert.equal(after, before.replace(pip, '').replace('    public_ip_address_id          = azurerm_public_ip.this.id\n', ''));
});

test('public IP on a NIC: a public IP an output still uses is kept', () => {
  const { before, after } = fixMain('public-ip-on-nic/ip-used-by-output');
  assert.equal(after, before.replace('    public_ip_address_id          = azurerm_public_ip.this.id\n', ''));
});

test('diagnostic logs: under azurerm constraints that allow versions before 3.39 (no enabled_log) the new setting is offered, not preferred', () => {
  const { result } = fixAllOf('diagnostic-logs/azurerm-before-enabled-log');
  const finding = result.findings.find((f) => f.ruleId === 'databricks-diagnostic-logs');
  assert.ok(finding);
  const fix = finding.fixes.find((f) => f.kind === 'fix');
  assert.ok(fix, 'the fix is offered');
  assert.equal(fix.preferred, false);
  assert.match(fix.title, /needs azurerm 3\.39 or later/);
});

test('diagnostic logs: two enabled_log blocks without the audit categories become one allLogs block', () => {
  const outcome = fixAllOf('diagnostic-logs/two-enabled-logs');
  assert.deepEqual(outcome.again.findings.filter((f) => f.ruleId === 'databricks-diagnostic-logs'), []);
  const { before, after } = mainOnly(outcome);
  const setting = before.slice(before.indexOf('resource "azurerm_monitor_diagnostic_setting"'));
  assert.equal(
    after,
    before.replace(
      setting,
      'resource "azurerm_monitor_diagnostic_setting" "audit" {\n' +
        '  name                       = "audit"\n' +
        '  target_resource_id         = azurerm_databricks_workspace.this.id\n' +
        '  log_analytics_workspace_id = var.log_analytics_id\n' +
        '\n' +
        '  enabled_log {\n' +
        '    category_group = "allLogs"\n' +
        '  }\n' +
        '}\n',
    ),
  );
});
