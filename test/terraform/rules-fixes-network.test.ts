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
