// product.md §4: after a fix, no new finding appears. A fix may still bring in a rule that did not
// apply to the resource before (Premium brings in the encryption rules): the posture said "not
// applicable" for that resource and rule, so the check is revealed, not a problem made.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, findingIdentity, overlayHost } from '../../server/src/engine';
import { revealedBy } from '../helpers/fixtures';
import { applyEdits } from '../../server/src/text';

const examples = join(__dirname, '..', '..', 'examples');

function entries(): string[] {
  return ['arm/workspace.json', 'bicep/workspace.bicep', 'terraform/main.tf'].map((p) => join(examples, p));
}

test('every preferred fix of the examples adds no finding except of a rule that did not apply to that resource before', () => {
  const host = diskHost([examples]);
  const problems: string[] = [];
  let fixes = 0;
  let revealed = 0;
  for (const entry of entries()) {
    const before = analyzePath(entry, host)!;
    assert.ok(before, entry);
    const known = new Set(before.findings.map(findingIdentity));
    const wasInapplicable = revealedBy(before);
    for (const finding of before.findings) {
      for (const fix of finding.fixes.filter((x) => x.kind === 'fix' && x.preferred)) {
        fixes++;
        const texts = new Map<string, string>();
        for (const file of new Set(fix.edits.map((e) => e.file))) {
          const text = before.files.find((f) => f.path === file)?.text ?? host.readFile(file)!;
          texts.set(file, applyEdits(text, fix.edits.filter((e) => e.file === file)));
        }
        const after = analyzePath(entry, overlayHost(host, texts))!;
        for (const f of after.findings.filter((x) => !known.has(findingIdentity(x)))) {
          if (wasInapplicable(f)) revealed++;
          else problems.push(`${fix.title} (${finding.ruleId}) adds ${f.ruleId}: ${f.message}`);
        }
      }
    }
  }
  assert.ok(fixes >= 10, `${fixes} preferred fixes`);
  // The Standard workspaces of the examples: their Premium fix brings in the encryption rules.
  assert.ok(revealed > 0, 'no fix revealed a rule; the examples no longer exercise the exemption');
  assert.deepEqual(problems, []);
});

test('the examples folder holds the entries this test reads', () => {
  for (const d of ['arm', 'bicep', 'terraform']) assert.ok(readdirSync(join(examples, d)).length > 0);
});

test('the secure ARM example is quiet: no finding of any severity, and every check that applies passes', () => {
  const path = join(examples, 'arm', 'workspace-secure.json');
  const result = analyzePath(path, diskHost([examples]))!;
  assert.deepEqual(result.findings.map((f) => `${f.ruleId}: ${f.message}`), []);
  const ws = result.posture.filter((p) => p.state !== 'notApplicable');
  assert.ok(ws.length >= 12, `${ws.length} checks judged`);
  assert.deepEqual(ws.filter((p) => p.state !== 'passed').map((p) => `${p.ruleId} ${p.state}`), []);
});
