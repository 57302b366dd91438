// Oracles on the shared corpus, with one `bicep jsonrpc` process for all files:
//   - parser differential: our Bicep parser reports a syntax error exactly when the Bicep CLI reports
//     one of its lexer/parser codes (corpus files and seeded mutations of them);
//   - Bicep ↔ ARM agreement: Brickguard's findings on a Bicep file and on the ARM JSON the CLI
//     compiles it to name the same rules for the same resource kinds;
//   - fix validity: the fix-all result of every Databricks corpus Bicep file that compiled still
//     compiles, with no new error and no new BCP warning.
// Known disagreements are listed with a reason in expectations.json; the test fails on a new one and
// on a listed one that no longer occurs, so the list only shrinks.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { fixAll } from '../../server/src/engine/fixAll';
import type { AnalysisResult, Finding } from '../../server/src/engine/types';
import { parseBicep } from '../../server/src/syntax/bicep/index';
import { corpusFiles, corpusOrSkip, corpusRoot } from '../helpers/corpus';
import {
  BicepRpc,
  bicepMissing,
  compilerProblems,
  compilesOffline,
  newProblems,
  oracleAvailable,
  type BicepCompileResult,
} from '../helpers/oracles';

/** Codes the Bicep 0.49 lexer and parsers emit (src/Bicep.Core/Parsing): syntax, not semantics. */
const SYNTAX_CODES = new Set(
  ('BCP001 BCP002 BCP003 BCP004 BCP005 BCP006 BCP007 BCP008 BCP009 BCP010 BCP011 BCP012 BCP013 BCP015 BCP016 BCP017 BCP018 ' +
    'BCP019 BCP020 BCP021 BCP022 BCP023 BCP024 BCP032 BCP064 BCP068 BCP087 BCP096 BCP097 BCP103 BCP117 BCP118 BCP123 BCP133 ' +
    'BCP136 BCP140 BCP162 BCP167 BCP201 BCP202 BCP226 BCP236 BCP237 BCP238 BCP243 BCP257 BCP266 BCP279 BCP300 BCP305 BCP317 ' +
    'BCP325 BCP337 BCP344 BCP346 BCP347 BCP354 BCP355 BCP356 BCP404 BCP436').split(' '),
);

interface Expectations {
  parser: Record<string, string>;
  agreement: Record<string, string>;
  fixes: Record<string, string>;
}
const expectationsFile = join(__dirname, 'expectations.json');
const expectations = JSON.parse(readFileSync(expectationsFile, 'utf8')) as Expectations;

const corpus = corpusOrSkip();
const rel = (file: string) => relative(corpusRoot, file);

let rpc: BicepRpc | undefined;
after(() => rpc?.close());

interface Compiled {
  file: string;
  result: BicepCompileResult;
}
let compiledCorpus: Promise<Compiled[]> | undefined;

/** Every corpus .bicep file that can compile offline, compiled once (shared by the tests below). */
function compileCorpus(): Promise<Compiled[]> {
  compiledCorpus ??= (async () => {
    rpc ??= new BicepRpc();
    const seen = new Map<string, boolean>();
    const files = [
      ...corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')),
      ...corpusFiles('parse/bicep', (n) => n.endsWith('.bicep')),
    ];
    const out: Compiled[] = [];
    for (const file of files) if (compilesOffline(file, seen)) out.push({ file, result: await rpc.compile(file) });
    console.log(`bicep oracle: ${files.length} corpus .bicep files, ${out.length} without registry modules, ${out.filter((c) => c.result.success).length} compile`);
    return out;
  })();
  return compiledCorpus;
}

/** Compares what was found against the listed expectations; returns failure lines. */
function judge(kind: keyof Expectations, found: Map<string, string>, checked: Set<string>): string[] {
  const listed = expectations[kind];
  const failures: string[] = [];
  for (const [key, detail] of found) if (!(key in listed)) failures.push(`new ${kind} disagreement ${key}: ${detail}`);
  for (const key of Object.keys(listed)) if (checked.has(key) && !found.has(key)) failures.push(`${kind} disagreement ${key} no longer occurs: remove it from expectations.json`);
  return failures;
}

function ready(t: TestContext): boolean {
  if ('skip' in corpus) {
    t.skip(corpus.skip);
    return false;
  }
  return oracleAvailable(t, bicepMissing());
}

const syntaxCodes = (r: BicepCompileResult) => r.diagnostics.filter((d) => SYNTAX_CODES.has(d.code)).map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.char + 1}`);

test('oracle: our Bicep parser and the Bicep CLI agree on which corpus files have syntax errors', async (t) => {
  if (!ready(t)) return;
  const compiled = await compileCorpus();
  const found = new Map<string, string>();
  const compare = (file: string, text: string, result: BicepCompileResult) => {
    const ours = parseBicep(text).errors.map((e) => e.message);
    const theirs = syntaxCodes(result);
    if (ours.length > 0 !== theirs.length > 0) found.set(rel(file), `ours [${ours.slice(0, 3).join('; ')}] bicep [${theirs.slice(0, 3).join('; ')}]`);
  };
  for (const { file, result } of compiled) compare(file, readFileSync(file, 'utf8'), result);
  // Files that use registry modules: the registry paths become a local path that does not exist
  // (same tokens, so the same syntax) and the copy is compiled from a folder of its own.
  const done = new Set(compiled.map((c) => c.file));
  const rest = [...corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')), ...corpusFiles('parse/bicep', (n) => n.endsWith('.bicep'))].filter((f) => !done.has(f));
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-parse-oracle-'));
  try {
    for (const [i, file] of rest.entries()) {
      const text = readFileSync(file, 'utf8').replace(/'(br|ts)[:/][^'\n]*'/g, "'./registry-module.bicep'");
      const copy = join(dir, `f${i}.bicep`);
      writeFileSync(copy, text);
      compare(file, text, await rpc!.compile(copy));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`bicep oracle: parser differential on ${compiled.length + rest.length} corpus files (${rest.length} with registry paths made local), ${found.size} disagreements`);
  const failures = judge('parser', found, new Set([...compiled.map((c) => rel(c.file)), ...rest.map(rel)]));
  assert.deepEqual(failures, []);
});

// Same mutations as test/bicep/fuzz.test.ts, fewer of them: each costs a compile.
const FRAGMENTS = ['{', '}', '[', ']', '(', ')', "'", "'''", '${', ':', ',', '\n', ' ', '=', '=>', '?', '??', '.?', '!', '::', '...', '@', '//', '/*', '*/', 'param ', 'var ', 'resource ', 'for ', 'if ', 'in ', 'output ', 'type ', 'func ', '|', '\\', 'x', '1', '-'];
const mutation = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
function apply(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  if (m.op === 'truncate') return text.slice(0, at);
  if (m.op === 'delete') return text.slice(0, at) + text.slice(at + m.len);
  return text.slice(0, at) + m.text + text.slice(at);
}
const FUZZ_CASES = 300;

test(`oracle: our Bicep parser and the Bicep CLI agree on syntax errors in ${FUZZ_CASES} mutated corpus files`, async (t) => {
  if (!ready(t)) return;
  const compiled = await compileCorpus();
  // Small files keep each compile cheap; registry references would make the CLI try the network.
  const texts = compiled.map((c) => readFileSync(c.file, 'utf8')).filter((x) => x.length < 20000);
  const samples = fc.sample(fc.tuple(fc.nat({ max: texts.length - 1 }), mutation), { numRuns: FUZZ_CASES, seed: 20261201 });
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-fuzz-oracle-'));
  const found = new Map<string, string>();
  const checked = new Set<string>();
  let withErrors = 0;
  try {
    for (let i = 0; i < samples.length; i++) {
      const [index, m] = samples[i];
      const text = apply(texts[index], m);
      if (/'(br|ts)[:/]/.test(text)) continue;
      const key = `fuzz#${i}`;
      checked.add(key);
      const file = join(dir, `case${i}.bicep`);
      writeFileSync(file, text);
      const ours = parseBicep(text).errors.map((e) => e.message);
      const theirs = syntaxCodes(await rpc!.compile(file));
      if (theirs.length > 0) withErrors++;
      if (ours.length > 0 !== theirs.length > 0) found.set(key, `${JSON.stringify(m)} ours [${ours.slice(0, 3).join('; ')}] bicep [${theirs.slice(0, 3).join('; ')}]`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`bicep oracle: parser differential on ${checked.size} mutated files (${withErrors} with syntax errors), ${found.size} disagreements`);
  assert.deepEqual(judge('parser', found, checked), []);
});

/** Rule ids per resource kind of a result's own findings, as sorted `kind ruleId` lines (a multiset). */
function findingsByKind(result: AnalysisResult, include: (f: Finding) => boolean): string[] {
  const kinds = new Map(result.unit.resources.map((r) => [r.id, r.kind.toLowerCase()]));
  return result.findings
    .filter(include)
    .map((f) => `${f.resourceId === undefined ? '-' : kinds.get(f.resourceId)} ${f.ruleId}`)
    .sort();
}

test('oracle: findings on each compiled corpus Bicep file and on its ARM JSON agree', async (t) => {
  if (!ready(t)) return;
  const compiled = (await compileCorpus()).filter((c) => c.result.success && c.result.contents);
  const found = new Map<string, string>();
  const checked = new Set<string>();
  let agree = 0;
  let withFindings = 0;
  let withModules = 0;
  const compare = (key: string, b: string[], a: string[]): boolean => {
    checked.add(key);
    const onlyBicep = newProblems(a, b);
    const onlyArm = newProblems(b, a);
    if (onlyBicep.length === 0 && onlyArm.length === 0) return true;
    found.set(key, `only on Bicep [${onlyBicep.join(', ')}] only on ARM [${onlyArm.join(', ')}]`);
    return false;
  };
  for (const { file, result } of compiled) {
    const bicep = analyzePath(file, diskHost(), { reportCalled: true });
    const armPath = file.replace(/\.bicep$/, '.compiled-by-bicep.json');
    const arm = analyzePath(armPath, overlayHost(diskHost(), new Map([[armPath, result.contents!]])));
    assert.ok(bicep && arm, `${rel(file)}: not analysed`);
    // Module code: the Bicep unit reports its findings in the module's file; in ARM it sits inside
    // an inline nested deployment of the same file. A finding at the caller's argument (the
    // deployment's `parameters`) is the root's in both.
    const deployments = arm.unit.resources.filter((r) => r.kind.toLowerCase() === 'microsoft.resources/deployments');
    const inModule = arm.unit.resources.filter((r) => deployments.some((d) => d !== r && d.span.start <= r.span.start && r.span.end <= d.span.end));
    const inModuleCode = (f: Finding) => f.file === armPath && inModule.some((r) => r.span.start <= f.span.start && f.span.end <= r.span.end);
    const b = findingsByKind(bicep, (f) => f.file === file);
    if (b.length > 0) withFindings++;
    if (compare(rel(file), b, findingsByKind(arm, (f) => !inModuleCode(f)))) agree++;
    // With the modules' findings too (the Databricks corpus): a resource a module deploys again
    // is one resource in both, reported once per rule.
    if (rel(file).startsWith(join('databricks', 'bicep')) && compare(`${rel(file)} with its modules`, findingsByKind(bicep, () => true), findingsByKind(arm, () => true))) withModules++;
  }
  console.log(
    `bicep oracle: Bicep ↔ ARM findings agree on ${agree} of ${compiled.length} compiled corpus files (${withFindings} with findings); with the modules' findings on ${withModules} Databricks files`,
  );
  assert.deepEqual(judge('agreement', found, checked), []);
});

test('oracle: the fix-all result of every Databricks corpus Bicep file that compiled still compiles', async (t) => {
  if (!ready(t)) return;
  const compiled = (await compileCorpus()).filter((c) => c.result.success && rel(c.file).startsWith(join('databricks', 'bicep')));
  // Fixed texts are written into a copy of the corpus, so relative modules still resolve.
  const copy = mkdtempSync(join(tmpdir(), 'brickguard-fix-oracle-'));
  cpSync(join(corpusRoot, 'databricks', 'bicep'), join(copy, 'databricks', 'bicep'), { recursive: true });
  const found = new Map<string, string>();
  let fixedFiles = 0;
  try {
    for (const { file, result } of compiled) {
      const analysed = analyzePath(file, diskHost());
      if (!analysed) continue;
      const { changes } = fixAll(analysed);
      if (changes.size === 0) continue;
      const problems: string[] = [];
      for (const [path, { after }] of changes) writeFileSync(join(copy, relative(corpusRoot, path)), after);
      const target = join(copy, rel(file));
      const fixed = await rpc!.compile(target);
      fixedFiles++;
      problems.push(...newProblems(compilerProblems(result.diagnostics), compilerProblems(fixed.diagnostics)));
      for (const [path, { before }] of changes) writeFileSync(join(copy, relative(corpusRoot, path)), before);
      if (problems.length > 0) found.set(rel(file), problems.join(' | '));
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  console.log(`bicep oracle: ${fixedFiles} fix-all results of ${compiled.length} compiling Databricks corpus files compiled, ${found.size} with new problems`);
  assert.deepEqual(judge('fixes', found, new Set(compiled.map((c) => rel(c.file)))), []);
});
