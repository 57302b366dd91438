// Code actions for Brickguard diagnostics, in the order product.md §4 gives: the preferred fix,
// other fixes, the suppression, the guidance link; plus `source.fixAll.brickguard`.
import { resolve } from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import { fixAllEdits } from '../engine/index';
import type { AnalysisResult, Finding } from '../engine/types';
import type { LineIndex, TextEdit } from '../text';
import { SOURCE, sameRange, toRange } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.brickguard`;
export const FIX_ALL_IN_FILE_TITLE = 'Fix all Brickguard problems in this file';
/** Server command for editors other than VS Code: asks the client to show the URL (window/showDocument). */
export const OPEN_GUIDANCE_COMMAND = 'brickguard.openGuidance';

export interface CodeActionInput {
  result: AnalysisResult;
  /** The file the request is for, and its text as analysed. */
  path: string;
  index: LineIndex;
  /** The client's diagnostics in the requested range. */
  diagnostics: Diagnostic[];
  /** The kinds the client asked for, if it restricted them. */
  only?: string[];
  /** Turns core edits (possibly in several files) into a WorkspaceEdit; undefined when a target is unreadable. */
  toEdit: (edits: readonly TextEdit[]) => WorkspaceEdit | undefined;
  /** The command that opens a guidance link: VS Code's `vscode.open`, or the server's own for other editors. */
  openCommand?: string;
}

/** The code actions for a request. */
export function buildCodeActions(input: CodeActionInput): CodeAction[] {
  const { result, path, index, only, toEdit } = input;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  let fixAll: WorkspaceEdit | undefined | null = null;
  const fixAllEdit = () => {
    if (fixAll === null) {
      const edits = fixAllEdits(result, path);
      fixAll = edits.length > 0 ? toEdit(edits) : undefined;
    }
    return fixAll;
  };

  if (wants(CodeActionKind.QuickFix)) {
    const own = result.findings.filter((f) => resolve(f.file) === path);
    let fixable = false;
    for (const diagnostic of input.diagnostics) {
      if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string') continue;
      const finding = findingFor(diagnostic, own, index);
      if (!finding) continue;
      actions.push(...actionsFor(finding, diagnostic, toEdit, input.openCommand ?? 'vscode.open'));
      fixable ||= finding.fixes.some((f) => f.kind === 'fix' && f.preferred);
    }
    // The Ctrl+. menu hides source actions, so fix-all is offered there as a quick fix too.
    const edit = fixable ? fixAllEdit() : undefined;
    if (edit) actions.push({ title: FIX_ALL_IN_FILE_TITLE, kind: `${CodeActionKind.QuickFix}.brickguard.fixAll`, edit });
  }

  // Source actions are listed when asked for (codeActionsOnSave) or when the client does not filter.
  if (!only || wants(FIX_ALL_KIND)) {
    const edit = fixAllEdit();
    if (edit) actions.push({ title: FIX_ALL_IN_FILE_TITLE, kind: FIX_ALL_KIND, edit });
  }
  return actions;
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
export function findingFor(diagnostic: Diagnostic, findings: Finding[], index: LineIndex): Finding | undefined {
  const sameRule = findings.filter((f) => f.ruleId === diagnostic.code);
  const exact = sameRule.find((f) => sameRange(toRange(index, f.span), diagnostic.range));
  if (exact) return exact;
  const sameLine = sameRule.filter((f) => toRange(index, f.span).start.line === diagnostic.range.start.line);
  if (sameLine.length === 1) return sameLine[0];
  return sameRule.length === 1 ? sameRule[0] : undefined;
}
