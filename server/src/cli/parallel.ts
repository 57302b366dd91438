// `brickguard scan` on several cores: the main thread walks, applies configs and builds the
// deployment index; worker threads analyse shards of whole folders (a Terraform module, a
// template beside its parameters file stay together); the main thread merges them exactly as one
// sequential pass would. Any worker that fails has its shard analysed in the main thread.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DeploymentIndex } from '../engine/index';
import type { SeveritySetting } from '../engine/types';
import type { SkippedFile } from '../engine/walk';
import { FileSession } from './files';
import { SCAN_PARSE_MEMO_ENTRIES } from './heap';
import { setParseMemoCapacity } from '../syntax/memo';
import { analyseShard, attachConfigFindings, attachSkipped, discover, finish, prepare, select, type ParametersPairing, type ScanOptions, type ScanReport, type ShardContext, type ShardResult } from './scan';

/** Fewer files than this are analysed in the main thread when the number of jobs is automatic. */
export const PARALLEL_MIN_FILES = 200;
const MAX_AUTO_JOBS = 4;

/** What a worker needs to analyse its shard: plain data only. */
interface ShardJob {
  kind: 'brickguard-scan-shard';
  files: string[];
  ruleSets: [string, Record<string, SeveritySetting>][];
  calls: [string, string[]][];
  scanned: string[];
  parameters: [string, ParametersPairing][];
  cwd: string;
  root: string;
  maxFileSize?: number;
}

interface ShardReply {
  shard?: ShardResult;
  skipped?: SkippedFile[];
  error?: string;
}

/**
 * How many worker threads a run uses (0: the main thread analyses): `--jobs` when given; else none
 * for a small run, and for a large one a worker per two cores (at most four) when that makes two or
 * more: a thread's garbage collector keeps a second core busy, so on two cores the main thread alone
 * is fastest (measured on the corpus: 6.3–8.4 s; two workers 7.1–8.8 s; one bounded worker 9.2–9.7 s).
 */
export function jobsFor(requested: number | undefined, files: number, cores = availableParallelism()): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (files < PARALLEL_MIN_FILES) return 0;
  const workers = Math.min(MAX_AUTO_JOBS, Math.floor(cores / 2));
  return workers >= 2 ? workers : 0;
}

/**
 * Old-generation heap of a worker, in MB. V8 grows a busy heap far past what it keeps alive (the
 * corpus scan peaked at 420 MB RSS with under 96 MB live); a bound makes it collect sooner (one
 * bounded worker: 340 MB for the whole process). A shard that needs more is analysed again in the
 * main thread, without the bound.
 */
export const WORKER_HEAP_MB = 256;

/**
 * Splits the files into `count` shards of whole folders, balanced by size (largest folders first,
 * each to the lightest shard). A `.bicepparam` goes with the folder of the template it uses.
 */
export function planShards(files: readonly string[], count: number, readText: (path: string) => string | undefined): string[][] {
  const groups = new Map<string, { files: string[]; bytes: number }>();
  for (const file of files) {
    let key = dirname(file);
    // Keeps a parameters file with its template; findings of a pair split over two shards merge in `finish`.
    if (/\.bicepparam$/i.test(file)) {
      const using = /^\s*using\s+'([^'\\\r\n$]+)'/m.exec(readText(file) ?? '');
      if (using) key = dirname(resolve(dirname(file), using[1]));
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { files: [], bytes: 0 }));
    group.files.push(file);
    try {
      group.bytes += statSync(file).size;
    } catch {
      group.bytes += 1;
    }
  }
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], bytes: 0 }));
  for (const group of [...groups.values()].sort((a, b) => b.bytes - a.bytes)) {
    const lightest = shards.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.files.push(...group.files);
    lightest.bytes += group.bytes;
  }
  // Each shard in the run's order, as a sequential pass would meet its files.
  const order = new Map(files.map((f, i) => [f, i]));
  return shards.map((s) => s.files.sort((a, b) => order.get(a)! - order.get(b)!)).filter((s) => s.length > 0);
}

/** The entry file of this bundle, which a worker loads again; none when running from TypeScript sources. */
function entryFile(): string | undefined {
  return __filename.endsWith('.js') ? __filename : undefined;
}

/**
 * Analyses the shards in worker threads and returns their results in shard order, plus notes on
 * files the workers could not read. A shard whose worker fails is analysed here instead.
 */
export async function analyseInWorkers(
  shards: string[][],
  ctx: ShardContext,
  session: { root: string; maxFileSize?: number },
): Promise<{ shards: ShardResult[]; skipped: SkippedFile[] }> {
  const ruleSets = [...ctx.ruleSets];
  const calls = ctx.deployments.entries();
  const scanned = [...ctx.scanned];
  const parameters = [...(ctx.parameters ?? [])];
  const skipped: SkippedFile[] = [];
  const results = await Promise.all(
    shards.map(
      (files) =>
        new Promise<ShardResult>((done) => {
          const job: ShardJob = { kind: 'brickguard-scan-shard', files, ruleSets, calls, scanned, parameters, cwd: ctx.cwd, root: session.root, maxFileSize: session.maxFileSize };
          let settled = false;
          const fallBack = (why: string) => {
            if (settled) return;
            settled = true;
            process.stderr.write(`brickguard: a worker thread failed (${why}); its files were analysed in the main thread\n`);
            done(analyseShard(files, ctx).shard);
          };
          const entry = entryFile();
          let worker: Worker;
          try {
            if (!entry) throw new Error('no bundled entry file');
            worker = new Worker(entry, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
          } catch (e) {
            fallBack((e as Error).message);
            return;
          }
          worker.once('message', (reply: ShardReply) => {
            if (reply.error !== undefined || !reply.shard) return fallBack(reply.error ?? 'no result');
            settled = true;
            skipped.push(...(reply.skipped ?? []));
            done(reply.shard);
          });
          worker.once('error', (e: NodeJS.ErrnoException) =>
            fallBack(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${WORKER_HEAP_MB} MB` : e.message),
          );
          worker.once('exit', (code) => fallBack(`exit ${code}`));
        }),
    ),
  );
  return { shards: results, skipped };
}

/**
 * Scans the given paths once, on several cores when the run is large (see `jobsFor`); the report
 * is the one `scan` gives. Throws UsageError for missing paths and invalid configuration.
 */
export async function scanInParallel(options: ScanOptions): Promise<ScanReport> {
  const prepared = prepare(options, false);
  const host = prepared.base;
  const selection = select(prepared.files, host, options, prepared.explicit);
  const deployments = discover(selection.included, host);
  const ctx: ShardContext = { host, deployments, ruleSets: selection.ruleSets, scanned: new Set(selection.included), cwd: options.cwd, keepResults: false, parameters: selection.parameters };
  // Injected file access cannot cross into a worker; sources run by tsx have no bundle to load.
  const jobs = options.io || !entryFile() ? 0 : jobsFor(options.jobs, selection.included.length);
  const plan = jobs > 0 ? planShards(selection.included, jobs, (p) => host.readFile(p)) : [];
  let shards: ShardResult[];
  let skipped: SkippedFile[] = [];
  if (plan.length > 0) ({ shards, skipped } = await analyseInWorkers(plan, ctx, { root: prepared.session.root, maxFileSize: options.maxFileSize }));
  else shards = [analyseShard(selection.included, ctx).shard];
  const report = finish(options.cwd, selection.excluded, shards, selection.included);
  attachConfigFindings(report, selection, options, host);
  attachSkipped(report, prepared, skipped);
  return report;
}

/** The worker side: analyse the shard with a session of its own and post the result. */
function runShardWorker(job: ShardJob): void {
  let reply: ShardReply;
  try {
    const session = new FileSession(job.root, { maxSize: job.maxFileSize, keepTexts: false });
    const ctx: ShardContext = {
      host: session.host,
      deployments: DeploymentIndex.fromEntries(job.calls),
      ruleSets: new Map(job.ruleSets),
      scanned: new Set(job.scanned),
      parameters: new Map(job.parameters),
      cwd: job.cwd,
      keepResults: false,
    };
    const { shard } = analyseShard(job.files, ctx);
    reply = { shard, skipped: session.skippedAmong(job.files) };
  } catch (e) {
    reply = { error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
}

if (!isMainThread && parentPort && (workerData as ShardJob | undefined)?.kind === 'brickguard-scan-shard') {
  // A worker has module state of its own: it keeps as many parse results as the main thread.
  setParseMemoCapacity(SCAN_PARSE_MEMO_ENTRIES);
  runShardWorker(workerData as ShardJob);
}
