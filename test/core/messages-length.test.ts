// Diagnostic messages say the fact and the action in at most 120 characters (product.md §3), over
// every fixture of the three dialects and the examples, and however long the user's names and
// values are: the engine shortens the user text in the fact, never the action.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scan } from '../../server/src/cli/scan';
import { analyzePath, diskHost } from '../../server/src/engine';
import { MAX_MESSAGE_LENGTH, firstFitting, fitMessage } from '../../server/src/rules/support/message';
import { repoRoot } from '../helpers/corpus';
import { scratchDir } from '../helpers/scratch';

const root = repoRoot;
const FOLDERS = ['examples', 'test/arm/fixtures', 'test/bicep/fixtures', 'test/terraform/fixtures', 'test/fixes/fixtures'];

it(`every message over the fixtures of the three dialects and the examples has at most ${MAX_MESSAGE_LENGTH} characters`, () => {
  const report = scan({ paths: FOLDERS.map((f) => join(root, f)), cwd: root });
  const extensions = new Set(report.findings.map((f) => f.file.replace(/^.*\./, '')));
  for (const ext of ['bicep', 'json', 'tf']) assert.ok(extensions.has(ext), `findings in .${ext} files`);
  assert.ok(report.findings.length > 1000, `${report.findings.length} findings`);
  const long = report.findings.filter((f) => f.message.length > MAX_MESSAGE_LENGTH).map((f) => `${f.message.length} ${f.ruleId}: ${f.message}`);
  assert.deepEqual(long, [], `${long.length} of ${report.findings.length} messages are longer than ${MAX_MESSAGE_LENGTH} characters`);
});

describe('fitMessage', () => {
  const action = ": set it to 'Disabled' and use Private Link.";

  it('keeps a message that fits as it is', () => {
    const text = `publicNetworkAccess is 'Enabled'${action}`;
    assert.equal(fitMessage(text), text);
  });

  it('cuts a long quoted user value with an ellipsis and keeps the fact and the action', () => {
    const value = 'x'.repeat(300);
    const out = fitMessage(`publicNetworkAccess is '${value}' from main.parameters.json:3${action}`);
    assert.ok(out.length <= MAX_MESSAGE_LENGTH, `${out.length}: ${out}`);
    assert.match(out, /^publicNetworkAccess is 'x+…' from main\.parameters\.json:3: set it to 'Disabled' and use Private Link\.$/);
  });

  it('cuts the longest of several quoted texts first and never below a readable length', () => {
    const out = fitMessage(`Rule '${'n'.repeat(90)}' allows SSH (22) from '0.0.0.0/0'${action}`);
    assert.ok(out.length <= MAX_MESSAGE_LENGTH, `${out.length}: ${out}`);
    assert.ok(out.includes("from '0.0.0.0/0'"), out);
    assert.match(out, /^Rule 'n+…' allows/);
  });

  it('cuts the fact, not the action, when quoted texts are not enough', () => {
    const out = fitMessage(`${'A fact without quotes '.repeat(8)}${action}`);
    assert.equal(out.length, MAX_MESSAGE_LENGTH);
    assert.ok(out.endsWith(`…${action}`), out);
  });

  it('cuts a message without an action at its end, and never inside a surrogate pair', () => {
    const out = fitMessage('🔑'.repeat(100));
    assert.ok(out.length <= MAX_MESSAGE_LENGTH && out.endsWith('…'), out);
    assert.doesNotMatch(out, /[\uD800-\uDBFF]…/);
  });

  it('does not take an apostrophe for a quote', () => {
    const out = fitMessage(`The workspace's ${'very '.repeat(30)}long fact isn't quoted${action}`);
    assert.ok(out.includes("The workspace's very"), out);
    assert.ok(out.endsWith(action), out);
  });

  it('firstFitting takes the first candidate that fits, else the last', () => {
    assert.equal(firstFitting('x'.repeat(121), 'short', 'other'), 'short');
    assert.equal(firstFitting('x'.repeat(121), 'y'.repeat(130)), 'y'.repeat(130));
  });
});

it('a very long parameter name and value keep a finding in 120 characters, its action whole', () => {
  const dir = scratchDir('bg-messages-');
  const name = `noPublicIp${'Setting'.repeat(20)}`;
  const path = join(dir, 'main.bicep');
  writeFileSync(
    path,
    `param ${name} bool = false\nparam sku string = '${'standard'.repeat(30)}'\n\n` +
      `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'w'\n  location: 'westeurope'\n  sku: { name: sku }\n` +
      `  properties: {\n    managedResourceGroupId: 'x'\n    parameters: { enableNoPublicIp: { value: ${name} } }\n  }\n}\n`,
  );
  const result = analyzePath(path, diskHost([dir]));
  assert.ok(result);
  const ip = result.findings.find((f) => f.ruleId === 'databricks-no-public-ip');
  const tier = result.findings.find((f) => f.ruleId === 'databricks-premium-sku');
  assert.ok(ip && tier, result.findings.map((f) => f.ruleId).join(', '));
  for (const f of [ip, tier]) assert.ok(f.message.length <= MAX_MESSAGE_LENGTH, `${f.message.length}: ${f.message}`);
  assert.match(ip.message, /^enableNoPublicIp is false \(default of `noPublicIpSetting\S*…`, main\.bicep:1\)[:.].* [Ss]et it to true\.$/);
  assert.match(tier.message, /^The workspace tier is 'standardstandard\S*…' \(default of `sku`, main\.bicep:2\)/);
  assert.match(tier.message, /Use 'premium'\.$|use 'premium'\.$/);
});

it('databricks-vnet-injection names the NSG rules setting in the dialect of the file', () => {
  const dir = scratchDir('bg-messages-nsg-');
  writeFileSync(
    join(dir, 'main.tf'),
    'resource "azurerm_databricks_workspace" "ws" {\n  name                = "w"\n  resource_group_name = "rg"\n  location            = "westeurope"\n' +
      '  sku                 = "premium"\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n}\n',
  );
  writeFileSync(
    join(dir, 'main.bicep'),
    "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'w'\n  location: 'westeurope'\n  sku: { name: 'premium' }\n" +
      "  properties: {\n    managedResourceGroupId: 'x'\n    requiredNsgRules: 'NoAzureDatabricksRules'\n  }\n}\n",
  );
  const messageOf = (file: string) => analyzePath(join(dir, file), diskHost([dir]))?.findings.find((f) => f.ruleId === 'databricks-vnet-injection')?.message;
  assert.equal(messageOf('main.tf'), 'Workspace is not VNet-injected, required by its network_security_group_rules_required: add the VNet parameters.');
  assert.equal(messageOf('main.bicep'), 'Workspace is not VNet-injected, required with requiredNsgRules NoAzureDatabricksRules: add the VNet parameters.');
});
