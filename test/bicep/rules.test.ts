// Fixture tests of the rules on Bicep (markers inline; see test/helpers/fixtures.ts). The fixtures
// live under test/bicep/fixtures; files named `*.fixed.bicep` hold the text after fix-all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkFixture, fixtureTests, scopeOptions, stripMarkers } from '../helpers/fixtures';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text';
import { repoRoot } from '../helpers/corpus';

const root = join(__dirname, 'fixtures');

fixtureTests('test/bicep/fixtures');

test('bicep fixture public-network-access/bicepparam: the finding comes from the .bicepparam and its fix edits that file', () => {
  const dir = join(root, 'public-network-access', 'bicepparam');
  const main = join(dir, 'main.bicep');
  const params = join(dir, 'main.bicepparam');
  const host = diskHost([repoRoot]);
  checkFixture(main);
  const plain = stripMarkers(readFileSync(main, 'utf8'));
  const overlay = new Map([[main, plain]]);
  // The workspace is VNet-injected and has a UI/API endpoint, so the fix is preferred; other rules' fixes are not this test's.
  const options = scopeOptions(['databricks-public-network-access']);
  const result = analyzePath(main, overlayHost(host, overlay), options)!;
  const finding = result.findings.find((f) => f.ruleId === 'databricks-public-network-access');
  assert.ok(finding, 'no finding for the value the .bicepparam sets');
  const edits = finding.fixes.find((f) => f.kind === 'fix' && f.preferred)?.edits ?? [];
  assert.ok(edits.length > 0 && edits.every((e) => e.file === params), 'the fix should edit main.bicepparam only');
  const fixedParams = applyEdits(readFileSync(params, 'utf8'), edits);
  assert.equal(fixedParams, "using './main.bicep'\n\nparam publicNetworkAccess = 'Disabled'\n");
  overlay.set(params, fixedParams);
  const again = analyzePath(main, overlayHost(host, overlay))!;
  assert.deepEqual(again.findings.filter((f) => f.ruleId === 'databricks-public-network-access'), []);
  // Opening the .bicepparam analyses the template with the same values.
  const viaParams = analyzePath(params, host)!;
  assert.equal(viaParams.unit.root, main);
});
