// An ARM workspace that a nested deployment deploys again (inline `template`, or linked by
// `relativePath`) is one workspace, as in Bicep (rules.md, Deployments, modules and where a finding
// goes; Edit where the value wins): one finding per rule, on the last deployment or at the
// caller's argument, related to the other declaration, and fixes that edit every declaration.
// Before → after: test/fixes/fixtures/arm/redeployed-*/ (BRICKGUARD_UPDATE_FIXTURES=1 rewrites
// the `.fixed` files).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { KIND } from '../../server/src/model/types';
import { LineIndex } from '../../server/src/text';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures', 'arm');

const CASES = [
  { name: 'inline', dir: join(ROOT, 'redeployed-inline'), nested: join(ROOT, 'redeployed-inline', 'template.json') },
  { name: 'linked', dir: join(ROOT, 'redeployed-linked'), nested: join(ROOT, 'redeployed-linked', 'nested', 'configure.json') },
];

for (const c of CASES) {
  const entry = join(c.dir, 'template.json');
  const host = () => diskHost([repoRoot]);
  const analyse = (h = host()) => analyzePath(entry, h, { reportCalled: true })!;

  test(`ARM ${c.name} re-deployment: one finding per rule, none on the first declaration`, () => {
    const result = analyse();
    const workspaces = result.unit.resources.filter((r) => r.kind === KIND.workspace);
    assert.equal(workspaces.length, 2);
    const [first, last] = workspaces;
    assert.equal(first.nestedIn, undefined);
    assert.deepEqual(last.nestedIn, ['configureCMKOnWorkspace']);
    assert.equal(last.redeploys, first);
    const perRule = new Map<string, number>();
    for (const f of result.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
    for (const [rule, n] of perRule) assert.equal(n, 1, rule);
    assert.ok(perRule.has('databricks-vnet-injection'), 'the workspace is still judged');
    // The nested deployment sets the DBFS key: the first declaration's missing key is not reported.
    assert.ok(!perRule.has('databricks-cmk-dbfs-root'));
    const atFirst = result.findings.filter((f) => f.file === first.file && first.span.start <= f.span.start && f.span.end <= first.span.end);
    assert.deepEqual(atFirst.map((f) => f.ruleId), [], 'nothing is reported on the first declaration');
    for (const f of result.findings) {
      const other = f.related.find((r) => r.message === 'The same resource is deployed here too');
      assert.deepEqual(other?.loc, { file: first.file, span: first.head }, `${f.ruleId}: related to the first declaration`);
    }
  });

  test(`ARM ${c.name} re-deployment: the caller's value is reported at its argument and fixed in every declaration`, () => {
    const result = analyse();
    const text = result.files.find((f) => f.path === entry)!.text;
    const npip = result.findings.filter((f) => f.ruleId === 'databricks-no-public-ip');
    assert.equal(npip.length, 1);
    const [finding] = npip;
    assert.equal(finding.file, entry);
    const line = text.split('\n')[new LineIndex(text).positionAt(finding.span.start).line];
    assert.match(line, /"disablePublicIp": \{ "value": "\[parameters\('disablePublicIp'\)\]" \}/, 'at the deployment argument');
    assert.equal(finding.property, 'properties.parameters.enableNoPublicIp.value');
    assert.ok(finding.related.some((r) => r.loc.file === c.nested && r.message === 'The module uses the value here'));

    const fix = finding.fixes.find((f) => f.kind === 'fix')!;
    assert.equal(fix.preferred, true, fix.title);
    // The caller's parameter default, and the first declaration (its API default is false too).
    assert.equal(fix.edits.length, 2);
    const after = applyFixEdits(fix);
    expectFixedFiles(after, c.dir);
    const again = analyse(overlayHost(host(), after));
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    assert.deepEqual(again.findings.filter((f) => f.ruleId === 'databricks-no-public-ip'), [], 'neither declaration leaves public IPs');
  });

  test(`ARM ${c.name} re-deployment: a fix on the last declaration also edits the first`, () => {
    const result = analyse();
    const finding = result.findings.find((f) => f.ruleId === 'databricks-infrastructure-encryption')!;
    const fix = finding.fixes.find((f) => f.kind === 'fix')!;
    assert.equal(fix.preferred, false, 'new workspaces only');
    const files = new Set(fix.edits.map((e) => e.file));
    assert.deepEqual([...files].sort(), [...new Set([entry, c.nested])].sort());
    assert.equal(fix.edits.length, 2, 'one edit per declaration');
    const again = analyse(overlayHost(host(), applyFixEdits(fix)));
    assert.deepEqual(again.findings.filter((f) => f.ruleId === 'databricks-infrastructure-encryption'), []);
  });
}

test('ARM re-deployment: a linked template gets no new parameter its caller does not pass (as a Bicep module)', () => {
  const result = analyzePath(join(ROOT, 'redeployed-linked', 'template.json'), diskHost([repoRoot]), { reportCalled: true })!;
  const vnet = result.findings.find((f) => f.ruleId === 'databricks-vnet-injection')!;
  assert.deepEqual(vnet.fixes.filter((f) => f.kind === 'fix'), []);
});
