// Preferred fixes of the Terraform rules databricks-backend-private-link and the storage and Key
// Vault rules, before → after through the engine's fix-all (see rules-fixes.test.ts for why the
// expected texts live here and not in .fixed.tf files).
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
function diff(dir: string): { before: string; after: string } {
  const file = join(FIXTURES, dir, 'main.tf');
  const before = stripMarkers(readFileSync(file, 'utf8'));
  const host = overlayHost(diskHost([repoRoot]), new Map([[file, before]]));
  const result = analyzePath(file, host);
  assert.ok(result);
  const edits = fixAllEdits(result, file);
  assert.ok(edits.every((e) => e.file === file), 'only main.tf changes');
  const after = applyEdits(before, edits);
  assert.deepEqual(parseHcl(after).errors, []);
  const again = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, after]])));
  assert.ok(again);
  assert.deepEqual(fixAllEdits(again, file), [], 'a second fix-all changes nothing');
  const fixedIds = new Set(result.findings.filter((f) => f.fixes.some((x) => x.kind === 'fix' && x.preferred)).map((f) => f.ruleId));
  assert.deepEqual(again.findings.filter((f) => fixedIds.has(f.ruleId)).map((f) => f.ruleId), [], 'the fixed findings are gone');
  const beforeIds = new Set(result.findings.map((f) => f.ruleId));
  assert.deepEqual(again.findings.filter((f) => !beforeIds.has(f.ruleId)).map((f) => f.ruleId), [], 'no new finding');
  return { before, after };
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
