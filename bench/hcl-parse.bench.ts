// Parse time of Brickguard's HCL parser over the Terraform corpus, as a ratio to HashiCorp's
// parser (@cdktf/hcl2json, Go compiled to WASM) in the same run. Run:
//   node --import tsx bench/hcl-parse.bench.ts
import { readFileSync } from 'node:fs';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { corpusFiles, corpusOrSkip } from '../test/helpers/corpus';
import { parseHclUncached as parseHcl } from '../server/src/syntax/hcl/parser';
import { reportJson } from './report';

async function main(): Promise<void> {
  const c = corpusOrSkip();
  if ('skip' in c) {
    console.log(c.skip);
    return;
  }
  const accept = (n: string) => n.endsWith('.tf') || n.endsWith('.tfvars');
  const files = [...corpusFiles('parse/terraform', accept), ...corpusFiles('databricks/terraform', accept)];
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  const rounds = 5;

  // Warm both up (JIT, WASM instantiation), then take the best of several rounds each.
  for (let w = 0; w < 3; w++) {
    for (const t of texts) parseHcl(t);
    for (let i = 0; i < texts.length; i++) await hcl2json(files[i], texts[i]);
  }

  let ours = Infinity;
  let theirs = Infinity;
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (const t of texts) parseHcl(t);
    ours = Math.min(ours, performance.now() - t0);
    t0 = performance.now();
    for (let i = 0; i < texts.length; i++) await hcl2json(files[i], texts[i]);
    theirs = Math.min(theirs, performance.now() - t0);
  }
  console.log(`Terraform corpus: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB (best of ${rounds})`);
  console.log(`brickguard parseHcl: ${ours.toFixed(1)} ms`);
  console.log(`@cdktf/hcl2json:     ${theirs.toFixed(1)} ms`);
  console.log(`ratio (ours / hcl2json): ${(ours / theirs).toFixed(3)} (target <= 0.1)`);
  reportJson({ hcl_vs_hcl2json: Number((ours / theirs).toFixed(3)) });
}

void main();
