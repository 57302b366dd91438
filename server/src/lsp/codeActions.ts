// Code actions for Brickguard diagnostics, in the order product.md §4 gives: the preferred fix,
// other fixes, the suppression, the guidance link; plus fix-all actions, whose edits are computed
// on codeAction/resolve (not on every request) when the client resolves edits:
// - `source.fixAll.brickguard` (what codeActionsOnSave runs) applies only fixes that edit
//   existing text (set, remove, replace);
// - `source.brickguard.fixAllInFile` (the *Fix All in File* command) and the quick fix "Fix all
//   Brickguard problems in this file" apply every preferred fix, including those that add
//   parameters and resources. Neither is a `source.fixAll` kind, so no editor runs them on save.
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import { fixAllEdits } from '../engine/index';
import type { AnalysisResult, Finding } from '../engine/types';
import type { LineIndex, TextEdit } from '../text';
import { SOURCE, sameRange, toRange } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.brickguard`;
export const FIX_ALL_IN_FILE_TITLE = 'Fix all Brickguard problems in this file';
export const FIX_ALL_IN_PLACE_TITLE = 'Fix all Brickguard problems in place';
export const FIX_ALL_IN_FILE_KIND = `${CodeActionKind.Source}.brickguard.fixAllInFile`;

/** What a fix-all action carries until it is resolved. */
export interface FixAllData {
  brickguardFixAll: 'inPlace' | 'all';
  uri: string;
}
/** Server command for editors other than VS Code: asks the client to show the URL (window/showDocument). */
export const OPEN_GUIDANCE_COMMAND = 'brickguard.openGuidance';

export interface CodeActionInput {
  /** The findings located in the file the request is for, with their fixes. */
  findings: readonly Finding[];
  /** The file's text as analysed. */
  index: LineIndex;
  /** The client's diagnostics in the requested range. */
  diagnostics: Diagnostic[];
  /** The kinds the client asked for, if it restricted them. */
  only?: string[];
  /** Turns core edits (possibly in several files) into a WorkspaceEdit; undefined when a target is unreadable. */
  toEdit: (edits: readonly TextEdit[]) => WorkspaceEdit | undefined;
  /** The command that opens a guidance link: VS Code's `vscode.open`, or the server's own for other editors. */
  openCommand?: string;
  /** The document's URI (carried by fix-all actions to their resolve). */
  uri?: string;
  /** Whether the client resolves code actions' edits lazily; otherwise fix-all edits are computed now. */
  resolveEdits?: boolean;
  /** Computes a fix-all edit now (clients that cannot resolve); it needs the whole analysis. */
  fixAll: (mode: FixAllData['brickguardFixAll']) => WorkspaceEdit | undefined;
}

/** The code actions for a request. */
export function buildCodeActions(input: CodeActionInput): CodeAction[] {
  const { findings, index, only, toEdit } = input;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const eager = new Map<string, WorkspaceEdit | undefined>();
  /** A fix-all action: with `data` for resolve, or with its edit for clients that cannot resolve. */
  const fixAllAction = (title: string, kind: string, mode: FixAllData['brickguardFixAll']): CodeAction | undefined => {
    if (!hasPreferredFix(findings, mode === 'inPlace')) return undefined;
    if (input.resolveEdits) return { title, kind, data: { brickguardFixAll: mode, uri: input.uri ?? '' } satisfies FixAllData };
    if (!eager.has(mode)) eager.set(mode, input.fixAll(mode));
    const edit = eager.get(mode);
    return edit && { title, kind, edit };
  };

  if (wants(CodeActionKind.QuickFix)) {
    let onFinding = false;
    for (const diagnostic of input.diagnostics) {
      if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string') continue;
      const finding = findingFor(diagnostic, findings, index);
      if (!finding) continue;
      actions.push(...actionsFor(finding, diagnostic, toEdit, input.openCommand ?? 'vscode.open'));
      onFinding = true;
    }
    // The Ctrl+. menu hides source actions, so fix-all is offered there as a quick fix too: on any
    // finding, when the file has something fix-all applies (not only the finding under the cursor).
    const action = onFinding ? fixAllAction(FIX_ALL_IN_FILE_TITLE, `${CodeActionKind.QuickFix}.brickguard.fixAll`, 'all') : undefined;
    if (action) actions.push(action);
  }

  // Source actions are listed when asked for (codeActionsOnSave, the command) or when the client
  // does not filter, and only when there is something to fix.
  for (const [kind, mode, title] of [
    [FIX_ALL_KIND, 'inPlace', FIX_ALL_IN_PLACE_TITLE],
    [FIX_ALL_IN_FILE_KIND, 'all', FIX_ALL_IN_FILE_TITLE],
  ] as const) {
    if (only && !wants(kind)) continue;
    const action = fixAllAction(title, kind, mode);
    if (action) actions.push(action);
  }
  return actions;
}

function hasPreferredFix(findings: readonly Finding[], inPlaceOnly: boolean): boolean {
  return findings.some((f) => f.fixes.some((x) => x.kind === 'fix' && x.preferred && (!inPlaceOnly || x.inPlace)));
}

/** The edit of a fix-all action (at resolve, or eagerly for clients that cannot resolve). */
export function fixAllEdit(result: AnalysisResult, path: string, mode: FixAllData['brickguardFixAll'], toEdit: CodeActionInput['toEdit']): WorkspaceEdit | undefined {
  const edits = fixAllEdits(result, path, { inPlaceOnly: mode === 'inPlace' });
  return edits.length > 0 ? toEdit(edits) : undefined;
}

export function isFixAllData(data: unknown): data is FixAllData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as { brickguardFixAll?: unknown; uri?: unknown };
  return (d.brickguardFixAll === 'inPlace' || d.brickguardFixAll === 'all') && typeof d.uri === 'string';
}

function actionsFor(finding: Finding, diagnostic: Diagnostic, toEdit: CodeActionInput['toEdit'], openCommand: string): CodeAction[] {
  const actions: CodeAction[] = [];
  const fixes = finding.fixes.filter((f) => f.kind === 'fix');
  for (const fix of [...fixes.filter((f) => f.preferred), ...fixes.filter((f) => !f.preferred)]) {
    const edit = toEdit(fix.edits);
    if (!edit) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.preferred || undefined,
      edit,
    });
  }
  for (const fix of finding.fixes.filter((f) => f.kind === 'suppress')) {
    const edit = toEdit(fix.edits);
    if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
  }
  if (finding.helpUri) {
    // The server opens nothing itself: the client opens the guidance URL.
    const title = `Open guidance for ${finding.ruleId}`;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title, command: openCommand, arguments: [finding.helpUri] },
    });
  }
  return actions;
}

/**
 * The finding behind a diagnostic the client sends back. Its range can predate the latest edit
 * (the client still shows the previous publication), so fall back to the same rule on the same
 * line, then to the only finding of that rule.
 */
export function findingFor(diagnostic: Diagnostic, findings: readonly Finding[], index: LineIndex): Finding | undefined {
  const sameRule = findings.filter((f) => f.ruleId === diagnostic.code);
  const exact = sameRule.find((f) => sameRange(toRange(index, f.span), diagnostic.range));
  if (exact) return exact;
  const sameLine = sameRule.filter((f) => toRange(index, f.span).start.line === diagnostic.range.start.line);
  if (sameLine.length === 1) return sameLine[0];
  return sameRule.length === 1 ? sameRule[0] : undefined;
}
