// A value a Terraform root passes into a local module is fixed where it wins (rules.md, Edit where
// the value wins), before → after: each case under test/fixes/fixtures/terraform/module-caller-*
// has a root calling `../mod`; the root's finding stands at its module argument, points at the
// module's use of the variable, and its fix edits the argument or the value behind it (a .tfvars
// entry), never the module's default, which the argument overrides.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, findingIdentity, overlayHost } from '../../server/src/engine';
import { LineIndex } from '../../server/src/text';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures', 'terraform');
const RULE = 'databricks-no-public-ip';

interface Case {
  dir: string;
  /** `file:line` (1-based) where the finding stands. */
  at: string;
  message: RegExp;
  /** `file:line` of every related place, in order. */
  related: string[];
  title: RegExp;
  preferred: boolean;
}

const CASES: Case[] = [
  {
    dir: 'module-caller-literal',
    at: 'root/main.tf:3',
    message: /^no_public_ip is false from the caller \(main\.tf:3\)/,
    related: ['mod/main.tf:13'],
    title: /^Set custom_parameters\.no_public_ip to true \(main\.tf\)$/,
    preferred: true,
  },
  {
    dir: 'module-caller-tfvars',
    at: 'root/main.tf:7',
    message: /^no_public_ip is false from terraform\.tfvars:1/,
    related: ['root/terraform.tfvars:1', 'mod/main.tf:13'],
    title: /^Set custom_parameters\.no_public_ip to true \(terraform\.tfvars\)$/,
    preferred: true,
  },
  {
    // `!var.public_ip` has no literal to edit: the fix can only rewrite the module's use, which
    // every caller shares, so it is offered, not preferred.
    dir: 'module-caller-computed',
    at: 'root/main.tf:7',
    message: /^no_public_ip is false from the caller \(main\.tf:7\)/,
    related: ['mod/main.tf:13'],
    title: /^Set custom_parameters\.no_public_ip to true \(in the module, for every caller\)$/,
    preferred: false,
  },
];

function place(dir: string, file: string, offset: number): string {
  const text = analyzeText(file);
  return `${file.slice(dir.length + 1)}:${new LineIndex(text).positionAt(offset).line + 1}`;
}

function analyzeText(file: string): string {
  return diskHost([repoRoot]).readFile(file) ?? '';
}

for (const c of CASES) {
  test(`module caller fix: ${c.dir}`, () => {
    const dir = join(ROOT, c.dir);
    const entry = join(dir, 'root', 'main.tf');
    const host = diskHost([repoRoot]);
    const before = analyzePath(entry, host, { reportCalled: true })!;
    const findings = before.findings.filter((f) => f.ruleId === RULE);
    assert.equal(findings.length, 1, `one ${RULE} finding expected, got ${findings.length}`);
    const finding = findings[0];
    assert.equal(place(dir, finding.file, finding.span.start), c.at);
    assert.match(finding.message, c.message);
    assert.deepEqual(
      finding.related.map((r) => place(dir, r.loc.file, r.loc.span.start)),
      c.related,
    );
    assert.equal(finding.related[finding.related.length - 1].message, 'The module uses the value here');
    const fix = finding.fixes.find((f) => f.kind === 'fix');
    assert.ok(fix, 'the finding has no fix');
    assert.match(fix.title, c.title);
    assert.equal(fix.preferred, c.preferred);
    // Never the module's default, which the caller's argument overrides.
    const mod = join(dir, 'mod', 'main.tf');
    const defaultLine = place(dir, mod, analyzeText(mod).indexOf('default'));
    assert.ok(!fix.edits.some((e) => place(dir, e.file, e.span.start) === defaultLine), 'the fix edits the module default');

    const after = applyFixEdits(fix);
    expectFixedFiles(after);
    const again = analyzePath(entry, overlayHost(host, after), { reportCalled: true })!;
    assert.ok(!again.findings.some((f) => findingIdentity(f) === findingIdentity(finding)), 'the finding is still there');
    assert.deepEqual(again.findings.filter((f) => f.ruleId === RULE), [], 'the module still has the finding');
  });
}

test('module caller fix: a root that leaves the variable unset gets no finding; the module default decides', () => {
  const dir = join(ROOT, 'module-caller-literal');
  const host = diskHost([repoRoot]);
  const root = join(dir, 'root', 'main.tf');
  const text = host.readFile(root)!.replace(/\n\s*no_public_ip\s*=\s*false/, '');
  const result = analyzePath(root, overlayHost(host, new Map([[root, text]])), { reportCalled: true })!;
  assert.deepEqual(result.findings.filter((f) => f.ruleId === RULE), [], 'the module default (true) passes');
});
