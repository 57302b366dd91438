// Bicep parser throughput on the corpus .bicep files, against jsonc-parser's parseTree on corpus
// ARM templates of similar total size, measured in the same run. Prints MB/s and the ratio.
import { readFileSync } from 'node:fs';
import { parseTree } from 'jsonc-parser';
import { parseBicepUncached as parseBicep } from '../server/src/syntax/bicep/index';
import { reportJson } from './report';
import { corpusFiles, corpusOrSkip } from '../test/helpers/corpus';

const corpus = corpusOrSkip();
if ('skip' in corpus) {
  console.log(`bicep-parse: ${corpus.skip}`);
  process.exit(0);
}

const bicep = [
  ...corpusFiles('parse/bicep', (n) => n.endsWith('.bicep')),
  ...corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')),
].map((p) => readFileSync(p, 'utf8'));
const bicepChars = bicep.reduce((n, t) => n + t.length, 0);

// ARM templates in path order until their total size matches the Bicep corpus.
const arm: string[] = [];
let armChars = 0;
for (const p of corpusFiles('parse/arm', (n) => n.endsWith('.json'))) {
  if (armChars >= bicepChars) break;
  const t = readFileSync(p, 'utf8');
  arm.push(t);
  armChars += t.length;
}

function median(fn: () => void, rounds: number): number {
  fn();
  fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
let sink = 0;
const jsoncMs = median(() => {
  for (const t of arm) sink += parseTree(t, [], { allowTrailingComma: true })?.length ?? 0;
}, rounds);
const bicepMs = median(() => {
  for (const t of bicep) sink += parseBicep(t).tree.end;
}, rounds);

const mbps = (chars: number, ms: number) => chars / 1e6 / (ms / 1000);
const ours = mbps(bicepChars, bicepMs);
const theirs = mbps(armChars, jsoncMs);
console.log(`bicep-parse: ${bicep.length} .bicep files, ${(bicepChars / 1e6).toFixed(2)} M chars: ${bicepMs.toFixed(0)} ms, ${ours.toFixed(1)} MB/s (median of ${rounds})`);
console.log(`jsonc-parser parseTree: ${arm.length} ARM files, ${(armChars / 1e6).toFixed(2)} M chars: ${jsoncMs.toFixed(0)} ms, ${theirs.toFixed(1)} MB/s`);
console.log(`bicep-parse ratio vs jsonc-parser: ${(ours / theirs).toFixed(2)}x (target >= 0.5x)${sink < 0 ? '' : ''}`);
reportJson({ bicep_vs_jsonc_throughput: Number((ours / theirs).toFixed(2)) });
