// Brickguard's full ARM analysis (parse, lowering, evaluation, rules) against jsonc-parser's
// parseTree alone, on the corpus ARM templates, measured in the same run. Prints ratios.
import { readFileSync } from 'node:fs';
import { parseTree } from 'jsonc-parser';
import { analyzePath, overlayHost, diskHost } from '../server/src/engine';
import { isArmTemplateText } from '../server/src/frontends/arm/lower';
import { corpusFiles, corpusOrSkip } from '../test/helpers/corpus';
import { reportJson } from './report';

const corpus = corpusOrSkip();
if ('skip' in corpus) {
  console.log(`arm-analysis: ${corpus.skip}`);
  process.exit(0);
}

const files = corpusFiles('', (n) => n.endsWith('.json'))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
  .filter((f) => isArmTemplateText(f.text) && !f.path.endsWith('.parameters.json'));
const bytes = files.reduce((n, f) => n + f.text.length, 0);
const host = overlayHost(diskHost(), new Map(files.map((f) => [f.path, f.text])));

/** Minimum time of each workload over interleaved rounds: interleaving and the minimum resist a busy machine. */
function compare(a: () => void, b: () => void, rounds: number): [number, number] {
  a();
  b();
  let bestA = Infinity;
  let bestB = Infinity;
  for (let i = 0; i < rounds; i++) {
    global.gc?.();
    let t0 = process.hrtime.bigint();
    a();
    bestA = Math.min(bestA, Number(process.hrtime.bigint() - t0) / 1e6);
    global.gc?.();
    t0 = process.hrtime.bigint();
    b();
    bestB = Math.min(bestB, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return [bestA, bestB];
}

const [baseline, ours] = compare(
  () => {
    for (const f of files) parseTree(f.text, [], { allowTrailingComma: true });
  },
  () => {
    for (const f of files) analyzePath(f.path, host);
  },
  7,
);

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const kept = files.map((f) => analyzePath(f.path, host));
const heapAfter = process.memoryUsage().heapUsed;
const baselineKept = files.map((f) => parseTree(f.text, [], { allowTrailingComma: true }));
const heapBaseline = process.memoryUsage().heapUsed;

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
console.log(`arm-analysis: ${files.length} templates, ${mb(bytes)} MB`);
console.log(`  jsonc-parser parseTree     ${baseline.toFixed(1)} ms  (${(bytes / 1024 / 1024 / (baseline / 1000)).toFixed(1)} MB/s)`);
console.log(`  brickguard analysis        ${ours.toFixed(1)} ms  (${(bytes / 1024 / 1024 / (ours / 1000)).toFixed(1)} MB/s)`);
console.log(`  time ratio (ours / jsonc-parser): ${(ours / baseline).toFixed(2)}×`);
reportJson({ arm_vs_jsonc: Number((ours / baseline).toFixed(2)) });
console.log(`  retained heap: analyses ${mb(heapAfter - heapBefore)} MB, parse trees ${mb(heapBaseline - heapAfter)} MB, ratio ${((heapAfter - heapBefore) / Math.max(1, heapBaseline - heapAfter)).toFixed(2)}×`);
void kept;
void baselineKept;
