// Editor commands. They ask the server to do the work (custom requests and code actions) and only
// handle the editor side: file listing, progress, cancellation, applying edits, showing pages.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BRICKGUARD_SOURCE, SUPPORTED_FILES_GLOB } from './documents';
import { SCAN_WORKSPACE_COMMAND } from './statusBar';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('brickguard');
export const CATALOGUE_SCHEME = 'brickguard-catalogue';
export const CATALOGUE_URI = vscode.Uri.parse(`${CATALOGUE_SCHEME}:/Brickguard%20Rule%20Catalogue.md`);

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
    vscode.commands.registerCommand('brickguard.fixAllInFile', () => fixAllInActiveFile()),
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

/** Applies every preferred fix of the active file (the server's source.fixAll.brickguard action). */
async function fixAllInActiveFile(): Promise<number> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Brickguard: open a Bicep, ARM or Terraform file first.');
    return 0;
  }
  const document = editor.document;
  const fullRange = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      fullRange,
      FIX_ALL_KIND.value,
    )) ?? [];
  let applied = 0;
  for (const action of actions) {
    if (!action.kind || !FIX_ALL_KIND.contains(action.kind)) continue;
    if (action.edit && action.edit.size > 0 && (await vscode.workspace.applyEdit(action.edit))) applied++;
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  if (applied === 0) void vscode.window.showInformationMessage('Brickguard: nothing to fix in this file.');
  return applied;
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
    const id = rule.helpUri ? `[\`${rule.id}\`](${rule.helpUri})` : `\`${rule.id}\``;
    const severity = rule.severity === rule.defaultSeverity ? rule.severity : `${rule.severity} (default ${rule.defaultSeverity})`;
    lines.push(
      `| ${id} | ${escapeCell(rule.title)} | ${severity} | ${rule.dialects.join(', ')} | ${rule.fixable ? 'yes' : 'no'} | ${counts.get(rule.id) ?? 0} |`,
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
