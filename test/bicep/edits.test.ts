// Edit builder: before → after text, formatting kept, and the invariants (parses, idempotent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBicepUnit } from '../../server/src/frontends/bicep/lower';
import { bicepEdits } from '../../server/src/fixes/bicep';
import { parseBicep } from '../../server/src/syntax/bicep/index';
import type { FixIntent, Json } from '../../server/src/fixes/intent';
import type { Resource, Unit, Value } from '../../server/src/model/types';
import { applyEdits } from '../../server/src/text';
import { memoryHost } from './memhost';

const MAIN = '/ws/main.bicep';

function ws(unit: Unit): Resource {
  return unit.resources.find((r) => r.kind === 'Microsoft.Databricks/workspaces' && !r.existing)!;
}

/** Applies a set intent; returns every changed file's new text and the fix's `where`. */
function applySet(files: Record<string, string>, path: string[], value: Json, root = MAIN) {
  const unit = loadBicepUnit(root, memoryHost(files));
  const fix = bicepEdits.render({ op: 'set', resource: ws(unit), path, value }, unit);
  assert.ok(fix, 'no fix rendered');
  const out: Record<string, string> = { ...files };
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) out[file] = applyEdits(files[file], edits);
  for (const [file, t] of Object.entries(out)) assert.deepEqual(parseBicep(t).errors, [], `${file} does not parse after the fix:\n${t}`);
  // Applying the fix again changes nothing.
  const again = loadBicepUnit(root, memoryHost(out));
  const fix2 = bicepEdits.render({ op: 'set', resource: ws(again), path, value }, again);
  assert.ok(fix2);
  for (const e of fix2.edits) assert.equal(applyEdits(out[e.file], [e]), out[e.file], 'second application changed the text');
  return { out, where: fix.where };
}

test('set replaces a literal in the resource', () => {
  const before = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: 'Enabled' // keep this comment
  }
}
`;
  const { out, where } = applySet({ [MAIN]: before }, ['properties', 'publicNetworkAccess'], 'Disabled');
  assert.equal(out[MAIN], before.replace("'Enabled'", "'Disabled'"));
  assert.equal(where, undefined);
});

test('set inserts a missing property into the existing object with its indentation', () => {
  const before = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
    name: 'ws'
    properties: {
        managedResourceGroupId: 'x'
    }
}
`;
  const { out } = applySet({ [MAIN]: before }, ['properties', 'publicNetworkAccess'], 'Disabled');
  assert.equal(out[MAIN], `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
    name: 'ws'
    properties: {
        managedResourceGroupId: 'x'
        publicNetworkAccess: 'Disabled'
    }
}
`);
});

test('set creates properties: { … } when absent, with tabs and CRLF kept', () => {
  const before = "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\r\n\tname: 'ws'\r\n\tsku: {\r\n\t\tname: 'premium'\r\n\t}\r\n}\r\n";
  const { out } = applySet({ [MAIN]: before }, ['properties', 'parameters', 'enableNoPublicIp', 'value'], true);
  assert.equal(
    out[MAIN],
    "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\r\n\tname: 'ws'\r\n\tsku: {\r\n\t\tname: 'premium'\r\n\t}\r\n\tproperties: {\r\n\t\tparameters: {\r\n\t\t\tenableNoPublicIp: {\r\n\t\t\t\tvalue: true\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n",
  );
});

test('set fills an empty object and a single-line object', () => {
  const empty = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {}
}
`;
  assert.equal(
    applySet({ [MAIN]: empty }, ['properties', 'publicNetworkAccess'], 'Disabled').out[MAIN],
    `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}
`,
  );
  const oneLine = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: { tier: 'x' }
}
`;
  assert.equal(
    applySet({ [MAIN]: oneLine }, ['sku', 'name'], 'premium').out[MAIN],
    `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: { tier: 'x', name: 'premium' }
}
`,
  );
});

test('a value from a param default changes the default (and keeps @allowed consistent)', () => {
  const before = `@allowed([
  'standard'
  'trial'
])
param pricingTier string = 'standard'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: {
    name: pricingTier
  }
}
`;
  const { out, where } = applySet({ [MAIN]: before }, ['sku', 'name'], 'premium');
  assert.equal(where, "default of param 'pricingTier'");
  assert.equal(out[MAIN], `@allowed([
  'standard'
  'trial'
  'premium'
])
param pricingTier string = 'premium'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: {
    name: pricingTier
  }
}
`);
});

test('a value set by a .bicepparam edits that file and says so', () => {
  const main = `param access string = 'Disabled'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: access
  }
}
`;
  const params = "using './main.bicep'\n\nparam access = 'Enabled'\n";
  const { out, where } = applySet({ [MAIN]: main, '/ws/main.bicepparam': params }, ['properties', 'publicNetworkAccess'], 'Disabled', '/ws/main.bicepparam');
  assert.equal(where, 'main.bicepparam');
  assert.equal(out['/ws/main.bicepparam'], "using './main.bicep'\n\nparam access = 'Disabled'\n");
  assert.equal(out[MAIN], main);
});

test('remove deletes the property line; replaceValue edits the origin', () => {
  const before = `resource nic 'Microsoft.Network/networkInterfaces@2023-04-01' = {
  name: 'nic'
  properties: {
    publicIPAddress: {
      id: 'x'
    }
    enableIPForwarding: false
  }
}
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: { name: 'standard', tier: 'x' }
}
`;
  const unit = loadBicepUnit(MAIN, memoryHost({ [MAIN]: before }));
  const nic = unit.resources.find((r) => r.symbolicName === 'nic')!;
  const fix = bicepEdits.render({ op: 'remove', resource: nic, path: ['properties', 'publicIPAddress'] }, unit)!;
  const after = applyEdits(before, fix.edits);
  assert.equal(after, before.replace("    publicIPAddress: {\n      id: 'x'\n    }\n", ''));
  const w = ws(unit);
  const fix2 = bicepEdits.render({ op: 'remove', resource: w, path: ['sku', 'name'] }, unit)!;
  assert.equal(applyEdits(before, fix2.edits), before.replace("{ name: 'standard', tier: 'x' }", "{ tier: 'x' }"));
  const sku = w.body.props.find((p) => p.key === 'sku')!.value;
  const name = sku.kind === 'object' ? (sku.props[0].value as Value) : undefined;
  const intent: FixIntent = { op: 'replaceValue', target: name!, value: 'premium' };
  assert.equal(applyEdits(before, bicepEdits.render(intent, unit)!.edits), before.replace("name: 'standard'", "name: 'premium'"));
});

test('a value in a module file is fixed where it is written', () => {
  const main = `module m './mod.bicep' = {
  name: 'm'
  params: {
    access: 'Enabled'
  }
}
`;
  const mod = `param access string
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: access
  }
}
`;
  const { out, where } = applySet({ [MAIN]: main, '/ws/mod.bicep': mod }, ['properties', 'publicNetworkAccess'], 'Disabled');
  assert.equal(out[MAIN], main.replace("'Enabled'", "'Disabled'"));
  assert.equal(where, 'main.bicep');
});

test('insertion keeps trailing comments on their line and single-line objects stay valid', () => {
  const before = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws' // the name
  sku: { tier: 'x' }
  properties: {
    managedResourceGroupId: 'x' // the managed resource group
  }
}
`;
  const { out } = applySet({ [MAIN]: before }, ['properties', 'publicNetworkAccess'], 'Disabled');
  assert.equal(out[MAIN], before.replace("    managedResourceGroupId: 'x' // the managed resource group\n", "    managedResourceGroupId: 'x' // the managed resource group\n    publicNetworkAccess: 'Disabled'\n"));
  const nested = applySet({ [MAIN]: before }, ['sku', 'extra', 'a'], 1).out[MAIN];
  assert.ok(nested.includes("sku: { tier: 'x', extra: { a: 1 } }"), nested);
  const commented = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    // to do
  }
}
`;
  assert.equal(
    applySet({ [MAIN]: commented }, ['properties', 'publicNetworkAccess'], 'Disabled').out[MAIN],
    commented.replace('    // to do\n', "    // to do\n    publicNetworkAccess: 'Disabled'\n"),
  );
});

test('a new default keeps the spelling that @allowed uses', () => {
  const before = `@allowed([
  'Standard'
  'Premium'
])
param tier string = 'Standard'
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  sku: {
    name: tier
  }
}
`;
  const { out } = applySet({ [MAIN]: before }, ['sku', 'name'], 'premium');
  assert.equal(out[MAIN], before.replace("param tier string = 'Standard'", "param tier string = 'Premium'"));
});
