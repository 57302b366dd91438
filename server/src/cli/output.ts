// Text and JSON renderings of a scan report.
import type { Finding, ResolvedFix, Severity } from '../engine/types';
import type { LineIndex, Span } from '../text';
import { safeText } from './hygiene';
import { displayPath, indexer, lineColumn, type FixSummary, type ScanReport } from './scan';

export const SEVERITY_RANK: Record<Severity, number> = { information: 0, warning: 1, error: 2 };

interface JsonRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

function jsonRange(index: LineIndex, span: Span): JsonRange {
  return { start: lineColumn(index, span.start), end: lineColumn(index, Math.max(span.start, span.end)) };
}

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

const FAMILY_LABEL = { arm: 'ARM', bicep: 'Bicep', terraform: 'Terraform' } as const;

/** The closing summary: files by dialect, findings by severity, files with syntax errors. */
export function summaryLine(report: ScanReport): string {
  const byFamily = { arm: 0, bicep: 0, terraform: 0 };
  for (const f of report.files) byFamily[f.family]++;
  const families = (Object.keys(byFamily) as (keyof typeof byFamily)[])
    .filter((k) => byFamily[k] > 0)
    .map((k) => `${byFamily[k]} ${FAMILY_LABEL[k]}`);
  const bySeverity = { error: 0, warning: 0, information: 0 };
  for (const f of report.findings) bySeverity[f.severity]++;
  const withSyntaxErrors = report.files.filter((f) => f.syntaxErrors.length > 0).length;
  return (
    `Scanned ${plural(report.files.length, 'file')}${families.length > 0 ? ` (${families.join(', ')})` : ''}; ` +
    `${plural(report.findings.length, 'finding')} (${plural(bySeverity.error, 'error')}, ${plural(bySeverity.warning, 'warning')}, ` +
    `${bySeverity.information} information); ${plural(withSyntaxErrors, 'file')} with syntax errors.`
  );
}

export function formatText(report: ScanReport, fixed?: FixSummary[], written?: string[]): string {
  const lines: string[] = [];
  const indexFor = indexer(report);
  const cwd = report.cwd;
  if (fixed) {
    for (const f of fixed) lines.push(`fixed  ${safeText(displayPath(f.path, cwd))}  ${f.ruleIds.join(', ')}`);
    if (fixed.length === 0) lines.push('fixed  nothing to fix');
    // Fixes may change other files than the finding's (a parameters file, a .tfvars).
    for (const p of written ?? []) lines.push(`changed  ${safeText(displayPath(p, cwd))}`);
  }
  for (const f of report.findings) {
    const { line, column } = lineColumn(indexFor(f.file), f.span.start);
    lines.push(`${safeText(displayPath(f.file, cwd))}:${line}:${column}  ${f.severity}  ${f.ruleId}  ${safeText(f.message)}`);
  }
  for (const file of report.files) {
    for (const e of file.syntaxErrors) {
      const { line, column } = lineColumn(indexFor(e.file || file.path), e.span.start);
      lines.push(`${safeText(displayPath(e.file || file.path, cwd))}:${line}:${column}  syntax error  ${safeText(e.message)}`);
    }
  }
  for (const n of report.notes) {
    const { line, column } = lineColumn(indexFor(n.file), n.span.start);
    lines.push(`${safeText(displayPath(n.file, cwd))}:${line}:${column}  note  ${safeText(n.message)}`);
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function jsonFix(fix: ResolvedFix, report: ScanReport, indexFor: (file: string) => LineIndex) {
  return {
    title: fix.title,
    kind: fix.kind,
    preferred: fix.preferred,
    edits: fix.edits.map((e) => ({
      path: displayPath(e.file, report.cwd),
      range: jsonRange(indexFor(e.file), e.span),
      newText: e.newText,
    })),
  };
}

function jsonFinding(f: Finding, report: ScanReport, indexFor: (file: string) => LineIndex) {
  return {
    path: displayPath(f.file, report.cwd),
    range: jsonRange(indexFor(f.file), f.span),
    severity: f.severity,
    ruleId: f.ruleId,
    message: f.message,
    helpUri: f.helpUri,
    related: f.related.map((r) => ({
      path: displayPath(r.loc.file, report.cwd),
      range: jsonRange(indexFor(r.loc.file), r.loc.span),
      message: r.message,
    })),
    fixes: f.fixes.map((fix) => jsonFix(fix, report, indexFor)),
  };
}

export function formatJson(report: ScanReport, fixed?: FixSummary[], written?: string[]): string {
  const indexFor = indexer(report);
  const out: Record<string, unknown> = {
    files: report.files.map((file) => ({
      path: displayPath(file.path, report.cwd),
      dialect: file.family,
      syntaxErrors: file.syntaxErrors.map((e) => ({ ...lineColumn(indexFor(e.file || file.path), e.span.start), message: e.message })),
    })),
    findings: report.findings.map((f) => jsonFinding(f, report, indexFor)),
    notes: report.notes.map((n) => ({ path: displayPath(n.file, report.cwd), ...lineColumn(indexFor(n.file), n.span.start), message: n.message })),
  };
  if (fixed) out.fixed = fixed.map((f) => ({ path: displayPath(f.path, report.cwd), ruleIds: f.ruleIds }));
  if (written) out.changedFiles = written.map((p) => displayPath(p, report.cwd));
  return `${JSON.stringify(out, null, 2)}\n`;
}
