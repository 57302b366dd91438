// `brickguard scan`: collects files, analyses each unit once, and applies preferred fixes with --fix.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  analyzePath,
  calledFiles,
  DeploymentIndex,
  discoverCalls,
  effectiveRules,
  callerJudgement,
  disagreementsOf,
  markJudgedIn,
  oneFindingPerPlace,
  movedFindings,
  placeDisagreements,
  findingIdentity,
  fixAllUnits,
  isExcluded,
  loadConfig,
  overlayHost,
} from '../engine/index';
import { configFindings, parseConfig } from '../config/config';
import type { AnalysisResult, ConfigError, Finding, LoadedConfig, SeveritySetting } from '../engine/types';
import type { CallerJudgement } from '../engine/deployments';
import type { FileHost } from '../frontends/types';
import type { Note, SourceFile, SyntaxError as SourceSyntaxError } from '../model/types';
import { LineIndex } from '../text';
import { resolvePath } from '../paths';
import { readRegularFile } from '../engine/read';
import { isArmParametersText, isArmTemplateText, templatesForParametersFile } from '../frontends/arm/lower';
import { insideBoundary } from '../frontends/boundary';
import type { SkippedFile } from '../engine/walk';
import { FileSession, workspaceRootOf, type Reader } from './files';
import { insideGiven, writePlanned, type WriteOps, type WriteOutcome } from './write';

/** A user error that ends the run with exit code 2 (bad usage, unreadable path, invalid config). */
export class UsageError extends Error {}

/** A mistake on the command line itself: the message is followed by a pointer to --help. */
export class ArgumentError extends UsageError {}

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
  /** Worker threads (0: the main thread analyses; default: see `jobsFor` in ./parallel). */
  jobs?: number;
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

/** Fails the run on configuration errors; prints warnings (unknown keys) once. Unknown rule ids are findings. */
function checkedConfig(config: LoadedConfig, cwd: string): LoadedConfig {
  const errors = config.errors.filter((e) => e.severity === 'error' && !e.ruleId);
  if (errors.length > 0) throw new UsageError(`invalid config:\n${formatConfigErrors(errors, cwd, config.path)}`);
  for (const w of config.errors) {
    if (w.ruleId) continue;
    const line = `${displayPath(w.file || config.path || '', cwd)}:${w.line}:${w.column}: warning: ${w.message}`;
    if (reportedConfigWarnings.has(line)) continue;
    reportedConfigWarnings.add(line);
    process.stderr.write(`brickguard: ${line}\n`);
  }
  return config;
}

export interface UnitRun {
  result: AnalysisResult;
  /** Scanned files this result reports on. */
  files: string[];
  /** Values files among them (a `.tfvars`, `.bicepparam` or ARM parameters file): the findings whose value they supply are theirs too. */
  values?: string[];
}

interface Pass {
  report: ScanReport;
  runs: UnitRun[];
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

/** Which of the walked files a pass analyses, with the rules each file's config turns on. */
export interface Selection {
  included: string[];
  excluded: string[];
  ruleSets: Map<string, Record<string, SeveritySetting>>;
  /** The brickguard.json files that apply to the walked files, by path. */
  configs: Map<string, LoadedConfig>;
  /** Included ARM parameters files: the templates they are analysed with (see `pairParameters`). */
  parameters: Map<string, ParametersPairing>;
}

/**
 * An ARM parameters file given to the scan: the templates that read it (`main.json` and
 * `main.jsonc` read `main.parameters.json`), or, when there is none to analyse, why.
 */
export interface ParametersPairing {
  templates: string[];
  note?: string;
}

/**
 * The templates beside an ARM parameters file that read it, within the workspace and not excluded
 * by `config`; undefined when the file is not a parameters file (no template and no such `$schema`).
 */
export function pairParameters(file: string, host: FileHost, config: LoadedConfig): ParametersPairing | undefined {
  const candidates = templatesForParametersFile(file);
  if (candidates.length === 0) return undefined;
  const templates: string[] = [];
  let note: string | undefined;
  for (const t of candidates) {
    const name = t.replace(/^.*[\\/]/, '');
    if (!insideBoundary(t, host.workspaceRoots, host)) {
      // Only a file that exists (a link out of the workspace) gets a note of its own.
      if (host.realPath?.(t) !== undefined) note ??= `its template ${name} is outside the workspace, not read: its values were not checked`;
      continue;
    }
    const text = host.readFile(t);
    if (text === undefined) {
      // Too large, binary, unreadable or not a regular file: not the same as no template.
      if (host.realPath?.(t) !== undefined) note ??= `its template ${name} could not be read: its values were not checked`;
      continue;
    }
    if (!isArmTemplateText(text)) continue;
    if (isExcluded(t, config)) {
      note ??= `its template ${name} is excluded by brickguard.json: its values were not checked`;
      continue;
    }
    templates.push(t);
  }
  if (templates.length > 0) return { templates };
  if (!note && !isArmParametersText(host.readFile(file) ?? '')) return undefined;
  const names = candidates.map((t) => t.replace(/^.*[\\/]/, ''));
  return { templates, note: note ?? `no ARM template found for this parameters file (${names.join(' or ')} beside it): its values were not checked` };
}

export function select(files: string[], host: FileHost, options: ScanOptions, explicit: LoadedConfig | undefined): Selection {
  const selection: Selection = { included: [], excluded: [], ruleSets: new Map(), configs: new Map(), parameters: new Map() };
  // Files of one folder share its configuration: looked up once per folder.
  const byFolder = new Map<string, LoadedConfig>();
  for (const file of files) {
    const folder = dirname(file);
    let config = explicit ?? byFolder.get(folder);
    if (!config) byFolder.set(folder, (config = checkedConfig(loadConfig(file, host), options.cwd)));
    if (config.path) selection.configs.set(resolvePath(config.path), config);
    if (isExcluded(file, config)) {
      selection.excluded.push(file);
      continue;
    }
    selection.included.push(file);
    selection.ruleSets.set(file, effectiveRules(options.rules ?? {}, config.rules));
    // Its templates sit in its folder: the same configuration applies to them.
    const pairing = pairParameters(file, host, config);
    if (pairing) selection.parameters.set(file, pairing);
  }
  return selection;
}

/**
 * Deployments as trees: a scanned file that another scanned template calls is judged inside each
 * caller's deployment (with its values), not also alone with its defaults.
 */
export function discover(included: string[], host: FileHost): DeploymentIndex {
  const deployments = new DeploymentIndex();
  for (const file of included) discoverCalls(deployments, file, host);
  return deployments;
}

/** What analysing some of a pass's files found, before findings of several deployments are merged. */
export interface ShardResult {
  files: ScannedFile[];
  notAnalysed: string[];
  /** Texts of the shard's scanned files the report needs. */
  texts: Map<string, string>;
  /** Texts of other files findings, fixes and notes refer to. */
  harvestedTexts: Map<string, string>;
  resourceNames: Map<string, string>;
  findings: Finding[];
  /** The file whose unit reported each finding (same order), to merge shards in the run's order. */
  findingUnits: string[];
  notes: Note[];
  /** Roots that call modules: what they say about them, their findings from `offset` (see `finish`). */
  callers: { offset: number; count: number; judgement: CallerJudgement }[];
}

/** What analysing a shard needs besides its files. */
export interface ShardContext {
  host: FileHost;
  deployments: DeploymentIndex;
  ruleSets: Map<string, Record<string, SeveritySetting>>;
  /** Every file the pass scans (not only the shard's). */
  scanned: Set<string>;
  cwd: string;
  /** Keep each unit's model and every text (--fix), or only what the report needs. */
  keepResults: boolean;
  /** ARM parameters files of the pass with the templates they are analysed with. */
  parameters?: Map<string, ParametersPairing>;
}

/** Analyses each unit of `files` once; the unit of a file serves every scanned file it owns. */
export function analyseShard(files: readonly string[], ctx: ShardContext): { shard: ShardResult; runs: UnitRun[] } {
  const { host, deployments, ruleSets, scanned, cwd, keepResults } = ctx;
  const shard: ShardResult = { files: [], notAnalysed: [], texts: new Map(), harvestedTexts: new Map(), resourceNames: new Map(), findings: [], findingUnits: [], notes: [], callers: [] };
  const runs: UnitRun[] = [];
  const harvested: Harvest = { texts: shard.harvestedTexts, needed: new Set(), resourceNames: shard.resourceNames, findings: shard.findings, notes: shard.notes };
  const covered = new Map<string, UnitRun>();
  for (const file of files) {
    let run = covered.get(file);
    const pairing = run ? undefined : ctx.parameters?.get(file);
    if (pairing) {
      analyseWithTemplates(file, pairing, ctx, shard, harvested, runs);
      continue;
    }
    if (!run) {
      let result: AnalysisResult | undefined;
      const called = deployments.isCalled(file);
      try {
        // A called file's findings come from its callers: its own unit is loaded, not judged.
        // Without --fix, a called file's model is not needed either: its report is its syntax errors and notes.
        result = analyzePath(file, host, { rules: ruleSets.get(file), reportCalled: !called, runRules: !called, lower: keepResults || !called });
      } catch (e) {
        process.stderr.write(`brickguard: internal error while analysing ${displayPath(file, cwd)}: ${(e as Error).stack ?? e}\n`);
        continue;
      }
      if (!result) {
        shard.notAnalysed.push(file);
        continue;
      }
      // Its findings come from the roots that call it (and its fixes edit it with their values).
      if (called) result = { ...result, findings: [] };
      else markJudgedIn(result);
      // Callers of one module may disagree: `finish` places those findings once every root is judged.
      const offset = shard.findings.length;
      harvest(result, harvested, keepResults);
      if (!called && calledFiles(result.unit).length > 0) shard.callers.push({ offset, count: shard.findings.length - offset, judgement: callerJudgement(result) });
      while (shard.findingUnits.length < shard.findings.length) shard.findingUnits.push(file);
      // Streaming: without --fix only what the report needs is kept, so each unit's trees and model can go.
      run = { result: keepResults ? result : lightResult(result), files: [] };
      if (!called) run.files.push(...calledFiles(result.unit).filter((c) => scanned.has(c)));
      runs.push(run);
      const rulesKey = JSON.stringify(ruleSets.get(file));
      // An ARM template's unit serves its parameters file too.
      const parameters = result.files.filter((f) => f.dialect === 'arm-parameters').map((f) => f.path);
      for (const own of [...result.unit.ownFiles, ...parameters].map((p) => resolvePath(p))) {
        if (scanned.has(own) && !covered.has(own) && JSON.stringify(ruleSets.get(own)) === rulesKey) covered.set(own, run);
      }
      covered.set(file, run);
    }
    if (!run.files.includes(file)) run.files.push(file);
    const source = run.result.files.find((f) => resolvePath(f.path) === file);
    if (source && (keepResults || harvested.needed.has(file))) shard.texts.set(file, source.text);
    shard.files.push({
      path: file,
      family: familyOf(source?.dialect ?? run.result.unit.dialect),
      syntaxErrors: source?.syntaxErrors ?? [],
    });
  }
  for (const run of runs) {
    const values = run.files.filter(isValuesFile);
    if (values.length > 0) run.values = values;
  }
  return { shard, runs };
}

/**
 * An ARM parameters file whose template is not scanned: each template that reads it is analysed
 * for context, not listed; the findings whose value the file supplies are kept (they stand in the
 * template, with a related place in the file). Without a template, the pairing's note says why.
 */
function analyseWithTemplates(file: string, pairing: ParametersPairing, ctx: ShardContext, shard: ShardResult, harvested: Harvest, runs: UnitRun[]): void {
  let source: SourceFile | undefined;
  for (const template of pairing.templates) {
    let result: AnalysisResult | undefined;
    try {
      result = analyzePath(template, ctx.host, { rules: ctx.ruleSets.get(file), reportCalled: true });
    } catch (e) {
      process.stderr.write(`brickguard: internal error while analysing ${displayPath(template, ctx.cwd)}: ${(e as Error).stack ?? e}\n`);
      continue;
    }
    const own = result?.files.find((f) => resolvePath(f.path) === file);
    if (!result || !own) continue;
    source ??= own;
    markJudgedIn(result);
    result = { ...result, findings: result.findings.filter((f) => suppliedBy(f, new Set([file]))) };
    harvest(result, harvested, ctx.keepResults);
    while (shard.findingUnits.length < shard.findings.length) shard.findingUnits.push(file);
    runs.push({ result: ctx.keepResults ? result : lightResult(result), files: [file] });
  }
  if (!source && !pairing.note) {
    shard.notAnalysed.push(file);
    return;
  }
  if (pairing.note) shard.notes.push({ file, span: { start: 0, end: 0 }, message: pairing.note });
  if (source && (ctx.keepResults || harvested.needed.has(file))) shard.texts.set(file, source.text);
  shard.files.push({ path: file, family: 'arm', syntaxErrors: source?.syntaxErrors ?? [] });
}

/** Files that only supply values to a template and are analysed with it: `.tfvars`, `.bicepparam`, ARM `*.parameters.json`. */
function isValuesFile(path: string): boolean {
  return /(\.tfvars|\.bicepparam|\.parameters\.json)$/i.test(path);
}

/** Whether a finding stands in one of `values` or its value comes from one (a related place there). */
function suppliedBy(f: Finding, values: ReadonlySet<string>): boolean {
  return values.has(resolvePath(f.file)) || f.related.some((r) => values.has(resolvePath(r.loc.file)));
}

/**
 * The report of a pass from its shards: one finding per place, rule and message, sorted. Findings
 * are merged in the order of the files whose units reported them (`order`), as one pass would.
 */
export function finish(cwd: string, excluded: string[], shards: ShardResult[], order: readonly string[]): ScanReport {
  const report: ScanReport = { cwd, files: [], findings: [], texts: new Map(), excluded, notAnalysed: [], resourceNames: new Map(), skipped: [], notes: [] };
  const listed = new Set<string>();
  const notAnalysed = new Set<string>();
  for (const shard of shards) {
    // A unit that two shards both reach (a parameters file beside its template) lists its file once.
    for (const f of shard.files) {
      if (listed.has(f.path)) continue;
      listed.add(f.path);
      report.files.push(f);
    }
    for (const p of shard.notAnalysed) notAnalysed.add(p);
    for (const [path, text] of shard.texts) report.texts.set(path, text);
  }
  report.notAnalysed.push(...notAnalysed);
  for (const shard of shards) for (const [path, text] of shard.harvestedTexts) if (!report.texts.has(path)) report.texts.set(path, text);
  for (const shard of shards) for (const [id, name] of shard.resourceNames) report.resourceNames.set(id, name);
  const rank = new Map(order.map((f, i) => [f, i]));
  const placed = placedFindings(shards);
  const reported = shards.flatMap((shard, s) => placed[s].map(({ finding, i }) => ({ finding, unit: rank.get(shard.findingUnits[i]) ?? -1 })));
  // Stable: a unit's findings keep their order.
  reported.sort((a, b) => a.unit - b.unit);
  // A values file given alone (a pre-commit hook passes the staged files) reports the findings
  // whose value it supplies, though they stand in the template that uses it.
  const values = new Set([...listed].filter(isValuesFile));
  const shown = (f: Finding) => listed.has(resolvePath(f.file)) || (values.size > 0 && suppliedBy(f, values));
  // The same finding from another deployment: one finding, judged in both.
  report.findings = oneFindingPerPlace(reported.map((r) => r.finding).filter(shown));
  const noteKeys = new Set<string>();
  for (const shard of shards) {
    for (const n of shard.notes) {
      const key = `${resolvePath(n.file)}\0${n.span.start}\0${n.message}`;
      if (noteKeys.has(key)) continue;
      noteKeys.add(key);
      report.notes.push(n);
    }
  }
  report.notes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.span.start - b.span.start || compare(a.message, b.message));
  sortFindings(report.findings);
  report.files.sort((a, b) => compare(a.path, b.path));
  return report;
}

/** Keys of the module resources and rules on which the roots of the shards disagree. */
function shardDisagreements(shards: readonly ShardResult[]): Set<string> {
  return disagreementsOf(shards.flatMap((shard) => shard.callers.map((c) => c.judgement.verdicts)));
}

/**
 * Each shard's findings (with their index) after the findings in modules on which the callers
 * disagree moved to each failing caller's module declaration.
 */
function placedFindings(shards: readonly ShardResult[]): { finding: Finding; i: number }[][] {
  const keys = shardDisagreements(shards);
  return shards.map((shard) => {
    const replace = new Map<number, Finding>();
    const drop = new Set<number>();
    for (const c of shard.callers) {
      const moved = movedFindings(shard.findings.slice(c.offset, c.offset + c.count), c.judgement.moves, keys);
      for (const [i, f] of moved.replace) replace.set(c.offset + i, f);
      for (const i of moved.drop) drop.add(c.offset + i);
    }
    return shard.findings.flatMap((finding, i) => (drop.has(i) ? [] : [{ finding: replace.get(i) ?? finding, i }]));
  });
}

/** The report's order: by file, position, rule, end and message. */
function sortFindings(findings: Finding[]): void {
  findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.span.end - b.span.end ||
      compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One analysis pass over the given files with the given host. */
function analyse(files: string[], host: FileHost, options: ScanOptions, explicit: LoadedConfig | undefined, keepResults = true): Pass {
  const selection = select(files, host, options, explicit);
  const deployments = discover(selection.included, host);
  const ctx: ShardContext = { host, deployments, ruleSets: selection.ruleSets, scanned: new Set(selection.included), cwd: options.cwd, keepResults, parameters: selection.parameters };
  const { shard, runs } = analyseShard(selection.included, ctx);
  const report = finish(options.cwd, selection.excluded, [shard], selection.included);
  attachConfigFindings(report, selection, options, host);
  // Fix-all works on each root's result: with its findings placed as the report has them.
  const keys = shardDisagreements([shard]);
  if (keys.size > 0) for (const run of runs) if (run.result.context.options.reportCalled) run.result = placeDisagreements(run.result, keys);
  return { report, runs };
}

export interface Prepared {
  paths: string[];
  files: string[];
  base: FileHost;
  session: FileSession;
  skipped: SkippedFile[];
  explicit?: LoadedConfig;
}

export function prepare(options: ScanOptions, fix: boolean): Prepared {
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

/** Adds the findings of the configuration files in force (unknown rule ids), in the report's order. */
export function attachConfigFindings(report: ScanReport, selection: Selection, options: ScanOptions, host: FileHost): void {
  const added: Finding[] = [];
  for (const [path, config] of [...selection.configs].sort(([a], [b]) => compare(a, b))) {
    const findings = configFindings(config, options.rules);
    if (findings.length === 0) continue;
    added.push(...findings);
    const text = host.readFile(path) ?? readRegularFileText(path);
    if (text !== undefined) report.texts.set(path, text);
  }
  if (added.length === 0) return;
  report.findings.push(...added);
  sortFindings(report.findings);
}

function readRegularFileText(path: string): string | undefined {
  const read = readRegularFile(path);
  return read.ok ? read.text : undefined;
}

/** Notes on the files of the run that were not read (found while walking, or when the analysis read them). */
export function attachSkipped(report: ScanReport, prepared: Prepared, more: SkippedFile[] = []): void {
  const seen = new Set<string>();
  for (const s of [...prepared.skipped, ...prepared.session.skippedAmong(prepared.files), ...more]) {
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
