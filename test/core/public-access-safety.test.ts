// rules.md, Fix safety: turning public access off is the preferred fix only for a serverless
// workspace or a classic one that is VNet-injected and has a databricks_ui_api endpoint; otherwise
// it is offered, its title says what it assumes, and the message names what comes first.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import type { Finding, ResolvedFix } from '../../server/src/engine/types';
import { MAX_MESSAGE_LENGTH } from '../../server/src/rules/support/message';
import { repoRoot } from '../helpers/corpus';
import { memoryHost } from '../bicep/memhost';

const RULE = 'databricks-public-network-access';

function publicAccess(path: string, host = diskHost([repoRoot])): { finding: Finding; fix: ResolvedFix } {
  const result = analyzePath(path, host)!;
  const finding = result.findings.find((f) => f.ruleId === RULE);
  assert.ok(finding, `${path}: no ${RULE} finding`);
  const fix = finding.fixes.find((f) => f.kind === 'fix');
  assert.ok(fix, `${path}: no fix offered`);
  assert.ok(finding.message.length <= MAX_MESSAGE_LENGTH, finding.message);
  return { finding, fix };
}

const fixture = (...p: string[]) => join(repoRoot, 'test', ...p);

for (const [dialect, path] of [
  ['ARM', fixture('arm', 'fixtures', 'public-network-access', 'bare-classic.json')],
  ['Bicep', fixture('bicep', 'fixtures', 'public-network-access', 'bare-classic.bicep')],
  ['Terraform', fixture('terraform', 'fixtures', 'public-network-access', 'bare-classic', 'main.tf')],
] as const) {
  test(`${dialect}: a classic workspace without VNet injection or endpoint: offered, not preferred; VNet injection, then the endpoint come first`, () => {
    const { finding, fix } = publicAccess(path);
    assert.equal(fix.preferred, false);
    assert.match(fix.title, /NoAzureDatabricksRules.*\(assumes VNet injection and a databricks_ui_api private endpoint\)$/);
    assert.match(finding.message, /first VNet injection, then a databricks_ui_api endpoint, then disable it\.$/);
  });
}

test('ARM: VNet-injected without an endpoint: offered, the endpoint comes first', () => {
  const { finding, fix } = publicAccess(fixture('arm', 'fixtures', 'public-network-access', 'injected-without-endpoint.json'));
  assert.equal(fix.preferred, false);
  assert.match(fix.title, /\(assumes a databricks_ui_api private endpoint\)$/);
  assert.doesNotMatch(fix.title, /VNet/);
  assert.match(finding.message, /first a databricks_ui_api private endpoint, then disable it\.$/);
});

test('VNet-injected with a UI/API endpoint: preferred, and it sets NoAzureDatabricksRules too', () => {
  for (const path of [
    fixture('arm', 'fixtures', 'public-network-access', 'absent.json'),
    fixture('bicep', 'fixtures', 'public-network-access', 'absent.bicep'),
    fixture('terraform', 'fixtures', 'public-network-access', 'absent', 'main.tf'),
  ]) {
    const { finding, fix } = publicAccess(path);
    assert.equal(fix.preferred, true, path);
    assert.doesNotMatch(fix.title, /assumes/);
    assert.match(fix.title, /NoAzureDatabricksRules/);
    assert.doesNotMatch(finding.message, /first/);
  }
});

test('Terraform: the NSG association ids do not decide whether the workspace is injected', () => {
  const path = fixture('terraform', 'fixtures', 'public-network-access', 'absent', 'main.tf');
  const host = diskHost([repoRoot]);
  const text = host.readFile(path)!.replace(/^ *(public|private)_subnet_network_security_group_association_id.*\n/gm, '');
  const { fix } = publicAccess(path, overlayHost(host, new Map([[path, text]])));
  assert.equal(fix.preferred, true);
});

test('a serverless workspace: preferred, without NoAzureDatabricksRules', () => {
  const main = '/ws/main.bicep';
  const host = memoryHost({
    [main]: `resource ws 'Microsoft.Databricks/workspaces@2026-01-01' = {
  name: 'dbw'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    computeMode: 'Serverless'
  }
}
`,
  });
  const { finding, fix } = publicAccess(main, host);
  assert.equal(fix.preferred, true);
  assert.equal(fix.title, "Set publicNetworkAccess to 'Disabled'");
  assert.doesNotMatch(finding.message, /first/);
});
