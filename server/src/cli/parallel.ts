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
import { analyseShard, attachSkipped, discover, finish, prepare, select, type ScanOptions, type ScanReport, type ShardContext, type ShardResult } from './scan';

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
 * How many workers a run uses: `--jobs` when given, else for a large run one per two cores (at most
 * four): a thread's garbage collector keeps a second core busy, so on two cores one thread is
 * fastest (measured on the corpus: two workers took 7.1 s and 8.8 s against 6.3 s and 7.1 s).
 */
export function jobsFor(requested: number | undefined, files: number, cores = availableParallelism()): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(MAX_AUTO_JOBS, Math.floor(cores / 2)));
}

/**
 * Splits the files into `count` shards of whole folders, balanced by size (largest folders first,
 * each to the lightest shard). A `.bicepparam` goes with the folder of the template it uses.
 */
export function planShards(files: readonly string[], count: number, readText: (path: string) => string | undefined): string[][] {
  const groups = new Map<string, { files: string[]; bytes: number }>();
  for (const file of files) {
    let key = dirname(file);
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
  const skipped: SkippedFile[] = [];
  const results = await Promise.all(
    shards.map(
      (files) =>
        new Promise<ShardResult>((done) => {
          const job: ShardJob = { kind: 'brickguard-scan-shard', files, ruleSets, calls, scanned, cwd: ctx.cwd, root: session.root, maxFileSize: session.maxFileSize };
          let settled = false;
          const fallBack = (why: string) => {
            if (settled) return;
            settled = true;
            process.stderr.write(`brickguard: internal error in a worker (${why}); its files were analysed in the main thread\n`);
            done(analyseShard(files, ctx).shard);
          };
          const entry = entryFile();
          let worker: Worker;
          try {
            if (!entry) throw new Error('no bundled entry file');
            worker = new Worker(entry, { workerData: job });
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
          worker.once('error', (e) => fallBack(e.message));
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
  const ctx: ShardContext = { host, deployments, ruleSets: selection.ruleSets, scanned: new Set(selection.included), cwd: options.cwd, keepResults: false };
  // Injected file access cannot cross into a worker; sources run by tsx have no bundle to load.
  const jobs = options.io || !entryFile() ? 1 : jobsFor(options.jobs, selection.included.length);
  const plan = jobs > 1 ? planShards(selection.included, jobs, (p) => host.readFile(p)) : [];
  let shards: ShardResult[];
  let skipped: SkippedFile[] = [];
  if (plan.length > 1) ({ shards, skipped } = await analyseInWorkers(plan, ctx, { root: prepared.session.root, maxFileSize: options.maxFileSize }));
  else shards = [analyseShard(selection.included, ctx).shard];
  const report = finish(options.cwd, selection.excluded, shards, selection.included);
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
  runShardWorker(workerData as ShardJob);
}
