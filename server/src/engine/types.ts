// Results of an analysis as the LSP server, the CLI and tests consume them.
import type { Dialect, SourceFile, Unit } from '../model/types';
import type { Located, Span, TextEdit } from '../text';
import type { FileHost } from '../frontends/types';

export type Severity = 'error' | 'warning' | 'information';
export type SeveritySetting = Severity | 'info' | 'off';

export interface RelatedInfo {
  loc: Located;
  message: string;
}

/** A code action for a finding, with its edits already rendered. */
export interface ResolvedFix {
  title: string;
  /** `fix`: makes the rule pass; `suppress`: inserts a disable directive. */
  kind: 'fix' | 'suppress';
  preferred: boolean;
  /** Only edits existing text (no parameter or resource added): what on-save fix-all may apply. */
  inPlace: boolean;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  helpUri: string;
  related: RelatedInfo[];
  fixes: ResolvedFix[];
  /** Id of the resource the finding is about, when there is one. */
  resourceId?: string;
  /** The resource by file, kind and name (no offset), so a finding is recognised after edits. */
  resourceKey?: string;
  /** The property path the finding points at (`properties.publicNetworkAccess`; '' for the resource itself). */
  property?: string;
}

/** How one rule judged one resource, for the posture summary in hovers. */
export interface PostureEntry {
  resourceId: string;
  ruleId: string;
  /** `notApplicable`: the rule does not concern this resource as configured (reason says why). */
  state: 'passed' | 'failed' | 'notApplicable' | 'unverified';
  reason?: string;
  /** For a cross-resource rule that passed: the resources that satisfy it, and where they are. */
  by?: { name: string; loc: Located }[];
}

export interface AnalysisResult {
  /** The analysed file. */
  path: string;
  unit: Unit;
  /** Findings located in the unit's own files, after configuration and suppressions. */
  findings: Finding[];
  /** Files the unit read (own files, parameter files, modules), with their syntax errors. */
  files: SourceFile[];
  posture: PostureEntry[];
  /** What produced the result, so fix-all can re-analyse after each round. */
  context: { host: FileHost; options: AnalyzeOptions };
}

/** Options that come from settings and `brickguard.json`. */
export interface AnalyzeOptions {
  /** Per-rule severity overrides (`off` disables the rule). */
  rules?: Record<string, SeveritySetting>;
  /**
   * The file is a deployment root: also report findings located in the modules its unit calls
   * (they are judged inside this deployment, with its values).
   */
  reportCalled?: boolean;
  /**
   * With `reportCalled`: the module resources and rules on which the callers of the modules
   * disagree (`disagreements`); those findings are reported at this root's module declaration.
   */
  disagreements?: ReadonlySet<string>;
  /**
   * False: load the file's own unit without its modules and without running the rules (no findings,
   * no posture), for a file judged in its callers' deployments.
   */
  runRules?: boolean;
  /** With `runRules: false`: the model is not needed either (see LoadOptions.lower). */
  lower?: boolean;
}

export interface ConfigError {
  severity: Severity;
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  span: Span;
  message: string;
  /** Set when the problem is a rule's finding (an unknown rule id): reported like any finding, with its severity setting. */
  ruleId?: string;
}

export interface LoadedConfig {
  /** The brickguard.json this came from, if any. */
  path?: string;
  rules: Record<string, SeveritySetting>;
  exclude: string[];
  errors: ConfigError[];
}

export type { Dialect };
