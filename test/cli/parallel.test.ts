// `brickguard scan` on worker threads gives the report the main thread gives, byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jobsFor, planShards, PARALLEL_MIN_FILES } from '../../server/src/cli/parallel';
import { cliInvocation } from '../helpers/lspClient';
import { corpusOrSkip } from '../helpers/corpus';
import { scratchProject } from '../helpers/scratch';
import { INSECURE_ARM, TF_MAIN, TF_VARIABLES, TF_VARS } from '../lsp/templates';

function brickguard(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, ...args], { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string>): string {
  return scratchProject('bg-parallel-', files);
}

const MODULE = `param disablePublicIp bool = true
resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: { name: 'premium' }
  properties: {
    managedResourceGroupId: 'x'
    parameters: { enableNoPublicIp: { value: disablePublicIp } }
  }
}
`;
const caller = (value: boolean) => `module adb '../modules/adb.bicep' = {
  name: 'adb'
  params: { disablePublicIp: ${value} }
}
`;

describe('scan --jobs', () => {
  it('gives the same report on one and two workers as in the main thread: callers in other folders, a Terraform module, a parameters file elsewhere', () => {
    const root = project({
      'modules/adb.bicep': MODULE,
      'a/main.bicep': caller(false),
      'b/main.bicep': caller(true),
      'c/main.bicep': caller(false),
      'tf/main.tf': TF_MAIN,
      'tf/variables.tf': TF_VARIABLES,
      'tf/terraform.tfvars': TF_VARS,
      'arm/azuredeploy.json': INSECURE_ARM,
      'params/dev.bicepparam': "using '../modules/adb.bicep'\nparam disablePublicIp = false\n",
    });
    for (const format of ['json', 'sarif', 'text']) {
      const main = brickguard(root, 'scan', '.', '--format', format, '--jobs', '0');
      assert.equal(main.code, 1, main.stderr);
      for (const jobs of ['1', '2']) {
        const workers = brickguard(root, 'scan', '.', '--format', format, '--jobs', jobs);
        assert.equal(workers.stderr, main.stderr);
        assert.equal(workers.code, main.code);
        assert.equal(workers.stdout, main.stdout, `${format} on ${jobs}`);
      }
    }
    const report = JSON.parse(brickguard(root, 'scan', '.', '--format', 'json', '--jobs', '2').stdout) as { files: unknown[]; findings: { path: string }[] };
    assert.equal(report.files.length, 9);
    assert.ok(report.findings.some((f) => f.path === 'a/main.bicep' || f.path === 'modules/adb.bicep'));
  });

  it('refuses a --jobs that is not a count', () => {
    const root = project({ 'main.bicep': MODULE });
    for (const bad of ['x', '-1', '100', '1.5']) {
      const r = brickguard(root, 'scan', '.', `--jobs=${bad}`);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--jobs must be a number from 0 to 99/);
    }
  });

  it('gives the same report on the Databricks corpus with two workers as in the main thread', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    const dir = join(corpus.root, 'databricks');
    const one = brickguard(dir, 'scan', '.', '--format', 'json', '--jobs', '0');
    const two = brickguard(dir, 'scan', '.', '--format', 'json', '--jobs', '2');
    assert.ok(one.stdout.length > 100_000, one.stderr);
    assert.equal(two.stdout, one.stdout);
  });
});

describe('planShards', () => {
  it('keeps folders whole, puts a .bicepparam with the template it uses, and balances by size', () => {
    const root = project({
      'big/a.tf': 'x'.repeat(5000),
      'big/b.tf': 'x'.repeat(5000),
      'small1/main.bicep': 'x'.repeat(3000),
      'small2/main.bicep': 'x'.repeat(3000),
      'small3/main.bicep': 'x'.repeat(3000),
      'params/p.bicepparam': "using '../small1/main.bicep'\n",
    });
    const files = ['big/a.tf', 'big/b.tf', 'params/p.bicepparam', 'small1/main.bicep', 'small2/main.bicep', 'small3/main.bicep'].map((f) => join(root, f));
    const shards = planShards(files, 2, (p) => (p.endsWith('.bicepparam') ? "using '../small1/main.bicep'\n" : undefined));
    assert.equal(shards.length, 2);
    const whereIs = (f: string) => shards.findIndex((s) => s.includes(join(root, f)));
    assert.equal(whereIs('big/a.tf'), whereIs('big/b.tf'));
    assert.equal(whereIs('params/p.bicepparam'), whereIs('small1/main.bicep'));
    assert.notEqual(whereIs('big/a.tf'), whereIs('small2/main.bicep'));
    assert.deepEqual(shards.flat().sort(), [...files].sort());
    // Each shard keeps the run's order.
    for (const s of shards) assert.deepEqual(s, [...s].sort((a, b) => files.indexOf(a) - files.indexOf(b)));
  });

  it('uses workers only for a large run unless asked', () => {
    assert.equal(jobsFor(undefined, PARALLEL_MIN_FILES - 1, 8), 0);
    assert.equal(jobsFor(undefined, PARALLEL_MIN_FILES, 2), 0);
    assert.equal(jobsFor(undefined, PARALLEL_MIN_FILES, 3), 0);
    assert.equal(jobsFor(undefined, PARALLEL_MIN_FILES, 4), 2);
    assert.equal(jobsFor(undefined, PARALLEL_MIN_FILES, 32), 4);
    assert.equal(jobsFor(3, 1), 3);
    assert.equal(jobsFor(0, 10_000), 0);
  });
});
