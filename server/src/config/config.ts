// brickguard.json: per-rule severities and excluded paths, found at or above a file. The nearest
// file wins over the editor settings. Errors carry the file, line and column.
import { dirname, join, relative, sep } from 'node:path';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { FileHost } from '../frontends/types';
import { ruleMeta } from '../rules';
import { UNKNOWN_RULE } from '../rules/directives';
import { compileGlob, type GlobMatcher } from './glob';
import { maskTooDeep } from '../syntax/arm/parse';

export { compileGlob };
import { LineIndex, type Span } from '../text';
import type { ConfigError, Finding, LoadedConfig, Severity, SeveritySetting } from '../engine/types';

export const CONFIG_FILE_NAME = 'brickguard.json';
const SEVERITIES: readonly SeveritySetting[] = ['off', 'info', 'information', 'warning', 'error'];

/** The nearest brickguard.json at or above the file's folder, parsed and checked. */
export function loadConfig(filePath: string, host: FileHost): LoadedConfig {
  let dir = dirname(filePath);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    const text = host.readFile(candidate);
    if (text !== undefined) return parseConfig(candidate, text);
    const up = dirname(dir);
    if (up === dir) return { rules: {}, exclude: [], errors: [] };
    dir = up;
  }
}

/** Parses a brickguard.json text; problems become errors with positions, valid parts still apply. */
export function parseConfig(path: string, text: string): LoadedConfig {
  const lines = new LineIndex(text);
  const errors: ConfigError[] = [];
  const error = (span: Span, message: string, severity: Severity = 'error', ruleId?: string) => {
    const p = lines.positionAt(span.start);
    errors.push({ severity, file: path, line: p.line + 1, column: p.character + 1, span, message, ...(ruleId ? { ruleId } : {}) });
  };
  const parseErrors: ParseError[] = [];
  const masked = maskTooDeep(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text, 32);
  const root = parseTree(masked.text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (masked.at !== undefined) error({ start: masked.at, end: masked.at + 1 }, 'Nested too deeply.');
  for (const e of parseErrors) error({ start: e.offset, end: e.offset + e.length }, `Invalid JSON: ${printParseErrorCode(e.error)}`);
  const config: LoadedConfig = { path, rules: {}, exclude: [], errors };
  if (!root) return config;
  if (root.type !== 'object') {
    error(spanOf(root), 'brickguard.json must contain an object with "rules" and "exclude".');
    return config;
  }
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (!key || !value) continue;
    if (key.value === 'rules') readRules(value, config, error);
    else if (key.value === 'exclude') readExclude(value, config, error);
    else if (key.value !== '$schema') error(spanOf(key), `Unknown setting "${String(key.value)}": expected "rules" or "exclude".`, 'warning');
  }
  return config;
}

type Report = (span: Span, message: string, severity?: Severity, ruleId?: string) => void;

function readRules(node: Node, config: LoadedConfig, error: Report): void {
  if (node.type !== 'object') return error(spanOf(node), '"rules" must be an object of rule id to "off", "info", "warning" or "error".');
  for (const prop of node.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (!key || !value) continue;
    const id = String(key.value);
    if (!ruleMeta(id)) {
      error(spanOf(key), `Unknown rule '${id}' in brickguard.json.`, UNKNOWN_RULE.severity, UNKNOWN_RULE.id);
      continue;
    }
    if (value.type !== 'string' || !SEVERITIES.includes(value.value as SeveritySetting)) {
      error(spanOf(value), `The severity of '${id}' must be "off", "info", "warning" or "error".`);
      continue;
    }
    config.rules[id] = value.value as SeveritySetting;
  }
}

function readExclude(node: Node, config: LoadedConfig, error: Report): void {
  if (node.type !== 'array') return error(spanOf(node), '"exclude" must be an array of glob patterns.');
  for (const item of node.children ?? []) {
    if (item.type === 'string' && (item.value as string).trim() !== '') config.exclude.push(item.value as string);
    else error(spanOf(item), 'Each "exclude" entry must be a non-empty glob pattern string.');
  }
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

const matchers = new Map<string, GlobMatcher>();

/** The compiled matcher of a glob, kept for the next file. */
function matcherFor(glob: string): GlobMatcher {
  let m = matchers.get(glob);
  if (!m) {
    if (matchers.size > 1000) matchers.clear();
    m = compileGlob(glob);
    matchers.set(glob, m);
  }
  return m;
}

/** Whether a file matches one of the config's exclude globs (relative to the config's folder). */
export function isExcluded(filePath: string, config: LoadedConfig): boolean {
  if (!config.path || config.exclude.length === 0) return false;
  const rel = relative(dirname(config.path), filePath).split(sep).join('/');
  if (rel.startsWith('../')) return false;
  return config.exclude.some((glob) => matcherFor(glob).test(rel));
}

/** Rule severities in force: the settings, overridden by the config file. */
export function effectiveRules(
  settings: Record<string, SeveritySetting> | undefined,
  configRules: Record<string, SeveritySetting>,
): Record<string, SeveritySetting> {
  return { ...(settings ?? {}), ...configRules };
}

/**
 * The findings a config file itself gives (an unknown rule id: `brickguard-unknown-rule`), at its
 * keys, with the severity the settings and the file give that rule; none when it is off.
 */
export function configFindings(config: LoadedConfig, settings?: Record<string, SeveritySetting>): Finding[] {
  if (!config.path) return [];
  const out: Finding[] = [];
  const rules = effectiveRules(settings, config.rules);
  for (const e of config.errors) {
    if (!e.ruleId) continue;
    const meta = ruleMeta(e.ruleId);
    const setting = rules[e.ruleId];
    const severity: Severity | undefined =
      setting === undefined ? (meta?.severity ?? e.severity) : setting === 'off' ? undefined : setting === 'info' ? 'information' : setting;
    if (!severity) continue;
    out.push({ ruleId: e.ruleId, severity, message: e.message, file: config.path, span: e.span, helpUri: meta?.helpUri ?? '', related: [], fixes: [] });
  }
  return out;
}
