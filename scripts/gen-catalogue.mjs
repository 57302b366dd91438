// Writes the files generated from the rule metadata (server/src/rules/catalogue.ts): package.json
// settings, schemas/brickguard.schema.json, the README rule table and docs/rules/<id>.md; removes
// pages of rules that no longer exist. Run it after adding or changing a rule: `npm run catalogue`.
// `--check` writes nothing and exits 1 when a file is out of date.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const { generatedFiles, RULE_PAGES_DIR } = await tsImport('../server/src/rules/catalogue.ts', import.meta.url);

const read = (path) => readFileSync(join(root, path), 'utf8');
const files = generatedFiles(read);
const stale = [];
for (const [path, text] of files) {
  const abs = join(root, path);
  if (existsSync(abs) && readFileSync(abs, 'utf8') === text) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}
const pages = join(root, RULE_PAGES_DIR);
for (const name of existsSync(pages) ? readdirSync(pages) : []) {
  const path = `${RULE_PAGES_DIR}/${name}`;
  if (!name.endsWith('.md') || files.has(path)) continue;
  stale.push(`${path} (no such rule)`);
  if (!check) rmSync(join(root, path));
}
for (const path of stale) console.log(`${check ? 'out of date' : 'wrote'}: ${path}`);
if (check && stale.length > 0) {
  console.error('The catalogue files are out of date: run `npm run catalogue`.');
  process.exit(1);
}
