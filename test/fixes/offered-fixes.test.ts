// Fixes that are offered but not preferred (fix-all never applies them), before → after: the
// encryption rules' fixes on a Premium workspace in ARM, Bicep, Terraform azurerm and azapi_resource.
// Each case applies the rule's fix alone; the expected text sits beside the file
// (`name.fixed.ext`, Terraform `main.tf.fixed`; BRICKGUARD_UPDATE_FIXTURES=1 rewrites them).
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures');
const RULES = ['managed-services', 'managed-disk', 'dbfs-root', 'infrastructure-encryption'];
const ruleId = (r: string) => (r === 'infrastructure-encryption' ? 'databricks-infrastructure-encryption' : `databricks-cmk-${r}`);

const CASES = RULES.flatMap((r) => [
  { entry: join(ROOT, 'arm', 'encryption', `${r}.json`), rule: ruleId(r) },
  { entry: join(ROOT, 'bicep', 'encryption', `${r}.bicep`), rule: ruleId(r) },
  { entry: join(ROOT, 'terraform', `encryption-${r}`, 'main.tf'), rule: ruleId(r) },
  { entry: join(ROOT, 'terraform', `azapi-encryption-${r}`, 'main.tf'), rule: ruleId(r) },
]);

for (const c of CASES) {
  test(`offered fix ${c.rule}: ${c.entry.slice(ROOT.length + 1)}`, () => {
    const host = diskHost([repoRoot]);
    const result = analyzePath(c.entry, host)!;
    const finding = result.findings.find((f) => f.ruleId === c.rule);
    assert.ok(finding, `no ${c.rule} finding`);
    const fixes = finding.fixes.filter((f) => f.kind === 'fix');
    assert.equal(fixes.length, 1, 'one fix');
    const fix = fixes[0];
    // It needs what the template cannot know (Key Vault access) or only works on a new workspace.
    assert.equal(fix.preferred, false);
    assert.match(fix.title, /assumes|new workspaces only/);
    const after = applyFixEdits(fix);
    expectFixedFiles(after);
    const again = analyzePath(c.entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    assert.deepEqual(again.findings.filter((f) => f.ruleId === c.rule).map((f) => f.message), [], 'the finding is gone');
  });
}

test('offered fixes: a Standard workspace gets no encryption finding, so no fix', () => {
  const result = analyzePath(join(repoRoot, 'test', 'bicep', 'fixtures', 'encryption', 'standard.bicep'), diskHost([repoRoot]))!;
  assert.deepEqual(result.findings.filter((f) => RULES.map(ruleId).includes(f.ruleId)), []);
});

test('offered fixes: every encryption finding of the rule fixtures has its fix rendered (mixed-case keys, key sources set to Default, prepared without a key, azapi)', () => {
  const host = diskHost([repoRoot]);
  const entries = [
    ...['arm', 'bicep'].flatMap((d) => readdirSync(join(repoRoot, 'test', d, 'fixtures', 'encryption')).filter((n) => /\.(json|bicep)$/.test(n) && n !== 'fixture.json' && !n.includes('.fixed.')).map((n) => join(repoRoot, 'test', d, 'fixtures', 'encryption', n))),
    ...readdirSync(join(repoRoot, 'test', 'terraform', 'fixtures', 'encryption')).filter((n) => !n.includes('.')).map((n) => join(repoRoot, 'test', 'terraform', 'fixtures', 'encryption', n, 'main.tf')),
  ];
  let checked = 0;
  for (const entry of entries) {
    const result = analyzePath(entry, host)!;
    for (const f of result.findings.filter((x) => RULES.map(ruleId).includes(x.ruleId))) {
      checked++;
      assert.equal(f.fixes.filter((x) => x.kind === 'fix').length, 1, `${entry}: ${f.ruleId} has no fix`);
    }
  }
  assert.ok(checked >= 20, `only ${checked} findings checked`);
});

// A parameters file lists the deployment's inputs: a fix that adds a parameter cannot give it a value there.
test('offered fixes: a fix that adds a parameter to a template bound by a .bicepparam or parameters file is not preferred', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'bg-params-'));
  try {
    const bicep = [
      "param location string = resourceGroup().location",
      "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {",
      "  name: 'ws'",
      '  location: location',
      "  sku: { name: 'premium' }",
      "  properties: { managedResourceGroupId: subscriptionResourceId('Microsoft.Resources/resourceGroups', 'ws-managed') }",
      '}',
      '',
    ].join('\n');
    const arm = JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { location: { type: 'string' } },
      resources: [{ type: 'Microsoft.Databricks/workspaces', apiVersion: '2024-05-01', name: 'ws', location: "[parameters('location')]", sku: { name: 'premium' }, properties: { managedResourceGroupId: "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'ws-managed')]" } }],
    }, null, 2);
    const armParams = JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { location: { value: 'westeurope' } } }, null, 2);
    const cases = [
      { name: 'alone', files: { 'main.bicep': bicep }, entry: 'main.bicep', supplier: undefined },
      { name: 'bicepparam', files: { 'main.bicep': bicep, 'main.bicepparam': "using 'main.bicep'\nparam location = 'westeurope'\n" }, entry: 'main.bicep', supplier: 'main.bicepparam' },
      { name: 'arm alone', files: { 'azuredeploy.json': arm }, entry: 'azuredeploy.json', supplier: undefined },
      { name: 'arm parameters', files: { 'azuredeploy.json': arm, 'azuredeploy.parameters.json': armParams }, entry: 'azuredeploy.json', supplier: 'azuredeploy.parameters.json' },
    ];
    for (const c of cases) {
      const folder = join(dir, c.name.replace(/ /g, '-'));
      const { mkdirSync } = await import('node:fs');
      mkdirSync(folder);
      for (const [n, t] of Object.entries(c.files)) writeFileSync(join(folder, n), t);
      const result = analyzePath(join(folder, c.entry), diskHost([folder]))!;
      const finding = result.findings.find((f) => f.ruleId === 'databricks-diagnostic-logs');
      assert.ok(finding, `${c.name}: no diagnostic-logs finding`);
      const fix = finding.fixes.find((f) => f.kind === 'fix');
      assert.ok(fix, `${c.name}: no fix`);
      if (c.supplier) {
        assert.equal(fix.preferred, false, `${c.name}: preferred`);
        assert.ok(fix.title.includes(`values in ${c.supplier}`), `${c.name}: title ${fix.title}`);
      } else {
        assert.equal(fix.preferred, true, `${c.name}: not preferred`);
        assert.ok(!fix.title.includes('values in'), `${c.name}: title ${fix.title}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
