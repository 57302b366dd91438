// The `brickguard` command line: `scan` for CI and terminals, `lsp` for editors.
import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { isSupportedPath } from '../engine/index';
import type { Severity } from '../engine/types';
import { startServer } from '../lsp/server';
import { SEVERITY_RANK, formatJson, formatText } from './output';
import { workspaceRootOf } from './files';
import { formatSarif } from './sarif';
import { ArgumentError, UsageError, displayPath, scanAndFix, type FixSummary, type ScanReport } from './scan';
import { scanInParallel } from './parallel';
import { tuneForScan } from './heap';
import { VERSION } from './version';
import type { WriteOutcome } from './write';
import { safeText } from './hygiene';

const USAGE = `Usage:
  brickguard scan [PATH...] [options]   analyse Bicep, ARM JSON and Terraform files (default path: .)
  brickguard lsp [--stdio]              run the language server (for any LSP editor)
  brickguard --help | --version

Scan options:
  --format text|json|sarif       output format (default text)
  --output FILE                  write the report to FILE instead of standard output
  --config FILE                  use this brickguard.json instead of the nearest one
  --min-severity info|warning|error
                                 lowest severity that makes the run fail (default warning)
  --fix                          apply the preferred fixes in place, then report what remains
  --root DIR                     module and parameters-file paths may not leave DIR
                                 (default: the working folder, or the given paths' common folder)
  --max-file-size BYTES          skip larger files with a note (default 5000000)
  --jobs N                       analyse on N worker threads, 0: in the main thread (default:
                                 from 200 files on and 4 cores, one per two cores, at most 4;
                                 --fix always runs in the main thread)
  --category ID                  SARIF automationDetails.id, the code-scanning category
                                 (default brickguard/<scanned paths>/)
  --base DIR                     folder SARIF URIs are relative to (default: the scanned root)

Exit codes: 0 no finding at or above --min-severity, 1 findings, 2 bad usage,
unreadable path or invalid configuration.
`;

type Format = 'text' | 'json' | 'sarif';

interface ScanArgs {
  paths: string[];
  format: Format;
  output?: string;
  config?: string;
  minSeverity: Severity;
  fix: boolean;
  root?: string;
  maxFileSize?: number;
  jobs?: number;
  category?: string;
  base?: string;
}

function parseScanArgs(args: string[]): ScanArgs | 'help' {
  const parsed: ScanArgs = { paths: [], format: 'text', minSeverity: 'warning', fix: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let name = arg;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      name = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    }
    const takeValue = (): string => {
      if (value !== undefined) return value;
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new ArgumentError(`option ${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--format':
      case '-f': {
        const v = takeValue();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new ArgumentError(`--format must be text, json or sarif, not '${v}'`);
        parsed.format = v;
        break;
      }
      case '--output':
      case '-o':
        parsed.output = takeValue();
        break;
      case '--config':
      case '-c':
        parsed.config = takeValue();
        break;
      case '--min-severity': {
        const v = takeValue();
        if (v === 'info' || v === 'information') parsed.minSeverity = 'information';
        else if (v === 'warning' || v === 'error') parsed.minSeverity = v;
        else throw new ArgumentError(`--min-severity must be info, warning or error, not '${v}'`);
        break;
      }
      case '--root':
        parsed.root = takeValue();
        break;
      case '--max-file-size': {
        const v = takeValue();
        if (!/^\d+$/.test(v)) throw new ArgumentError(`--max-file-size must be a number of bytes, not '${v}'`);
        parsed.maxFileSize = Number(v);
        break;
      }
      case '--jobs': {
        const v = takeValue();
        if (!/^\d{1,2}$/.test(v)) throw new ArgumentError(`--jobs must be a number from 0 to 99, not '${v}'`);
        parsed.jobs = Number(v);
        break;
      }
      case '--category': {
        const v = takeValue().trim();
        if (v === '' || v === '/') throw new ArgumentError('--category must not be empty');
        parsed.category = v;
        break;
      }
      case '--base':
        parsed.base = takeValue();
        break;
      case '--fix':
        if (value !== undefined) throw new ArgumentError('--fix takes no value');
        parsed.fix = true;
        break;
      case '--':
        parsed.paths.push(...args.slice(i + 1));
        i = args.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new ArgumentError(`unknown option '${arg}'`);
        parsed.paths.push(arg);
    }
  }
  return parsed;
}

function render(report: ScanReport, parsed: ScanArgs, fixed?: FixSummary[], written?: string[]): string {
  const format = parsed.format;
  if (format === 'json') return formatJson(report, fixed, written);
  if (format === 'sarif') {
    // URIs are relative to --base, else to the scanned root (the working folder when it holds the paths).
    const cwd = report.cwd;
    const paths = (parsed.paths.length > 0 ? parsed.paths : ['.']).map((p) => resolve(cwd, p));
    const base = parsed.base !== undefined ? resolve(cwd, parsed.base) : workspaceRootOf(paths, cwd, parsed.root);
    return formatSarif(report, { category: parsed.category, base, paths: parsed.paths });
  }
  return formatText(report, fixed, written);
}

/** Says on stderr when a file named on the command line was not analysed, so a typo is not a silent pass. */
function noteSkippedFiles(paths: string[], report: ScanReport, cwd: string): void {
  const scanned = new Set(report.files.map((f) => f.path));
  const excluded = new Set(report.excluded);
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let isFile = false;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      continue;
    }
    if (!isFile || scanned.has(abs)) continue;
    const why = excluded.has(abs)
      ? 'excluded by brickguard.json'
      : isSupportedPath(abs)
        ? 'not a deployment template'
        : 'not a Bicep, ARM JSON or Terraform file';
    process.stderr.write(`brickguard: skipped ${displayPath(abs, cwd)}: ${why}\n`);
  }
  // Files not read (not regular, too large, binary, unreadable, a link out of the scanned folder).
  for (const s of report.skipped) process.stderr.write(`brickguard: skipped ${safeText(displayPath(s.path, cwd))}: ${s.detail}\n`);
}

/** Whether the run met a file it could not read or write (exit code 2). */
function hadFileErrors(report: ScanReport, writeIssues: WriteOutcome[]): boolean {
  return report.skipped.some((s) => s.reason === 'unreadable') || writeIssues.some((w) => w.status === 'changed' || w.status === 'read-only' || w.status === 'failed');
}

/** Runs `brickguard scan`; resolves to the exit code. */
export async function runScan(args: string[], cwd = process.cwd()): Promise<number> {
  const parsed = parseScanArgs(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.base !== undefined) {
    let isDir = false;
    try {
      isDir = statSync(resolve(cwd, parsed.base)).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new ArgumentError(`--base must be a folder: '${parsed.base}'`);
  }
  let report: ScanReport;
  let fixed: FixSummary[] | undefined;
  let written: string[] | undefined;
  let writeIssues: WriteOutcome[] = [];
  const options = { paths: parsed.paths, configPath: parsed.config, cwd, root: parsed.root, maxFileSize: parsed.maxFileSize, jobs: parsed.jobs };
  if (parsed.fix) {
    const outcome = scanAndFix(options);
    report = outcome.report;
    writeIssues = outcome.writeIssues;
    // A file outside the given paths had its fixes refused, not applied: what was fixed through
    // another file (a parameters file given alone) still was.
    const notWritten = new Set(writeIssues.filter((w) => w.status !== 'outside').map((w) => w.path));
    fixed = outcome.fixed.filter((f) => !notWritten.has(f.path));
    written = outcome.written;
    for (const w of writeIssues) process.stderr.write(`brickguard: not written ${safeText(displayPath(w.path, cwd))}: ${w.message ?? w.status}\n`);
    if (parsed.format === 'sarif') {
      // SARIF has no place for it (text and json include it): say it on stderr.
      for (const f of fixed) process.stderr.write(`brickguard: fixed ${displayPath(f.path, cwd)}: ${f.ruleIds.join(', ')}\n`);
      if (written.length > 0) process.stderr.write(`brickguard: changed ${written.map((p) => displayPath(p, cwd)).join(', ')}\n`);
    }
  } else {
    report = await scanInParallel(options);
  }
  noteSkippedFiles(parsed.paths, report, cwd);
  const text = render(report, parsed, fixed, written);
  if (parsed.output) {
    try {
      writeFileSync(resolve(cwd, parsed.output), text, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot write '${parsed.output}': ${(e as Error).message}`);
    }
  } else {
    process.stdout.write(text);
  }
  if (hadFileErrors(report, writeIssues)) return 2;
  const threshold = SEVERITY_RANK[parsed.minSeverity];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** Entry point of dist/cli.js; resolves to the exit code, or undefined when the language server keeps running. */
export async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        process.stderr.write(USAGE);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case '-v':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case 'scan':
        // `brickguard scan | head` closes the pipe early: stop quietly, keeping the exit code.
        process.stdout.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
          throw e;
        });
        tuneForScan();
        return await runScan(rest);
      case 'lsp':
        startServer();
        return undefined;
      default:
        throw new ArgumentError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`brickguard: ${e.message}\n`);
      if (e instanceof ArgumentError) process.stderr.write("Run 'brickguard --help' for usage.\n");
      return 2;
    }
    process.stderr.write(`brickguard: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

// A worker thread loads this bundle to analyse a shard (./parallel), not to run a command.
if (require.main === module && isMainThread) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}
