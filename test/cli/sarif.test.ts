// SARIF for code scanning: GitHub's line hash on known input, the schema and GitHub's rules on every
// fixture folder, categories and the URI base.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { lineHashes } from '../../server/src/cli/lineHash';
import { ALL_RULE_METAS } from '../../server/src/rules';
import { repoRoot } from '../helpers/corpus';
import { cliInvocation } from '../helpers/lspClient';
import { gitHubProblems, sarifProblems, schemaErrors } from '../helpers/sarif';
import { INSECURE_ARM, TF_MAIN } from '../lsp/templates';
import { scratchProject } from '../helpers/scratch';

function project(files: Record<string, string>): string {
  return scratchProject('brickguard-sarif-', files);
}

/* A SARIF log as these tests read it. */
interface Log {
  runs: {
    automationDetails: { id: string };
    originalUriBaseIds: { SRCROOT: { uri: string } };
    tool: { driver: { rules: { id: string; help: { text: string; markdown: string }; properties: { tags: string[]; precision: string } }[] } };
    results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string> }[];
  }[];
}

function sarif(cwd: string, ...args: string[]): Log {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, 'scan', '--format', 'sarif', ...args], { cwd, encoding: 'utf8', timeout: 120000, maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Log;
}

describe('primaryLocationLineHash', () => {
  // Expected values from the tests of GitHub's upload action (github/codeql-action, fingerprints).
  it('matches GitHub on known input: empty file, whitespace, every line ending, repeated lines', () => {
    assert.deepEqual(lineHashes(''), ['c129715d7a2bc9a3:1']);
    assert.deepEqual(lineHashes(' a\nb\n  \t\tc\n d'), ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']);
    const expected = ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1'];
    for (const text of [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
    ]) {
      assert.deepEqual(lineHashes(text), expected, JSON.stringify(text));
    }
    assert.deepEqual(lineHashes(' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End'), [
      '8b7cf3e952e7aeb2:1',
      'b1ae1287ec4718d9:1',
      'bff680108adb0fcc:1',
      'c6805c5e1288b612:1',
      'b86d3392aea1be30:1',
      'e6ceba753e1a442:1',
    ]);
    assert.deepEqual(lineHashes('Lorem ipsum dolor sit amet.\n'.repeat(10)), [
      ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
  });

  it('sees the 100 characters after a line start, not just the line', () => {
    const tail = 'x'.repeat(200);
    const a = lineHashes(`key = 1\n${tail}`);
    const b = lineHashes(`key = 1\ny${tail}`);
    assert.notEqual(a[0], b[0], 'the next line is inside the window');
    assert.equal(lineHashes(`a\n${tail}b`)[1], lineHashes(`a\n${tail}c`)[1], 'characters past the window do not count');
  });
});

describe('sarif for code scanning', () => {
  for (const dialect of ['arm', 'bicep', 'terraform']) {
    it(`fixtures of ${dialect}: valid SARIF 2.1.0 that meets GitHub's rules`, () => {
      const log = sarif(repoRoot, join('test', dialect, 'fixtures'));
      assert.ok(log.runs[0].results.length > 20, `${log.runs[0].results.length} results`);
      assert.deepEqual(sarifProblems(log, repoRoot), []);
      assert.equal(log.runs[0].automationDetails.id, `brickguard/test/${dialect}/fixtures/`);
    });
  }

  it('the checks catch what GitHub rejects (they can fail)', () => {
    const log = JSON.parse(JSON.stringify(sarif(repoRoot, join('test', 'arm', 'fixtures', 'premium-sku')))) as Log & { runs: Record<string, unknown>[] };
    const run = log.runs[0] as unknown as Log['runs'][0] & { results: Record<string, unknown>[] };
    const rule = run.tool.driver.rules[0] as unknown as Record<string, unknown>;
    delete rule.help;
    const result = run.results[0] as unknown as Log['runs'][0]['results'][0];
    result.partialFingerprints.primaryLocationLineHash = '0:1';
    result.locations[0].physicalLocation.artifactLocation.uri = '../outside.json';
    const problems = gitHubProblems(log, repoRoot).join('\n');
    assert.match(problems, /no help\.text/);
    assert.match(problems, /primaryLocationLineHash 0:1, GitHub computes|is not relative/);
    assert.match(problems, /is not relative to the base/);
    assert.notDeepEqual(schemaErrors({ version: '2.1.0', runs: [{ tool: {} }] }), []);
    assert.notDeepEqual(schemaErrors({ ...log, runs: [{ ...run, results: [{ ...run.results[0], level: 'fatal' }] }] }), []);
  });

  it('rules carry help with the secure setting, the guidance link and the Azure Policy, CWE tags and precision', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const rules = new Map(sarif(root).runs[0].tool.driver.rules.map((r) => [r.id, r]));
    assert.equal(rules.size, ALL_RULE_METAS.length);
    const pna = rules.get('databricks-public-network-access')!;
    assert.match(pna.help.text, /Secure setting \(Bicep\):\npublicNetworkAccess: 'Disabled'/);
    assert.match(pna.help.text, /Guidance: https:\/\/learn\.microsoft\.com\//);
    assert.match(pna.help.text, /Azure Policy: "Azure Databricks Workspaces should disable public network access" \(can Deny this deployment/);
    assert.match(pna.help.markdown, /```terraform\npublic_network_access_enabled/);
    assert.match(pna.help.markdown, /Azure Policy: \*Azure Databricks Workspaces should disable public network access\* \(can Deny this deployment/);
    assert.deepEqual(pna.properties.tags, ['security', 'external/cwe/cwe-284']);
    assert.equal(pna.properties.precision, 'very-high');
    assert.deepEqual(rules.get('databricks-hardcoded-secret')!.properties.tags, ['security', 'external/cwe/cwe-798']);
    assert.equal(rules.get('databricks-no-public-ip')!.properties.precision, 'medium');
    assert.doesNotMatch(rules.get('databricks-cluster-ssh')!.help.text, /Azure Policy/);
  });

  it('--category sets automationDetails.id (with the trailing slash GitHub expects); the default names the scanned paths', () => {
    const root = project({ 'infra/azuredeploy.json': INSECURE_ARM, 'tf/main.tf': TF_MAIN });
    assert.equal(sarif(root, '--category', 'platform/databricks').runs[0].automationDetails.id, 'platform/databricks/');
    assert.equal(sarif(root).runs[0].automationDetails.id, 'brickguard/root/');
    assert.equal(sarif(root, 'tf', 'infra').runs[0].automationDetails.id, 'brickguard/infra+tf/');
    const { command, args } = cliInvocation();
    const r = spawnSync(command, [...args, 'scan', '--format', 'sarif', '--category', ''], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--category must not be empty/);
  });

  it('--base makes URIs relative to another folder and says so in originalUriBaseIds', () => {
    const root = project({ 'repo/infra/azuredeploy.json': INSECURE_ARM });
    const inside = sarif(join(root, 'repo', 'infra'), '.', '--base', '..');
    const run = inside.runs[0];
    assert.equal(run.originalUriBaseIds.SRCROOT.uri, pathToFileURL(join(root, 'repo') + '/').href);
    assert.deepEqual(new Set(run.results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri)), new Set(['infra/azuredeploy.json']));
    assert.equal(run.automationDetails.id, 'brickguard/infra/');
    assert.deepEqual(sarifProblems(inside, join(root, 'repo')), []);
    // The resource-anchored key does not depend on where the scan ran from.
    const fromRepo = sarif(join(root, 'repo'), 'infra').runs[0];
    assert.deepEqual(
      fromRepo.results.map((x) => x.partialFingerprints),
      run.results.map((x) => x.partialFingerprints),
    );
    const { command, args } = cliInvocation();
    const bad = spawnSync(command, [...args, 'scan', '--format', 'sarif', '--base', 'nope'], { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--base must be a folder/);
  });
});
