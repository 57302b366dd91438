// Runs the rules over a unit: severity configuration, contained rule failures, fixes rendered by
// the dialect's edit builder, suppression directives.
import { FRONT_ENDS } from '../frontends';
import type { FileHost, FrontEnd, RenderedFix } from '../frontends/types';
import { isInPlace, type Fix, type FixIntent } from '../fixes/intent';
import { RenderContext } from '../fixes/common';
import { apiVersionRaises } from '../fixes/api-versions';
import { overlayHost } from './host';
import type { Property, Resource, SourceFile, Unit, Value } from '../model/types';
import { RULES, ruleMeta } from '../rules';
import { UNKNOWN_RULE, UNUSED_SUPPRESSION } from '../rules/directives';
import { fitMessage } from '../rules/support/message';
import type { Report, RuleContext } from '../rules/types';
import { applyEdits, minimalEdit, lineIndexOf, type Located, type Span, type TextEdit } from '../text';
import type { AnalysisResult, AnalyzeOptions, Finding, PostureEntry, RelatedInfo, ResolvedFix, Severity, SeveritySetting } from './types';
import { sourceOf } from '../model/origin';
import { findDirectives, suppressFix, type Directive } from './directives';
import { calledFiles, placeDisagreements } from './deployments';

const SUPPORTED = /\.(bicep|bicepparam|tf|tfvars|json|jsonc)$/i;

/** Whether a path has an extension Brickguard reads (JSON files still need a template `$schema`). */
export function isSupportedPath(path: string): boolean {
  return SUPPORTED.test(path);
}

/** The front end that analyses a file, if any. */
export function frontEndFor(path: string, text: string): FrontEnd | undefined {
  return FRONT_ENDS.find((f) => f.accepts(path, text));
}

/** Normalises a severity setting; undefined for `off`. */
export function severityOf(setting: SeveritySetting): Severity | undefined {
  if (setting === 'off') return undefined;
  return setting === 'info' ? 'information' : setting;
}

interface RawFinding {
  ruleId: string;
  report: Report;
  severity: Severity;
}

/** Analyses the unit that a file belongs to; undefined when no front end reads the file. */
export function analyzePath(path: string, host: FileHost, options: AnalyzeOptions = {}): AnalysisResult | undefined {
  const text = host.readFile(path);
  if (text === undefined) return undefined;
  const frontEnd = frontEndFor(path, text);
  if (!frontEnd) return undefined;
  let unit: Unit;
  try {
    // A file judged elsewhere needs its own files only, not its modules.
    unit = frontEnd.loadUnit(path, host, options.runRules === false ? { modules: false, lower: options.lower } : undefined);
  } catch (e) {
    // A front end must not throw; if one does, the file is reported as unreadable, not crashed on.
    const message = `Brickguard could not analyse this file (internal error: ${e instanceof Error ? e.message : String(e)})`;
    unit = {
      root: path,
      dialect: frontEnd.dialect,
      files: [{ path, text, dialect: frontEnd.dialect, comments: [], syntaxErrors: [{ file: path, span: { start: 0, end: 0 }, message }] }],
      ownFiles: [path],
      resources: [],
    };
  }
  const { findings, posture } = options.runRules === false ? { findings: [], posture: [] } : runRules(unit, frontEnd, host, options);
  const result: AnalysisResult = { path, unit, findings, files: unit.files, posture, context: { host, options } };
  // Fix-all re-analyses a root with the same options: findings its callers disagree on stay at its module declarations.
  if (options.reportCalled && options.disagreements && options.disagreements.size > 0) return placeDisagreements(result, options.disagreements);
  return result;
}

/** Each rule's subject kinds, lower-case (posture lists the resources of these kinds). */
const RULE_KINDS = new Map(RULES.map((rule) => [rule, new Set(rule.meta.kinds.map((k) => k.toLowerCase()))]));

function runRules(unit: Unit, frontEnd: FrontEnd, host: FileHost, options: AnalyzeOptions): { findings: Finding[]; posture: PostureEntry[] } {
  const settings = options.rules ?? {};
  const raw: RawFinding[] = [];
  const posture: PostureEntry[] = [];
  const declared = unit.resources.filter((r) => !r.existing && !r.noCopies);
  // Declared resources by lower-case kind, once per unit (rules ask for kinds many times).
  const byKind = new Map<string, Resource[]>();
  const kindOf = declared.map((r) => r.kind.toLowerCase());
  declared.forEach((r, i) => {
    const list = byKind.get(kindOf[i]);
    if (list) list.push(r);
    else byKind.set(kindOf[i], [r]);
  });
  for (const rule of RULES) {
    const setting = settings[rule.meta.id];
    const severity = setting === undefined ? rule.meta.severity : severityOf(setting);
    if (!severity) continue;
    const judged = new Map<string, PostureEntry>();
    const ctx: RuleContext = {
      unit,
      resources: (kind) => byKind.get(kind.toLowerCase())?.slice() ?? [],
      report: (report) => {
        raw.push({ ruleId: rule.meta.id, report, severity: setting === undefined ? (report.severity ?? severity) : severity });
        judged.set(report.resource.id, { resourceId: report.resource.id, ruleId: rule.meta.id, state: 'failed' });
      },
      unverified: (resource, reason) => {
        if (!judged.has(resource.id)) judged.set(resource.id, { resourceId: resource.id, ruleId: rule.meta.id, state: 'unverified', reason });
      },
      satisfiedBy: (resource, by) => {
        if (judged.has(resource.id)) return;
        const where = by.map((r) => ({ name: r.symbolicName, loc: { file: r.file, span: r.head } }));
        judged.set(resource.id, { resourceId: resource.id, ruleId: rule.meta.id, state: 'passed', by: where });
      },
      notApplicable: (resource, reason) => {
        if (!judged.has(resource.id)) judged.set(resource.id, { resourceId: resource.id, ruleId: rule.meta.id, state: 'notApplicable', reason });
      },
    };
    try {
      rule.check(ctx);
    } catch (e) {
      // A failing rule is contained: logged once, the other rules still run.
      console.error(`brickguard: rule ${rule.meta.id} failed on ${unit.root}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      continue;
    }
    const kinds = RULE_KINDS.get(rule)!;
    for (let i = 0; i < declared.length; i++) {
      const r = declared[i];
      if (!kinds.has(kindOf[i]) || !rule.meta.dialects.includes(r.dialect)) continue;
      posture.push(judged.get(r.id) ?? { resourceId: r.id, ruleId: rule.meta.id, state: 'passed' });
    }
  }

  const own = new Set(options.reportCalled ? [...unit.ownFiles, ...calledFiles(unit)] : unit.ownFiles);
  const halfTyped = halfTypedResources(unit);
  const { kept, others } = oneFindingPerResource(raw, unit);
  const located = kept
    .map((f) => ({ ...f, loc: locationOf(f.report) }))
    .filter((f) => own.has(f.loc.file))
    // A property not typed yet is not a finding: absence-based reports on a resource with a syntax error are dropped,
    // and so are reports on a value that holds a syntax error (a string still being typed).
    .filter((f) => !(halfTyped.has(f.report.resource.id) && f.loc.span.start === f.report.resource.head.start && f.loc.span.end === f.report.resource.head.end))
    .filter((f) => !(halfTyped.has(f.report.resource.id) && holdsSyntaxError(unit, f.loc)));

  const findings: Finding[] = [];
  const directives = unit.files.filter((f) => own.has(f.path)).flatMap((f) => findDirectives(f));
  const used = new Set<Directive>();
  for (const f of located) {
    const file = unit.files.find((x) => x.path === f.loc.file)!;
    const anchors = anchorLines(file, f.report.resource, f.loc.span);
    const directive = directives.find((d) => d.file === file.path && d.ruleIds.includes(f.ruleId) && anchors.has(d.targetLine));
    if (directive) {
      used.add(directive);
      continue;
    }
    const finding = toFinding(unit, frontEnd, host, f, file);
    const rest = others.get(f.report);
    if (rest && rest.length > 0) mergeRedeployed(finding, rest, unit, frontEnd, host);
    findings.push(finding);
  }
  findings.push(...directiveFindings(unit, directives, used, settings));
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : 1)));
  return { findings, posture };
}

/** Resources whose declaration contains a syntax error (being typed, or broken). */
function halfTypedResources(unit: Unit): Set<string> {
  const out = new Set<string>();
  for (const r of unit.resources) {
    const file = unit.files.find((f) => f.path === r.file);
    if (file?.syntaxErrors.some((e) => e.span.start > r.span.start && e.span.start <= r.span.end)) out.add(r.id);
  }
  return out;
}

/** Whether a syntax error starts inside the place (at its start, for an empty one). */
function holdsSyntaxError(unit: Unit, loc: Located): boolean {
  const file = unit.files.find((f) => f.path === loc.file);
  const { start, end } = loc.span;
  return file?.syntaxErrors.some((e) => e.span.start >= start && (e.span.start < end || e.span.start === start)) === true;
}

function locationOf(report: Report): Located {
  const at = report.at;
  if (at && 'span' in at) return at;
  const v = at as Value | undefined;
  // A value a caller passed into the module (or the ARM nested deployment, in the same file) is reported at the caller's argument.
  if (v?.loc && v.loc.file === report.resource.file) return v.passedAt && (v.passedAt.file !== v.loc.file || report.resource.nestedIn) ? v.passedAt : v.loc;
  return { file: report.resource.file, span: report.resource.head };
}

/** Where the judged value is written in the resource, when the finding is reported elsewhere (at a caller's argument). */
function judgedLoc(report: Report, loc: Located): Located | undefined {
  const v = report.at && !('span' in report.at) ? report.at : undefined;
  const elsewhere = v?.loc && (v.loc.file !== loc.file || v.loc.span.start !== loc.span.start || v.loc.span.end !== loc.span.end);
  return elsewhere && v.loc!.file === report.resource.file ? v.loc : undefined;
}

/** Declarations of resources deployed more than once, by id: the group, the last deployment last. */
function redeployGroups(unit: Unit): Map<string, Resource[]> {
  const groups = new Map<Resource, Resource[]>();
  for (const r of unit.resources) {
    if (!r.redeploys) continue;
    const g = groups.get(r.redeploys) ?? [r.redeploys];
    g.push(r);
    groups.set(r.redeploys, g);
  }
  const out = new Map<string, Resource[]>();
  for (const g of groups.values()) {
    // A module (a nested deployment) deploys after its caller's resources: the deepest declaration deploys last (stable sort).
    const depth = (r: Resource) => (r.nestedIn ?? r.viaModule)?.length ?? 0;
    const ordered = [...g].sort((a, b) => depth(a) - depth(b));
    for (const r of g) out.set(r.id, ordered);
  }
  return out;
}

/**
 * One finding per resource and rule when a resource is deployed more than once (a module
 * re-deploying a workspace): the last deployment's properties stay, so its findings are kept and
 * the others' dropped (each kept one lists them); a cross-resource rule passes when any
 * declaration passes.
 */
function oneFindingPerResource(raw: RawFinding[], unit: Unit): { kept: RawFinding[]; others: Map<Report, RawFinding[]> } {
  const others = new Map<Report, RawFinding[]>();
  const groups = redeployGroups(unit);
  if (groups.size === 0) return { kept: raw, others };
  const drop = new Set<RawFinding>();
  const handled = new Set<string>();
  // The findings of a rule on a resource, looked up per member of each group.
  const byRuleAndResource = new Map<string, RawFinding[]>();
  for (const x of raw) {
    if (!groups.has(x.report.resource.id)) continue;
    const k = `${x.ruleId}\0${x.report.resource.id}`;
    const list = byRuleAndResource.get(k);
    if (list) list.push(x);
    else byRuleAndResource.set(k, [x]);
  }
  for (const f of raw) {
    const group = groups.get(f.report.resource.id);
    if (!group) continue;
    const key = `${f.ruleId}\0${group[0].id}`;
    if (handled.has(key)) continue;
    handled.add(key);
    const byMember = group.map((m) => byRuleAndResource.get(`${f.ruleId}\0${m.id}`) ?? []);
    const last = byMember[byMember.length - 1];
    const keep = ruleMeta(f.ruleId)?.crossResource && byMember.some((x) => x.length === 0) ? [] : last;
    const rest = byMember.flat().filter((x) => !keep.includes(x));
    for (const x of rest) drop.add(x);
    for (const k of keep) others.set(k.report, rest);
  }
  return { kept: raw.filter((f) => !drop.has(f)), others };
}

/**
 * The finding kept for a resource deployed more than once: related information to the other
 * declarations, and fixes that edit every declaration (or, when they cannot, are not preferred).
 */
function mergeRedeployed(finding: Finding, rest: RawFinding[], unit: Unit, frontEnd: FrontEnd, host: FileHost): void {
  const places = new Map<string, Located>();
  for (const x of rest) places.set(x.report.resource.id, { file: x.report.resource.file, span: x.report.resource.head });
  for (const loc of places.values()) finding.related.push({ loc, message: 'The same resource is deployed here too' });
  const restFixes = rest.map((x) => (x.report.fixes ?? []).map((fix) => renderFix(unit, frontEnd, host, fix)));
  finding.fixes = finding.fixes.map((fix, i) => {
    if (fix.kind !== 'fix') return fix;
    const edits = [...fix.edits];
    let complete = true;
    let preferred = fix.preferred;
    let inPlace = fix.inPlace;
    for (const fixes of restFixes) {
      const other = fixes[i];
      if (!other) {
        complete = false;
        continue;
      }
      preferred &&= other.preferred;
      inPlace &&= other.inPlace;
      for (const e of other.edits) {
        const same = edits.some((x) => x.file === e.file && x.span.start === e.span.start && x.span.end === e.span.end && x.newText === e.newText);
        if (same) continue;
        if (edits.some((x) => x.file === e.file && x.span.start < e.span.end && e.span.start < x.span.end)) complete = false;
        else edits.push(e);
      }
    }
    if (!complete) return { ...fix, preferred: false, title: `${fix.title} (this declaration only; it is deployed again elsewhere)` };
    return { ...fix, edits, preferred, inPlace };
  });
}

/** Lines a directive may stand above to suppress a finding: the finding, its resource, the properties around it. */
function anchorLines(file: SourceFile, resource: Resource, span: Span): Set<number> {
  const lines = lineIndexOf(file.text);
  const out = new Set<number>([lines.positionAt(span.start).line, lines.positionAt(resource.span.start).line, lines.positionAt(resource.head.start).line]);
  const visit = (v: Value) => {
    if (v.kind === 'object') {
      for (const p of v.props) {
        const loc = p.value.loc;
        if (loc && loc.file === file.path && loc.span.start <= span.start && span.end <= loc.span.end) {
          if (p.keyLoc) out.add(lines.positionAt(p.keyLoc.span.start).line);
          visit(p.value);
        }
      }
    } else if (v.kind === 'array') v.items.forEach(visit);
  };
  visit(resource.body);
  return out;
}

function toFinding(unit: Unit, frontEnd: FrontEnd, host: FileHost, f: RawFinding & { loc: Located }, file: SourceFile): Finding {
  const meta = ruleMeta(f.ruleId)!;
  const fixes: ResolvedFix[] = [];
  for (const fix of f.report.fixes ?? []) {
    const rendered = renderFix(unit, frontEnd, host, fix);
    if (rendered) fixes.push(rendered);
  }
  const judged = judgedLoc(f.report, f.loc);
  if (judged) {
    // The value comes from a caller: a fix that rewrites the module's use of it changes the module
    // for every caller instead of this caller's value (rules.md, Edit where the value wins).
    for (let i = 0; i < fixes.length; i++) {
      const fix = fixes[i];
      if (fix.edits.some((e) => e.file === judged.file && e.span.start < judged.span.end && judged.span.start < e.span.end)) {
        fixes[i] = { ...fix, preferred: false, title: `${fix.title} (in the module, for every caller)` };
      }
    }
  }
  fixes.push(suppressFix(file, f.report.resource.file === file.path ? f.report.resource.span.start : f.loc.span.start, f.ruleId, unit.dialect));
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: fitMessage(f.report.message),
    file: f.loc.file,
    span: f.loc.span,
    helpUri: meta.helpUri,
    related: relatedOf(unit, f.report, f.loc, judged),
    fixes,
    resourceId: f.report.resource.id,
    resourceKey: resourceKey(f.report.resource),
    property: propertyPath(f.report.resource, judged ?? f.loc),
  };
}

/** A resource by file, module path, kind and name: stable when text before it changes. */
export function resourceKey(r: Resource): string {
  return [r.file, ...(r.viaModule ?? []), r.kind, r.symbolicName].join('#');
}

/** The path of the deepest property of the resource whose key or value holds `loc` ('' for none). */
function propertyPath(resource: Resource, loc: Located): string {
  const inside = (l: Located | undefined) => l !== undefined && l.file === loc.file && l.span.start <= loc.span.start && loc.span.end <= l.span.end;
  const path: string[] = [];
  let current: Value = resource.body;
  for (;;) {
    let next: Value | undefined;
    if (current.kind === 'object') {
      const prop: Property | undefined = current.props.find((p) => inside(p.keyLoc) || inside(p.value.loc));
      if (prop) {
        path.push(prop.key);
        next = prop.value;
      }
    } else if (current.kind === 'array') {
      const i = current.items.findIndex((v) => inside(v.loc));
      if (i >= 0) {
        path.push(String(i));
        next = current.items[i];
      }
    }
    if (!next) return path.join('.');
    current = next;
  }
}

/**
 * Renders a rule's fix with the unit's dialect renderer: its intents together on the same unit,
 * or, when their edits touch the same text (an insertion that realigns its neighbours, twice),
 * one after the other on the re-read unit. Undefined when an intent cannot be rendered.
 */
export function renderFix(unit: Unit, frontEnd: FrontEnd, host: FileHost, fix: Fix): ResolvedFix | undefined {
  // A property the resource's apiVersion lacks raises the apiVersion (rules.md, Fix safety).
  const raises = apiVersionRaises(fix.intents);
  const intents: FixIntent[] = [...fix.intents, ...raises.map((r): FixIntent => ({ op: 'setApiVersion', resource: r.resource, apiVersion: r.apiVersion }))];
  const render = (list: FixIntent[]) => {
    const together = renderTogether(unit, frontEnd, list, fix.title);
    // Two in-place insertions at one point (Terraform attributes after the same anchor) realign each other.
    return together && overlapping(together.edits, isInPlace(fix)) ? renderInTurn(unit, frontEnd, host, list, fix.title) : together;
  };
  let rendered = render(intents);
  let preferred = fix.preferred === true;
  const notes: string[] = [];
  if (!rendered && raises.length > 0) {
    // The apiVersion is not written in the resource (a shared parameter or variable): offered, not preferred.
    rendered = render(fix.intents);
    preferred = false;
    for (const r of raises) notes.push(`needs apiVersion ${r.apiVersion} or later`);
  } else for (const r of raises) notes.push(`raises apiVersion to ${r.apiVersion}`);
  if (!rendered || rendered.edits.length === 0) return undefined;
  notes.unshift(...new Set(rendered.wheres));
  const supplier = parameterSupplier(unit, fix);
  if (supplier) {
    // The parameters file lists every input of the deployment: without a value there, it no longer builds.
    preferred = false;
    notes.push(`then give the new parameters values in ${supplier}`);
  }
  // HCL strings are double-quoted: a Terraform fix's title quotes values the way the file will.
  const quoted = unit.dialect === 'terraform' ? fix.title.replace(/'([^'"\n]*)'/g, '"$1"') : fix.title;
  const names = rendered.names;
  // `{param:as}` in a title names the parameter the fix created (its name is chosen when rendered).
  const base = quoted.replace(/\{param:([A-Za-z0-9_]+)\}/g, (m, as: string) => names.get(as) ?? m);
  const title = notes.length > 0 ? `${base} (${notes.join(', ')})` : base;
  return { title, kind: 'fix', preferred, inPlace: isInPlace(fix), edits: rendered.edits };
}

/**
 * The parameters file (`.bicepparam`, `*.parameters.json`) that supplies the template's inputs, when
 * the fix adds a parameter to that template: the fix cannot know the value the file must then give.
 */
function parameterSupplier(unit: Unit, fix: Fix): string | undefined {
  if (!fix.intents.some((i) => i.op === 'addParameter')) return undefined;
  const file = unit.files.find((f) => f.dialect === 'bicepparam' || f.dialect === 'arm-parameters');
  return file ? file.path.replace(/^.*[\\/]/, '') : undefined;
}

/**
 * The report's related places, plus where its value comes from when that is not the resource
 * itself (`judged`: where the module uses a value its caller passes, see judgedLoc).
 */
function relatedOf(unit: Unit, report: Report, loc: Located, judged: Located | undefined): RelatedInfo[] {
  const related = [...(report.related ?? [])];
  if (judged) related.push({ loc: judged, message: 'The module uses the value here' });
  const at = report.at;
  const source = at && !('span' in at) ? sourceOf(unit, report.resource, at) : undefined;
  const same = (a: Located, b: Located) => a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end;
  // Not the finding's own place (a literal a caller passes, where the finding stands).
  if (source && !same(source.loc, loc) && !related.some((r) => same(r.loc, source.loc))) related.unshift({ loc: source.loc, message: source.label });
  return related;
}

interface RenderedIntents {
  edits: TextEdit[];
  wheres: string[];
  /** The names the fix's new parameters got, by their `as` key. */
  names: Map<string, string>;
}

/** The names of the parameters a fix created, by `as`. */
function createdNames(ctx: RenderContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [as, c] of ctx.created) if (c.kind === 'parameter') out.set(as, c.name);
  return out;
}

function renderIntent(unit: Unit, frontEnd: FrontEnd, intent: FixIntent, title: string, ctx: RenderContext): RenderedFix | undefined {
  try {
    return frontEnd.edits.render(intent, unit, ctx);
  } catch (e) {
    console.error(`brickguard: fix '${title}' failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Renders every intent on the same unit; undefined when one cannot be rendered. */
function renderTogether(unit: Unit, frontEnd: FrontEnd, intents: FixIntent[], title: string): RenderedIntents | undefined {
  const out: RenderedIntents = { edits: [], wheres: [], names: new Map() };
  const ctx = new RenderContext();
  for (const intent of intents) {
    const rendered = renderIntent(unit, frontEnd, intent, title, ctx);
    if (!rendered) return undefined;
    out.edits.push(...rendered.edits);
    if (rendered.where) out.wheres.push(rendered.where);
  }
  out.names = createdNames(ctx);
  return out;
}

/** Renders intents one after the other, re-reading the unit after each, as one minimal edit a file. */
function renderInTurn(unit: Unit, frontEnd: FrontEnd, host: FileHost, intents: FixIntent[], title: string): RenderedIntents | undefined {
  const original = new Map(unit.files.map((f) => [f.path, f.text]));
  const texts = new Map<string, string>();
  const wheres: string[] = [];
  const ctx = new RenderContext();
  let current = unit;
  for (let i = 0; i < intents.length; i++) {
    const intent = i === 0 ? intents[i] : sameIntentIn(current, intents[i]);
    const rendered = intent && renderIntent(current, frontEnd, intent, title, ctx);
    if (!rendered || overlapping(rendered.edits, false)) return undefined;
    const byFile = new Map<string, TextEdit[]>();
    for (const e of rendered.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [path, edits] of byFile) {
      const before = texts.get(path) ?? original.get(path);
      if (before === undefined) return undefined;
      texts.set(path, applyEdits(before, edits));
    }
    if (rendered.where) wheres.push(rendered.where);
    if (i < intents.length - 1) current = frontEnd.loadUnit(unit.root, overlayHost(host, texts));
  }
  const edits = [...texts].filter(([path, text]) => original.get(path) !== text).map(([path, text]) => minimalEdit(path, original.get(path)!, text));
  return { edits, wheres, names: createdNames(ctx) };
}

/** The intent with its resources looked up again in a re-read unit (same file, kind and name). */
function sameIntentIn(unit: Unit, intent: FixIntent): FixIntent | undefined {
  const again = (r: Resource): Resource | undefined => {
    // ARM: one template may declare the same name in several nested deployments.
    const nesting = (x: Resource) => (x.nestedIn ?? []).join('/');
    const candidates = unit.resources.filter((x) => x.file === r.file && x.kind === r.kind && x.symbolicName === r.symbolicName && nesting(x) === nesting(r));
    return candidates.length === 1 ? candidates[0] : undefined;
  };
  switch (intent.op) {
    case 'replaceValue':
      return undefined; // a value cannot be found again reliably
    case 'set':
    case 'remove':
    case 'setRef':
    case 'setApiVersion': {
      const resource = again(intent.resource);
      return resource && { ...intent, resource };
    }
    case 'addParameter': {
      const near = again(intent.near);
      return near && { ...intent, near };
    }
    case 'addResource': {
      const after = again(intent.after);
      return after && { ...intent, after };
    }
    case 'addChild': {
      if ('as' in intent.parent) return intent;
      const parent = again(intent.parent);
      return parent && { ...intent, parent };
    }
  }
}

/** Whether edits overlap (with `samePoint`, two insertions at one offset count too). */
function overlapping(edits: { file: string; span: Span }[], samePoint: boolean): boolean {
  const sorted = [...edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.file !== b.file) continue;
    if (b.span.start < a.span.end || (samePoint && b.span.start === a.span.start && a.span.start === a.span.end && b.span.start === b.span.end)) return true;
  }
  return false;
}

function directiveFindings(unit: Unit, directives: Directive[], used: Set<Directive>, settings: Record<string, SeveritySetting>): Finding[] {
  const out: Finding[] = [];
  const sev = (id: string, def: Severity) => {
    const s = settings[id];
    return s === undefined ? def : severityOf(s);
  };
  const unknownSev = sev(UNKNOWN_RULE.id, UNKNOWN_RULE.severity);
  const unusedSev = sev(UNUSED_SUPPRESSION.id, UNUSED_SUPPRESSION.severity);
  for (const d of directives) {
    const unknownIds = d.ids.filter((x) => !ruleMeta(x.id));
    if (unknownSev) {
      for (const x of unknownIds) {
        out.push({
          ruleId: UNKNOWN_RULE.id,
          severity: unknownSev,
          message: fitMessage(`Unknown rule '${x.id}' in a brickguard-disable-next-line directive.`),
          file: d.file,
          span: x.span,
          helpUri: UNKNOWN_RULE.helpUri,
          related: [],
          fixes: [],
        });
      }
    }
    // Unused only when every named rule is known and enabled (a disabled rule suppresses nothing by design).
    const allActive = d.ruleIds.length > 0 && unknownIds.length === 0 && d.ruleIds.every((id) => settings[id] !== 'off');
    if (unusedSev && allActive && !used.has(d)) {
      const file = unit.files.find((f) => f.path === d.file)!;
      out.push({
        ruleId: UNUSED_SUPPRESSION.id,
        severity: unusedSev,
        message: fitMessage(`This directive suppresses nothing: no ${d.ruleIds.join(', ')} finding on the next line.`),
        file: d.file,
        span: d.span,
        helpUri: UNUSED_SUPPRESSION.helpUri,
        related: [],
        fixes: [{ title: 'Remove the unused directive', kind: 'fix', preferred: true, inPlace: true, edits: [removeLineEdit(file, d.span)] }],
      });
    }
  }
  return out;
}

/** Removes a comment, and its whole line when nothing else stands on it. */
function removeLineEdit(file: SourceFile, span: Span) {
  const lines = lineIndexOf(file.text);
  const line = lines.positionAt(span.start).line;
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const before = file.text.slice(start, span.start);
  const after = file.text.slice(span.end, end);
  if (before.trim() === '' && after.trim() === '') {
    const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : end;
    return { file: file.path, span: { start, end: next }, newText: '' };
  }
  return { file: file.path, span, newText: '' };
}

export type { Resource };
