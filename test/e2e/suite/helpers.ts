// Shared helpers for the in-host suite: the extension's API, fixture files in the temporary
// workspace, waiting for diagnostics, and the CLI as an oracle for what the analysis supports.
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'brickguard.brickguard';

/** Why a test was skipped, by full title (copied into the report). */
export const pendingReasons = new Map<string, string>();

/** Skips the running test and records the reason for the report. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  if (ctx.test) pendingReasons.set(ctx.test.fullTitle(), reason);
  console.log(`[brickguard-e2e] skip: ${ctx.test?.fullTitle()}: ${reason}`);
  ctx.skip();
  throw new Error('unreachable');
}

export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
  findings: number;
}

export interface BrickguardApi {
  ready: Promise<void>;
  client: { sendRequest<R>(method: string, params: unknown): Promise<R> };
  statusBar(): StatusBarState;
}

import type { RuleInfo } from '../../../client/src/commands';

export type { RuleInfo };

let apiPromise: Promise<BrickguardApi> | undefined;

/** Activates Brickguard (if needed) and waits for its language server. */
export function brickguard(): Promise<BrickguardApi> {
  apiPromise ??= (async () => {
    const extension = vscode.extensions.getExtension<BrickguardApi>(EXTENSION_ID);
    if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
    const api = await withTimeout(extension.activate(), 30_000, 'activating the Brickguard extension');
    await withTimeout(api.ready, 30_000, 'starting the Brickguard language server (see the [Brickguard …] log lines)');
    return api;
  })();
  return apiPromise;
}

export async function rules(): Promise<RuleInfo[]> {
  const api = await brickguard();
  return (await api.client.sendRequest<{ rules: RuleInfo[] }>('brickguard/rules', {})).rules;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e run has no workspace folder');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function open(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function writeFile(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = fixtureUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

export function findings(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'brickguard');
}

export function describeFindings(uri: vscode.Uri): string {
  const list = findings(uri);
  if (list.length === 0) return '(no brickguard diagnostics)';
  return list.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`).join('\n');
}

/** Waits until the brickguard diagnostics of `uri` satisfy `predicate`; fails with what it saw. */
export async function waitForFindings(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = findings(uri);
    if (predicate(current)) return current;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}; diagnostics:\n${describeFindings(uri)}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) done();
      });
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);

/** Waits until diagnostics for `uri` stop changing for `quietMs` (the server published its last result). */
export async function settle(uri: vscode.Uri, quietMs = 1500, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = Date.now();
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === uri.toString())) last = Date.now();
  });
  try {
    while (Date.now() - last < quietMs && Date.now() < deadline) await sleep(100);
  } finally {
    sub.dispose();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CliScan {
  files: { path: string; dialect: string; syntaxErrors: { line: number; column: number; message: string }[] }[];
  findings: { path: string; severity: string; ruleId: string; message: string }[];
}

/** Runs the bundled CLI (`dist/cli.js scan --format json`) on files of the workspace. */
export function cliScan(...relativePaths: string[]): CliScan {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const cli = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'cli.js').fsPath;
  const args = [cli, 'scan', '--format', 'json', '--min-severity', 'info', ...relativePaths.map((p) => fixtureUri(p).fsPath)];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, {
      encoding: 'utf8',
      cwd: workspaceRoot().fsPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: 30_000,
    });
  } catch (error) {
    // Exit code 1 means "findings"; its stdout is still the report.
    const e = error as { status?: number; stdout?: string; stderr?: string };
    if (e.status === 1 && e.stdout) stdout = e.stdout;
    else throw new Error(`brickguard CLI failed (exit ${e.status}): ${e.stderr ?? ''}`);
  }
  return JSON.parse(stdout) as CliScan;
}

const dialectCache = new Map<string, string | undefined>();

/**
 * Whether this build analyses a dialect, asked of the CLI with a fixture that has known findings.
 * Returns undefined when it does, else the reason to skip. (The front ends land one by one; a
 * dialect the CLI handles must then pass every editor test.)
 */
export function dialectUnavailable(dialect: 'arm' | 'bicep' | 'terraform', probe: string, rule: string): string | undefined {
  if (!dialectCache.has(dialect)) {
    let reason: string | undefined;
    try {
      const scan = cliScan(probe);
      if (!scan.findings.some((f) => f.ruleId === rule)) {
        reason = `${dialect} analysis is not available in this build yet: the CLI reports no ${rule} for ${probe}`;
      }
    } catch (error) {
      reason = `${dialect} analysis is not available in this build yet: ${(error as Error).message.split('\n')[0]}`;
    }
    dialectCache.set(dialect, reason);
  }
  return dialectCache.get(dialect);
}

/** Sets a workspace setting and returns a function that restores the previous value. */
export async function withSetting(section: string, key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration(section);
  const previous = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration(section).update(key, previous, vscode.ConfigurationTarget.Workspace);
  };
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Code actions at `range`, polled until `accept` holds: the workbench builds the request's context
 * from its own copy of the diagnostics, which arrives a moment after the extension host's.
 */
export async function codeActionsAt(
  uri: vscode.Uri,
  range: vscode.Range,
  accept: (actions: vscode.CodeAction[]) => boolean,
  kind?: string,
  timeoutMs = 10_000,
): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Resolve the actions too: fix-all edits are computed on codeAction/resolve.
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind, 100)) ?? [];
    if (accept(actions) || Date.now() > deadline) return actions;
    await sleep(200);
  }
}
