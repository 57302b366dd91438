// Benchmarks report their numbers as one `BENCH_JSON {...}` line each, collected by run.mjs --json.
export function reportJson(values: Record<string, number | null>): void {
  if (process.env.BRICKGUARD_BENCH_JSON) process.stdout.write(`BENCH_JSON ${JSON.stringify(values)}\n`);
}
