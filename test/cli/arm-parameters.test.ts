// An ARM parameters file given alone (`brickguard scan azuredeploy.parameters.json`, as a pre-commit
// hook passes the staged files) is analysed with the template that reads it: the findings whose value
// it supplies are reported (they stand in the template, a related place in the file), and only those.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliInvocation } from '../helpers/lspClient';
import { scratchDir, scratchProject } from '../helpers/scratch';

const project = (files: Record<string, string>) => scratchProject('brickguard-armparams-', files);

function brickguard(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, 'scan', ...args], { cwd, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  files: { path: string; dialect: string }[];
  findings: { path: string; ruleId: string; message: string; range: { start: { line: number } }; related: { path: string; range: { start: { line: number } } }[] }[];
  notes: { path: string; message: string }[];
  fixed?: { path: string; ruleIds: string[] }[];
  changedFiles?: string[];
}

function json(cwd: string, ...args: string[]): JsonReport & { status: number | null; stderr: string } {
  const r = brickguard(cwd, '--format', 'json', ...args);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { ...(JSON.parse(r.stdout) as JsonReport), status: r.status, stderr: r.stderr };
}

/** A template whose workspaces take their tier from parameters; `allowed` lists a parameter's allowedValues. */
function template(tiers: string[], allowed: Record<string, string[]> = {}): string {
  const parameters = Object.fromEntries(tiers.map((t) => [t, { type: 'string', defaultValue: 'premium', ...(allowed[t] ? { allowedValues: allowed[t] } : {}) }]));
  const resources = tiers.map((t, i) => ({
    type: 'Microsoft.Databricks/workspaces',
    apiVersion: '2024-05-01',
    name: `ws${i}`,
    location: 'westeurope',
    sku: { name: `[parameters('${t}')]` },
    properties: { managedResourceGroupId: `[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'mrg${i}')]` },
  }));
  const body = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters, resources };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function parametersFile(values: Record<string, string>): string {
  const parameters = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));
  const body = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** The line (1-based) of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return text.slice(0, at).split('\n').length;
}

describe('an ARM parameters file given alone', () => {
  it('reports the findings whose value it supplies, in the template with a related place in the file (JSON, text, SARIF), and fails the run', () => {
    const params = parametersFile({ tier: 'standard' });
    const root = project({ 'azuredeploy.json': template(['tier']), 'azuredeploy.parameters.json': params });
    const all = json(root, 'azuredeploy.json');
    assert.ok(all.findings.length > 1, 'the template has other findings');

    const alone = json(root, 'azuredeploy.parameters.json');
    assert.equal(alone.status, 1, 'a hook fails on it');
    assert.doesNotMatch(alone.stderr, /skipped/);
    assert.deepEqual(alone.files, [{ path: 'azuredeploy.parameters.json', dialect: 'arm', syntaxErrors: [] }]);
    assert.deepEqual(alone.findings.map((f) => `${f.path} ${f.ruleId}`), ['azuredeploy.json databricks-premium-sku']);
    const [finding] = alone.findings;
    assert.deepEqual(finding.related.map((r) => `${r.path}:${r.range.start.line}`), [`azuredeploy.parameters.json:${lineOf(params, '"standard"')}`]);
    assert.deepEqual(alone.notes, []);

    const text = brickguard(root, 'azuredeploy.parameters.json');
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^azuredeploy\.json:\d+:\d+ {2}warning {2}databricks-premium-sku {2}The workspace tier is 'standard' from azuredeploy\.parameters\.json:\d+/m);
    assert.match(text.stdout, /Scanned 1 file \(1 ARM\); 1 finding/);

    const sarif = JSON.parse(brickguard(root, 'azuredeploy.parameters.json', '--format', 'sarif').stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const results = sarif.runs[0].results;
    assert.deepEqual(results.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}`), ['databricks-premium-sku azuredeploy.json']);
    assert.deepEqual(results[0].relatedLocations?.map((r) => r.physicalLocation.artifactLocation.uri), ['azuredeploy.parameters.json']);

    // Given with its template: the template's findings, once, and both files listed.
    const both = json(root, 'azuredeploy.parameters.json', 'azuredeploy.json');
    assert.deepEqual(both.files.map((f) => f.path), ['azuredeploy.json', 'azuredeploy.parameters.json']);
    assert.deepEqual(both.findings.map((f) => `${f.path}:${f.range.start.line} ${f.ruleId}`), all.findings.map((f) => `${f.path}:${f.range.start.line} ${f.ruleId}`));
    assert.doesNotMatch(both.stderr, /skipped/);
  });

  it('reports nothing for a secure value, and pairs main.jsonc with main.parameters.json', () => {
    const secure = project({ 'azuredeploy.json': template(['tier']), 'azuredeploy.parameters.json': parametersFile({ tier: 'premium' }) });
    const r = json(secure, 'azuredeploy.parameters.json');
    assert.equal(r.status, 0);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.files.map((f) => f.path), ['azuredeploy.parameters.json']);

    const jsonc = project({ 'main.jsonc': template(['tier']), 'main.parameters.json': parametersFile({ tier: 'standard' }) });
    assert.deepEqual(json(jsonc, 'main.parameters.json').findings.map((f) => `${f.path} ${f.ruleId}`), ['main.jsonc databricks-premium-sku']);
  });

  it('without a template to analyse it with: a note, no finding, exit 0', () => {
    const root = project({
      'orphan.parameters.json': parametersFile({ tier: 'standard' }),
      'skipped/azuredeploy.json': template(['tier']),
      'skipped/azuredeploy.parameters.json': parametersFile({ tier: 'standard' }),
      'skipped/brickguard.json': '{ "exclude": ["azuredeploy.json"] }\n',
    });
    const r = json(root, 'orphan.parameters.json', 'skipped/azuredeploy.parameters.json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.notes.map((n) => `${n.path}: ${n.message}`),
      [
        'orphan.parameters.json: no ARM template found for this parameters file (orphan.json or orphan.jsonc beside it): its values were not checked',
        'skipped/azuredeploy.parameters.json: its template azuredeploy.json is excluded by brickguard.json: its values were not checked',
      ],
    );
    const text = brickguard(root, 'orphan.parameters.json');
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^orphan\.parameters\.json:1:1 {2}note {2}no ARM template found/m);

    // A template that links out of the workspace is not read.
    const outside = scratchDir('brickguard-armparams-out-');
    writeFileSync(join(outside, 't.json'), template(['tier']));
    mkdirSync(join(root, 'linked'));
    writeFileSync(join(root, 'linked', 'azuredeploy.parameters.json'), parametersFile({ tier: 'standard' }));
    symlinkSync(join(outside, 't.json'), join(root, 'linked', 'azuredeploy.json'));
    const linked = json(root, 'linked/azuredeploy.parameters.json');
    assert.deepEqual(linked.findings, []);
    assert.deepEqual(linked.notes.map((n) => n.message), ['its template azuredeploy.json is outside the workspace, not read: its values were not checked']);

    // A template too large to read is not a missing one.
    const large = project({ 'azuredeploy.json': template(['tier']), 'azuredeploy.parameters.json': parametersFile({ tier: 'standard' }) });
    const unread = json(large, 'azuredeploy.parameters.json', '--max-file-size', '300');
    assert.deepEqual(unread.findings, []);
    assert.deepEqual(unread.notes.map((n) => n.message), ['its template azuredeploy.json could not be read: its values were not checked']);

    // A *.parameters.json that is neither an ARM parameters file nor beside a template: skipped as before.
    writeFileSync(join(root, 'other.parameters.json'), '{ "a": 1 }\n');
    const other = brickguard(root, 'other.parameters.json');
    assert.equal(other.status, 0);
    assert.match(other.stderr, /skipped other\.parameters\.json: not a deployment template/);
  });

  it('--fix writes the fixes that edit the parameters file, not those that edit the template, and says so', () => {
    // ws1's tier parameter allows only 'standard' and 'trial': its fix also edits the template's allowedValues.
    const tpl = template(['tier0', 'tier1'], { tier1: ['standard', 'trial'] });
    const root = project({ 'azuredeploy.json': tpl, 'azuredeploy.parameters.json': parametersFile({ tier0: 'standard', tier1: 'standard' }) });
    const r = json(root, 'azuredeploy.parameters.json', '--fix');
    assert.equal(readFileSync(join(root, 'azuredeploy.json'), 'utf8'), tpl, 'the template is not written');
    const after = JSON.parse(readFileSync(join(root, 'azuredeploy.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> };
    assert.deepEqual(after.parameters, { tier0: { value: 'premium' }, tier1: { value: 'standard' } });
    assert.match(r.stderr, /not written azuredeploy\.json: outside the paths given/);
    assert.deepEqual(r.changedFiles, ['azuredeploy.parameters.json']);
    assert.deepEqual(r.fixed, [{ path: 'azuredeploy.json', ruleIds: ['databricks-premium-sku'] }]);
    assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.message}`), ["databricks-premium-sku The workspace tier is 'standard' from azuredeploy.parameters.json:9: use 'premium'."]);
    assert.equal(r.status, 1);

    // Given with its template, the same fix writes both (the tier and the allowed values).
    const both = json(root, 'azuredeploy.parameters.json', 'azuredeploy.json', '--fix', '--min-severity', 'error');
    assert.deepEqual(both.changedFiles?.sort(), ['azuredeploy.json', 'azuredeploy.parameters.json']);
    const fixed = JSON.parse(readFileSync(join(root, 'azuredeploy.json'), 'utf8')) as { parameters: Record<string, { allowedValues?: string[] }> };
    assert.deepEqual(fixed.parameters.tier1.allowedValues, ['standard', 'trial', 'premium']);
    assert.equal((JSON.parse(readFileSync(join(root, 'azuredeploy.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> }).parameters.tier1.value, 'premium');
  });

  it('gives the same report on two workers as in the main thread', () => {
    const root = project({
      'a/azuredeploy.json': template(['tier']),
      'a/azuredeploy.parameters.json': parametersFile({ tier: 'standard' }),
      'b/main.json': template(['t1', 't2']),
      'b/main.parameters.json': parametersFile({ t1: 'standard', t2: 'premium' }),
      'c/orphan.parameters.json': parametersFile({ tier: 'standard' }),
    });
    const paths = ['a/azuredeploy.parameters.json', 'b/main.parameters.json', 'c/orphan.parameters.json'];
    for (const format of ['json', 'sarif', 'text']) {
      const main = brickguard(root, ...paths, '--format', format, '--jobs', '0');
      assert.equal(main.status, 1, main.stderr);
      const workers = brickguard(root, ...paths, '--format', format, '--jobs', '2');
      assert.equal(workers.stderr, main.stderr);
      assert.equal(workers.status, main.status);
      assert.equal(workers.stdout, main.stdout, format);
    }
    const report = json(root, ...paths, '--jobs', '2');
    assert.deepEqual(report.findings.map((f) => `${f.path} ${f.ruleId}`), ['a/azuredeploy.json databricks-premium-sku', 'b/main.json databricks-premium-sku']);
    assert.deepEqual(report.notes.map((n) => n.path), ['c/orphan.parameters.json']);
  });
});
