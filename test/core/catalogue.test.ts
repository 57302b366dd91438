// The rule catalogue is built from the rule files; each rule has what a rule needs to ship.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULE_METAS, RULES } from '../../server/src/rules';
import { corpusRoot, repoRoot } from '../helpers/corpus';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n)) : [join(dir, n)]));
}

test('rule ids are unique and metadata is complete', () => {
  const ids = ALL_RULE_METAS.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const m of ALL_RULE_METAS) {
    assert.match(m.id, /^[a-z]+(-[a-z0-9]+)+$/);
    assert.ok(m.title.length > 10, `${m.id} title`);
    assert.ok(m.pass.length > 5 && m.pass.length <= 60, `${m.id} pass phrase is short`);
    assert.notEqual(m.pass, m.title, `${m.id} pass phrase says what is right, not the problem`);
    assert.ok(m.docs.why.length > 60, `${m.id} explains why`);
    assert.match(m.helpUri, /^https:\/\/learn\.microsoft\.com\//, `${m.id} links to Learn`);
    assert.ok(!m.helpUri.includes('/administration-guide/'), `${m.id} uses a current (non-redirecting) path`);
  }
});

test('every rule has fixtures with its id in each of its dialects', () => {
  for (const rule of RULES) {
    for (const dialect of rule.meta.dialects) {
      const files = filesBelow(join(repoRoot, 'test', dialect, 'fixtures'));
      const marked = files.some((f) => !f.includes('.fixed.') && readFileSync(f, 'utf8').includes(` ${rule.meta.id}`));
      assert.ok(marked, `${rule.meta.id} has no ${dialect} fixture with a marker`);
    }
  }
});

test('every rule has a settings-schema entry and a brickguard.json schema entry', () => {
  const settings = manifest.contributes.configuration.properties['brickguard.rules'].properties;
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'brickguard.schema.json'), 'utf8'));
  const schemaText = JSON.stringify(schema);
  for (const m of ALL_RULE_METAS) {
    assert.ok(settings[m.id], `package.json brickguard.rules lacks ${m.id}`);
    assert.ok(schemaText.includes(`"${m.id}"`), `schemas/brickguard.schema.json lacks ${m.id}`);
  }
});

test('implemented ids and default severities match the catalogue in rules.md', { skip: existsSync(join(corpusRoot, '..', 'spec', 'rules.md')) ? false : 'shared/spec/rules.md not found; skipped' }, () => {
  const spec = readFileSync(join(corpusRoot, '..', 'spec', 'rules.md'), 'utf8');
  for (const m of ALL_RULE_METAS) {
    const row = spec.split('\n').find((l) => l.startsWith(`| \`${m.id}\``));
    assert.ok(row, `${m.id} is not in rules.md`);
    const sev = row.split('|')[2].trim();
    const expected = m.severity === 'information' ? 'information' : m.severity;
    assert.ok(sev.startsWith(expected) || sev.includes(expected), `${m.id}: rules.md says '${sev}', the rule says '${m.severity}'`);
  }
});
