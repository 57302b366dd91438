// `brickguard scan`: collects files, analyses each unit once, and applies preferred fixes with --fix.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  analyzePath,
  calledFiles,
  DeploymentIndex,
  discoverCalls,
  effectiveRules,
  markJudgedIn,
  mergeRelated,
  findingIdentity,
  fixAllUnits,
  isExcluded,
  loadConfig,
  overlayHost,
} from '../engine/index';
import { parseConfig } from '../config/config';
import type { AnalysisResult, ConfigError, Finding, LoadedConfig, SeveritySetting } from '../engine/types';
import type { FileHost } from '../frontends/types';
import type { Note, SyntaxError as SourceSyntaxError } from '../model/types';
import { LineIndex } from '../text';
import { resolvePath } from '../paths';
import { readRegularFile } from '../engine/read';
import type { SkippedFile } from '../engine/walk';
import { FileSession, workspaceRootOf, type Reader } from './files';
import { insideGiven, writePlanned, type WriteOps, type WriteOutcome } from './write';

/** A user error that ends the run with exit code 2 (bad usage, unreadable path, invalid config). */
export class UsageError extends Error {}

export type Family = 'arm' | 'bicep' | 'terraform';

export interface ScannedFile {
  path: string;
  family: Family;
  syntaxErrors: SourceSyntaxError[];
}

export interface ScanReport {
  cwd: string;
  files: ScannedFile[];
  /** De-duplicated findings located in scanned files, sorted by file and position. */
  findings: Finding[];
  /** Text of every file a finding, fix or syntax error refers to (as analysed). */
  texts: Map<string, string>;
  /** Files skipped because a brickguard.json excludes them. */
  excluded: string[];
  /** Supported-looking files no front end accepted (e.g. a .json that is not a deployment template). */
  notAnalysed: string[];
  /** Resource id → a name that does not depend on offsets (kind and symbolic name), for fingerprints. */
  resourceNames: Map<string, string>;
  /** Files not read, with why (not a regular file, too large, binary, unreadable, a link out of the roots). */
  skipped: SkippedFile[];
  /** References the analysis did not follow (a module outside the workspace), sorted by file and position. */
  notes: Note[];
}

export interface FixSummary {
  path: string;
  ruleIds: string[];
}

export interface ScanOptions {
  paths: string[];
  configPath?: string;
  cwd: string;
  /** Settings-level rule overrides (none on the command line today). */
  rules?: Record<string, SeveritySetting>;
  /** The workspace root that module and parameters-file paths may not leave (default: see workspaceRootOf). */
  root?: string;
  /** Files larger than this many bytes are skipped with a note (default 5 MB). */
  maxFileSize?: number;
  /** File-system access (tests inject failures). */
  io?: { read?: Reader; write?: WriteOps };
}

export function familyOf(dialect: string): Family {
  if (dialect === 'bicep' || dialect === 'bicepparam') return 'bicep';
  if (dialect === 'terraform' || dialect === 'tfvars') return 'terraform';
  return 'arm';
}

/** A path as shown to the user: relative to the working folder when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Checks that every path exists; throws UsageError otherwise (an unreadable file is a note, not the end of the run). */
export function checkPaths(paths: string[], cwd: string): string[] {
  return paths.map((p) => {
    const abs = resolve(cwd, p);
    try {
      statSync(abs);
      return abs;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
      throw new UsageError(`cannot read '${p}': ${why}`);
    }
  });
}

function formatConfigErrors(errors: ConfigError[], cwd: string, fallbackFile?: string): string {
  return errors.map((e) => `${displayPath(e.file || fallbackFile || '', cwd)}:${e.line}:${e.column}: ${e.message}`).join('\n');
}

/** Loads a config file named on the command line, whatever its name. */
function loadExplicitConfig(configPath: string, cwd: string): LoadedConfig {
  const real = resolve(cwd, configPath);
  const read = readRegularFile(real);
  if (!read.ok) throw new UsageError(`cannot read config '${configPath}': ${read.detail}`);
  return checkedConfig(parseConfig(real, read.text), cwd);
}

const reportedConfigWarnings = new Set<string>();

/** Fails the run on configuration errors; prints warnings (unknown rule ids, unknown keys) once. */
function checkedConfig(config: LoadedConfig, cwd: string): LoadedConfig {
  const errors = config.errors.filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new UsageError(`invalid config:\n${formatConfigErrors(errors, cwd, config.path)}`);
  for (const w of config.errors) {
    const line = `${displayPath(w.file || config.path || '', cwd)}:${w.line}:${w.column}: warning: ${w.message}`;
    if (reportedConfigWarnings.has(line)) continue;
    reportedConfigWarnings.add(line);
    process.stderr.write(`brickguard: ${line}\n`);
  }
  return config;
}

interface UnitRun {
  result: AnalysisResult;
  /** Scanned files this result reports on. */
  files: string[];
}

interface Pass {
  report: ScanReport;
  runs: UnitRun[];
}

function findingKey(f: Finding): string {
  return `${resolvePath(f.file)}\0${f.span.start}\0${f.span.end}\0${f.ruleId}\0${f.message}`;
}

interface Harvest {
  texts: Map<string, string>;
  /** Files whose text the output needs (when not all texts are kept). */
  needed: Set<string>;
  resourceNames: Map<string, string>;
  findings: Finding[];
  notes: Note[];
}

/** What the report takes from a unit's result: texts, resource names, findings. */
function harvest(result: AnalysisResult, into: Harvest, allTexts: boolean): void {
  // Without --fix, only the texts the output needs: files with findings, related places, fix edits, syntax errors.
  const needed = new Set<string>();
  if (!allTexts) {
    for (const f of result.findings) {
      needed.add(resolvePath(f.file));
      for (const r of f.related) needed.add(resolvePath(r.loc.file));
      for (const fix of f.fixes) for (const e of fix.edits) needed.add(resolvePath(e.file));
    }
    for (const f of result.files) if (f.syntaxErrors.length > 0) needed.add(resolvePath(f.path));
    for (const n of result.unit.notes ?? []) needed.add(resolvePath(n.file));
    for (const p of needed) into.needed.add(p);
  }
  for (const f of result.files) {
    const path = resolvePath(f.path);
    if ((allTexts || needed.has(path)) && !into.texts.has(path)) into.texts.set(path, f.text);
  }
  for (const r of result.unit.resources) into.resourceNames.set(r.id, `${r.kind} ${r.symbolicName}`);
  into.findings.push(...result.findings);
  into.notes.push(...(result.unit.notes ?? []));
}

/** A result without its model (resources, posture), for a scan that will not fix. */
function lightResult(result: AnalysisResult): AnalysisResult {
  return { ...result, unit: { ...result.unit, resources: [] }, findings: [], posture: [] };
}

/** One analysis pass over the given files with the given host. */
function analyse(files: string[], host: FileHost, options: ScanOptions, explicit: LoadedConfig | undefined, keepResults = true): Pass {
  const cwd = options.cwd;
  const report: ScanReport = { cwd, files: [], findings: [], texts: new Map(), excluded: [], notAnalysed: [], resourceNames: new Map(), skipped: [], notes: [] };
  const runs: UnitRun[] = [];
  const configs = new Map<string, LoadedConfig>();
  const configFor = (file: string): LoadedConfig => {
    if (explicit) return explicit;
    const config = checkedConfig(loadConfig(file, host), cwd);
    if (config.path) configs.set(resolvePath(config.path), config);
    return config;
  };

  const included: string[] = [];
  const ruleSets = new Map<string, Record<string, SeveritySetting>>();
  for (const file of files) {
    const config = configFor(file);
    if (isExcluded(file, config)) {
      report.excluded.push(file);
      continue;
    }
    included.push(file);
    ruleSets.set(file, effectiveRules(options.rules ?? {}, config.rules));
  }
  const scannedSet = new Set(included);
  // Deployments as trees: a scanned file that another scanned template calls is judged inside
  // each caller's deployment (with its values), not also alone with its defaults.
  const deployments = new DeploymentIndex();
  for (const file of included) discoverCalls(deployments, file, host);
  const harvested: Harvest = { texts: new Map(), needed: new Set(), resourceNames: new Map(), findings: [], notes: [] };
  // A unit (Terraform folder, template with its parameters) is analysed once and serves every scanned file it owns.
  const covered = new Map<string, UnitRun>();
  for (const file of included) {
    let run = covered.get(file);
    if (!run) {
      let result: AnalysisResult | undefined;
      const called = deployments.isCalled(file);
      try {
        // A called file's findings come from its callers: its own unit is loaded, not judged.
        result = analyzePath(file, host, { rules: ruleSets.get(file), reportCalled: !called, runRules: !called });
      } catch (e) {
        process.stderr.write(`brickguard: internal error while analysing ${displayPath(file, cwd)}: ${(e as Error).stack ?? e}\n`);
        continue;
      }
      if (!result) {
        report.notAnalysed.push(file);
        continue;
      }
      // Its findings come from the roots that call it (and its fixes edit it with their values).
      if (called) result = { ...result, findings: [] };
      else markJudgedIn(result);
      harvest(result, harvested, keepResults);
      // Streaming: without --fix only what the report needs is kept, so each unit's trees and model can go.
      run = { result: keepResults ? result : lightResult(result), files: [] };
      if (!called) run.files.push(...calledFiles(result.unit).filter((c) => scannedSet.has(c)));
      runs.push(run);
      const rulesKey = JSON.stringify(ruleSets.get(file));
      for (const own of result.unit.ownFiles.map((p) => resolvePath(p))) {
        if (scannedSet.has(own) && !covered.has(own) && JSON.stringify(ruleSets.get(own)) === rulesKey) covered.set(own, run);
      }
      covered.set(file, run);
    }
    if (!run.files.includes(file)) run.files.push(file);
    const source = run.result.files.find((f) => resolvePath(f.path) === file);
    if (source && (keepResults || harvested.needed.has(file))) report.texts.set(file, source.text);
    report.files.push({
      path: file,
      family: familyOf(source?.dialect ?? run.result.unit.dialect),
      syntaxErrors: source?.syntaxErrors ?? [],
    });
  }

  const seen = new Map<string, Finding>();
  const reportedFiles = new Set(report.files.map((f) => f.path));
  for (const [path, text] of harvested.texts) if (!report.texts.has(path)) report.texts.set(path, text);
  for (const [id, name] of harvested.resourceNames) report.resourceNames.set(id, name);
  {
    for (const finding of harvested.findings) {
      if (!reportedFiles.has(resolvePath(finding.file))) continue;
      const key = findingKey(finding);
      // The same finding from another deployment: one finding, judged in both.
      const same = seen.get(key);
      if (same) {
        mergeRelated(same, finding);
        continue;
      }
      seen.set(key, finding);
      report.findings.push(finding);
    }
  }
  const noteKeys = new Set<string>();
  for (const n of harvested.notes) {
    const key = `${resolvePath(n.file)}\0${n.span.start}\0${n.message}`;
    if (noteKeys.has(key)) continue;
    noteKeys.add(key);
    report.notes.push(n);
  }
  report.notes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.span.start - b.span.start);
  report.findings.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId),
  );
  report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { report, runs };
}

interface Prepared {
  paths: string[];
  files: string[];
  base: FileHost;
  session: FileSession;
  skipped: SkippedFile[];
  explicit?: LoadedConfig;
}

function prepare(options: ScanOptions, fix: boolean): Prepared {
  const paths = checkPaths(options.paths.length > 0 ? options.paths : ['.'], options.cwd);
  const session = new FileSession(workspaceRootOf(paths, options.cwd, options.root), {
    maxSize: options.maxFileSize,
    read: options.io?.read,
    keepTexts: fix,
  });
  const explicit = options.configPath ? loadExplicitConfig(options.configPath, options.cwd) : undefined;
  const walked = session.collect(paths);
  const files = [...new Set(walked.files.map((p) => resolvePath(p)))].sort();
  return { paths, files, base: session.host, session, skipped: walked.skipped, explicit };
}

/** Notes on the files of the run that were not read (found while walking, or when the analysis read them). */
function attachSkipped(report: ScanReport, prepared: Prepared): void {
  const seen = new Set<string>();
  for (const s of [...prepared.skipped, ...prepared.session.skippedAmong(prepared.files)]) {
    if (seen.has(s.path)) continue;
    seen.add(s.path);
    report.skipped.push(s);
  }
  const skippedSet = new Set(report.skipped.map((s) => s.path));
  report.notAnalysed = report.notAnalysed.filter((p) => !skippedSet.has(p));
}

/** Scans the given paths once. Throws UsageError for missing paths and invalid configuration. */
export function scan(options: ScanOptions): ScanReport {
  const prepared = prepare(options, false);
  const report = analyse(prepared.files, prepared.base, options, prepared.explicit, false).report;
  attachSkipped(report, prepared);
  return report;
}

const MAX_FIX_ROUNDS = 5;

/**
 * Applies every preferred fix in place, re-analysing until nothing changes (at most a few rounds),
 * writes the changed files and returns the final report plus what was fixed.
 */
export function scanAndFix(options: ScanOptions): { report: ScanReport; fixed: FixSummary[]; written: string[]; writeIssues: WriteOutcome[] } {
  const prepared = prepare(options, true);
  const { files, base, explicit } = prepared;
  const modified = new Map<string, string>();
  const first = analyse(files, base, options, explicit);
  let pass = first;
  // A fix that would edit a file outside the given paths (a module output, a linked folder) is not applied.
  const inside = new Map<string, boolean>();
  const editable = (file: string) => {
    let ok = inside.get(file);
    if (ok === undefined) inside.set(file, (ok = insideGiven(file, prepared.paths)));
    return ok;
  };
  const refused = new Set<string>();
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const texts = fixAllUnits(pass.runs, {
      editable,
      refused,
      onError: (file, e) => {
        process.stderr.write(`brickguard: internal error while fixing ${displayPath(file, options.cwd)}: ${(e as Error).message}\n`);
      },
    });
    let changed = false;
    for (const [file, after] of texts) {
      const path = resolvePath(file);
      if ((modified.get(path) ?? pass.report.texts.get(path) ?? base.readFile(path)) === after) continue;
      modified.set(path, after);
      changed = true;
    }
    if (!changed) break;
    pass = analyse(files, overlayHost(base, modified), options, explicit);
  }

  const { written, writeIssues } = writeModified(modified, prepared, options);
  for (const path of [...refused].map((p) => resolvePath(p)).sort()) {
    if (!writeIssues.some((w) => w.path === path)) writeIssues.push({ path, status: 'outside', message: 'outside the paths given: its fixes were not applied' });
  }
  attachSkipped(pass.report, prepared);

  // What was fixed: findings of the first pass that the final analysis no longer has (by rule,
  // resource and property path, not by offset).
  const identity = (f: Finding) => `${resolvePath(f.file)}\0${findingIdentity(f)}`;
  const remaining = new Set(pass.report.findings.map(identity));
  const fixedByFile = new Map<string, Set<string>>();
  for (const f of first.report.findings) {
    if (remaining.has(identity(f))) continue;
    const set = fixedByFile.get(resolvePath(f.file)) ?? new Set<string>();
    set.add(f.ruleId);
    fixedByFile.set(resolvePath(f.file), set);
  }
  const fixed = [...fixedByFile].map(([path, ids]) => ({ path, ruleIds: [...ids].sort() })).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { report: pass.report, fixed, written, writeIssues };
}

/** Writes the fixed texts (all computed before the first write), each atomically and only when unchanged on disk. */
function writeModified(modified: Map<string, string>, prepared: Prepared, options: ScanOptions): { written: string[]; writeIssues: WriteOutcome[] } {
  const plans = [];
  for (const [path, text] of modified) {
    const record = prepared.session.records.get(path);
    if (record?.text === text) continue;
    plans.push({ path, text, digest: record?.digest, utf8: record?.utf8 });
  }
  plans.sort((a, b) => (a.path < b.path ? -1 : 1));
  const outcomes = writePlanned(plans, prepared.paths, options.io?.write);
  return {
    written: outcomes.filter((o) => o.status === 'written').map((o) => o.path),
    writeIssues: outcomes.filter((o) => o.status !== 'written'),
  };
}

/** 1-based line and column (UTF-16 code units) of an offset. */
export function lineColumn(index: LineIndex, offset: number): { line: number; column: number } {
  const p = index.positionAt(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

/** Line indexes over the report's texts, falling back to disk. */
export function indexer(report: ScanReport): (file: string) => LineIndex {
  const cache = new Map<string, LineIndex>();
  return (file: string) => {
    const path = resolvePath(file);
    let index = cache.get(path);
    if (!index) {
      let text = report.texts.get(path);
      if (text === undefined) {
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          text = '';
        }
      }
      index = new LineIndex(text);
      cache.set(path, index);
    }
    return index;
  };
}
