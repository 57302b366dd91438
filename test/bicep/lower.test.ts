import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBicepUnit } from '../../server/src/frontends/bicep/lower';
import { bicepFrontEnd } from '../../server/src/frontends/bicep';
import type { ObjectValue, Resource, Unit, Value } from '../../server/src/model/types';
import { memoryHost } from './memhost';
import { analyzePath } from '../../server/src/engine';

function get(v: Value | undefined, ...path: string[]): Value | undefined {
  let cur = v;
  for (const k of path) {
    if (!cur || cur.kind !== 'object') return undefined;
    cur = cur.props.find((p) => p.key === k)?.value;
  }
  return cur;
}
function res(unit: Unit, symbol: string): Resource {
  const r = unit.resources.find((x) => x.symbolicName === symbol);
  assert.ok(r, `no resource ${symbol} in ${unit.resources.map((x) => x.symbolicName).join(', ')}`);
  return r;
}
function text(unit: Unit, file: string, span: { start: number; end: number }): string {
  return unit.files.find((f) => f.path === file)!.text.slice(span.start, span.end);
}
function load(files: Record<string, string>, root = '/ws/main.bicep'): Unit {
  return loadBicepUnit(root, memoryHost(files));
}

test('front end accepts .bicep and .bicepparam only', () => {
  assert.ok(bicepFrontEnd.accepts('/a/main.bicep', ''));
  assert.ok(bicepFrontEnd.accepts('/a/main.bicepparam', ''));
  assert.ok(!bicepFrontEnd.accepts('/a/main.json', ''));
  assert.ok(!bicepFrontEnd.accepts('/a/main.tf', ''));
});

test('a workspace: kind, apiVersion, head, literal values with origins', () => {
  const src = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws1'
  sku: {
    name: 'standard'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    parameters: {
      enableNoPublicIp: {
        value: false
      }
    }
  }
}
`;
  const unit = load({ '/ws/main.bicep': src });
  assert.equal(unit.root, '/ws/main.bicep');
  assert.deepEqual(unit.ownFiles, ['/ws/main.bicep']);
  assert.equal(unit.dialect, 'bicep');
  const ws = res(unit, 'ws');
  assert.equal(ws.kind, 'Microsoft.Databricks/workspaces');
  assert.equal(ws.apiVersion, '2024-05-01');
  assert.equal(ws.schema, 'arm');
  assert.equal(text(unit, ws.file, ws.head), "'Microsoft.Databricks/workspaces@2024-05-01'");
  const pna = get(ws.body, 'properties', 'publicNetworkAccess')!;
  assert.equal(pna.kind, 'string');
  assert.equal(pna.kind === 'string' && pna.value, 'Enabled');
  assert.equal(pna.origin?.kind, 'literal');
  assert.equal(text(unit, pna.origin!.at.file, pna.origin!.at.span), "'Enabled'");
  const npip = get(ws.body, 'properties', 'parameters', 'enableNoPublicIp', 'value')!;
  assert.equal(npip.kind === 'bool' && npip.value, false);
  assert.equal(get(ws.body, 'sku', 'name')?.kind, 'string');
});

test('params, vars, interpolation and ternaries evaluate; unknown stays unknown', () => {
  const src = `@allowed([
  'Enabled'
  'Disabled'
])
param access string = 'Enabled'
param prefix string = 'dbw'
param location string = resourceGroup().location
param private bool = true
param required string
var tier = 'premium'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: '\${prefix}-\${tier}'
  location: location
  sku: {
    name: tier
  }
  properties: {
    publicNetworkAccess: access
    requiredNsgRules: private ? 'NoAzureDatabricksRules' : 'AllRules'
    managedResourceGroupId: required
  }
}
`;
  const unit = load({ '/ws/main.bicep': src });
  const ws = res(unit, 'ws');
  const name = get(ws.body, 'name')!;
  assert.equal(name.kind === 'string' && name.value, 'dbw-premium');
  assert.equal(get(ws.body, 'location')!.kind, 'unknown');
  const sku = get(ws.body, 'sku', 'name')!;
  assert.equal(sku.kind === 'string' && sku.value, 'premium');
  assert.equal(sku.origin?.kind, 'variable');
  assert.equal(sku.origin?.name, 'tier');
  const pna = get(ws.body, 'properties', 'publicNetworkAccess')!;
  assert.equal(pna.kind === 'string' && pna.value, 'Enabled');
  assert.equal(pna.origin?.kind, 'parameter-default');
  assert.equal(pna.origin?.name, 'access');
  assert.equal(text(unit, pna.origin!.at.file, pna.origin!.at.span), "'Enabled'");
  assert.equal(text(unit, pna.loc!.file, pna.loc!.span), 'access');
  assert.equal(pna.origin?.allowedValues?.items.length, 2);
  const nsg = get(ws.body, 'properties', 'requiredNsgRules')!;
  assert.equal(nsg.kind === 'string' && nsg.value, 'NoAzureDatabricksRules');
  assert.equal(get(ws.body, 'properties', 'managedResourceGroupId')!.kind, 'unknown');
});

test('children: nested, parent:, scope:, resourceId(), existing, loops and conditions', () => {
  const src = `param deployDiag bool = false
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws1'
  resource conn 'privateEndpointConnections' = {
    name: 'c'
  }
}
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe'
  properties: {
    privateLinkServiceConnections: [
      {
        name: 'x'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.Databricks/workspaces', 'ws1')
          groupIds: [
            'databricks_ui_api'
          ]
        }
      }
    ]
  }
}
resource zones 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01' = {
  parent: pe
  name: 'default'
}
resource diag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (deployDiag) {
  name: 'd'
  scope: ws
}
resource always 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!deployDiag) {
  name: 'a'
  scope: ws
}
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}
resource many 'Microsoft.Network/privateEndpoints@2023-04-01' = [for i in range(0, 2): {
  name: 'pe\${i}'
}]
output connId string = ws::conn.id
`;
  const unit = load({ '/ws/main.bicep': src });
  const ws = res(unit, 'ws');
  const conn = res(unit, 'ws::conn');
  assert.equal(conn.kind, 'Microsoft.Databricks/workspaces/privateEndpointConnections');
  assert.equal(conn.parent, ws);
  assert.equal(conn.apiVersion, '2024-05-01');
  const pls = get(res(unit, 'pe').body, 'properties', 'privateLinkServiceConnections')!;
  assert.equal(pls.kind, 'array');
  const id = pls.kind === 'array' ? get(pls.items[0], 'properties', 'privateLinkServiceId') : undefined;
  assert.equal(id?.kind, 'ref');
  assert.equal(id?.kind === 'ref' && id.target, ws);
  const zones = res(unit, 'zones');
  assert.equal(zones.kind, 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups');
  assert.equal(zones.parent, res(unit, 'pe'));
  const diag = res(unit, 'diag');
  assert.equal(diag.conditional, true);
  assert.equal(diag.scope?.kind === 'ref' && diag.scope.target, ws);
  assert.equal(res(unit, 'always').conditional, undefined);
  assert.equal(res(unit, 'kv').existing, true);
  assert.equal(res(unit, 'many').loop, true);
  assert.equal(res(unit, 'ws').existing, undefined);
});

test('a private endpoint declared in a local module counts for the workspace passed in', () => {
  const main = `param workspaceName string = 'dbw'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: workspaceName
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}
module peModule 'modules/pe.bicep' = {
  name: 'pe'
  params: {
    workspaceId: ws.id
    access: 'Enabled'
  }
}
module byName './modules/diag.bicep' = {
  name: 'diag'
  params: {
    workspaceName: ws.name
  }
}
module remote 'br/public:avm/res/network/private-endpoint:0.1.0' = {
  name: 'remote'
}
module outside '../../etc/evil.bicep' = {
  name: 'x'
}
output fromModule string = peModule.outputs.peId
`;
  const pe = `param workspaceId string
param access string = 'Disabled'
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe'
  properties: {
    privateLinkServiceConnections: [
      {
        name: 'ui'
        properties: {
          privateLinkServiceId: workspaceId
          groupIds: [
            'databricks_ui_api'
          ]
        }
      }
    ]
    customNetworkInterfaceName: access
  }
}
output peId string = pe.id
`;
  const diag = `param workspaceName string
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' existing = {
  name: workspaceName
}
resource d 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'd'
  scope: ws
}
`;
  const unit = load({
    '/ws/main.bicep': main,
    '/ws/modules/pe.bicep': pe,
    '/ws/modules/diag.bicep': diag,
    '/etc/evil.bicep': "resource bad 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'evil'\n}\n",
  });
  const ws = unit.resources.find((r) => r.symbolicName === 'ws' && !r.viaModule)!;
  const mpe = unit.resources.find((r) => r.kind === 'Microsoft.Network/privateEndpoints')!;
  assert.deepEqual(mpe.viaModule, ['peModule']);
  assert.equal(mpe.file, '/ws/modules/pe.bicep');
  const id = get(mpe.body, 'properties', 'privateLinkServiceConnections');
  const target = id?.kind === 'array' ? get(id.items[0], 'properties', 'privateLinkServiceId') : undefined;
  assert.equal(target?.kind === 'ref' && target.target, ws);
  // A module param's value and origin come from the caller.
  const access = get(mpe.body, 'properties', 'customNetworkInterfaceName')!;
  assert.equal(access.kind === 'string' && access.value, 'Enabled');
  assert.equal(access.origin?.at.file, '/ws/main.bicep');
  // An existing workspace named after the real one resolves to it.
  const d = unit.resources.find((r) => r.kind === 'Microsoft.Insights/diagnosticSettings')!;
  assert.deepEqual(d.viaModule, ['byName']);
  assert.equal(d.scope?.kind === 'ref' && d.scope.target, ws);
  assert.ok(!unit.resources.some((r) => r.file === '/etc/evil.bicep'), 'a module outside the workspace root was read');
  assert.deepEqual(unit.ownFiles, ['/ws/main.bicep']);
  assert.deepEqual(unit.files.map((f) => f.path).sort(), ['/ws/main.bicep', '/ws/modules/diag.bicep', '/ws/modules/pe.bicep']);
});

test('a .bicepparam binds values to the template its using names', () => {
  const main = `param access string = 'Disabled'
param sku string = 'premium'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: {
    name: sku
  }
  properties: {
    publicNetworkAccess: access
  }
}
`;
  const params = `using './main.bicep'

param access = 'Enabled'
`;
  const files = { '/ws/main.bicep': main, '/ws/main.bicepparam': params };
  for (const root of ['/ws/main.bicepparam', '/ws/main.bicep']) {
    const unit = loadBicepUnit(root, memoryHost(files));
    assert.equal(unit.root, '/ws/main.bicep');
    assert.deepEqual(unit.ownFiles, ['/ws/main.bicep']);
    const ws = res(unit, 'ws');
    const pna = get(ws.body, 'properties', 'publicNetworkAccess')!;
    assert.equal(pna.kind === 'string' && pna.value, 'Enabled', root);
    assert.equal(pna.origin?.kind, 'parameter-file');
    assert.equal(pna.origin?.dialect, 'bicepparam');
    assert.equal(pna.origin?.at.file, '/ws/main.bicepparam');
    const sku = get(ws.body, 'sku', 'name')!;
    assert.equal(sku.origin?.kind, 'parameter-default');
    assert.ok(unit.files.some((f) => f.path === '/ws/main.bicepparam' && f.dialect === 'bicepparam'));
  }
});

test('syntax errors and comments are reported per file; a half-typed file still lowers what parsed', () => {
  const src = `// brickguard-disable-next-line databricks-premium-sku reason
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: 
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe'
}
`;
  const unit = load({ '/ws/main.bicep': src });
  const f = unit.files[0];
  assert.ok(f.syntaxErrors.length > 0);
  assert.equal(f.comments[0].text, ' brickguard-disable-next-line databricks-premium-sku reason');
  assert.ok(unit.resources.some((r) => r.symbolicName === 'pe'));
  const ws = res(unit, 'ws');
  // The object still being typed is unknown, so nothing is reported on its absent properties.
  assert.equal(get(ws.body, 'properties')?.kind, 'unknown');
});

test('conditional spreads make only the keys they may add unknown', () => {
  const src = `param vnetId string
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: 'Disabled'
    ...(!empty(vnetId) ? { parameters: { customVirtualNetworkId: { value: vnetId } } } : {})
  }
}
`;
  const unit = load({ '/ws/main.bicep': src });
  const props = get(res(unit, 'ws').body, 'properties') as ObjectValue;
  assert.equal(props.kind, 'object');
  assert.equal(get(props, 'publicNetworkAccess')?.kind, 'string');
  assert.equal(get(props, 'parameters')?.kind, 'unknown');
});

test('a resource with no body yet is kept for references but skipped by rules (marked existing)', () => {
  const unit = load({ '/ws/main.bicep': "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = \n" });
  assert.equal(res(unit, 'ws').existing, true);
  const done = load({ '/ws/main.bicep': "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'ws'\n}\n" });
  assert.equal(res(done, 'ws').existing, undefined);
});

test('a resource whose body is still being typed: what is typed is judged, what is absent is not', () => {
  for (const src of [
    "resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {\n  name: 'ws'\n  sku: {\n    name: 'standard'\n  }\n",
    "resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {\n  name: 'ws'\n  sku: {\n    name: 'standard'\n  }\n  properties: {\n}\n",
    "resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {\n  name: 'ws'\n  sku: {\n    name: 'standard'\n  }\n  properties: {\n    publicNetworkAccess: 'Dis\n",
  ]) {
    const result = analyzePath('/ws/main.bicep', memoryHost({ '/ws/main.bicep': src }))!;
    assert.ok(result.files[0].syntaxErrors.length > 0, src);
    assert.equal(res(result.unit, 'ws').existing, undefined, src);
    // The typed tier is reported; absent publicNetworkAccess and enableNoPublicIp (old API) are not.
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['databricks-premium-sku'], src);
  }
});

test('module params the caller hides (spread or computed) are unknown, not the module default', () => {
  const mod = `param access string = 'Enabled'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: access
  }
}
`;
  for (const params of ['union(base, { access: \'Disabled\' })', "{\n    ...base\n  }"]) {
    const main = `param base object\nmodule m './mod.bicep' = {\n  name: 'm'\n  params: ${params}\n}\n`;
    const unit = load({ '/ws/main.bicep': main, '/ws/mod.bicep': mod });
    assert.equal(get(res(unit, 'ws').body, 'properties', 'publicNetworkAccess')?.kind, 'unknown', params);
  }
  const plain = load({ '/ws/main.bicep': "module m './mod.bicep' = {\n  name: 'm'\n  params: {}\n}\n", '/ws/mod.bicep': mod });
  const v = get(res(plain, 'ws').body, 'properties', 'publicNetworkAccess')!;
  assert.equal(v.kind === 'string' && v.value, 'Enabled');
});

test('multi-line interpolation, index from end and array spreads evaluate', () => {
  const src = `var name = 'dbw'
var items = [
  'a'
  'b'
]
var more = [...items, 'c']
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: $'''\${name}-x'''
  properties: {
    a: more[^1]
    b: $$'''\${name} $\${name}'''
  }
}
`;
  const unit = load({ '/ws/main.bicep': src });
  const ws = res(unit, 'ws');
  const name = get(ws.body, 'name')!;
  assert.equal(name.kind === 'string' && name.value, 'dbw-x');
  const a = get(ws.body, 'properties', 'a')!;
  assert.equal(a.kind === 'string' && a.value, 'c');
  const b = get(ws.body, 'properties', 'b')!;
  assert.equal(b.kind === 'string' && b.value, '${name} dbw');
});

test('a string still being typed is unknown, not a value', () => {
  const src = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: {
    name: 'stan
  }
  properties: {
    publicNetworkAccess: 'Dis
    other: 'it\\'
    done: 'it\\\\'
    text: '\${x
  }
}
`;
  const unit = load({ '/ws/main.bicep': src });
  const ws = res(unit, 'ws');
  assert.equal(get(ws.body, 'sku', 'name')?.kind, 'unknown');
  assert.equal(get(ws.body, 'properties', 'publicNetworkAccess')?.kind, 'unknown');
  assert.equal(get(ws.body, 'properties', 'other')?.kind, 'unknown');
  assert.equal(get(ws.body, 'properties', 'done')?.kind, 'string');
  assert.equal(get(ws.body, 'properties', 'text')?.kind, 'unknown');
  assert.equal(load({ '/ws/main.bicep': "resource ws 'Microsoft.Databricks/work\n" }).resources.length, 0);
});

test('union(), contains() and length() evaluate on known values', () => {
  const src = `var base = {
  sku: {
    name: 'standard'
    tier: 'x'
  }
}
var merged = union(base, {
  sku: {
    name: 'premium'
  }
})
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: merged.sku
  properties: {
    a: contains(['a', 'b'], 'b')
    b: length('abc')
  }
}
`;
  const ws = res(load({ '/ws/main.bicep': src }), 'ws');
  const name = get(ws.body, 'sku', 'name')!;
  assert.equal(name.kind === 'string' && name.value, 'premium');
  assert.equal(name.origin?.kind, 'literal');
  const tier = get(ws.body, 'sku', 'tier')!;
  assert.equal(tier.kind === 'string' && tier.value, 'x');
  const a = get(ws.body, 'properties', 'a')!;
  assert.equal(a.kind === 'bool' && a.value, true);
  const b = get(ws.body, 'properties', 'b')!;
  assert.equal(b.kind === 'number' && b.value, 3);
});

test('a .bicepparam that extends another takes its values, then overrides them; format() evaluates', () => {
  const main = `param access string = 'Disabled'
param tier string = 'premium'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: format('{0}-{1}', 'dbw', 42)
  sku: {
    name: tier
  }
  properties: {
    publicNetworkAccess: access
  }
}
`;
  const unit = loadBicepUnit(
    '/ws/prod.bicepparam',
    memoryHost({
      '/ws/main.bicep': main,
      '/ws/base.bicepparam': "using none\nparam access = 'Enabled'\nparam tier = 'standard'\n",
      '/ws/prod.bicepparam': "using './main.bicep'\nextends './base.bicepparam'\nparam tier = 'premium'\n",
    }),
  );
  const ws = res(unit, 'ws');
  const access = get(ws.body, 'properties', 'publicNetworkAccess')!;
  assert.equal(access.kind === 'string' && access.value, 'Enabled');
  assert.equal(access.origin?.at.file, '/ws/base.bicepparam');
  const tier = get(ws.body, 'sku', 'name')!;
  assert.equal(tier.kind === 'string' && tier.value, 'premium');
  assert.equal(tier.origin?.at.file, '/ws/prod.bicepparam');
  const name = get(ws.body, 'name')!;
  assert.equal(name.kind === 'string' && name.value, 'dbw-42');
});

test('a module output that is a resource id refers to the module resource', () => {
  const main = `module dbw './ws.bicep' = {
  name: 'dbw'
}
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe'
  properties: {
    privateLinkServiceConnections: [
      {
        name: 'ui'
        properties: {
          privateLinkServiceId: dbw.outputs.workspaceId
        }
      }
    ]
  }
}
`;
  const mod = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
}
output workspaceId string = ws.id
`;
  const unit = load({ '/ws/main.bicep': main, '/ws/ws.bicep': mod });
  const ws = unit.resources.find((r) => r.kind === 'Microsoft.Databricks/workspaces')!;
  assert.deepEqual(ws.viaModule, ['dbw']);
  const pls = get(res(unit, 'pe').body, 'properties', 'privateLinkServiceConnections')!;
  const id = pls.kind === 'array' ? get(pls.items[0], 'properties', 'privateLinkServiceId') : undefined;
  assert.equal(id?.kind === 'ref' && id.target, ws);
  assert.equal(id?.kind === 'ref' && id.attribute, 'id');
});
