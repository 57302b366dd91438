// Editor commands. They ask the server to do the work (custom requests and code actions) and only
// handle the editor side: file listing, progress, cancellation, applying edits, showing pages.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BRICKGUARD_SOURCE, SUPPORTED_FILES_GLOB } from './documents';
import { SCAN_WORKSPACE_COMMAND, plural } from './statusBar';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('brickguard');
/** Every preferred fix, including those that add parameters and resources (never run on save). */
export const FIX_ALL_IN_FILE_KIND = vscode.CodeActionKind.Source.append('brickguard').append('fixAllInFile');
export const CATALOGUE_SCHEME = 'brickguard-catalogue';
export const CATALOGUE_URI = vscode.Uri.parse(`${CATALOGUE_SCHEME}:/Brickguard%20Rule%20Catalogue.md`);
/** Run by the posture code lens (the server names it): shows the posture hover at a position. */
export const SHOW_POSTURE_COMMAND = 'brickguard.showPosture';
/** Run after a quick fix that also edited other files: shows them beside the editor. */
export const SHOW_EDITED_FILES_COMMAND = 'brickguard.showEditedFiles';

/** What Brickguard: Fix All in File did. */
export interface FixAllReport {
  /** Fix-all edits applied (0 when there was nothing to fix). */
  applied: number;
  /** Brickguard findings of the file before and after. */
  before: number;
  after: number;
  /** Other files the fixes edited (a parameters file, a .tfvars). */
  otherFiles: string[];
  /** The notification shown. */
  message: string;
}

const BATCH_SIZE = 50;

export interface ScanResult {
  files: number;
  findings: number;
  cancelled: boolean;
}

interface ScanFilesResponse {
  files: number;
  findings: number;
}

export interface RuleInfo {
  id: string;
  title: string;
  severity: string;
  defaultSeverity: string;
  dialects: string[];
  fixable: boolean;
  helpUri?: string;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  output: vscode.LogOutputChannel,
): void {
  const catalogue = new CatalogueProvider();
  let scannedThisSession = false;

  // `options.cancellation` lets a caller (another extension, the e2e suite) cancel like the
  // notification's Cancel button does.
  const scanWorkspace = async (options?: { cancellation?: vscode.CancellationToken }): Promise<ScanResult> => {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Brickguard: scanning workspace', cancellable: true },
      async (progress, token) => {
        const linked = new vscode.CancellationTokenSource();
        const subscriptions = [token, options?.cancellation]
          .filter((t): t is vscode.CancellationToken => !!t)
          .map((t) => (t.isCancellationRequested ? linked.cancel() : t.onCancellationRequested(() => linked.cancel())));
        try {
          return await scanFiles(client, progress, linked.token);
        } catch (error) {
          output.error(`Workspace scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          void vscode.window
            .showErrorMessage(`Brickguard: the workspace scan failed: ${error instanceof Error ? error.message : String(error)}`, 'Show Output')
            .then((choice) => choice && output.show(true));
          throw error;
        } finally {
          for (const s of subscriptions) s?.dispose();
          linked.dispose();
        }
      },
    );
    scannedThisSession = scannedThisSession || !result.cancelled;
    output.appendLine(
      `Workspace scan ${result.cancelled ? 'cancelled' : 'finished'}: ${result.files} files, ${result.findings} findings`,
    );
    if (!result.cancelled) {
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      void vscode.window.showInformationMessage(
        `Brickguard scanned ${result.files} file${result.files === 1 ? '' : 's'}: ${result.findings} finding${result.findings === 1 ? '' : 's'}.`,
      );
    }
    return result;
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CATALOGUE_SCHEME, catalogue),
    vscode.commands.registerCommand(SCAN_WORKSPACE_COMMAND, (options?: { cancellation?: vscode.CancellationToken }) =>
      scanWorkspace(options && typeof options === 'object' ? options : undefined),
    ),
    vscode.commands.registerCommand('brickguard.fixAllInFile', async () => (await fixAllInActiveFile()).applied),
    vscode.commands.registerCommand('brickguard.fixAllInFileReport', () => fixAllInActiveFile()),
    vscode.commands.registerCommand(SHOW_POSTURE_COMMAND, (uri: unknown, position: unknown) => showPosture(uri, position)),
    vscode.commands.registerCommand(SHOW_EDITED_FILES_COMMAND, (uris: unknown) => showEditedFiles(uris)),
    vscode.commands.registerCommand('brickguard.showRuleCatalogue', async () => {
      // Counts are "in this workspace": scan once so that files never opened are included.
      if (!scannedThisSession) await scanWorkspace();
      await client.start();
      const { rules } = await client.sendRequest<{ rules: RuleInfo[] }>('brickguard/rules', {});
      catalogue.update(renderCatalogue(rules, countFindingsByRule()));
      try {
        await vscode.commands.executeCommand('markdown.showPreview', CATALOGUE_URI);
      } catch {
        await vscode.window.showTextDocument(CATALOGUE_URI, { preview: true });
      }
      return CATALOGUE_URI;
    }),
    vscode.commands.registerCommand('brickguard.showOutput', () => {
      output.show(true);
      return true;
    }),
  );
}

async function scanFiles(
  client: LanguageClient,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<ScanResult> {
  progress.report({ message: 'listing files…' });
  // `undefined` as the exclude argument applies files.exclude; brickguard.json excludes are the
  // server's business.
  const found = await vscode.workspace.findFiles(SUPPORTED_FILES_GLOB, undefined, undefined, token);
  const skipped = new RegExp('/(node_modules|\\.git|\\.terraform)/');
  const uris = found.filter((uri) => uri.scheme === 'file' && !skipped.test(uri.path)).map((u) => u.toString());
  const total = { files: 0, findings: 0, cancelled: false };
  await client.start();
  for (let i = 0; i < uris.length; i += BATCH_SIZE) {
    if (token.isCancellationRequested) return { ...total, cancelled: true };
    const batch = uris.slice(i, i + BATCH_SIZE);
    progress.report({ message: `${Math.min(i + batch.length, uris.length)} of ${uris.length} files` });
    try {
      const response = await client.sendRequest<ScanFilesResponse>('brickguard/scanFiles', { uris: batch }, token);
      total.files += response.files;
      total.findings += response.findings;
    } catch (error) {
      if (token.isCancellationRequested) return { ...total, cancelled: true };
      throw error;
    }
    progress.report({ increment: (batch.length / uris.length) * 100 });
  }
  return total;
}

function brickguardFindings(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === BRICKGUARD_SOURCE);
}

/** Resolves when the diagnostics of `uri` change (the re-analysis after an edit), or after `ms`. */
function nextDiagnostics(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    const watch = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) finish();
    });
    function finish() {
      clearTimeout(timer);
      watch.dispose();
      done();
    }
  });
}

function fileName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** Applies every preferred fix of the active file (the server's source.brickguard.fixAllInFile action, resolved) and says what changed. */
async function fixAllInActiveFile(): Promise<FixAllReport> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    const message = 'Brickguard: open a Bicep, ARM or Terraform file first.';
    void vscode.window.showInformationMessage(message);
    return { applied: 0, before: 0, after: 0, otherFiles: [], message };
  }
  const document = editor.document;
  const before = brickguardFindings(document.uri).length;
  const fullRange = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      fullRange,
      FIX_ALL_IN_FILE_KIND.value,
      1,
    )) ?? [];
  let applied = 0;
  const others = new Map<string, vscode.Uri>();
  for (const action of actions) {
    if (!action.kind || !FIX_ALL_IN_FILE_KIND.contains(action.kind)) continue;
    if (action.edit && action.edit.size > 0) {
      const changed = nextDiagnostics(document.uri, 3000);
      if (await vscode.workspace.applyEdit(action.edit)) {
        applied++;
        for (const [uri] of action.edit.entries()) if (uri.toString() !== document.uri.toString()) others.set(uri.toString(), uri);
        await changed;
      }
    }
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  const after = brickguardFindings(document.uri).length;
  const otherFiles = [...others.values()];
  let message: string;
  if (applied === 0) {
    message = before === 0 ? 'Brickguard: nothing to fix in this file.' : `Brickguard: none of the ${plural(before, 'finding')} in this file has an automatic fix.`;
    void vscode.window.showInformationMessage(message);
  } else {
    const fixed = Math.max(0, before - after);
    const also = otherFiles.length > 0 ? `; also edited ${otherFiles.map(fileName).join(', ')}` : '';
    const left = after > 0 ? ` ${plural(after, 'finding')} left without an automatic fix.` : '';
    message = `Brickguard fixed ${plural(fixed, 'problem')} in ${fileName(document.uri)}${also}.${left}`;
    if (otherFiles.length > 0) {
      void vscode.window.showInformationMessage(message, 'Show').then((choice) => {
        if (choice) void showEditedFiles(otherFiles.map((u) => u.toString()));
      });
    } else void vscode.window.showInformationMessage(message);
  }
  return { applied, before, after, otherFiles: otherFiles.map((u) => u.toString()), message };
}

/** Moves the cursor to the position and shows the hover there (the posture of the resource). */
async function showPosture(uri: unknown, position: unknown): Promise<boolean> {
  if (typeof uri !== 'string' || typeof position !== 'object' || position === null) return false;
  const { line, character } = position as { line?: unknown; character?: unknown };
  if (typeof line !== 'number' || typeof character !== 'number') return false;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus: false });
  const at = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
  return true;
}

/** Shows files a fix edited besides the active one, beside it, without taking the focus. */
async function showEditedFiles(uris: unknown): Promise<string[]> {
  if (!Array.isArray(uris)) return [];
  const shown: string[] = [];
  for (const raw of uris) {
    if (typeof raw !== 'string') continue;
    const uri = vscode.Uri.parse(raw);
    if (uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
    shown.push(raw);
  }
  return shown;
}

function countFindingsByRule(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== BRICKGUARD_SOURCE) continue;
      const id = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

const DIALECT_NAMES: Record<string, string> = { arm: 'ARM', bicep: 'Bicep', terraform: 'Terraform' };

/** "ARM, Bicep, Terraform", as the README names them. */
export function dialectNames(dialects: string[]): string {
  return dialects.map((d) => DIALECT_NAMES[d] ?? d).join(', ');
}

export function renderCatalogue(rules: RuleInfo[], counts: Map<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const lines = [
    '# Brickguard rule catalogue',
    '',
    `${rules.length} rules; ${total} finding${total === 1 ? '' : 's'} in this workspace.`,
    '',
    '| Rule | Title | Severity | Dialects | Fix available | Findings in workspace |',
    '|---|---|---|---|---|---|',
  ];
  for (const rule of rules) {
    // The id never wraps at its hyphens (the preview allows inline styles; other renderers show the code span).
    const code = `<code style="white-space: nowrap">${rule.id}</code>`;
    const id = rule.helpUri ? `[${code}](${rule.helpUri})` : code;
    const severity = rule.severity === rule.defaultSeverity ? rule.severity : `${rule.severity} (default ${rule.defaultSeverity})`;
    lines.push(
      `| ${id} | ${escapeCell(rule.title)} | ${severity} | ${dialectNames(rule.dialects)} | ${rule.fixable ? 'yes' : 'no'} | ${counts.get(rule.id) ?? 0} |`,
    );
  }
  lines.push('', 'Severities include your `brickguard.rules` settings. Run **Brickguard: Scan Workspace** to refresh the counts.', '');
  return lines.join('\n');
}

class CatalogueProvider implements vscode.TextDocumentContentProvider {
  private content = '# Brickguard rule catalogue\n\nLoading…\n';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  update(content: string): void {
    this.content = content;
    this.changed.fire(CATALOGUE_URI);
  }

  provideTextDocumentContent(): string {
    return this.content;
  }
}
