// Oracle: every `.fixed.bicep` fixture (rule fixtures and the fix engine's before → after ones) compiles with the real Bicep CLI, with no error and no BCP
// warning that the fixture before the fix does not already have.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/corpus';
import { BicepRpc, bicepMissing, compilerProblems, newProblems, oracleAvailable } from '../helpers/oracles';

function fixedFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) fixedFixtures(p, out);
    else if (name.endsWith('.fixed.bicep')) out.push(p);
  }
  return out;
}

test('oracle: every .fixed.bicep fixture compiles with no new error or BCP warning', async (t) => {
  if (!oracleAvailable(t, bicepMissing())) return;
  const fixed = [join(repoRoot, 'test', 'bicep', 'fixtures'), join(repoRoot, 'test', 'fixes', 'fixtures', 'bicep')].flatMap((d) => fixedFixtures(d));
  assert.ok(fixed.length > 0, 'no .fixed.bicep fixtures found');
  const rpc = new BicepRpc();
  const failures: string[] = [];
  try {
    for (const after of fixed) {
      const before = after.replace(/\.fixed\.bicep$/, '.bicep');
      assert.ok(existsSync(before), `${before} missing`);
      const b = compilerProblems((await rpc.compile(before)).diagnostics);
      const a = await rpc.compile(after);
      const added = newProblems(b, compilerProblems(a.diagnostics));
      if (added.length > 0) failures.push(`${after.slice(repoRoot.length + 1)}:\n  ${added.join('\n  ')}`);
    }
  } finally {
    rpc.close();
  }
  console.log(`bicep oracle: ${fixed.length} .fixed.bicep fixtures compiled`);
  assert.deepEqual(failures, [], `fixes the Bicep compiler rejects:\n${failures.join('\n')}`);
});

test('oracle: the Bicep CLI rejects a property the apiVersion lacks (the check can fail)', async (t) => {
  if (!oracleAvailable(t, bicepMissing())) return;
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-oracle-'));
  const rpc = new BicepRpc();
  try {
    const body = (prop: string) =>
      `resource ws 'Microsoft.Databricks/workspaces@2018-04-01' = {\n  name: 'w'\n  location: 'westeurope'\n  properties: {\n    managedResourceGroupId: 'x'\n${prop}  }\n}\n`;
    writeFileSync(join(dir, 'before.bicep'), body(''));
    writeFileSync(join(dir, 'after.bicep'), body("    publicNetworkAccess: 'Disabled'\n"));
    const before = compilerProblems((await rpc.compile(join(dir, 'before.bicep'))).diagnostics);
    const after = compilerProblems((await rpc.compile(join(dir, 'after.bicep'))).diagnostics);
    assert.deepEqual(newProblems(before, after), ['BCP037 The property "publicNetworkAccess" is not allowed on objects of type "WorkspaceProperties".']);
  } finally {
    rpc.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
