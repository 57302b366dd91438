// Translation between the core's offsets/findings and LSP positions, diagnostics and edits.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import {
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Range,
  TextDocumentEdit,
  WorkspaceEdit,
  type OptionalVersionedTextDocumentIdentifier,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { Finding, Severity } from '../engine/types';
import { LineIndex, type Span, type TextEdit } from '../text';

export const SOURCE = 'brickguard';

/** File extension that tells the core the dialect of an untitled document, by language id. */
const UNTITLED_EXTENSIONS: Record<string, string> = {
  bicep: '.bicep',
  bicepparam: '.bicepparam',
  // The Bicep extension's id for .bicepparam.
  'bicep-params': '.bicepparam',
  terraform: '.tf',
  'terraform-vars': '.tfvars',
  json: '.json',
  jsonc: '.jsonc',
};

/** A folder that does not exist, holding the virtual paths of untitled documents. */
const UNTITLED_ROOT = resolve('/', '.brickguard-untitled');

/**
 * Maps file paths to the URIs the client used for them, so published URIs match the client's
 * spelling; untitled documents get a virtual path whose extension names their dialect.
 */
export class UriMap {
  private readonly byPath = new Map<string, string>();
  private readonly untitled = new Map<string, string>();

  remember(uri: string, languageId?: string): string | undefined {
    let path = uriToPath(uri);
    if (path === undefined && uri.startsWith('untitled:') && languageId && UNTITLED_EXTENSIONS[languageId]) {
      const name = decodeURIComponent(uri.slice('untitled:'.length)).replace(/[^A-Za-z0-9_-]+/g, '_') || 'untitled';
      path = join(UNTITLED_ROOT, `${name}${UNTITLED_EXTENSIONS[languageId]}`);
      this.untitled.set(uri, path);
    }
    if (path !== undefined) this.byPath.set(path, uri);
    return path;
  }

  forget(uri: string): void {
    const path = this.untitled.get(uri);
    if (path === undefined) return;
    this.untitled.delete(uri);
    this.byPath.delete(path);
  }

  /** The path of a `file:` URI or of a remembered untitled document. */
  pathOf(uri: string): string | undefined {
    return uriToPath(uri) ?? this.untitled.get(uri);
  }

  uriFor(path: string): string {
    return this.byPath.get(resolve(path)) ?? pathToFileURL(resolve(path)).href;
  }
}

/** The absolute file path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function toRange(index: LineIndex, span: Span): Range {
  const start = index.positionAt(span.start);
  const end = index.positionAt(Math.max(span.start, span.end));
  return Range.create(start.line, start.character, end.line, end.character);
}

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** Supplies a LineIndex for any file the analysis touched (open document, analysed text, disk). */
export type IndexFor = (path: string) => LineIndex | undefined;

export function findingToDiagnostic(finding: Finding, index: LineIndex, indexFor: IndexFor, uris: UriMap): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(index, finding.span),
    severity: toLspSeverity(finding.severity),
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  if (finding.helpUri) diagnostic.codeDescription = { href: finding.helpUri };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const relatedIndex = r.loc.file === finding.file ? index : indexFor(r.loc.file);
    if (!relatedIndex) continue;
    related.push({ location: { uri: uris.uriFor(r.loc.file), range: toRange(relatedIndex, r.loc.span) }, message: r.message });
  }
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

/**
 * Builds a WorkspaceEdit from core edits, which may touch several files (e.g. a parameters file).
 * `versionOf` gives the open document version (null when the file is not open).
 */
export function toWorkspaceEdit(
  edits: readonly TextEdit[],
  indexFor: IndexFor,
  uris: UriMap,
  versionOf: (path: string) => number | null,
  useDocumentChanges: boolean,
): WorkspaceEdit | undefined {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    list.push(e);
    byFile.set(e.file, list);
  }
  const perFile: { uri: string; version: number | null; edits: LspTextEdit[] }[] = [];
  for (const [file, list] of byFile) {
    const index = indexFor(file);
    if (!index) return undefined; // a target we cannot read: offer no edit rather than a wrong one
    const sorted = [...list].sort((a, b) => a.span.start - b.span.start);
    perFile.push({
      uri: uris.uriFor(file),
      version: versionOf(file),
      edits: sorted.map((e) => ({ range: toRange(index, e.span), newText: e.newText })),
    });
  }
  if (perFile.length === 0) return undefined;
  if (useDocumentChanges) {
    return {
      documentChanges: perFile.map((f) =>
        TextDocumentEdit.create({ uri: f.uri, version: f.version } as OptionalVersionedTextDocumentIdentifier, f.edits),
      ),
    };
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const f of perFile) changes[f.uri] = f.edits;
  return { changes };
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
