// The Brickguard language server: a thin adapter that translates LSP requests into calls of the
// analysis core and its results into diagnostics, code actions and hovers.
import { basename, dirname, join, resolve } from 'node:path';
import { isWithin } from '../paths';
import { existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FramingGuard } from './framing';
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CancellationToken,
  type CodeActionParams,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzePath,
  collectFiles,
  DeploymentIndex,
  discoverCalls,
  diskHost,
  effectiveRules,
  hoverMarkdown,
  isExcluded,
  isSupportedPath,
  calledFiles,
  disagreements,
  judgedByRoots,
  placeDisagreements,
  loadConfig,
  configFindings,
  markJudgedIn,
  mayCallModules,
  overlayHost,
  ruleCatalogue,
} from '../engine/index';
import { posturesOf, postureSummary } from '../engine/hover';
import { KIND } from '../model/types';
import type { AnalysisResult, Finding, LoadedConfig, SeveritySetting } from '../engine/types';
import type { FileHost } from '../frontends/types';
import { LineIndex, type Span, type TextEdit } from '../text';
import {
  SOURCE,
  UriMap,
  findingToDiagnostic,
  toLspSeverity,
  toRange,
  toWorkspaceEdit,
  uriToPath,
} from './convert';
import { FIX_ALL_IN_FILE_KIND, FIX_ALL_KIND, OPEN_GUIDANCE_COMMAND, buildCodeActions, fixAllEdit, isFixAllData } from './codeActions';
import { normalizeSettings, defaultSettings, type Settings } from './settings';
import { VERSION } from '../cli/version';

export const CONFIG_FILE = 'brickguard.json';
/** Client command a posture code lens runs: shows the posture hover at a position of a document. */
export const SHOW_POSTURE_COMMAND = 'brickguard.showPosture';
const DEBOUNCE_MS = 200;
/** Event-loop turns to wait after an analysis for queued edits to arrive before publishing. */
const SETTLE_TURNS = 8;

/** Parameters and result of `brickguard/scanFiles`. */
export interface ScanFilesParams {
  uris: string[];
}
/** Counts, as the client's progress notification shows them; the diagnostics themselves are published. */
export interface ScanFilesResult {
  files: number;
  findings: number;
  /** Scanned files that did not parse cleanly. */
  filesWithSyntaxErrors: number;
}
export interface RulesResult {
  rules: {
    id: string;
    title: string;
    severity: 'error' | 'warning' | 'information' | 'off';
    defaultSeverity: string;
    dialects: string[];
    fixable: boolean;
    helpUri: string;
  }[];
}

/** Full analyses (model, posture) kept for hovers and fix-all: the most recently used documents only. */
export const MODEL_CACHE_SIZE = 4;

/** A posture code lens, computed with the analysis so that lenses never need the model. */
interface Lens {
  line: number;
  at: { line: number; character: number };
  title: string;
}

/**
 * The last analysis of a file, kept for diagnostics, code actions, lenses and dependency tracking.
 * It holds what those need (the file's findings with their fixes), not the analysed model.
 */
interface Analysis {
  path: string;
  /** Document version analysed (null: the file's text on disk, for scanned files that are not open). */
  version: number | null;
  text: string;
  /** Whether the analysis produced a result (not excluded, not too large, no crash). */
  analysed: boolean;
  /** Findings located in this file, with their fixes. */
  findings: Finding[];
  /** Syntax errors in this file. */
  syntaxErrors: number;
  lenses: Lens[];
  diagnostics: Diagnostic[];
  /** Files this analysis read; a change to one of them makes it stale. */
  deps: Set<string>;
  /** Set when something it depends on changed (settings, a parameters file) and a re-analysis is pending. */
  stale?: boolean;
}

/**
 * Unit results by file within one batch of analyses (a unit's files and the deployments that judge
 * a module are analysed once), holding at most `capacity` results: the least recently used go.
 */
export class UnitResults {
  private readonly byFile = new Map<string, AnalysisResult>();
  /** Each result's files, least recently used first. */
  private readonly order = new Map<AnalysisResult, string[]>();

  constructor(private readonly capacity = Infinity) {}

  get(path: string): AnalysisResult | undefined {
    const result = this.byFile.get(path);
    if (result) this.touch(result);
    return result;
  }

  has(path: string): boolean {
    return this.byFile.has(path);
  }

  set(path: string, result: AnalysisResult): void {
    this.byFile.set(path, result);
    this.touch(result).push(path);
    for (const [old, files] of this.order) {
      if (this.order.size <= this.capacity) break;
      this.order.delete(old);
      for (const f of files) if (this.byFile.get(f) === old) this.byFile.delete(f);
    }
  }

  /** Number of results held. */
  get size(): number {
    return this.order.size;
  }

  private touch(result: AnalysisResult): string[] {
    const files = this.order.get(result) ?? [];
    this.order.delete(result);
    this.order.set(result, files);
    return files;
  }
}

/** Unit results a workspace scan keeps for files and deployments still to come. */
export const SCAN_UNIT_RESULTS = 16;

/** An analysis with the full result it came from (none when the file was not analysed). */
interface Analysed {
  analysis: Analysis;
  result?: AnalysisResult;
}

function isConfigFile(path: string): boolean {
  return basename(path).toLowerCase() === CONFIG_FILE;
}

function isTerraformPath(path: string): boolean {
  return /\.(tf|tfvars)$/i.test(path);
}

/** Files that supply values to templates in their folder (parameters files, variable files). */
function isValueFile(path: string): boolean {
  return /(\.parameters\.jsonc?|\.bicepparam|\.tfvars)$/i.test(path);
}

function isRelevantWatchedFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    name === CONFIG_FILE ||
    name.endsWith('.tfvars') ||
    name.endsWith('.parameters.json') ||
    name.endsWith('.bicepparam') ||
    isSupportedPath(path)
  );
}

function normalizeSeverity(s: SeveritySetting | string | undefined): 'error' | 'warning' | 'information' | 'off' | undefined {
  if (s === 'info' || s === 'information') return 'information';
  if (s === 'error' || s === 'warning' || s === 'off') return s;
  return undefined;
}

const tick = () => new Promise<void>((done) => setImmediate(done));

export class BrickguardServer {
  readonly documents = new TextDocuments(TextDocument);
  private readonly uris = new UriMap();
  /** The settings without a scope (the workspace's, or what an editor pushed). */
  private settings: Settings = { ...defaultSettings, rules: {} };
  /** Settings read for each workspace folder (`scope: resource`: a folder may override the workspace). */
  private readonly folderSettings = new Map<string, Settings>();
  private roots: string[] = [];
  private hasConfigurationCapability = false;
  private hasDynamicConfiguration = false;
  private hasDynamicWatchers = false;
  private useDocumentChanges = false;
  /** The client resolves code actions' edits (codeAction/resolve): fix-all is computed only then. */
  private resolveEdits = false;
  private hasWorkspaceFolders = false;
  private useOwnOpenCommand = false;
  /** Diagnostics wait for the first settings, so a file is not published with defaults and then again. */
  private settingsLoaded = false;
  /** The settings arrived and the deployment index is being built: diagnostics follow when it is done. */
  private discoveringAtStart = false;
  /** Latest analysis per open document URI. */
  private readonly open = new Map<string, Analysis>();
  /** Analyses of files that are not open, published by a workspace scan. */
  private readonly scanned = new Map<string, Analysis>();
  /** The full result behind an analysis, for the most recently used documents (least recent first). */
  private readonly models = new Map<string, { analysis: Analysis; result: AnalysisResult }>();
  private readonly generations = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs (→ paths) reported by a workspace scan, so closing them keeps their problems visible. */
  private readonly wasScanned = new Map<string, string>();
  /** Scanned files waiting to be re-analysed from disk, drained a file per event-loop turn. */
  private readonly refreshQueue = new Map<string, string>();
  private draining = false;
  private configTimer: NodeJS.Timeout | undefined;
  /** Last diagnostics published per brickguard.json path (serialised), to avoid republishing. */
  private readonly configDiagnostics = new Map<string, string>();
  /** What was last logged per brickguard.json, so each is logged once per change. */
  private readonly loggedConfigs = new Map<string, string>();
  private loggedSettings = '';
  /** Which workspace files call which as modules: a called file is judged in its roots' deployments. */
  private readonly deployments = new DeploymentIndex();

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration((params) => void this.configurationChanged(params.settings));
    c.onDidChangeWatchedFiles((params) => {
      for (const change of params.changes) this.watchedFileChanged(change.uri, change.type);
    });
    // TextDocuments fires onDidChangeContent right after onDidOpen; the open already scheduled an analysis.
    const justOpened = new Set<string>();
    this.documents.onDidOpen((e) => {
      justOpened.add(e.document.uri);
      this.documentChanged(e.document.uri, true);
    });
    this.documents.onDidChangeContent((e) => {
      if (justOpened.delete(e.document.uri)) return;
      this.documentChanged(e.document.uri, false);
    });
    this.documents.onDidClose((e) => this.documentClosed(e.document.uri));
    c.onCodeAction((params) => this.guard('codeAction', () => this.codeActions(params), []));
    c.onCodeActionResolve((action) => this.guard('codeAction/resolve', () => this.resolveCodeAction(action), action));
    c.onHover((params) =>
      this.guard(
        'hover',
        () => {
          const model = this.model(params.textDocument.uri);
          if (!model) return null;
          const { analysis, result } = model;
          const offset = new LineIndex(analysis.text).offsetAt(params.position);
          const markdown = hoverMarkdown(result, analysis.path, offset, { rulePage });
          return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown } } : null;
        },
        null,
      ),
    );
    c.onCodeLens((params) => this.guard('codeLens', () => this.codeLenses(params), []));
    c.onExecuteCommand(async (params) => {
      if (params.command === SHOW_POSTURE_COMMAND) return this.showPosture(params.arguments ?? []);
      const url = params.arguments?.[0];
      // Only https guidance links, and only shown by the client: the server opens nothing itself.
      if (params.command !== OPEN_GUIDANCE_COMMAND || typeof url !== 'string' || !url.startsWith('https://')) return null;
      try {
        await this.connection.window.showDocument({ uri: url, external: true });
      } catch (e) {
        this.logError(`asking the client to open ${url}`, e);
      }
      return null;
    });
    c.onRequest('brickguard/scanFiles', (params: ScanFilesParams, token: CancellationToken) => this.scanFiles(params, token));
    c.onRequest('brickguard/rules', (params?: { uri?: string }) => this.guard('rules', () => this.rules(params?.uri), { rules: [] }));
    this.documents.listen(c);
    c.listen();
  }

  // ---- lifecycle and settings ----

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.hasConfigurationCapability = !!caps.workspace?.configuration;
    this.hasDynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    this.hasDynamicWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.useDocumentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    this.resolveEdits = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    this.hasWorkspaceFolders = !!caps.workspace?.workspaceFolders;
    // VS Code (and its forks) run `vscode.open`; other editors get a server command that asks them
    // to show the page through window/showDocument.
    const clientName = params.clientInfo?.name ?? '';
    this.useOwnOpenCommand = clientName !== '' && !/code|codium|cursor|windsurf/i.test(clientName) && !!caps.window?.showDocument?.support;
    const folders = params.workspaceFolders ?? [];
    this.roots = folders.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (this.roots.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) this.roots.push(p);
    }
    // Should a client never send `initialized`, do not hold diagnostics back forever.
    setTimeout(() => {
      // A slow start (the deployment index of a large workspace) must not analyse everything twice.
      if (this.settingsLoaded || this.discoveringAtStart) return;
      this.settingsLoaded = true;
      this.reanalyseEverything();
    }, 2000).unref();
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) this.settings = normalizeSettings(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, FIX_ALL_IN_FILE_KIND], resolveProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        // VS Code's client registers these itself; other editors get them from the server.
        ...(this.useOwnOpenCommand ? { executeCommandProvider: { commands: [OPEN_GUIDANCE_COMMAND, SHOW_POSTURE_COMMAND] } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'brickguard', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    try {
      if (this.hasWorkspaceFolders) {
        // Only legal once initialized, and only when the client sends folder changes.
        this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
          const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
          this.roots = this.roots.filter((r) => !removed.has(r));
          const added: string[] = [];
          for (const f of e.added) {
            const p = uriToPath(f.uri);
            if (p) added.push(p);
          }
          this.roots.push(...added);
          this.info(`workspace roots: ${this.roots.join(', ') || '(none)'}`);
          void this.pullSettings(undefined)
            .then(() => this.logSettings())
            .then(() => this.discoverDeployments(added))
            .then(() => this.reanalyseEverything());
        });
      }
      if (this.hasDynamicConfiguration) {
        await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'brickguard' });
      }
      if (this.hasDynamicWatchers) {
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: `**/${CONFIG_FILE}` },
            { globPattern: '**/*.tfvars' },
            { globPattern: '**/*.parameters.json' },
            { globPattern: '**/*.bicepparam' },
            { globPattern: '**/*.tf' },
            { globPattern: '**/*.bicep' },
          ],
        });
      }
    } catch (e) {
      this.logError('registering capabilities', e);
    }
    this.info(`Brickguard language server ${VERSION} (Node ${process.version}); workspace roots: ${this.roots.join(', ') || '(none)'}`);
    await this.pullSettings(undefined);
    this.logSettings();
    this.discoveringAtStart = true;
    await this.discoverDeployments(this.roots);
    this.discoveringAtStart = false;
    this.settingsLoaded = true;
    this.reanalyseEverything();
  }

  /**
   * Finds the workspace files that call other templates as modules, so that a called file opened
   * later is judged in its callers' deployments. Yields to the event loop between files.
   */
  private async discoverDeployments(folders: string[]): Promise<void> {
    if (folders.length === 0) return;
    const started = Date.now();
    let files: string[] = [];
    try {
      files = collectFiles(folders, { maxSize: this.settings.maxFileSize });
    } catch (e) {
      this.logError('listing the workspace for module calls', e);
      return;
    }
    const host = this.host();
    let callers = 0;
    for (const [i, path] of files.entries()) {
      try {
        if (discoverCalls(this.deployments, path, host).after.length > 0) callers++;
      } catch (e) {
        this.logError(`reading the module calls of ${path}`, e);
      }
      if (i % 16 === 15) await tick();
    }
    this.info(`deployments: ${callers} file${callers === 1 ? '' : 's'} call modules (${files.length} files read in ${Date.now() - started} ms)`);
  }

  /** Re-reads which modules a file calls; files whose deployments changed are analysed again. */
  private rediscover(path: string, host: FileHost): void {
    const { before, after } = discoverCalls(this.deployments, path, host);
    this.callsChanged(path, before, after);
  }

  /** After a caller's module calls changed, the modules it calls or called are judged again. */
  private callsChanged(path: string, before: string[], after: string[]): void {
    if (before.length === after.length && before.every((c, i) => c === after[i])) return;
    for (const called of new Set([...before, ...after])) {
      if (called === path) continue;
      const uri = this.uris.uriFor(called);
      if (this.documents.get(uri)) this.schedule(uri, DEBOUNCE_MS);
      else if (this.scanned.has(uri)) this.queueRefresh(uri, called);
    }
  }

  private logSettings(): void {
    const describe = (s: Settings) => {
      const rules = Object.entries(s.rules).map(([id, sev]) => `${id}=${sev}`);
      return `enable=${s.enable}, maxFileSize=${s.maxFileSize} bytes, trace=${s.trace}, rules: ${rules.length > 0 ? rules.join(', ') : 'catalogue defaults'}`;
    };
    const global = describe(this.settings);
    const lines = [`settings: ${global}`];
    for (const [root, s] of this.folderSettings) {
      const own = describe(s);
      if (own !== global) lines.push(`settings for folder ${root}: ${own}`);
    }
    const text = lines.join('\n');
    if (text === this.loggedSettings) return;
    this.loggedSettings = text;
    for (const line of lines) this.info(line);
  }

  /** The settings in force for a file: its workspace folder's (the innermost folder holding it), else the workspace's. */
  private settingsFor(path: string): Settings {
    let best: string | undefined;
    for (const root of this.folderSettings.keys()) {
      if (isWithin(path, root) && (best === undefined || root.length > best.length)) best = root;
    }
    return (best !== undefined ? this.folderSettings.get(best) : undefined) ?? this.settings;
  }

  private async pullSettings(pushed: unknown): Promise<void> {
    if (this.hasConfigurationCapability) {
      try {
        // One request: the unscoped section, then each workspace folder's (scopeUri).
        const roots = [...this.roots];
        const values: unknown[] = await this.connection.workspace.getConfiguration([
          { section: 'brickguard' },
          ...roots.map((root) => ({ scopeUri: pathToFileURL(root).href, section: 'brickguard' })),
        ]);
        this.settings = normalizeSettings(values[0]);
        this.folderSettings.clear();
        for (const [i, root] of roots.entries()) if (values[i + 1] !== undefined && values[i + 1] !== null) this.folderSettings.set(root, normalizeSettings(values[i + 1]));
        return;
      } catch (e) {
        this.logError('reading configuration', e);
      }
    }
    // Editors without workspace/configuration push settings, either as { brickguard: {…} } or the section itself.
    if (typeof pushed !== 'object' || pushed === null) return;
    this.folderSettings.clear();
    const record = pushed as Record<string, unknown>;
    if (record.brickguard !== undefined) this.settings = normalizeSettings(record.brickguard);
    else if (['enable', 'rules', 'maxFileSize', 'trace'].some((k) => k in record)) this.settings = normalizeSettings(record);
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    await this.pullSettings(pushed);
    this.logSettings();
    this.reanalyseEverything();
  }

  private reanalyseEverything(): void {
    if (!this.settings.enable) {
      this.clearEverything();
      return;
    }
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
    for (const [uri, path] of this.wasScanned) this.queueRefresh(uri, path);
  }

  private queueRefresh(uri: string, path: string): void {
    this.refreshQueue.set(uri, path);
    if (!this.draining) void this.drainRefreshQueue();
  }

  /** Re-analyses scanned files in the background so that a settings change never blocks the editor. */
  private async drainRefreshQueue(): Promise<void> {
    this.draining = true;
    try {
      for (;;) {
        const next = this.refreshQueue.entries().next();
        if (next.done) break;
        const [uri, path] = next.value;
        this.refreshQueue.delete(uri);
        if (!this.documents.get(uri)) this.refreshScanned(uri, path);
        await tick();
      }
    } finally {
      this.draining = false;
    }
  }

  private clearEverything(): void {
    for (const uri of [...this.open.keys(), ...this.scanned.keys()]) this.publish(uri, []);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const uri of this.open.keys()) this.generations.set(uri, (this.generations.get(uri) ?? 0) + 1);
    this.open.clear();
    this.scanned.clear();
    this.models.clear();
    this.refreshQueue.clear();
    for (const path of this.configDiagnostics.keys()) this.connection.sendDiagnostics({ uri: this.uris.uriFor(path), diagnostics: [] });
    this.configDiagnostics.clear();
  }

  // ---- documents ----

  private documentChanged(uri: string, opened: boolean): void {
    const path = this.uris.remember(uri, this.documents.get(uri)?.languageId);
    if (!path) return;
    if (isConfigFile(path)) {
      this.configFileChanged(path);
      return;
    }
    if (opened) this.scanned.delete(uri);
    this.schedule(uri, opened ? 0 : DEBOUNCE_MS);
    this.scheduleDependents(path, uri);
  }

  private documentClosed(uri: string): void {
    const path = this.uris.pathOf(uri);
    this.uris.forget(uri);
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.generations.set(uri, (this.generations.get(uri) ?? 0) + 1);
    this.open.delete(uri);
    this.models.delete(uri);
    if (!path) return;
    if (isConfigFile(path)) {
      this.configFileChanged(path);
      return;
    }
    // Its module calls are what the disk says again.
    if (isSupportedPath(path)) this.rediscover(path, this.host(dirname(path)));
    // A file that a workspace scan reported keeps its diagnostics (from disk); others are cleared.
    if (this.wasScanned.has(uri)) this.refreshScanned(uri, path);
    else this.publish(uri, []);
    this.scheduleDependents(path, uri);
  }

  /** Re-analyses open documents whose unit read `path` (a parameters file, a .tfvars, a module, a folder sibling). */
  private scheduleDependents(path: string, except: string): void {
    const folder = dirname(path);
    for (const doc of this.documents.all()) {
      if (doc.uri === except) continue;
      const a = this.open.get(doc.uri);
      const docPath = this.uris.pathOf(doc.uri);
      if (!docPath) continue;
      const sameFolder = dirname(docPath) === folder;
      const sameModule = sameFolder && isTerraformPath(path) && isTerraformPath(docPath);
      // A parameters file that did not exist at the last analysis is not among its deps yet.
      if (sameModule || (sameFolder && isValueFile(path)) || a?.deps.has(path)) this.schedule(doc.uri, DEBOUNCE_MS);
    }
    for (const [uri, a] of [...this.scanned]) {
      if (uri === except || this.documents.get(uri)) continue;
      const sameFolder = dirname(a.path) === folder;
      const sameModule = sameFolder && isTerraformPath(path) && isTerraformPath(a.path);
      if (sameModule || (sameFolder && isValueFile(path)) || a.deps.has(path)) this.queueRefresh(uri, a.path);
    }
  }

  /** A brickguard.json changed (typed in, saved, created): validate it and re-analyse, debounced. */
  private configFileChanged(path: string): void {
    if (this.configTimer) clearTimeout(this.configTimer);
    this.configTimer = setTimeout(() => {
      this.configTimer = undefined;
      if (this.settings.enable) this.validateConfig(path);
      this.reanalyseEverything();
    }, DEBOUNCE_MS);
  }

  private watchedFileChanged(uri: string, type: FileChangeType): void {
    const path = uriToPath(uri);
    if (!path || !isRelevantWatchedFile(path)) return;
    this.trace(`watched file ${type === FileChangeType.Deleted ? 'deleted' : 'changed'}: ${path}`);
    if (isConfigFile(path)) {
      if (type === FileChangeType.Deleted && !this.documents.get(uri)) {
        this.configDiagnostics.delete(path);
        this.connection.sendDiagnostics({ uri: this.uris.uriFor(path), diagnostics: [] });
        this.reanalyseEverything();
      } else if (!this.documents.get(uri)) this.configFileChanged(path);
      return;
    }
    if (this.documents.get(uri)) return; // the editor's text is authoritative while the file is open
    if (isSupportedPath(path)) this.rediscover(path, this.host(dirname(path)));
    if (this.wasScanned.has(uri)) {
      if (type === FileChangeType.Deleted) {
        this.scanned.delete(uri);
        this.wasScanned.delete(uri);
        this.refreshQueue.delete(uri);
        this.publish(uri, []);
      } else this.queueRefresh(uri, path);
    }
    this.scheduleDependents(path, uri);
  }

  // ---- analysis ----

  private schedule(uri: string, delay: number): void {
    const last = this.open.get(uri);
    if (last) last.stale = true;
    const generation = (this.generations.get(uri) ?? 0) + 1;
    this.generations.set(uri, generation);
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    this.timers.set(
      uri,
      setTimeout(() => void this.runScheduled(uri, generation), delay),
    );
  }

  private async runScheduled(uri: string, generation: number): Promise<void> {
    this.timers.delete(uri);
    const doc = this.documents.get(uri);
    if (!doc || this.generations.get(uri) !== generation) return;
    if (!this.settings.enable || !this.settingsLoaded) return;
    // A code action or hover may already have analysed (and published) this exact version.
    const last = this.open.get(uri);
    if (last && !last.stale && last.version === doc.version) return;
    const batch = this.analyseBatch(uri, doc, generation);
    if (batch.length === 0) return;
    // Let messages that arrived during the analysis (a newer didChange, a close) be handled before
    // deciding whether this result is current: the JSON-RPC layer dispatches one queued message per
    // event-loop turn, so give it a few turns.
    const isStale = (b: (typeof batch)[number]) =>
      this.generations.get(b.uri) !== b.generation || this.documents.get(b.uri)?.version !== b.version;
    for (let turn = 0; turn < SETTLE_TURNS && !batch.some(isStale); turn++) await tick();
    const stale = batch.some(isStale);
    for (const b of batch) {
      // One stale member makes the shared unit result stale for all: each is re-analysed later.
      if (stale) {
        this.trace(`dropped stale result for ${b.uri} (version ${b.version})`);
        if (b.uri !== uri && this.documents.get(b.uri)) this.schedule(b.uri, DEBOUNCE_MS);
        continue;
      }
      this.open.set(b.uri, b.analysis);
      this.publish(b.uri, b.analysis.diagnostics, b.version);
    }
  }

  /**
   * Analyses a document and the other open files waiting for re-analysis that take their
   * diagnostics from the same results: files of its unit (a Terraform folder), and modules judged
   * only in deployments analysed here (siblings of a called module). Only the model cache keeps the
   * full results: when many documents open at once, all their analyses run before any of them is
   * published, and must not all hold their models meanwhile.
   */
  private analyseBatch(uri: string, doc: TextDocument, generation: number): { uri: string; generation: number; version: number; analysis: Analysis }[] {
    const shared = new UnitResults();
    const analysed = this.analyseOpen(uri, doc, shared);
    if (!analysed) return [];
    const batch = [{ uri, generation, version: doc.version, analysis: analysed.analysis }];
    const others: { uri: string; analysed: Analysed }[] = [];
    for (const other of this.documents.all()) {
      const timer = this.timers.get(other.uri);
      const otherPath = this.uris.pathOf(other.uri);
      if (other.uri === uri || !timer || !otherPath || !this.judgedBy(otherPath, shared)) continue;
      const otherAnalysed = this.analyseOpen(other.uri, other, shared);
      if (!otherAnalysed) continue;
      clearTimeout(timer);
      this.timers.delete(other.uri);
      batch.push({ uri: other.uri, generation: this.generations.get(other.uri) ?? 0, version: other.version, analysis: otherAnalysed.analysis });
      others.push({ uri: other.uri, analysed: otherAnalysed });
    }
    // The edited document last: it is the most recently used.
    for (const o of others) this.remember(o.uri, o.analysed);
    this.remember(uri, analysed);
    return batch;
  }

  /**
   * Whether a file's result is among `results`: its unit's, or those of all the deployments that
   * judge it, each analysed for the root file itself (findings name the root they were judged in).
   */
  private judgedBy(path: string, results: UnitResults): boolean {
    if (results.has(path)) return true;
    const roots = this.deployments.rootsOf(path);
    return roots.length > 0 && roots.every((root) => results.get(root)?.path === root);
  }

  /** Keeps a document's full result as the most recently used, dropping the least recently used beyond the cache size. */
  private remember(uri: string, analysed: Analysed): void {
    this.models.delete(uri);
    if (!analysed.result) return;
    this.models.set(uri, { analysis: analysed.analysis, result: analysed.result });
    while (this.models.size > MODEL_CACHE_SIZE) this.models.delete(this.models.keys().next().value as string);
  }

  /**
   * The document's current analysis with its full result (for hovers and fix-all): from the
   * cache, else analysed again, as the result of a document not used lately was dropped.
   */
  private model(uri: string): { analysis: Analysis; result: AnalysisResult } | undefined {
    const analysis = this.freshAnalysis(uri);
    if (!analysis?.analysed) return undefined;
    const cached = this.models.get(uri);
    if (cached && cached.analysis === analysis) {
      this.models.delete(uri);
      this.models.set(uri, cached);
      return cached;
    }
    const doc = this.documents.get(uri);
    const again = doc ? this.analyseOpen(uri, doc) : this.analyse(analysis.path, this.host(dirname(analysis.path)), null);
    if (!again?.result) return undefined;
    if (doc) this.open.set(uri, again.analysis);
    else this.scanned.set(uri, again.analysis);
    this.remember(uri, again);
    // The same text gives the same diagnostics, unless a file it reads changed unnoticed.
    if (JSON.stringify(again.analysis.diagnostics) !== JSON.stringify(analysis.diagnostics)) {
      this.publish(uri, again.analysis.diagnostics, doc?.version);
    }
    return { analysis: again.analysis, result: again.result };
  }

  /** The analysis for the document's current version, computed now if the last one is stale. */
  private freshAnalysis(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return this.scanned.get(uri);
    if (!this.settings.enable) return undefined;
    const last = this.open.get(uri);
    if (last && !last.stale && last.version === doc.version) return last;
    const analysed = this.analyseOpen(uri, doc);
    if (!analysed) return undefined;
    this.open.set(uri, analysed.analysis);
    this.remember(uri, analysed);
    this.publish(uri, analysed.analysis.diagnostics, doc.version);
    return analysed.analysis;
  }

  private analyseOpen(uri: string, doc: TextDocument, unitCache?: UnitResults): Analysed | undefined {
    const path = this.uris.pathOf(uri);
    // brickguard.json carries its own diagnostics (its errors), published by validateConfig.
    if (!path || !isSupportedPath(path) || isConfigFile(path)) return undefined;
    return this.analyse(path, this.host(), doc.version, doc.getText(), unitCache);
  }

  /** A host that reads open documents from the editor and everything else from disk. */
  private host(extraRoot?: string): FileHost {
    const docs = new Map<string, string>();
    for (const doc of this.documents.all()) {
      const p = this.uris.pathOf(doc.uri);
      if (p) docs.set(p, doc.getText());
    }
    const roots = this.roots.length > 0 ? this.roots : extraRoot ? [extraRoot] : [];
    return overlayHost(diskHost(roots, { maxSize: this.settings.maxFileSize }), docs);
  }

  private loadConfigFor(path: string, host: FileHost): LoadedConfig {
    try {
      const config = loadConfig(path, host);
      if (config.path) {
        this.publishConfigErrors(config, host);
        this.logConfig(config);
      }
      return config;
    } catch (e) {
      this.logError(`loading brickguard.json for ${path}`, e);
      return { rules: {}, exclude: [], errors: [] };
    }
  }

  /** Logs a brickguard.json the first time it is used and whenever what it says changes. */
  private logConfig(config: LoadedConfig): void {
    if (!config.path) return;
    const rules = Object.entries(config.rules).map(([id, sev]) => `${id}=${sev}`);
    const line = `${resolve(config.path)}: rules: ${rules.join(', ') || 'none'}; exclude: ${config.exclude.join(', ') || 'none'}${
      config.errors.length > 0 ? `; ${config.errors.length} error${config.errors.length === 1 ? '' : 's'}` : ''
    }`;
    if (this.loggedConfigs.get(resolve(config.path)) === line) return;
    this.loggedConfigs.set(resolve(config.path), line);
    this.info(`configuration file ${line}`);
  }

  /** Analyses one file; never throws (a crash in the core is logged and yields no findings). */
  private analyse(
    path: string,
    host: FileHost,
    version: number | null,
    text?: string,
    unitCache?: UnitResults,
  ): Analysed {
    const started = Date.now();
    const body = text ?? host.readFile(path) ?? '';
    const analysis: Analysis = {
      path,
      version,
      text: body,
      analysed: false,
      findings: [],
      syntaxErrors: 0,
      lenses: [],
      diagnostics: [],
      deps: new Set([path]),
    };
    const settings = this.settingsFor(path);
    if (!settings.enable) return { analysis };
    const config = this.loadConfigFor(path, host);
    if (config.path) analysis.deps.add(config.path);
    if (isExcluded(path, config)) return { analysis };
    const size = Buffer.byteLength(body, 'utf8');
    if (size > settings.maxFileSize) {
      analysis.diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        source: SOURCE,
        message: `Brickguard did not analyse this file: it is ${formatBytes(size)}, larger than the limit of ${formatBytes(
          settings.maxFileSize,
        )} (setting brickguard.maxFileSize: ${settings.maxFileSize.toLocaleString('en-US')} bytes).`,
      });
      return { analysis };
    }
    let result = unitCache?.get(path);
    const reused = result !== undefined;
    // A file a workspace template calls as a module is judged in its callers' deployments.
    const roots = this.deployments.rootsOf(path);
    try {
      if (roots.length > 0) {
        this.rediscover(path, host);
        const judged = roots
          .map((root) => this.rootResult(root, host, unitCache))
          .filter((r): r is AnalysisResult => r !== undefined);
        for (const r of judged) for (const f of r.files) analysis.deps.add(resolve(f.path));
        // Findings its callers disagree on stand at each failing caller's module declaration.
        const keys = disagreements(judged);
        result = judgedByRoots(path, judged.map((r) => placeDisagreements(r, keys)));
      }
      if (!result) {
        result = analyzePath(path, host, { rules: effectiveRules(settings.rules, config.rules), reportCalled: true });
        if (result) {
          markJudgedIn(result);
          const before = this.deployments.callsOf(path);
          if (mayCallModules(path, body)) this.deployments.record(path, result.unit);
          else this.deployments.forget(path);
          this.callsChanged(path, before, this.deployments.callsOf(path));
        }
      }
    } catch (e) {
      this.logError(`analysing ${path}`, e);
      return { analysis };
    }
    if (!result) return { analysis };
    // A workspace scan analyses a unit (a Terraform folder) once for all the files it owns.
    if (unitCache && roots.length === 0) for (const own of result.unit.ownFiles) unitCache.set(resolve(own), result);
    if (roots.length === 0) {
      try {
        result = this.placedAmongSiblings(path, result, host, analysis.deps, unitCache);
      } catch (e) {
        this.logError(`judging the other callers of the modules of ${path}`, e);
      }
    }
    analysis.analysed = true;
    for (const f of result.files) analysis.deps.add(resolve(f.path));
    const own = result.files.find((f) => resolve(f.path) === path);
    if (own && text === undefined) analysis.text = own.text;
    analysis.syntaxErrors = own?.syntaxErrors.length ?? 0;
    const index = new LineIndex(analysis.text);
    const indexFor = this.indexer(result, host);
    for (const finding of result.findings) {
      if (resolve(finding.file) !== path) continue;
      analysis.findings.push(finding);
      try {
        analysis.diagnostics.push(findingToDiagnostic(finding, index, indexFor, this.uris));
      } catch (e) {
        this.logError(`converting a finding of ${finding.ruleId} in ${path}`, e);
      }
    }
    const n = analysis.diagnostics.length;
    this.info(`${reused ? 'reused the unit analysis for' : 'analysed'} ${path} in ${Date.now() - started} ms: ${n} finding${n === 1 ? '' : 's'}`);
    // Not findings: what the analysis did not follow (a module outside the workspace), in the log.
    for (const note of result.unit.notes ?? []) {
      if (resolve(note.file) !== path) continue;
      const at = index.positionAt(note.span.start);
      this.info(`note: ${path}:${at.line + 1}:${at.character + 1}: ${note.message}`);
    }
    analysis.lenses = this.lensesOf(result, path, analysis.text, index);
    return { analysis, result };
  }

  /** A lens above each workspace declaration of the file: "Brickguard: 5 of 9 checks pass". */
  private lensesOf(result: AnalysisResult, path: string, text: string, index: LineIndex): Lens[] {
    const lenses: Lens[] = [];
    const workspaces = result.unit.resources.filter((r) => resolve(r.file) === path && !r.existing && r.kind === KIND.workspace);
    if (workspaces.length === 0) return lenses;
    const postures = posturesOf(result);
    for (const r of workspaces) {
      const posture = postures.get(r.id);
      if (!posture) continue;
      // The hover opens on the `resource` keyword (ARM: the `"type"` key), where no finding sits.
      const head = index.positionAt(r.head.start);
      const indent = /^\s*/.exec(text.slice(index.offsetAt({ line: head.line, character: 0 })))![0].length;
      const at = { line: head.line, character: Math.min(indent + 1, head.character) };
      lenses.push({ line: index.positionAt(r.span.start).line, at, title: `Brickguard: ${postureSummary(posture)}` });
    }
    return lenses;
  }

  /**
   * A root's result with the findings its modules' other callers disagree on at its module
   * declarations: those roots are judged too, and their files become dependencies.
   */
  private placedAmongSiblings(
    path: string,
    result: AnalysisResult,
    host: FileHost,
    deps: Set<string>,
    unitCache?: UnitResults,
  ): AnalysisResult {
    const called = calledFiles(result.unit);
    if (called.length === 0) return result;
    const own = new Set(result.unit.ownFiles.map((p) => resolve(p)));
    const siblings = new Set<string>();
    for (const c of called) for (const r of this.deployments.rootsOf(c)) if (!own.has(resolve(r))) siblings.add(r);
    const others = [...siblings]
      .sort()
      .map((root) => this.rootResult(root, host, unitCache))
      .filter((r): r is AnalysisResult => r !== undefined);
    for (const r of others) for (const f of r.files) deps.add(resolve(f.path));
    return placeDisagreements(result, disagreements([result, ...others]));
  }

  /** The analysis of a deployment root, with the findings of the modules it calls. */
  private rootResult(root: string, host: FileHost, unitCache?: UnitResults): AnalysisResult | undefined {
    // Only a result analysed for the root itself: a sibling's (a Terraform folder's other file)
    // would name that file as the deployment its modules are judged in.
    const cached = unitCache?.get(root);
    if (cached && cached.path === root) return cached;
    const config = this.loadConfigFor(root, host);
    if (isExcluded(root, config)) return undefined;
    const result = analyzePath(root, host, { rules: effectiveRules(this.settingsFor(root).rules, config.rules), reportCalled: true });
    if (result) markJudgedIn(result);
    if (result && unitCache) for (const own of result.unit.ownFiles) unitCache.set(resolve(own), result);
    return result;
  }

  /** Line indexes for files of a result: the open document's text first, then the analysed text, then disk. */
  private indexer(result: AnalysisResult | undefined, host: FileHost): (path: string) => LineIndex | undefined {
    const cache = new Map<string, LineIndex | undefined>();
    return (file: string) => {
      const path = resolve(file);
      if (cache.has(path)) return cache.get(path);
      const doc = this.documents.get(this.uris.uriFor(path));
      const text =
        doc?.getText() ?? result?.files.find((f) => resolve(f.path) === path)?.text ?? host.readFile(path);
      const index = text === undefined ? undefined : new LineIndex(text);
      cache.set(path, index);
      return index;
    };
  }

  private refreshScanned(uri: string, path: string): void {
    if (!this.settings.enable) return;
    let exists = false;
    try {
      exists = statSync(path).isFile();
    } catch {
      exists = false;
    }
    if (!exists) {
      this.scanned.delete(uri);
      this.wasScanned.delete(uri);
      this.publish(uri, []);
      return;
    }
    const { analysis } = this.analyse(path, this.host(dirname(path)), null);
    this.scanned.set(uri, analysis);
    this.publish(uri, analysis.diagnostics);
  }

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    this.connection.sendDiagnostics({ uri, diagnostics, version });
  }

  // ---- brickguard.json ----

  private validateConfig(path: string): void {
    try {
      const host = this.host(dirname(path));
      const config = loadConfig(path, host);
      if (config.path && resolve(config.path) === path) this.publishConfigErrors(config, host);
      else this.publishConfigDiagnostics(path, []);
    } catch (e) {
      this.logError(`validating ${path}`, e);
    }
  }

  private publishConfigErrors(config: LoadedConfig, host: FileHost): void {
    if (!config.path) return;
    const path = resolve(config.path);
    const text = host.readFile(path);
    const index = text === undefined ? undefined : new LineIndex(text);
    const rangeOf = (e: { span?: Span; line: number; column: number }) =>
      index && e.span
        ? toRange(index, e.span)
        : {
            start: { line: Math.max(0, e.line - 1), character: Math.max(0, e.column - 1) },
            end: { line: Math.max(0, e.line - 1), character: Math.max(0, e.column - 1) },
          };
    const diagnostics: Diagnostic[] = config.errors
      .filter((e) => !e.ruleId)
      .map((e) => ({ range: rangeOf(e), severity: toLspSeverity(e.severity ?? 'error'), source: SOURCE, message: e.message }));
    // Rule findings of the file itself (unknown rule ids), with the severity the settings and the file give.
    const own = configFindings(config, this.settingsFor(path).rules);
    for (const f of own) {
      const at = config.errors.find((e) => e.ruleId === f.ruleId && e.span.start === f.span.start);
      diagnostics.push({
        range: rangeOf({ span: f.span, line: at?.line ?? 1, column: at?.column ?? 1 }),
        severity: toLspSeverity(f.severity),
        source: SOURCE,
        code: f.ruleId,
        ...(f.helpUri ? { codeDescription: { href: f.helpUri } } : {}),
        message: f.message,
      });
    }
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    this.publishConfigDiagnostics(path, diagnostics);
  }

  private publishConfigDiagnostics(path: string, diagnostics: Diagnostic[]): void {
    const serialised = JSON.stringify(diagnostics);
    if (this.configDiagnostics.get(path) === serialised) return;
    this.configDiagnostics.set(path, serialised);
    this.connection.sendDiagnostics({ uri: this.uris.uriFor(path), diagnostics });
  }

  // ---- code actions ----

  private codeActions(params: CodeActionParams): CodeAction[] {
    const uri = params.textDocument.uri;
    const analysis = this.freshAnalysis(uri);
    if (!analysis?.analysed) return [];
    const toEdit = this.editConverter(undefined, analysis.path);
    return buildCodeActions({
      findings: analysis.findings,
      index: new LineIndex(analysis.text),
      diagnostics: params.context.diagnostics,
      only: params.context.only,
      toEdit,
      openCommand: this.useOwnOpenCommand ? OPEN_GUIDANCE_COMMAND : 'vscode.open',
      uri,
      resolveEdits: this.resolveEdits,
      fixAll: (mode) => {
        const model = this.model(uri);
        return model && fixAllEdit(model.result, model.analysis.path, mode, toEdit);
      },
    });
  }

  // ---- code lenses ----

  /** A lens above each workspace declaration: "Brickguard: 5 of 9 checks pass", showing its posture. */
  private codeLenses(params: CodeLensParams): CodeLens[] {
    const analysis = this.freshAnalysis(params.textDocument.uri);
    if (!analysis?.analysed) return [];
    return analysis.lenses.map(({ line, at, title }) => ({
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      command: { title, command: SHOW_POSTURE_COMMAND, arguments: [params.textDocument.uri, at] },
    }));
  }

  /** Turns core edits into a WorkspaceEdit against the open documents' versions (texts from `result` when given). */
  private editConverter(result: AnalysisResult | undefined, path: string): (edits: readonly TextEdit[]) => WorkspaceEdit | undefined {
    const indexFor = this.indexer(result, this.host(dirname(path)));
    const versionOf = (p: string) => this.documents.get(this.uris.uriFor(p))?.version ?? null;
    return (edits) => toWorkspaceEdit(edits, indexFor, this.uris, versionOf, this.useDocumentChanges);
  }

  /** Computes a fix-all action's edit on the document as it is now. */
  private resolveCodeAction(action: CodeAction): CodeAction {
    if (!isFixAllData(action.data)) return action;
    const model = this.model(action.data.uri);
    if (!model) return action;
    const { analysis, result } = model;
    const edit = fixAllEdit(result, analysis.path, action.data.brickguardFixAll, this.editConverter(result, analysis.path));
    return { ...action, edit: edit ?? { changes: {} } };
  }

  /** Other editors: the posture lens puts the cursor on the resource (window/showDocument), where hovering shows it. */
  private async showPosture(args: unknown[]): Promise<null> {
    const [uri, position] = args as [unknown, { line?: unknown; character?: unknown } | undefined];
    if (typeof uri !== 'string' || typeof position?.line !== 'number' || typeof position.character !== 'number') return null;
    const at = { line: position.line, character: position.character };
    try {
      await this.connection.window.showDocument({ uri, takeFocus: true, selection: { start: at, end: at } });
    } catch (e) {
      this.logError(`asking the client to show ${uri}`, e);
    }
    return null;
  }

  // ---- custom requests ----

  private async scanFiles(params: ScanFilesParams, token: CancellationToken): Promise<ScanFilesResult> {
    const out: ScanFilesResult = { files: 0, findings: 0, filesWithSyntaxErrors: 0 };
    if (!this.settings.enable) return out;
    const paths: string[] = [];
    for (const uri of params?.uris ?? []) {
      const path = uriToPath(uri);
      if (!path) continue;
      this.uris.remember(uri);
      try {
        paths.push(...(statSync(path).isDirectory() ? collectFiles([path]) : [path]));
      } catch {
        // A file that vanished since the client listed it is simply not scanned.
      }
    }
    const seen = new Set<string>();
    const unitCache = new UnitResults(SCAN_UNIT_RESULTS);
    const host = this.host();
    for (const raw of paths) {
      if (token.isCancellationRequested) break;
      const path = resolve(raw);
      if (seen.has(path) || !isSupportedPath(path)) continue;
      seen.add(path);
      const uri = this.uris.uriFor(path);
      let analysis: Analysis | undefined;
      try {
        if (this.documents.get(uri)) analysis = this.freshAnalysis(uri);
        else {
          analysis = this.analyse(path, this.roots.length > 0 ? host : this.host(dirname(path)), null, undefined, unitCache).analysis;
          this.scanned.set(uri, analysis);
          this.wasScanned.set(uri, path);
          this.publish(uri, analysis.diagnostics);
        }
      } catch (e) {
        this.logError(`scanning ${path}`, e);
      }
      if (analysis?.analysed) {
        out.files++;
        out.findings += analysis.diagnostics.length;
        if (analysis.syntaxErrors > 0) out.filesWithSyntaxErrors++;
      }
      await tick(); // keep the server responsive (and cancellable) during a long scan
    }
    return out;
  }

  private rules(uri?: string): RulesResult {
    const base = (uri && uriToPath(uri)) || this.roots[0];
    let config: LoadedConfig = { rules: {}, exclude: [], errors: [] };
    if (base) {
      const probe = statSafeIsDir(base) ? join(base, CONFIG_FILE) : base;
      config = this.loadConfigFor(probe, this.host(dirname(probe)));
    }
    const effective = effectiveRules((base ? this.settingsFor(base) : this.settings).rules, config.rules);
    return {
      rules: ruleCatalogue().map((r) => ({
        id: r.id,
        title: r.title,
        severity: normalizeSeverity(effective[r.id]) ?? normalizeSeverity(r.severity) ?? 'warning',
        defaultSeverity: normalizeSeverity(r.severity) ?? String(r.severity),
        dialects: [...r.dialects],
        fixable: r.fixable,
        helpUri: r.helpUri,
      })),
    };
  }

  // ---- logging ----

  private guard<T>(what: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (e) {
      this.logError(what, e);
      return fallback;
    }
  }

  private logError(what: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.connection.console.error(`Brickguard: error while ${what}: ${detail}`);
  }

  /** Always logged (the output channel's info level), whatever brickguard.trace.server says. */
  private info(message: string): void {
    this.connection.console.info(message);
  }

  private trace(message: string): void {
    if (this.settings.trace !== 'off') this.connection.console.log(`[brickguard] ${message}`);
  }
}

function statSafeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A size in decimal units, as brickguard.maxFileSize counts it (5,000,000 bytes is 5 MB). */
export function formatBytes(n: number): string {
  const round = (x: number) => String(Math.round(x * 10) / 10);
  if (n >= 1_000_000) return `${round(n / 1_000_000)} MB`;
  if (n >= 1000) return `${round(n / 1000)} kB`;
  return `${n} bytes`;
}

/** Starts the language server on the transport named on the command line (`--stdio` by default). */
export function startServer(): void {
  const transports = ['--stdio', '--node-ipc', '--pipe'];
  if (!process.argv.some((a) => transports.includes(a) || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.argv.push('--stdio');
  }
  const connection = createConnection(ProposedFeatures.all);
  if (process.argv.includes('--stdio')) {
    // A framing error would leave the server alive and deaf: log it and exit so the client restarts it.
    const guard = new FramingGuard();
    process.stdin.on('data', (chunk: Buffer) => {
      const error = guard.push(chunk);
      if (!error) return;
      const message = `Brickguard: the client sent ${error}; the language server exits.`;
      process.stderr.write(`${message}\n`);
      try {
        connection.console.error(message);
      } finally {
        process.exit(1);
      }
    });
  }
  // Keep serving after an unexpected error; the next request or edit starts from a clean slate.
  process.on('uncaughtException', (e) => connection.console.error(`Brickguard: uncaught error: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Brickguard: unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  new BrickguardServer(connection).listen();
}

/** The folder of the rule pages (`docs/rules/<id>.md`) beside the bundle or the sources, if present. */
const RULE_PAGES = [join(__dirname, '..', 'docs', 'rules'), join(__dirname, '..', '..', '..', 'docs', 'rules')].find((d) => existsSync(d));

/** A link to a rule's page when it ships with the server. */
function rulePage(ruleId: string): string | undefined {
  if (!RULE_PAGES) return undefined;
  const page = join(RULE_PAGES, `${ruleId}.md`);
  return existsSync(page) ? pathToFileURL(page).href : undefined;
}
