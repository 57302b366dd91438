// Deployments as trees: a module is judged inside its caller's deployment, with the caller's values.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, DeploymentIndex, diskHost } from '../../server/src/engine';

const MODULE = `param access string = 'Enabled'

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

output workspaceId string = ws.id
`;

const ROOT = `module adb 'modules/workspace.bicep' = {
  name: 'adb'
  params: {
    access: 'Disabled'
  }
}
`;

function project(): { root: string; module: string; dir: string } {
  const dir = scratchDir('bg-deploy-');
  mkdirSync(join(dir, 'modules'));
  writeFileSync(join(dir, 'main.bicep'), ROOT);
  writeFileSync(join(dir, 'modules', 'workspace.bicep'), MODULE);
  return { root: join(dir, 'main.bicep'), module: join(dir, 'modules', 'workspace.bicep'), dir };
}

test('a root reports the findings located in the modules it calls, judged with its values', () => {
  const { root, module, dir } = project();
  const alone = analyzePath(root, diskHost([dir]))!;
  assert.deepEqual(alone.findings.filter((f) => f.file === module), [], 'without reportCalled only the root file reports');
  const tree = analyzePath(root, diskHost([dir]), { reportCalled: true })!;
  const inModule = tree.findings.filter((f) => f.file === module).map((f) => f.ruleId);
  // The caller turns public access off: that rule passes, and Private Link without VNet injection is an error.
  assert.ok(!inModule.includes('databricks-public-network-access'), inModule.join(', '));
  assert.ok(tree.findings.some((f) => f.file === module && f.ruleId === 'databricks-vnet-injection' && f.severity === 'error'));
  const byItself = analyzePath(module, diskHost([dir]))!;
  assert.ok(byItself.findings.some((f) => f.ruleId === 'databricks-public-network-access'), 'alone, the module is judged with its default');
});

test('the deployment index: a called file has its callers as roots; a root and a lone file have none', () => {
  const { root, module, dir } = project();
  const index = new DeploymentIndex();
  index.record(root, analyzePath(root, diskHost([dir]))!.unit);
  index.record(module, analyzePath(module, diskHost([dir]))!.unit);
  assert.deepEqual(index.rootsOf(module), [root]);
  assert.equal(index.isCalled(module), true);
  assert.equal(index.isCalled(root), false);
  index.forget(root);
  assert.equal(index.isCalled(module), false);
});
