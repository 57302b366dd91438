// What a rule module exports: its metadata beside its check (one rule, one file).
import type { Fix } from '../fixes/intent';
import type { Dialect, Resource, Unit, Value } from '../model/types';
import type { Located, Span } from '../text';
import type { Severity } from '../engine/types';

export interface RuleDocs {
  /** Why it matters: the security guidance in two or three sentences. */
  why: string;
  /** The secure setting, per dialect, as a short code snippet. */
  secure: Partial<Record<Dialect, string>>;
  /** Further reading beside the guidance link (the catalogue's links table), shown in the hover and the rule page. */
  see?: { title: string; url: string }[];
}

export interface RuleMeta {
  id: string;
  /** The problem, as a finding's heading ("Public network access is on"). */
  title: string;
  /** The passing state, short, for posture ("Public network access is off"). */
  pass: string;
  /** Default severity (the catalogue's). */
  severity: Severity;
  dialects: Dialect[];
  helpUri: string;
  docs: RuleDocs;
  /** Whether the rule offers an automatic fix. */
  fixable: boolean;
  /** Resource kinds the rule judges, for the posture summary in hovers. */
  kinds: string[];
  /**
   * The verdict depends on other resources (endpoints, settings): a resource deployed twice passes
   * when either declaration does. Otherwise the last deployment's properties decide.
   */
  crossResource?: boolean;
}

export interface Report {
  resource: Resource;
  /** The offending value (its `loc` is the range), or an explicit location; default the resource head. */
  at?: Value | Located;
  message: string;
  /** Overrides the rule's severity for this finding (e.g. information for version-dependent defaults). */
  severity?: Severity;
  fixes?: Fix[];
  related?: { loc: Located; message: string }[];
}

export interface RuleContext {
  readonly unit: Unit;
  /** Declared (not `existing`) resources of a kind, across the whole unit. */
  resources(kind: string): Resource[];
  report(report: Report): void;
  /** Records that the rule could not verify a resource (shown in the posture hover, not as a finding). */
  unverified(resource: Resource, reason: string): void;
  /** Records that other resources make a resource pass (a cross-resource rule), for the posture hover. */
  satisfiedBy(resource: Resource, by: Resource[]): void;
  /** Records that the rule does not apply to a resource as configured (shown in the posture hover). */
  notApplicable(resource: Resource, reason: string): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export type { Span };
