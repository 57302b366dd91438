// Diagnostic messages over the real-world corpus: at most 120 characters; a value that comes from a
// parameter, variable or parameters file is named in the message and pointed at by `related`; no
// "version is unknown" where the provider version is known.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { scan } from '../../server/src/cli/scan';
import { analyzePath, diskHost, frontEndFor } from '../../server/src/engine';
import { sourceOf } from '../../server/src/model/origin';
import type { Unit } from '../../server/src/model/types';
import { RULES } from '../../server/src/rules';
import { MAX_MESSAGE_LENGTH } from '../../server/src/rules/support/message';
import type { Report, RuleContext } from '../../server/src/rules/types';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';

const corpus = corpusOrSkip();
const skip = 'skip' in corpus ? corpus.skip : false;

it(`every diagnostic message over the corpus has at most ${MAX_MESSAGE_LENGTH} characters`, { skip }, () => {
  if (!('root' in corpus)) return;
  const report = scan({ paths: [join(corpus.root, 'databricks')], cwd: corpus.root });
  assert.ok(report.findings.length > 100, `${report.findings.length} findings`);
  const long = report.findings.filter((f) => f.message.length > MAX_MESSAGE_LENGTH).map((f) => `${f.message.length} ${f.ruleId}: ${f.message}`);
  assert.deepEqual(long, [], `${long.length} of ${report.findings.length} messages are longer than ${MAX_MESSAGE_LENGTH} characters`);
});

/** What each rule reports on a unit, before configuration, suppressions and location. */
function reportsOf(unit: Unit): { ruleId: string; report: Report }[] {
  const out: { ruleId: string; report: Report }[] = [];
  const declared = unit.resources.filter((r) => !r.existing);
  for (const rule of RULES) {
    const ctx: RuleContext = {
      unit,
      resources: (kind) => declared.filter((r) => r.kind.toLowerCase() === kind.toLowerCase()),
      report: (report) => out.push({ ruleId: rule.meta.id, report }),
      unverified: () => undefined,
      satisfiedBy: () => undefined,
      notApplicable: () => undefined,
    };
    rule.check(ctx);
  }
  return out;
}

it('a value from a parameter, variable or parameters file is named in the message and in related', { skip }, () => {
  if (!('root' in corpus)) return;
  const host = diskHost([corpus.root]);
  const entries = corpusFiles('databricks', (n) => /\.(bicep|json|tf)$/.test(n));
  let checked = 0;
  const problems: string[] = [];
  for (const path of entries) {
    const text = host.readFile(path);
    const frontEnd = text !== undefined ? frontEndFor(path, text) : undefined;
    if (!frontEnd) continue;
    const result = analyzePath(path, host);
    if (!result) continue;
    for (const { ruleId, report } of reportsOf(result.unit)) {
      const at = report.at;
      if (!at || 'span' in at) continue;
      const source = sourceOf(result.unit, report.resource, at);
      if (!source) continue;
      const finding = result.findings.find((f) => f.ruleId === ruleId && f.message === report.message);
      if (!finding) continue; // reported in another unit's file, or suppressed
      checked++;
      if (!report.message.includes(source.place)) problems.push(`${ruleId} message does not name ${source.place}: ${report.message}`);
      const related = finding.related.some((r) => r.loc.file === source.loc.file && r.loc.span.start === source.loc.span.start);
      if (!related) problems.push(`${ruleId} related does not point at ${source.text}: ${report.message}`);
    }
    for (const { ruleId, report } of reportsOf(result.unit)) {
      if (report.resource.providerVersion && /version is unknown/.test(report.message)) problems.push(`${ruleId} says the version is unknown: ${report.message}`);
    }
  }
  assert.ok(checked > 0, 'the corpus has findings about values from parameters');
  assert.deepEqual([...new Set(problems)], []);
});
