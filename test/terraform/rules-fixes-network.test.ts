// Preferred fixes of the Terraform network rules, before → after, through the engine's fix-all
// (fixtures live one per folder, so the expected texts are kept here; see rules-fixes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePath, diskHost, fixAllEdits, overlayHost } from '../../server/src/engine';
import { parseHcl } from '../../server/src/syntax/hcl';
import { applyEdits } from '../../server/src/text';
import { stripMarkers } from '../helpers/fixtures';
import { repoRoot } from '../helpers/corpus';

const FIXTURES = join(repoRoot, 'test', 'terraform', 'fixtures');

/** Fix-all of a fixture's main.tf: its text before and after (marker lines removed first). */
function fixMain(dir: string): { before: string; after: string } {
  const file = join(FIXTURES, dir, 'main.tf');
  const before = stripMarkers(readFileSync(file, 'utf8'));
  const host = overlayHost(diskHost([repoRoot]), new Map([[file, before]]));
  const result = analyzePath(file, host);
  assert.ok(result);
  const edits = fixAllEdits(result, file);
  assert.ok(edits.length > 0, 'fix-all changes the file');
  assert.ok(edits.every((e) => e.file === file), 'only main.tf is edited');
  const after = applyEdits(before, edits);
  assert.deepEqual(parseHcl(after).errors, []);
  const again = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, after]])));
  assert.ok(again);
  assert.deepEqual(fixAllEdits(again, file), [], 'a second fix-all changes nothing');
  assert.deepEqual(again.findings.map((f) => f.ruleId), [], 'no finding left');
  return { before, after };
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

test('public IP on a NIC: only the configuration that has one changes', () => {
  const { before, after } = fixMain('public-ip-on-nic/two-configurations');
  assert.equal(after, before.replace('    public_ip_address_id          = azurerm_public_ip.this.id\n', ''));
});
