// A values file given alone (`brickguard scan terraform.tfvars`, as a pre-commit hook passes the
// staged files) reports the findings whose value it supplies, which stand in the template using it,
// and only those.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliInvocation } from '../helpers/lspClient';
import { scratchProject } from '../helpers/scratch';

const project = (files: Record<string, string>) => scratchProject('brickguard-values-', files);

function scan(cwd: string, ...args: string[]): { status: number | null; findings: { path: string; ruleId: string; message: string }[] } {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, 'scan', '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { status: r.status, findings: JSON.parse(r.stdout).findings };
}

const TF = `variable "sku" {
  type = string
}

resource "azurerm_databricks_workspace" "w" {
  name                = "w"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = var.sku
}
`;

test('terraform.tfvars alone: the finding its value causes, in main.tf, and no other finding of the module', () => {
  const root = project({ 'main.tf': TF, 'terraform.tfvars': 'sku = "standard"\n' });
  const all = scan(root, '.');
  assert.ok(all.findings.length > 1, 'the module has other findings');
  const alone = scan(root, 'terraform.tfvars', '--min-severity', 'warning');
  assert.deepEqual(alone.findings.map((f) => `${f.path} ${f.ruleId}`), ['main.tf databricks-premium-sku']);
  assert.match(alone.findings[0].message, /from terraform\.tfvars:1/);
  assert.equal(alone.status, 1, 'a hook fails on it');
  // A secure value: nothing to report for the file.
  const secure = project({ 'main.tf': TF, 'terraform.tfvars': 'sku = "premium"\n' });
  assert.deepEqual(scan(secure, 'terraform.tfvars').findings, []);
});

test('a .bicepparam alone: the findings of the values it supplies', () => {
  const bicep = project({
    'main.bicep': "param sku string\nresource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'w'\n  location: 'westeurope'\n  sku: {\n    name: sku\n  }\n  properties: {\n    managedResourceGroupId: 'x'\n  }\n}\n",
    'main.bicepparam': "using 'main.bicep'\nparam sku = 'standard'\n",
  });
  assert.deepEqual(scan(bicep, 'main.bicepparam').findings.map((f) => `${f.path} ${f.ruleId}`), ['main.bicep databricks-premium-sku']);
});

test('terraform.tfvars alone with --fix: the value it supplies is fixed there, main.tf is not written', () => {
  const root = project({ 'main.tf': TF, 'terraform.tfvars': 'sku = "standard"\n' });
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, 'scan', 'terraform.tfvars', '--fix', '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 60000 });
  const out = JSON.parse(r.stdout) as { changedFiles: string[]; fixed: { path: string; ruleIds: string[] }[] };
  assert.deepEqual(out.changedFiles, ['terraform.tfvars']);
  assert.deepEqual(out.fixed, [{ path: 'main.tf', ruleIds: ['databricks-premium-sku'] }]);
  assert.equal(readFileSync(join(root, 'terraform.tfvars'), 'utf8'), 'sku = "premium"\n');
  assert.equal(readFileSync(join(root, 'main.tf'), 'utf8'), TF);
});
