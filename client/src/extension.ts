// Brickguard's VS Code client: starts the bundled language server (dist/cli.js lsp) and adds the
// editor-only UI — commands, the status bar item and the rule catalogue page. All analysis happens
// in the server; this file only wires things together.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SHOW_EDITED_FILES_COMMAND, registerCommands } from './commands';
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
  const channel = vscode.window.createOutputChannel('Brickguard', { log: true });
  context.subscriptions.push(channel);
  // End-to-end runs set BRICKGUARD_LOG_TO_CONSOLE so that the channel's lines (the server's
  // messages and stderr) reach the test log through the extension host's console.
  const output = process.env.BRICKGUARD_LOG_TO_CONSOLE ? mirrorToConsole(channel) : channel;

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
    middleware: {
      // A quick fix that also edits another file (a parameters file, a .tfvars) shows that file
      // once applied, so the change is never out of sight.
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        for (const action of actions ?? []) {
          if (!(action instanceof vscode.CodeAction) || !action.edit || action.command) continue;
          if (!action.kind || !vscode.CodeActionKind.QuickFix.contains(action.kind)) continue;
          const others = action.edit
            .entries()
            .map(([uri]) => uri)
            .filter((uri) => uri.toString() !== document.uri.toString());
          if (others.length === 0) continue;
          action.command = { title: 'Show the edited files', command: SHOW_EDITED_FILES_COMMAND, arguments: [others.map((u) => u.toString())] };
        }
        return actions;
      },
    },
  };
  client = new LanguageClient('brickguard', 'Brickguard', serverOptions, clientOptions);

  const statusBar = new FindingsStatusBar();
  context.subscriptions.push(statusBar);
  registerCommands(context, client, output);

  const ready = client.start().catch((error: unknown) => {
    output.error(`Brickguard language server failed to start: ${String(error)}`);
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

const MIRRORED = new Set(['append', 'appendLine', 'trace', 'debug', 'info', 'warn', 'error', 'replace']);

function mirrorToConsole(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property === 'string' && MIRRORED.has(property) && typeof value === 'function') {
        return (...args: unknown[]) => {
          console.log(`[Brickguard ${property}]`, ...args.map((a) => (a instanceof Error ? a.stack ?? a.message : a)));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
