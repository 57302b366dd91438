// addParameter, addResource and addChild rendered in ARM, Bicep and Terraform: before → after
// fixtures under test/fixes/fixtures/<dialect>/<case> (every changed file has a `.fixed` beside
// it; BRICKGUARD_UPDATE_FIXTURES=1 rewrites them). The fix is rendered by the engine's renderer
// for rules, so what a rule gets is what is checked here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { frontEndFor, renderFix } from '../../server/src/engine/analyze';
import { concat, paramRef, resourceRef, type FixIntent } from '../../server/src/fixes/intent';
import { KIND, type Resource, type Unit } from '../../server/src/model/types';
import { settingTargets } from '../../server/src/rules/support/diagnostics';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures');

function workspaceOf(unit: Unit): Resource {
  const ws = unit.resources.find((r) => r.kind === KIND.workspace);
  assert.ok(ws, 'no workspace in the fixture');
  return ws;
}

/** A private endpoint for the workspace's UI/API with a DNS zone group, on two new parameters. */
function privateEndpointIntents(ws: Resource): FixIntent[] {
  return [
    { op: 'addParameter', as: 'subnet', near: ws, name: 'privateEndpointSubnetId', type: 'string', description: 'Resource id of the subnet for the private endpoint.' },
    { op: 'addParameter', as: 'zone', near: ws, name: 'privateDnsZoneId', type: 'string', description: 'Resource id of the privatelink.azuredatabricks.net private DNS zone.' },
    {
      op: 'addResource',
      as: 'pe',
      after: ws,
      kind: KIND.privateEndpoint,
      apiVersion: '2023-11-01',
      terraformType: 'azurerm_private_endpoint',
      name: concat(resourceRef(ws, 'name'), '-ui-api'),
      symbol: 'uiApiEndpoint',
      body: {
        arm: {
          location: resourceRef(ws, 'location'),
          properties: {
            subnet: { id: paramRef('subnet') },
            privateLinkServiceConnections: [{ name: 'databricks_ui_api', properties: { privateLinkServiceId: resourceRef(ws), groupIds: ['databricks_ui_api'] } }],
          },
        },
        terraform: {
          name: concat(resourceRef(ws, 'name'), '-ui-api'),
          location: resourceRef(ws, 'location'),
          resource_group_name: resourceRef(ws, 'resource_group_name'),
          subnet_id: paramRef('subnet'),
          private_service_connection: {
            $blocks: [{ name: 'databricks_ui_api', private_connection_resource_id: resourceRef(ws), is_manual_connection: false, subresource_names: ['databricks_ui_api'] }],
          },
        },
      },
    },
    {
      op: 'addChild',
      as: 'zoneGroup',
      parent: { as: 'pe' },
      childType: 'privateDnsZoneGroups',
      apiVersion: '2023-11-01',
      name: 'default',
      symbol: 'uiApiZoneGroup',
      terraformBlock: 'private_dns_zone_group',
      body: {
        arm: { properties: { privateDnsZoneConfigs: [{ name: 'databricks', properties: { privateDnsZoneId: paramRef('zone') } }] } },
        terraform: { name: 'default', private_dns_zone_ids: [paramRef('zone')] },
      },
    },
  ];
}

/** A DNS zone group added to every private endpoint already in the file. */
function zoneGroupIntents(unit: Unit, ws: Resource | undefined): FixIntent[] {
  const endpoints = unit.resources.filter((r) => r.kind === KIND.privateEndpoint);
  const near = ws ?? endpoints[0];
  return [
    { op: 'addParameter', as: 'zone', near, name: 'privateDnsZoneId', type: 'string', description: 'Resource id of the private DNS zone.' },
    ...endpoints.map(
      (pe, i): FixIntent => ({
        op: 'addChild',
        as: `group${i}`,
        parent: pe,
        childType: 'privateDnsZoneGroups',
        apiVersion: '2023-11-01',
        name: 'default',
        symbol: 'zoneGroup',
        terraformBlock: 'private_dns_zone_group',
        body: {
          arm: { properties: { privateDnsZoneConfigs: [{ name: 'databricks', properties: { privateDnsZoneId: paramRef('zone') } }] } },
          terraform: { name: 'default', private_dns_zone_ids: [paramRef('zone')] },
        },
      }),
    ),
  ];
}

/** An extension resource on the workspace (`scope`): a diagnostic setting sending allLogs. */
function diagnosticSettingIntents(ws: Resource): FixIntent[] {
  return [
    { op: 'addParameter', as: 'law', near: ws, name: 'logAnalyticsWorkspaceId', type: 'string', description: 'Resource id of the Log Analytics workspace.' },
    {
      op: 'addResource',
      as: 'diag',
      after: ws,
      kind: KIND.diagnosticSetting,
      apiVersion: '2021-05-01-preview',
      terraformType: 'azurerm_monitor_diagnostic_setting',
      name: 'audit-logs',
      symbol: 'auditLogs',
      scope: ws,
      body: {
        arm: { properties: { workspaceId: paramRef('law'), logs: [{ categoryGroup: 'allLogs', enabled: true }] } },
        terraform: { name: 'audit-logs', target_resource_id: resourceRef(ws), log_analytics_workspace_id: paramRef('law'), enabled_log: { $blocks: [{ category_group: 'allLogs' }] } },
      },
    },
  ];
}

const CASES: { dir: string; entry: string; intents: (unit: Unit) => FixIntent[]; added?: string }[] = [
  { dir: 'arm/basic', entry: 'template.json', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'arm/tabs', entry: 'template.json', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'arm/crlf', entry: 'template.json', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'arm/nested-child', entry: 'template.json', intents: (u) => zoneGroupIntents(u, undefined) },
  { dir: 'bicep/basic', entry: 'main.bicep', intents: (u) => [...privateEndpointIntents(workspaceOf(u)), ...zoneGroupIntents(u, workspaceOf(u)).slice(1).map((i) => ({ ...i, as: `${i.op}-existing` }))] },
  { dir: 'bicep/tabs', entry: 'main.bicep', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'bicep/crlf', entry: 'main.bicep', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'terraform/with-variables-tf', entry: 'main.tf', intents: (u) => [...privateEndpointIntents(workspaceOf(u)), ...zoneGroupIntents(u, workspaceOf(u)).slice(1)] },
  { dir: 'terraform/without-variables-tf', entry: 'main.tf', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'terraform/crlf', entry: 'main.tf', intents: (u) => privateEndpointIntents(workspaceOf(u)) },
  { dir: 'arm/scope', entry: 'template.json', intents: (u) => diagnosticSettingIntents(workspaceOf(u)), added: KIND.diagnosticSetting },
  { dir: 'bicep/scope', entry: 'main.bicep', intents: (u) => diagnosticSettingIntents(workspaceOf(u)), added: KIND.diagnosticSetting },
  { dir: 'terraform/azapi-scope', entry: 'main.tf', intents: (u) => diagnosticSettingIntents(workspaceOf(u)), added: KIND.diagnosticSetting },
];

for (const c of CASES) {
  test(`add intents: ${c.dir}`, () => {
    const dir = join(ROOT, c.dir);
    const entry = join(dir, c.entry);
    const host = diskHost([repoRoot]);
    const result = analyzePath(entry, host)!;
    const frontEnd = frontEndFor(entry, readFileSync(entry, 'utf8'))!;
    const fix = renderFix(result.unit, frontEnd, host, { title: 'test', intents: c.intents(result.unit) });
    assert.ok(fix, 'the fix is not rendered');
    assert.equal(fix.inPlace, false);
    const after = applyFixEdits(fix);
    expectFixedFiles(after, dir);
    // The result parses and the model sees what was added: an endpoint (or setting) wired to the workspace.
    const again = analyzePath(entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    const kind = c.added ?? KIND.privateEndpoint;
    const before = result.unit.resources.filter((r) => r.kind.startsWith(kind)).length;
    assert.ok(again.unit.resources.filter((r) => r.kind.startsWith(kind)).length > before || c.dir.includes('nested-child'), 'no resource was added');
    if (c.added === KIND.diagnosticSetting) {
      // The setting targets the workspace (Bicep `scope: ws`, ARM `scope`, Terraform `target_resource_id`).
      const ws = workspaceOf(again.unit);
      const setting = again.unit.resources.find((r) => r.kind === KIND.diagnosticSetting)!;
      assert.equal(settingTargets(setting, ws), 'yes');
      assert.equal(again.findings.some((f) => f.ruleId === 'databricks-diagnostic-logs'), false);
    }
  });
}

test('a property the apiVersion lacks raises it, and the title says so; a shared apiVersion makes the fix not preferred', () => {
  const dir = join(repoRoot, 'test', 'arm', 'fixtures', 'public-network-access');
  const host = diskHost([repoRoot]);
  const own = analyzePath(join(dir, 'old-api-version.json'), host)!;
  const fix = own.findings.find((f) => f.ruleId === 'databricks-public-network-access')!.fixes.find((x) => x.kind === 'fix')!;
  assert.equal(fix.preferred, true);
  assert.match(fix.title, /raises apiVersion to 2024-05-01/);
  const shared = analyzePath(join(dir, 'old-api-version-variable.json'), host)!;
  const offered = shared.findings.find((f) => f.ruleId === 'databricks-public-network-access')!.fixes.find((x) => x.kind === 'fix')!;
  assert.equal(offered.preferred, false);
  assert.match(offered.title, /needs apiVersion 2024-05-01 or later/);
});
