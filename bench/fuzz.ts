// Fuzzes the whole analysis (parse, lowering, evaluation, rules, fixes) of every dialect with
// deep nesting and huge tokens in the analysed file, its parameters file and its module, and
// measures every call: fails on an exception, a rule or fix that failed, or a call over the limit.
// Usage: npm run fuzz [-- --runs N] [--seed S] [--limit-ms MS]
// The limit applies to the CPU time of the call (user + system), which a busy shared machine does
// not inflate the way it inflates wall time; both are printed.
import fc from 'fast-check';
import { DEEP, DIALECTS, analyseFiles, filesOf, hostileCase, type Dialect, type HostileCase, type Place } from '../test/helpers/hostile';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

const runs = option('--runs', 200);
const seed = option('--seed', Date.now() % 2 ** 31);
const limitMs = option('--limit-ms', 1000);

interface Slowest {
  cpuMs: number;
  ms: number;
  what: string;
}

function describeCase(c: HostileCase): string {
  const head = c.fragment.slice(0, 24).replace(/\n/g, '\\n');
  return `${c.dialect} ${c.place} ${c.asValue ? 'value' : `at ${c.at.toFixed(2)}`} ${c.fragment.length} chars "${head}…"`;
}

const failures: string[] = [];
const rows: string[] = [];
let worst = 0;
for (const dialect of DIALECTS as Dialect[]) {
  // The deep shapes in each place, then random cases.
  const cases: HostileCase[] = [];
  for (const make of Object.values(DEEP[dialect])) {
    for (const place of ['root', 'params', 'module'] as Place[]) cases.push({ dialect, place, asValue: true, at: 0, fragment: make(5000) });
  }
  cases.push(...fc.sample(hostileCase(dialect), { numRuns: runs, seed }));
  const slowest: Slowest = { cpuMs: 0, ms: 0, what: '' };
  let total = 0;
  for (const c of cases) {
    try {
      const { ms, cpuMs } = analyseFiles(dialect, filesOf(c));
      total += ms;
      if (cpuMs > slowest.cpuMs) Object.assign(slowest, { cpuMs, ms, what: describeCase(c) });
      if (cpuMs > limitMs) failures.push(`over ${limitMs} ms (${cpuMs.toFixed(0)} ms CPU, ${ms.toFixed(0)} ms wall): ${describeCase(c)}`);
    } catch (e) {
      failures.push(`${e instanceof Error ? e.message.split('\n')[0] : String(e)}: ${describeCase(c)}`);
    }
  }
  worst = Math.max(worst, slowest.cpuMs);
  rows.push(
    `${dialect.padEnd(9)} ${String(cases.length).padStart(4)} calls  mean ${(total / cases.length).toFixed(0).padStart(4)} ms  slowest ${slowest.cpuMs.toFixed(0).padStart(4)} ms CPU (${slowest.ms.toFixed(0)} ms wall): ${slowest.what}`,
  );
}

process.stdout.write(`fuzz of the whole analysis, seed ${seed}, ${runs} random cases per dialect, limit ${limitMs} ms per call\n${rows.join('\n')}\n`);
if (failures.length > 0) {
  process.stdout.write(`${failures.length} failure(s):\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`no exception, no failed rule or fix, slowest call ${worst.toFixed(0)} ms CPU\n`);
}
