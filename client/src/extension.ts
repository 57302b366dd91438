// Brickguard's VS Code client: starts the bundled language server (dist/cli.js lsp) and adds the
// editor-only UI — commands, the status bar item and the rule catalogue page. All analysis happens
// in the server; this file only wires things together.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FindingsStatusBar, type StatusBarState } from './statusBar';
import { BRICKGUARD_SOURCE, documentSelector } from './documents';

let client: LanguageClient | undefined;

/** What the extension exposes to other extensions and to its end-to-end tests. */
export interface BrickguardApi {
  /** Resolves when the language server is running. */
  readonly ready: Promise<void>;
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  /** What the status bar item shows. */
  statusBar(): StatusBarState;
}

export function activate(context: vscode.ExtensionContext): BrickguardApi {
  const output = vscode.window.createOutputChannel('Brickguard', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/cli.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc },
  };
  const watchers = [
    '**/brickguard.json',
    '**/*.tfvars',
    '**/*.parameters.json',
    '**/*.bicepparam',
  ].map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);

  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    synchronize: { configurationSection: 'brickguard', fileEvents: watchers },
    diagnosticCollectionName: BRICKGUARD_SOURCE,
  };
  client = new LanguageClient('brickguard', 'Brickguard', serverOptions, clientOptions);

  const statusBar = new FindingsStatusBar();
  context.subscriptions.push(statusBar);
  registerCommands(context, client, output);

  const ready = client.start().catch((error: unknown) => {
    output.appendLine(`Brickguard language server failed to start: ${String(error)}`);
    throw error;
  });
  // Keep the activation promise from rejecting unhandled; `ready` carries the failure.
  ready.catch(() => undefined);
  return { ready, client, output, statusBar: () => statusBar.current };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
