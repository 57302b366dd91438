// Azure Policy, CWE and precision cross-references: one table keyed by rule id, shown in hover and SARIF.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost, hoverMarkdown } from '../../server/src/engine';
import { ALL_RULE_METAS, ruleCatalogue } from '../../server/src/rules';
import { AZURE_POLICIES, CWE, PRECISION, azurePolicies, canDeny } from '../../server/src/rules/crossrefs';
import { helpMarkdown, helpText } from '../../server/src/rules/help';
import { corpusRoot, repoRoot } from '../helpers/corpus';

const specPath = join(corpusRoot, '..', 'spec', 'rules.md');

/** Rule ids of the catalogue: the engine's, plus those rules.md defines (rules still being written). */
function catalogueIds(): Set<string> {
  const ids = new Set(ALL_RULE_METAS.map((m) => m.id));
  if (existsSync(specPath)) for (const m of readFileSync(specPath, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)) ids.add(m[1]);
  return ids;
}

test('the built-in policies (the issue\'s six, plus storage and Key Vault), verified against Azure/azure-policy, in one table', () => {
  const byRule = Object.fromEntries(Object.entries(AZURE_POLICIES).map(([id, ps]) => [id, ps.map((p) => `${p.id} ${canDeny(p) ? 'deny' : 'audit'}`)]));
  assert.deepEqual(byRule, {
    'databricks-public-network-access': ['0e7849de-b939-4c50-ab48-fc6b0f5eeba2 deny'],
    'databricks-no-public-ip': ['51c1490f-3319-459c-bbbc-7f391bbed753 deny'],
    'databricks-vnet-injection': ['9c25c9e4-ee12-4882-afd2-11fb9d87893f deny'],
    'databricks-premium-sku': ['2cc2c3b5-c2f8-45aa-a9e6-f90d85ae8352 deny'],
    'databricks-private-endpoint': ['258823f2-4595-4b52-b333-cc96192710d8 audit'],
    'databricks-diagnostic-logs': ['138ff14d-b687-4faa-a81c-898c91a87fa2 audit'],
    'storage-public-network-access': ['b2982f36-99f2-4db5-8eff-283140c09693 deny'],
    'storage-blob-public-access': ['4fa4b6c0-31ca-4c0d-b10d-24b96f62a751 deny'],
    'storage-shared-key-access': ['8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54 deny'],
    'storage-min-tls': ['fe83a0eb-a853-422d-aac2-1bffd182c5d0 deny'],
    'keyvault-public-network-access': ['405c5871-3e91-4644-8a63-58e19d68ff5b deny'],
  });
  const all = Object.values(AZURE_POLICIES).flat();
  assert.equal(new Set(all.map((p) => p.id)).size, all.length, 'a definition is listed once');
});

test('policy ids appear in no source file but the table', () => {
  const ids = Object.values(AZURE_POLICIES).flat().map((p) => p.id);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const file of walk(join(repoRoot, 'server', 'src'))) {
    if (file.endsWith(join('rules', 'crossrefs.ts'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const id of ids) assert.ok(!text.includes(id), `${file} repeats policy ${id}: use azurePolicies()`);
  }
});

test('every key of the cross-reference tables is a rule id of the catalogue', () => {
  const ids = catalogueIds();
  for (const [name, table] of [['AZURE_POLICIES', AZURE_POLICIES], ['PRECISION', PRECISION], ['CWE', CWE]] as const) {
    for (const id of Object.keys(table)) assert.ok(ids.has(id), `${name} lists '${id}', which is no rule`);
  }
  for (const m of ALL_RULE_METAS) assert.ok(PRECISION[m.id], `PRECISION in server/src/rules/crossrefs.ts lacks '${m.id}'`);
});

test('every rule with a built-in policy shows it in SARIF help and the catalogue', () => {
  for (const m of ALL_RULE_METAS) {
    for (const p of azurePolicies(m.id)) {
      assert.ok(helpText(m).includes(`"${p.displayName}"`), `${m.id}: help.text`);
      assert.ok(helpMarkdown(m).includes(`*${p.displayName}*`), `${m.id}: help.markdown`);
    }
    assert.deepEqual(ruleCatalogue().find((r) => r.id === m.id)?.policies, azurePolicies(m.id));
  }
});

test('hover over a finding names the Azure Policy and whether it can deny the deployment', () => {
  const dir = scratchDir('bg-policy-');
  const text = `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'w'
  location: 'westeurope'
  sku: { name: 'standard' }
  properties: { managedResourceGroupId: 'x', publicNetworkAccess: 'Enabled' }
}
`;
  const path = join(dir, 'main.bicep');
  writeFileSync(path, text);
  const result = analyzePath(path, diskHost([dir]))!;
  const pna = hoverMarkdown(result, path, text.indexOf("'Enabled'") + 2)!;
  assert.match(pna, /Azure Policy: \*Azure Databricks Workspaces should disable public network access\* \(can Deny this deployment/);
  const sku = hoverMarkdown(result, path, text.indexOf("'standard'") + 2)!;
  assert.match(sku, /Azure Policy: \*Azure Databricks workspaces should be Premium SKU/);
  assert.doesNotMatch(sku, /disable public network access/);
});
