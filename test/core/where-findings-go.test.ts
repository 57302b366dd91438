// Where a finding goes (rules.md, Deployments, modules and where a finding goes): a value a caller
// passes into a module is reported at the caller's argument; a resource deployed twice (a module
// re-deploying a workspace) is one resource with one finding per rule.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchProject } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { LineIndex } from '../../server/src/text';
import { applyFixEdits } from '../helpers/fixtures';
import { corpusRoot } from '../helpers/corpus';

function project(files: Record<string, string>): string {
  return scratchProject('bg-where-', files);
}

const lineOf = (text: string, offset: number) => new LineIndex(text).positionAt(offset).line + 1;

const MODULE = `param access string = 'Disabled'

resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: access
  }
}
`;

test('a value the caller passes is reported at the caller argument, related to the module code, and fixed there', () => {
  const root = `module adb 'modules/ws.bicep' = {
  name: 'adb'
  params: {
    access: 'Enabled'
  }
}
`;
  const dir = project({ 'main.bicep': root, 'modules/ws.bicep': MODULE });
  const result = analyzePath(join(dir, 'main.bicep'), diskHost([dir]), { reportCalled: true })!;
  const pna = result.findings.filter((f) => f.ruleId === 'databricks-public-network-access');
  assert.equal(pna.length, 1);
  assert.equal(pna[0].file, join(dir, 'main.bicep'));
  assert.equal(root.slice(pna[0].span.start, pna[0].span.end), "'Enabled'");
  assert.equal(pna[0].property, 'properties.publicNetworkAccess', 'the identity stays the judged property');
  const moduleCode = pna[0].related.find((r) => r.loc.file === join(dir, 'modules', 'ws.bicep'));
  assert.equal(MODULE.slice(moduleCode!.loc.span.start, moduleCode!.loc.span.end), 'access');
  const fix = pna[0].fixes.find((f) => f.kind === 'fix')!;
  const atArgument = fix.edits.find((e) => e.file === join(dir, 'main.bicep'));
  assert.deepEqual(atArgument && { start: atArgument.span.start, text: atArgument.newText }, { start: pna[0].span.start, text: "'Disabled'" });
  assert.ok(!fix.edits.some((e) => e.file !== join(dir, 'main.bicep') && e.span.start < MODULE.indexOf('\n')), 'the module default is not edited');
  const suppress = pna[0].fixes.find((f) => f.kind === 'suppress')!;
  assert.equal(suppress.edits[0].file, join(dir, 'main.bicep'), 'the directive goes above the argument');
  assert.equal(lineOf(root, suppress.edits[0].span.start), 4);
});

test('a workspace a module deploys again is one workspace: one finding per rule, related to the other declaration, fixed in both', () => {
  const root = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    managedResourceGroupId: 'x'
  }
}

module again 'modules/ws.bicep' = {
  name: 'again'
  params: {
    access: 'Enabled'
  }
}
`;
  const dir = project({ 'main.bicep': root, 'modules/ws.bicep': MODULE });
  const mainPath = join(dir, 'main.bicep');
  const result = analyzePath(mainPath, diskHost([dir]), { reportCalled: true })!;
  for (const rule of ['databricks-public-network-access', 'databricks-vnet-injection', 'databricks-private-endpoint', 'databricks-diagnostic-logs']) {
    const found = result.findings.filter((f) => f.ruleId === rule);
    assert.equal(found.length, 1, `${rule}: ${found.map((f) => `${f.file}:${f.span.start}`).join(', ')}`);
  }
  // The last deployment (the module's, with the caller's value) decides; the root's declaration is related.
  const pna = result.findings.find((f) => f.ruleId === 'databricks-public-network-access')!;
  assert.equal(root.slice(pna.span.start, pna.span.end), "'Enabled'");
  const other = pna.related.find((r) => r.message.includes('deployed here too'));
  assert.equal(other?.loc.file, mainPath);
  assert.equal(lineOf(root, other!.loc.span.start), 1);
  // The fix edits every place that feeds the workspace: the caller's argument and the root's declaration.
  // Offered, not preferred: the workspace is neither VNet-injected nor behind an endpoint (rules.md).
  const fix = pna.fixes.find((f) => f.kind === 'fix')!;
  assert.equal(fix.preferred, false, fix.title);
  const changed = applyFixEdits(fix);
  const again = analyzePath(mainPath, overlayHost(diskHost([dir]), changed), { reportCalled: true })!;
  assert.deepEqual(again.findings.filter((f) => f.ruleId === 'databricks-public-network-access'), [], 'no declaration leaves public access on');
  const fixedRoot = changed.get(mainPath)!;
  assert.match(fixedRoot, /access: 'Disabled'/);
  assert.match(fixedRoot, /publicNetworkAccess: 'Disabled'/);
});

test('a property the re-deploying module sets is not reported on the first declaration', () => {
  const root = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    managedResourceGroupId: 'x'
  }
}

module again 'modules/ws.bicep' = {
  name: 'again'
}
`;
  const dir = project({ 'main.bicep': root, 'modules/ws.bicep': MODULE });
  const result = analyzePath(join(dir, 'main.bicep'), diskHost([dir]), { reportCalled: true })!;
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'databricks-public-network-access'), [], 'the module turns it off last');
});

const CMK = join(corpusRoot, 'databricks/bicep/azure-quickstart-templates/quickstarts/microsoft.databricks/databricks-workspace-with-customer-managed-keys');

test('corpus: the quickstart CMK template reports enableNoPublicIp at the caller argument, once', (t) => {
  if (!existsSync(CMK)) return t.skip('the corpus (../shared/corpus) is absent');
  const main = join(CMK, 'main.bicep');
  const nested = join(CMK, 'nested_configureCMKOnWorkspace.bicep');
  const result = analyzePath(main, diskHost([CMK]), { reportCalled: true })!;
  const text = readFileSync(main, 'utf8');
  const npip = result.findings.filter((f) => f.ruleId === 'databricks-no-public-ip');
  assert.equal(npip.length, 1);
  assert.equal(npip[0].file, main);
  assert.match(text.split('\n')[lineOf(text, npip[0].span.start) - 1], /disablePublicIp: disablePublicIp/);
  assert.ok(npip[0].related.some((r) => r.loc.file === nested), 'related to the module code');
  assert.ok(npip[0].related.some((r) => r.loc.file === main && lineOf(text, r.loc.span.start) === 30), 'related to the other declaration');
  // One finding per rule for the one workspace, none left on the first declaration.
  const perRule = new Map<string, number>();
  for (const f of result.findings) if (f.resourceId?.includes('workspace')) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  for (const [rule, n] of perRule) assert.equal(n, 1, rule);
  assert.ok(!result.findings.some((f) => f.file === main && lineOf(text, f.span.start) === 30), 'nothing at main.bicep:30');
  assert.ok(!perRule.has('databricks-cmk-dbfs-root'), 'the nested deployment sets the DBFS key');
});
