// The rule catalogue is built from the rule files; each rule has what a rule needs to ship.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULE_METAS, RULES } from '../../server/src/rules';
import { README_END, README_START, RULE_PAGES_DIR, generatedFiles, packageJson, readme, rulePage } from '../../server/src/rules/catalogue';
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

const RERUN = 'run `npm run catalogue` to regenerate it from the rule metadata';

/** Rule ids each generated file lists, read from the file as it is in the repository. */
function listedIds(): Record<string, string[]> {
  const settings = manifest.contributes.configuration.properties['brickguard.rules'].properties as Record<string, unknown>;
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'brickguard.schema.json'), 'utf8'));
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END));
  const pagesDir = join(repoRoot, RULE_PAGES_DIR);
  return {
    'package.json brickguard.rules': Object.keys(settings),
    'schemas/brickguard.schema.json rules': Object.keys(schema.properties.rules.properties),
    'the README rule table': [...table.matchAll(/^\| \[`([a-z0-9-]+)`\]/gm)].map((m) => m[1]),
    [`${RULE_PAGES_DIR}/`]: existsSync(pagesDir) ? readdirSync(pagesDir).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)) : [],
  };
}

test('settings, the brickguard.json schema, the README table and the rule pages list exactly the engine\'s rules', () => {
  const engine = new Set(ALL_RULE_METAS.map((m) => m.id));
  for (const [where, ids] of Object.entries(listedIds())) {
    const phantom = ids.filter((id) => !engine.has(id));
    const missing = [...engine].filter((id) => !ids.includes(id));
    assert.deepEqual(phantom, [], `${where} lists ids the engine lacks: ${RERUN}`);
    assert.deepEqual(missing, [], `${where} lacks ids the engine has: ${RERUN}`);
  }
});

test('the generated catalogue files are up to date with the rule metadata', () => {
  const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
  for (const [path, text] of generatedFiles(read)) {
    assert.ok(existsSync(join(repoRoot, path)), `${path} is missing: ${RERUN}`);
    assert.ok(read(path) === text, `${path} is out of date: ${RERUN}`);
  }
});

test('the drift check catches a phantom and a missing id (it can fail)', () => {
  const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
  const phantom = { ...ALL_RULE_METAS[0], id: 'databricks-phantom-rule' };
  const withPhantom = JSON.parse(packageJson(read('package.json'), [...ALL_RULE_METAS, phantom]));
  assert.ok(withPhantom.contributes.configuration.properties['brickguard.rules'].properties['databricks-phantom-rule']);
  assert.notEqual(packageJson(read('package.json'), ALL_RULE_METAS.slice(1)), read('package.json'));
  assert.notEqual(readme(read('README.md'), ALL_RULE_METAS.slice(1)), read('README.md'));
  assert.equal(rulePage(ALL_RULE_METAS[0]), read(`${RULE_PAGES_DIR}/${ALL_RULE_METAS[0].id}.md`));
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
