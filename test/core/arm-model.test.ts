// ARM lowering: evaluation, parameters files, references, nested templates; fixes at the value's source.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost, fixAllEdits } from '../../server/src/engine';
import { lookup } from '../../server/src/model/query';
import { KIND } from '../../server/src/model/types';
import { applyEdits } from '../../server/src/text';
import { withoutCrossResource } from '../helpers/cross-resource';
import { PREMIUM_ONLY_RULES } from '../../server/src/rules/support/encryption';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function workspace(properties: object, extra: object = {}): string {
  return JSON.stringify(
    {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      ...extra,
      resources: [{ type: 'Microsoft.Databricks/workspaces', apiVersion: '2024-05-01', name: 'dbw', location: 'westeurope', sku: { name: 'premium' }, properties }],
    },
    null,
    2,
  );
}

function tempDir(files: Record<string, string>): string {
  const dir = scratchDir('bg-arm-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The template's workspace VNet-injected, with a UI/API private endpoint: turning public access off is safe. */
function privateReady(text: string): string {
  const template = JSON.parse(text) as { resources: { properties: Record<string, unknown> }[] };
  const vnet = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet';
  template.resources[0].properties.parameters = {
    customVirtualNetworkId: { value: vnet },
    customPublicSubnetName: { value: 'public' },
    customPrivateSubnetName: { value: 'private' },
  };
  const wsId = "[resourceId('Microsoft.Databricks/workspaces', 'dbw')]";
  template.resources.push({
    type: 'Microsoft.Network/privateEndpoints',
    apiVersion: '2023-11-01',
    name: 'dbw-ui-api',
    location: 'westeurope',
    dependsOn: [wsId],
    properties: { subnet: { id: `${vnet}/subnets/endpoints` }, privateLinkServiceConnections: [{ name: 'ui-api', properties: { privateLinkServiceId: wsId, groupIds: ['databricks_ui_api'] } }] },
  } as unknown as { properties: Record<string, unknown> });
  return JSON.stringify(template, null, 2);
}

test('a sibling parameters file supplies the value, and the fix edits that file', () => {
  const params = { access: { type: 'string', defaultValue: 'Disabled' } };
  const dir = tempDir({
    'main.json': privateReady(workspace({ publicNetworkAccess: "[parameters('access')]", requiredNsgRules: 'NoAzureDatabricksRules' }, { parameters: params })),
    'main.parameters.json': '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",\n  "parameters": {\n    "access": { "value": "Enabled" }\n  }\n}\n',
  });
  const main = join(dir, 'main.json');
  const result = analyzePath(main, diskHost([dir]), { rules: withoutCrossResource() })!;
  const finding = result.findings.find((f) => f.ruleId === 'databricks-public-network-access');
  assert.ok(finding, 'the supplied Enabled is reported');
  const fix = finding.fixes.find((f) => f.preferred)!;
  assert.match(fix.title, /parameter 'access' in main\.parameters\.json/);
  assert.deepEqual(new Set(fix.edits.map((e) => e.file)), new Set([join(dir, 'main.parameters.json')]));
  const edits = fixAllEdits(result, main);
  const paramsText = result.files.find((f) => f.path.endsWith('main.parameters.json'))!.text;
  assert.match(applyEdits(paramsText, edits.filter((e) => e.file.endsWith('main.parameters.json'))), /"access": \{ "value": "Disabled" \}/);
});

test('variables, concat, format and if are evaluated; unknown functions stay unknown', () => {
  const dir = tempDir({
    'main.json': workspace(
      { publicNetworkAccess: "[variables('mode')]", requiredNsgRules: "[concat('NoAzure', 'DatabricksRules')]", note: "[format('{0}-{1}', 'a', parameters('n'))]", other: '[reference(\'x\').y]' },
      { parameters: { n: { type: 'int', defaultValue: 3 } }, variables: { mode: "[if(equals(parameters('n'), 3), 'Disabled', 'Enabled')]" } },
    ),
  });
  const result = analyzePath(join(dir, 'main.json'), diskHost([dir]), { rules: withoutCrossResource() })!;
  const ws = result.unit.resources[0];
  const get = (p: string[]) => lookup(ws, p);
  assert.deepEqual(pick(get(['properties', 'publicNetworkAccess'])), { state: 'set', value: 'Disabled' });
  assert.deepEqual(pick(get(['properties', 'requiredNsgRules'])), { state: 'set', value: 'NoAzureDatabricksRules' });
  assert.deepEqual(pick(get(['properties', 'note'])), { state: 'set', value: 'a-3' });
  assert.equal(get(['properties', 'other']).state, 'unknown');
  assert.deepEqual(result.findings.filter((f) => !PREMIUM_ONLY_RULES.has(f.ruleId)), []);
});

test('property names are case-insensitive, as ARM reads them', () => {
  const dir = tempDir({ 'main.json': workspace({ PublicNetworkAccess: 'Disabled', RequiredNsgRules: 'NoAzureDatabricksRules' }) });
  assert.deepEqual(analyzePath(join(dir, 'main.json'), diskHost([dir]), { rules: withoutCrossResource() })!.findings.filter((f) => !PREMIUM_ONLY_RULES.has(f.ruleId)), []);
});

test('resourceId() and scope resolve to resources of the template', () => {
  const text = JSON.stringify({
    $schema: SCHEMA,
    resources: [
      { type: 'Microsoft.Databricks/workspaces', apiVersion: '2024-05-01', name: "[parameters('ws')]", sku: { name: 'premium' }, properties: { publicNetworkAccess: 'Disabled' } },
      {
        type: 'Microsoft.Network/privateEndpoints',
        apiVersion: '2023-04-01',
        name: 'pe',
        properties: { privateLinkServiceConnections: [{ name: 'c', properties: { privateLinkServiceId: "[resourceId('Microsoft.Databricks/workspaces', parameters('ws'))]", groupIds: ['databricks_ui_api'] } }] },
      },
      { type: 'Microsoft.Insights/diagnosticSettings', apiVersion: '2021-05-01-preview', name: 'diag', scope: "[format('Microsoft.Databricks/workspaces/{0}', parameters('ws'))]", properties: {} },
    ],
    parameters: { ws: { type: 'string', defaultValue: 'dbw-x' } },
  });
  const dir = tempDir({ 'main.json': text });
  const unit = analyzePath(join(dir, 'main.json'), diskHost([dir]))!.unit;
  const ws = unit.resources.find((r) => r.kind === KIND.workspace)!;
  const pe = unit.resources.find((r) => r.kind === KIND.privateEndpoint)!;
  const conn = lookup(pe, ['properties', 'privateLinkServiceConnections']);
  assert.equal(conn.state, 'set');
  const id = conn.state === 'set' && conn.value.kind === 'array' && conn.value.items[0].kind === 'object' ? conn.value.items[0] : undefined;
  const target = id && lookup({ ...pe, body: id }, ['properties', 'privateLinkServiceId']);
  assert.ok(target && target.state === 'set' && target.value.kind === 'ref' && target.value.target === ws);
  const diag = unit.resources.find((r) => r.kind === KIND.diagnosticSetting)!;
  assert.ok(diag.scope?.kind === 'ref' && diag.scope.target === ws);
});

test('child resources get full types; nested deployments with outer scope use the parent parameters', () => {
  const text = JSON.stringify({
    $schema: SCHEMA,
    parameters: { tier: { type: 'string', defaultValue: 'standard' } },
    resources: [
      {
        type: 'Microsoft.Network/privateEndpoints',
        apiVersion: '2023-04-01',
        name: 'pe',
        properties: {},
        resources: [{ type: 'privateDnsZoneGroups', apiVersion: '2023-04-01', name: 'default', properties: {} }],
      },
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'nested',
        properties: {
          mode: 'Incremental',
          template: { $schema: SCHEMA, resources: [{ type: 'Microsoft.Databricks/workspaces', apiVersion: '2024-05-01', name: 'w', sku: { name: "[parameters('tier')]" }, properties: { publicNetworkAccess: 'Disabled', requiredNsgRules: 'NoAzureDatabricksRules' } }] },
        },
      },
    ],
  });
  const dir = tempDir({ 'main.json': text });
  const result = analyzePath(join(dir, 'main.json'), diskHost([dir]), { rules: withoutCrossResource() })!;
  assert.ok(result.unit.resources.some((r) => r.kind === KIND.privateDnsZoneGroup));
  const child = result.unit.resources.find((r) => r.kind === KIND.privateDnsZoneGroup)!;
  assert.equal(child.parent?.kind, KIND.privateEndpoint);
  assert.deepEqual(result.findings.map((f) => f.ruleId), ['databricks-premium-sku']);
});

test('a malformed template yields no crash and no false finding', () => {
  const dir = tempDir({ 'main.json': `{ "$schema": "${SCHEMA}", "resources": [ { "type": "Microsoft.Databricks/workspaces", "apiVersion": "2023-02-01", "name": ` });
  const result = analyzePath(join(dir, 'main.json'), diskHost([dir]), { rules: withoutCrossResource() })!;
  assert.ok(result.files[0].syntaxErrors.length > 0);
  assert.deepEqual(result.findings, []);
});

test('a JSON file that is not a deployment template is not analysed', () => {
  const dir = tempDir({ 'package.json': '{ "name": "x" }', 'p.parameters.json': `{ "$schema": "${SCHEMA}", "parameters": {} }` });
  assert.equal(analyzePath(join(dir, 'package.json'), diskHost([dir])), undefined);
  assert.equal(analyzePath(join(dir, 'p.parameters.json'), diskHost([dir])), undefined);
});

function pick(l: ReturnType<typeof lookup>): { state: string; value?: unknown } {
  if (l.state !== 'set') return { state: l.state };
  const v = l.value;
  return { state: 'set', value: 'value' in v ? v.value : v.kind };
}
