// Reduces a prebuilt cdktf provider package (generated from the provider's schema) to the names the
// oracle tests need: per resource and data source type, its argument names, its nested blocks
// (recursively) and its computed attributes; the same for the provider block. Usage: node oracles-tf-schema.mjs <package dir> <label>
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, label] = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Object-literal entries `key: expr,` between `start` and the matching `};` at `indent`. */
function entries(body) {
  const out = [];
  for (const m of body.matchAll(/^\s+([a-z0-9_]+): (.*),$/gm)) out.push([m[1], m[2]]);
  return out;
}

function parseModule(src) {
  const fns = new Map();
  for (const m of src.matchAll(/^function (\w+)ToTerraform\(struct\) \{\n([\s\S]*?)\n\}\n/gm)) {
    const ret = m[2].match(/return \{\n([\s\S]*?)\n\s*\};?/);
    fns.set(m[1], ret ? entries(ret[1]) : []);
  }
  const synth = src.match(/synthesizeAttributes\(\) \{\n\s*return \{\n([\s\S]*?)\n\s*\};/);
  const block = (list, seen) => {
    const b = { attributes: [], blocks: {} };
    for (const [key, expr] of list) {
      const child = [...expr.matchAll(/(?<![.\w])(\w+)ToTerraform\b/g)].map((x) => x[1]).find((n) => fns.has(n));
      if (child && !seen.has(child)) b.blocks[key] = block(fns.get(child), new Set([...seen, child]));
      else b.attributes.push(key);
    }
    b.attributes.sort();
    return b;
  };
  const root = block(synth ? entries(synth[1]) : [], new Set());
  const cls = src.search(/^class \w+ extends cdktf\.Terraform(Resource|DataSource|Provider) \{/m);
  const computed = new Set();
  if (cls >= 0) {
    for (const m of src.slice(cls).matchAll(/this\.get\w*Attribute\('([a-z0-9_]+)'\)/g)) computed.add(m[1]);
    for (const m of src.slice(cls).matchAll(/this, "([a-z0-9_]+)"/g)) computed.add(m[1]);
  }
  root.computed = [...computed].filter((n) => !root.attributes.includes(n) && !(n in root.blocks)).sort();
  return root;
}

const resources = {};
const dataSources = {};
let providerBlock;
const lib = join(dir, 'lib');
for (const name of readdirSync(lib).sort()) {
  const file = join(lib, name, 'index.js');
  if (!existsSync(file)) continue;
  const src = readFileSync(file, 'utf8');
  const type = src.match(/\.tfResourceType = "([a-z0-9_]+)";/);
  if (name === 'provider') {
    providerBlock = parseModule(src);
    continue;
  }
  if (!type) continue;
  (name.startsWith('data-') ? dataSources : resources)[type[1]] = parseModule(src);
}
const provider = pkg.cdktf?.provider ?? {};
process.stdout.write(
  JSON.stringify({ schemaFormat: 2, package: label, provider: provider.name, providerVersion: provider.version, providerBlock, resources, dataSources }, null, 1) + '\n',
);
