// The status bar item shown while a supported file is active: Brickguard's finding count for that
// file. Clicking it scans the workspace.
import * as vscode from 'vscode';
import { BRICKGUARD_SOURCE, isSupportedDocument } from './documents';

export const SCAN_WORKSPACE_COMMAND = 'brickguard.scanWorkspace';

export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
  findings: number;
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
    const findings = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.source === BRICKGUARD_SOURCE);
    const errors = findings.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = findings.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    const icon = errors > 0 ? '$(error)' : warnings > 0 ? '$(warning)' : findings.length > 0 ? '$(info)' : '$(shield)';
    const text = `${icon} Brickguard: ${findings.length}`;
    const summary =
      findings.length === 0
        ? 'Brickguard: no findings in this file'
        : `Brickguard: ${findings.length} finding${findings.length === 1 ? '' : 's'} in this file (${errors} errors, ${warnings} warnings, ${findings.length - errors - warnings} information)`;
    const tooltip = `${summary}\nClick to scan the workspace`;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: summary, role: 'button' };
    this.item.show();
    this.state = { visible: true, text, tooltip, findings: findings.length };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
