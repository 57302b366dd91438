// A small LSP client for tests: spawns `brickguard lsp --stdio` and speaks JSON-RPC over its stdio,
// answering the server's own requests (configuration, capability registration) like an editor.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './corpus';

/**
 * How to run the CLI: $BRICKGUARD_CLI (a bundled cli.js), else dist/cli.js (built by `npm test`),
 * else the TypeScript entry through tsx.
 */
export function cliInvocation(): { command: string; args: string[] } {
  const override = process.env.BRICKGUARD_CLI;
  if (override) return { command: process.execPath, args: [override] };
  const dist = join(repoRoot, 'dist', 'cli.js');
  if (existsSync(dist) && process.env.BRICKGUARD_CLI_FROM_SOURCE !== '1') return { command: process.execPath, args: [dist] };
  const loader = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return { command: process.execPath, args: ['--import', loader, join(repoRoot, 'server', 'src', 'cli', 'main.ts')] };
}

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface LspDiagnostic {
  range: LspRange;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: LspRange }; message: string }[];
}

export interface LspTextEdit {
  range: LspRange;
  newText: string;
}

export interface WorkspaceEdit {
  changes?: Record<string, LspTextEdit[]>;
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: LspTextEdit[] }[];
}

export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: LspDiagnostic[];
  edit?: WorkspaceEdit;
  command?: { title: string; command: string; arguments?: unknown[] };
  data?: unknown;
}

type Waiter = { match: (m: Message) => boolean; resolve: (m: Message) => void };

export interface ClientOptions {
  /** The `brickguard` section returned for workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Client capabilities to announce (defaults: configuration, dynamic registration, documentChanges). */
  capabilities?: Record<string, unknown>;
  /** `clientInfo` of the initialize request (none by default). */
  clientInfo?: { name: string; version?: string };
  cwd?: string;
}

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every notification received, in order. */
  readonly notifications: Message[] = [];
  /** Requests the server sent to the client, in order. */
  readonly serverRequests: Message[] = [];
  stderr = '';
  settings: Record<string, unknown>;
  /** Folder-level `brickguard` settings by folder URI, answered for a scopeUri inside the folder (over `settings`). */
  readonly folderSettings = new Map<string, Record<string, unknown>>();
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private waiters: Waiter[] = [];
  private exited = false;
  readonly exit: Promise<number | null>;

  constructor(private readonly options: ClientOptions = {}) {
    const { command, args } = cliInvocation();
    this.settings = options.settings ?? {};
    this.process = spawn(command, [...args, 'lsp', '--stdio'], { cwd: options.cwd, stdio: 'pipe' });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // A test that fails before stopping its server must not keep the test process alive (the run
    // would hang): the server does not hold the event loop, and it exits when its input closes.
    this.process.unref();
    for (const stream of [this.process.stdin, this.process.stdout, this.process.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.exit = new Promise((resolve) =>
      this.process.on('exit', (code) => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error(`server exited (${code}) before answering ${p.method}: ${this.stderr}`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get isRunning(): boolean {
    return !this.exited;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: *(\d+)/i.exec(header);
      if (!match) throw new Error(`bad header: ${header}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      this.serverRequests.push(message);
      this.write({ jsonrpc: '2.0', id: message.id, result: this.answer(message) });
    } else if (message.method !== undefined) {
      this.notifications.push(message);
    } else if (typeof message.id === 'number') {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (p) {
        if (message.error) p.reject(new Error(`${p.method}: ${message.error.message}`));
        else p.resolve(message.result);
      }
    }
    for (const w of [...this.waiters]) {
      if (w.match(message)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(message);
      }
    }
  }

  /** How the fake editor answers the server's requests. */
  private answer(request: Message): unknown {
    if (request.method === 'window/showDocument') return { success: true };
    if (request.method === 'workspace/configuration') {
      const items = (request.params as { items: { section?: string; scopeUri?: string }[] }).items;
      return items.map((item) => {
        if (item.section !== 'brickguard') return null;
        const scope = item.scopeUri;
        const folder = scope ? [...this.folderSettings.keys()].find((f) => scope === f || scope.startsWith(`${f}/`)) : undefined;
        return folder ? { ...this.settings, ...this.folderSettings.get(folder) } : this.settings;
      });
    }
    return null;
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  request<T>(method: string, params: unknown, timeoutMs = 15000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`timed out waiting for ${method}; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first message (past or future, from `since`) that matches. */
  waitFor(match: (m: Message) => boolean, timeoutMs = 15000, since = 0): Promise<Message> {
    const past = this.notifications.slice(since).find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for a message; stderr: ${this.stderr}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next publishDiagnostics for `uri` received after notification index `since`, optionally for a version. */
  async diagnostics(uri: string, since = this.notifications.length, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const m = await this.waitFor(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as PublishDiagnosticsParams).uri === uri &&
        (!accept || accept(m.params as PublishDiagnosticsParams)),
      15000,
      since,
    );
    return m.params as PublishDiagnosticsParams;
  }

  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.notifications
      .filter((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishDiagnosticsParams).uri === uri)
      .map((m) => m.params as PublishDiagnosticsParams);
  }

  /** Starts the session; `folders` (URIs) makes a multi-root workspace, `rootUri` being the first. */
  async initialize(rootUri: string | null, folders: string[] = rootUri ? [rootUri] : []): Promise<{ capabilities: Record<string, unknown> }> {
    const capabilities = this.options.capabilities ?? {
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        workspaceFolders: true,
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        synchronization: { didSave: true },
      },
    };
    const result = await this.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      clientInfo: this.options.clientInfo,
      rootUri,
      workspaceFolders: folders.length > 0 ? folders.map((uri, i) => ({ uri, name: i === 0 ? 'test' : `test${i}` })) : null,
      capabilities,
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  changeFull(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  changeRange(uri: string, version: number, range: LspRange, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Sends shutdown and exit, and waits for the process to end (killing it if it does not). */
  async stop(): Promise<number | null> {
    if (this.exited) return this.exit;
    try {
      await this.request('shutdown', null, 5000);
      this.notify('exit', null);
    } catch {
      // fall through to kill
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    const code = await this.exit;
    clearTimeout(timer);
    return code;
  }
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyLspEdits(text: string, edits: LspTextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    p.line >= lineStarts.length ? text.length : Math.min(lineStarts[p.line] + p.character, text.length);
  const sorted = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The edits a WorkspaceEdit makes to one URI. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): LspTextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) return edit.documentChanges.filter((d) => d.textDocument.uri === uri).flatMap((d) => d.edits);
  return edit.changes?.[uri] ?? [];
}
