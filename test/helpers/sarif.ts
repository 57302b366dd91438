// Checks a SARIF log against the SARIF 2.1.0 JSON schema and against what GitHub code scanning
// needs (its SARIF support page), returning the problems found.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { lineHashes } from '../../server/src/cli/lineHash';
import { repoRoot } from './corpus';

// The OASIS schema as shipped in the npm package @microsoft/jest-sarif (MIT); it is draft-04, which
// Ajv reads as draft-07 once its `id` is renamed `$id` (it uses no other draft-04-only keyword).
const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
delete schema.$schema;
schema.$id = schema.id;
delete schema.id;

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's language pattern is not valid with the u flag;
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

export function schemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

interface Region {
  startLine?: number;
}

/**
 * GitHub's rules: one run; per rule an id, shortDescription, fullDescription, help.text (and here
 * help.markdown), a precision and a security-severity; per result a ruleId, a message and a first
 * location with a relative URI and a start line ≥ 1, and a primaryLocationLineHash equal to the one
 * GitHub computes from the file under `root`.
 */
export function gitHubProblems(log: any, root: string): string[] {
  const problems: string[] = [];
  if (!Array.isArray(log.runs) || log.runs.length !== 1) problems.push(`runs: ${log.runs?.length} (want exactly 1)`);
  const run = log.runs?.[0];
  if (!run) return problems;
  const id = run.automationDetails?.id;
  if (typeof id !== 'string' || id.length < 2 || !id.endsWith('/')) problems.push(`automationDetails.id '${id}'`);
  const rules: any[] = run.tool?.driver?.rules ?? [];
  const ruleIds = new Set<string>();
  for (const r of rules) {
    const where = `rule ${r.id}`;
    if (ruleIds.has(r.id)) problems.push(`${where}: duplicate`);
    ruleIds.add(r.id);
    for (const key of ['shortDescription', 'fullDescription'] as const) {
      if (typeof r[key]?.text !== 'string' || r[key].text.length === 0) problems.push(`${where}: no ${key}.text`);
    }
    if (typeof r.help?.text !== 'string' || r.help.text.length < 20) problems.push(`${where}: no help.text`);
    if (typeof r.help?.markdown !== 'string' || r.help.markdown.length < 20) problems.push(`${where}: no help.markdown`);
    if (!['very-high', 'high', 'medium', 'low'].includes(r.properties?.precision)) problems.push(`${where}: precision ${r.properties?.precision}`);
    const sev = Number(r.properties?.['security-severity']);
    if (!(sev >= 0 && sev <= 10)) problems.push(`${where}: security-severity ${r.properties?.['security-severity']}`);
    const tags: unknown = r.properties?.tags;
    if (!Array.isArray(tags) || !tags.includes('security')) problems.push(`${where}: tags lack 'security'`);
    else for (const t of tags) if (typeof t === 'string' && t.includes('cwe') && !/^external\/cwe\/cwe-\d+$/.test(t)) problems.push(`${where}: tag ${t}`);
  }
  const base = run.originalUriBaseIds?.SRCROOT?.uri;
  if (typeof base !== 'string' || !base.startsWith('file://') || !base.endsWith('/')) problems.push(`originalUriBaseIds.SRCROOT '${base}'`);
  const hashes = new Map<string, string[]>();
  for (const [i, res] of (run.results ?? []).entries()) {
    const where = `result ${i} (${res.ruleId})`;
    if (!ruleIds.has(res.ruleId)) problems.push(`${where}: rule not in driver.rules`);
    if (typeof res.message?.text !== 'string' || res.message.text.length === 0) problems.push(`${where}: no message`);
    const loc = res.locations?.[0]?.physicalLocation;
    const uri: unknown = loc?.artifactLocation?.uri;
    const region: Region | undefined = loc?.region;
    if (typeof uri !== 'string' || uri.length === 0) {
      problems.push(`${where}: no location`);
      continue;
    }
    if (!(typeof region?.startLine === 'number' && region.startLine >= 1)) problems.push(`${where}: startLine ${region?.startLine}`);
    if (uri.startsWith('file:') || isAbsolute(uri) || uri.split('/').includes('..')) problems.push(`${where}: URI '${uri}' is not relative to the base`);
    else if (loc.artifactLocation.uriBaseId !== 'SRCROOT') problems.push(`${where}: uriBaseId ${loc.artifactLocation.uriBaseId}`);
    const lineHash: unknown = res.partialFingerprints?.primaryLocationLineHash;
    if (typeof lineHash !== 'string' || !/^[0-9a-f]{1,16}:\d+$/.test(lineHash)) {
      problems.push(`${where}: primaryLocationLineHash '${lineHash}'`);
    } else if (typeof region?.startLine === 'number') {
      const file = join(typeof base === 'string' ? fileURLToPath(base) : root, decodeURIComponent(uri));
      if (!hashes.has(file)) hashes.set(file, existsSync(file) ? lineHashes(readFileSync(file, 'utf8')) : []);
      const expected = hashes.get(file)?.[region.startLine - 1];
      if (lineHash !== expected) problems.push(`${where}: primaryLocationLineHash ${lineHash}, GitHub computes ${expected}`);
    }
    const own = Object.keys(res.partialFingerprints ?? {}).filter((k) => k !== 'primaryLocationLineHash');
    if (own.length === 0) problems.push(`${where}: no resource-anchored fingerprint beside the line hash`);
  }
  return problems;
}

/** Schema and GitHub problems of one log. */
export function sarifProblems(log: unknown, root: string): string[] {
  return [...schemaErrors(log).map((e) => `schema: ${e}`), ...gitHubProblems(log, root)];
}
