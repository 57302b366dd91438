// Suppression directives: next-line scope, several ids, unknown ids and unused directives.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text';
import { withoutCrossResource } from '../helpers/cross-resource';

const HEAD = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
`;
const TAIL = `
  ]
}
`;

function analyse(resource: string, rules?: Record<string, 'off'>) {
  const dir = scratchDir('bg-dir-');
  const path = join(dir, 'main.json');
  writeFileSync(path, HEAD + resource + TAIL);
  return analyzePath(path, diskHost([dir]), { rules: withoutCrossResource(rules) })!;
}

const WS = (props: string) => `    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2024-05-01",
      "name": "w",
      "sku": { "name": "standard" },
      "properties": {
${props}
      }
    }`;

test('a directive above a property suppresses that rule there only', () => {
  const r = analyse(WS('        // brickguard-disable-next-line databricks-public-network-access reviewed: WAF in front\n        "publicNetworkAccess": "Enabled"'));
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['databricks-premium-sku']);
});

test('a directive above the resource suppresses the rule for the whole resource, with several ids', () => {
  const r = analyse(`    // brickguard-disable-next-line databricks-public-network-access, databricks-premium-sku dev sandbox\n${WS('        "publicNetworkAccess": "Enabled"')}`);
  assert.deepEqual(r.findings.map((f) => f.ruleId), []);
});

test('an unknown rule id is reported on the id', () => {
  const r = analyse(`    // brickguard-disable-next-line databricks-premium-skuu typo\n${WS('        "publicNetworkAccess": "Disabled",\n        "requiredNsgRules": "NoAzureDatabricksRules"')}`);
  const ids = r.findings.map((f) => f.ruleId).sort();
  assert.deepEqual(ids, ['brickguard-unknown-rule', 'databricks-premium-sku']);
  const unknown = r.findings.find((f) => f.ruleId === 'brickguard-unknown-rule')!;
  assert.equal(r.files[0].text.slice(unknown.span.start, unknown.span.end), 'databricks-premium-skuu');
});

test('an unused directive is reported, and its fix removes the line', () => {
  const r = analyse(`    // brickguard-disable-next-line databricks-no-public-ip not needed\n${WS('        "publicNetworkAccess": "Disabled"')}`);
  const unused = r.findings.find((f) => f.ruleId === 'brickguard-unused-suppression');
  assert.ok(unused);
  assert.equal(unused.severity, 'information');
  const fixed = applyEdits(r.files[0].text, unused.fixes[0].edits);
  assert.ok(!fixed.includes('brickguard-disable-next-line'));
  assert.ok(fixed.startsWith(HEAD + '    {\n'));
});

test('a directive for a rule turned off is not reported as unused', () => {
  const r = analyse(`    // brickguard-disable-next-line databricks-no-public-ip later\n${WS('        "publicNetworkAccess": "Disabled"')}`, { 'databricks-no-public-ip': 'off' });
  assert.ok(!r.findings.some((f) => f.ruleId === 'brickguard-unused-suppression'));
});

test('the suppress action inserts a directive that silences the finding', () => {
  const r = analyse(WS('        "publicNetworkAccess": "Enabled"'));
  const f = r.findings.find((x) => x.ruleId === 'databricks-public-network-access')!;
  const suppress = f.fixes.find((x) => x.kind === 'suppress')!;
  const text = applyEdits(r.files[0].text, suppress.edits);
  assert.match(text, /\n {4}\/\/ brickguard-disable-next-line databricks-public-network-access .+\n {4}\{/);
  const dir = scratchDir('bg-dir-');
  writeFileSync(join(dir, 'main.json'), text);
  const again = analyzePath(join(dir, 'main.json'), diskHost([dir]), { rules: withoutCrossResource() })!;
  assert.deepEqual(again.findings.map((x) => x.ruleId), ['databricks-premium-sku']);
});

test('severity settings apply, and off disables a rule', () => {
  const r = analyse(WS('        "publicNetworkAccess": "Enabled"'), { 'databricks-premium-sku': 'off' });
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['databricks-public-network-access']);
});
