// SARIF 2.1.0 rendering of a scan report, for code-scanning services.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleCatalogue } from '../engine/index';
import type { Finding, Severity } from '../engine/types';
import { cweIds, precision } from '../rules/crossrefs';
import { helpMarkdown, helpText } from '../rules/help';
import { ruleMeta } from '../rules/index';
import type { LineIndex, Span } from '../text';
import { lineHashes } from './lineHash';
import { displayPath, indexer, lineColumn, type ScanReport } from './scan';
import { VERSION } from './version';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT_KEY = 'brickguard/v1';
const LINE_HASH_KEY = 'primaryLocationLineHash';

export interface SarifOptions {
  /** `automationDetails.id`, the code-scanning category (a trailing `/` is added). */
  category?: string;
  /** Folder that artifact URIs are relative to (SRCROOT); default the report's working folder. */
  base?: string;
  /** The paths given on the command line, for the default category. */
  paths?: string[];
}

type Level = 'error' | 'warning' | 'note';

/** CVSS-like scores for GitHub code scanning: high, medium, low. */
const SECURITY_SEVERITY: Record<Level, string> = { error: '8.0', warning: '5.0', note: '2.0' };

function level(severity: string): Level {
  if (severity === 'error') return 'error';
  if (severity === 'warning') return 'warning';
  return 'note';
}

/** `databricks-public-network-access` → `DatabricksPublicNetworkAccess` (SARIF names are identifiers). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

function artifactLocation(file: string, base: string): ArtifactLocation {
  const shown = displayPath(resolve(file), base);
  if (shown === resolve(file)) return { uri: pathToFileURL(resolve(file)).href };
  return { uri: shown.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

/** `brickguard/<paths>/`: the scanned paths relative to the base, `root` for the base itself. */
export function defaultCategory(paths: string[], cwd: string, base: string): string {
  const labels = (paths.length > 0 ? paths : ['.']).map((p) => {
    const rel = relative(base, resolve(cwd, p));
    if (rel === '') return 'root';
    return (rel.startsWith('..') || isAbsolute(rel) ? resolve(cwd, p) : rel).split(sep).filter(Boolean).join('/');
  });
  return `brickguard/${[...new Set(labels)].sort().join('+')}/`;
}

function withSlash(category: string): string {
  return category.endsWith('/') ? category : `${category}/`;
}

/** GitHub's line hash of each result's first line, read from the file as the upload action reads it. */
function lineHashesFor(findings: Finding[], indexFor: (file: string) => LineIndex, report: ScanReport): (string | undefined)[] {
  const byFile = new Map<string, string[]>();
  return findings.map((f) => {
    const path = resolve(f.file);
    let hashes = byFile.get(path);
    if (!hashes) {
      let text: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        text = report.texts.get(path);
      }
      hashes = text === undefined ? [] : lineHashes(text);
      byFile.set(path, hashes);
    }
    return hashes[lineColumn(indexFor(f.file), f.span.start).line - 1];
  });
}

function region(index: LineIndex, span: Span) {
  const start = lineColumn(index, span.start);
  const end = lineColumn(index, Math.max(span.start, span.end));
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * A fingerprint that survives lines inserted above the finding: rule id, file, resource and the
 * normalised text of the finding's line, never its line number. Equal keys get an occurrence count.
 */
function fingerprints(findings: Finding[], report: ScanReport, indexFor: (file: string) => LineIndex, base: string): string[] {
  const occurrences = new Map<string, number>();
  return findings.map((f) => {
    const index = indexFor(f.file);
    const lineText = index.lineText(index.positionAt(f.span.start).line).replace(/\s+/g, ' ').trim();
    const file = displayPath(resolve(f.file), base).split(sep).join('/');
    // Resource ids may embed paths and offsets; use the resource's kind and symbolic name instead.
    const resource = f.resourceId ? (report.resourceNames.get(f.resourceId) ?? '') : '';
    const hash = createHash('sha256').update([f.ruleId, file, resource, lineText].join('\0')).digest('hex').slice(0, 32);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    return `${hash}:${n}`;
  });
}

function ruleTags(id: string): string[] {
  return ['security', ...cweIds(id).map((n) => `external/cwe/cwe-${n}`)];
}

export function formatSarif(report: ScanReport, options: SarifOptions = {}): string {
  const base = options.base ? resolve(report.cwd, options.base) : report.cwd;
  const indexFor = indexer(report);
  const catalogue = ruleCatalogue();
  const rules = catalogue.map((r) => {
    const meta = ruleMeta(r.id);
    return {
      id: r.id,
      name: ruleName(r.id),
      shortDescription: { text: r.title },
      fullDescription: { text: meta?.docs.why ?? r.title },
      help: meta ? { text: helpText(meta), markdown: helpMarkdown(meta) } : { text: `${r.title}\n\nGuidance: ${r.helpUri}` },
      helpUri: r.helpUri,
      defaultConfiguration: { level: level(r.severity) },
      // `security-severity`, `precision` and the tags let code-scanning services rank and filter the alerts.
      properties: {
        tags: ruleTags(r.id),
        precision: precision(r.id),
        'security-severity': SECURITY_SEVERITY[level(r.severity)],
        dialects: [...r.dialects],
        fixable: r.fixable,
      },
    };
  });
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of report.findings) {
    if (ruleIndex.has(f.ruleId)) continue;
    ruleIndex.set(f.ruleId, rules.length);
    rules.push({
      id: f.ruleId,
      name: ruleName(f.ruleId),
      shortDescription: { text: f.ruleId },
      fullDescription: { text: f.ruleId },
      help: { text: `Guidance: ${f.helpUri}`, markdown: `[Guidance](${f.helpUri})` },
      helpUri: f.helpUri,
      defaultConfiguration: { level: level(f.severity as Severity) },
      properties: {
        tags: ruleTags(f.ruleId),
        precision: precision(f.ruleId),
        'security-severity': SECURITY_SEVERITY[level(f.severity)],
        dialects: [],
        fixable: false,
      },
    });
  }
  // Every result has a location in a file: a finding without one is not reported.
  const located = report.findings.filter((f) => f.file && f.span.start >= 0);
  const prints = fingerprints(located, report, indexFor, base);
  const lineHash = lineHashesFor(located, indexFor, report);
  const results = located.map((f, i) => {
    const fixes = [...f.fixes.filter((x) => x.kind === 'fix' && x.preferred), ...f.fixes.filter((x) => x.kind === 'fix' && !x.preferred)];
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: level(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file, base), region: region(indexFor(f.file), f.span) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i], ...(lineHash[i] ? { [LINE_HASH_KEY]: lineHash[i] } : {}) },
    };
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: { artifactLocation: artifactLocation(r.loc.file, base), region: region(indexFor(r.loc.file), r.loc.span) },
      }));
    }
    if (fixes.length > 0) {
      result.fixes = fixes.map((fix) => {
        const byFile = new Map<string, typeof fix.edits>();
        for (const e of fix.edits) byFile.set(resolve(e.file), [...(byFile.get(resolve(e.file)) ?? []), e]);
        return {
          description: { text: fix.title },
          artifactChanges: [...byFile].map(([file, edits]) => ({
            artifactLocation: artifactLocation(file, base),
            replacements: edits.map((e) => ({
              deletedRegion: region(indexFor(file), e.span),
              insertedContent: { text: e.newText },
            })),
          })),
        };
      });
    }
    return result;
  });
  const notifications = report.files.flatMap((file) =>
    file.syntaxErrors.map((e) => ({
      level: 'warning',
      descriptor: { id: 'syntax-error' },
      message: { text: `Syntax error (the parts that parsed were analysed): ${e.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(e.file || file.path, base),
            region: region(indexFor(e.file || file.path), e.span),
          },
        },
      ],
    })),
  );
  for (const n of report.notes) {
    notifications.push({
      level: 'note',
      descriptor: { id: 'not-followed' },
      message: { text: n.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file, base), region: region(indexFor(n.file), n.span) } }],
    });
  }
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Brickguard',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://learn.microsoft.com/azure/databricks/security/',
            rules,
          },
        },
        automationDetails: { id: withSlash(options.category ?? defaultCategory(options.paths ?? [], report.cwd, base)) },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(base.endsWith(sep) ? base : base + sep).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        artifacts: report.files.map((f) => ({ location: artifactLocation(f.path, base) })),
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
