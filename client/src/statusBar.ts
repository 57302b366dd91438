// The status bar item shown while a supported file is active: whether Brickguard found anything in
// that file ("Brickguard ✓" / "Brickguard 3"), which the built-in counters (all sources, every
// file) do not say. The tooltip breaks it down by severity; clicking it scans the workspace.
import * as vscode from 'vscode';
import { BRICKGUARD_SOURCE, isSupportedDocument } from './documents';

export const SCAN_WORKSPACE_COMMAND = 'brickguard.scanWorkspace';

export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
  findings: number;
}

/** "1 warning", "2 warnings". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The tooltip's first line: Brickguard's findings in the active file by severity. */
export function describeCounts(errors: number, warnings: number, infos: number): string {
  const total = errors + warnings + infos;
  if (total === 0) return 'Brickguard: no findings in this file';
  const parts = [
    errors > 0 ? plural(errors, 'error') : '',
    warnings > 0 ? plural(warnings, 'warning') : '',
    infos > 0 ? plural(infos, 'information message') : '',
  ].filter((p) => p !== '');
  return `Brickguard: ${plural(total, 'finding')} in this file (${parts.join(', ')})`;
}

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('brickguard.findings', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private state: StatusBarState = { visible: false, text: '', tooltip: '', findings: 0 };

  constructor() {
    this.item.name = 'Brickguard';
    this.item.command = SCAN_WORKSPACE_COMMAND;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('brickguard.enable')) this.update();
      }),
    );
    this.update();
  }

  /** What the item currently shows (for tests and the extension API). */
  get current(): StatusBarState {
    return { ...this.state };
  }

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const enabled = vscode.workspace.getConfiguration('brickguard').get<boolean>('enable', true);
    if (!document || !enabled || !isSupportedDocument(document)) {
      this.state = { visible: false, text: '', tooltip: '', findings: 0 };
      this.item.hide();
      return;
    }
    const findings = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === BRICKGUARD_SOURCE);
    const errors = findings.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = findings.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    const infos = findings.length - errors - warnings;
    const text = findings.length === 0 ? '$(shield) Brickguard ✓' : `$(shield) Brickguard ${findings.length}`;
    const summary = describeCounts(errors, warnings, infos);
    const tooltip = `${summary}\nClick to scan the workspace`;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `${summary}. Click to scan the workspace.`, role: 'button' };
    this.item.show();
    this.state = { visible: true, text, tooltip, findings: findings.length };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
