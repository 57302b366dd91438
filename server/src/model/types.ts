// The dialect-neutral resource model. Parsers of each dialect lower their syntax trees into it;
// rules read only this model and never a syntax node.
import type { Located, Span } from '../text';
import type { ArrayHandle, ObjectHandle, ParameterHandle, PropertyHandle, ResourceHandle } from './handles';

export type Dialect = 'arm' | 'bicep' | 'terraform';

/**
 * Property naming family of a resource: ARM and Bicep share ARM property paths
 * (`properties.publicNetworkAccess`); Terraform uses provider attribute names.
 */
export type Schema = 'arm' | 'terraform';

/**
 * Where an evaluated value's text lives, so a fix can change it at its source:
 * a literal in the resource itself, a parameter/variable default, or a value supplied by a
 * parameters file (`.bicepparam`, `*.parameters.json`, `.tfvars`).
 */
export interface Origin {
  kind: 'literal' | 'parameter-default' | 'parameter-file' | 'variable';
  /** Name of the parameter/variable the value flowed through, if any. */
  name?: string;
  /** The literal text to replace (file + span of the literal token, quotes included). */
  at: Located;
  /** The dialect of the file that holds the literal (decides how a new literal is written). */
  dialect: Dialect | 'tfvars' | 'bicepparam' | 'arm-parameters';
  /** ARM/Bicep: the parameter's allowed values, so a fix can keep them consistent. */
  allowedValues?: ArrayValue;
  /** The declaration or parameters-file entry that supplies the value. */
  handle?: ParameterHandle;
}

interface ValueBase {
  /** Where the expression that produced this value is written (absent for synthesized values). */
  loc?: Located;
  /** Where the literal behind this value lives, when it came from one. */
  origin?: Origin;
  /** A module parameter's value: the caller's argument that passed it (the outermost caller's). */
  passedAt?: Located;
}

export interface StringValue extends ValueBase {
  kind: 'string';
  value: string;
}
export interface NumberValue extends ValueBase {
  kind: 'number';
  value: number;
}
export interface BoolValue extends ValueBase {
  kind: 'bool';
  value: boolean;
}
export interface NullValue extends ValueBase {
  kind: 'null';
}
export interface Property {
  key: string;
  keyLoc?: Located;
  value: Value;
  /** The property/attribute/block syntax. */
  handle?: PropertyHandle;
}
export interface ObjectValue extends ValueBase {
  kind: 'object';
  props: Property[];
  /** Terraform: this object is a nested block (`custom_parameters { … }`) rather than an `= { … }` value. */
  block?: boolean;
  /** The object/body syntax where properties can be inserted. */
  handle?: ObjectHandle;
}
export interface ArrayValue extends ValueBase {
  kind: 'array';
  items: Value[];
  handle?: ArrayHandle;
}
/** A reference to a resource (its id, or one of its attributes). */
export interface RefValue extends ValueBase {
  kind: 'ref';
  target: Resource;
  /** The attribute referenced: `id`, `name`, … (ARM `resourceId()` gives `id`). */
  attribute: string;
}
/** An expression we cannot evaluate. A rule never reports an error or warning on it. */
export interface UnknownValue extends ValueBase {
  kind: 'unknown';
  reason: string;
}

export type Value =
  | StringValue
  | NumberValue
  | BoolValue
  | NullValue
  | ObjectValue
  | ArrayValue
  | RefValue
  | UnknownValue;

/** A version as [major, minor, patch]. */
export type VersionTriple = [number, number, number];

/**
 * The provider versions a module may run with: one version (a lock file, `= 3.104.0`) or a
 * range (`~> 3.0` is 3.0.0 up to 4.0.0; `>= 4.0` has no upper bound). A verdict is known when
 * every version of the range gives the same one.
 */
export interface ProviderVersion {
  /** Lowest allowed version. */
  min: VersionTriple;
  /** Upper bound; absent when every later version is allowed. */
  max?: { version: VersionTriple; inclusive: boolean };
  /** The major shared by every allowed version, when they all share it. */
  major?: number;
  /** The minor shared by every allowed version, when they all share it (and the major). */
  minor?: number;
  /** The exact version, when only one is allowed. */
  patch?: number;
  /** What the version was read from, for messages. */
  source: 'lock-file' | 'constraint';
  /** The text read: the locked version (`3.104.2`) or the constraints (`>= 4.0`). */
  text?: string;
  /** Where it was read: the lock file's `version`, or the (first) constraint string. */
  at?: Located;
}

export interface Resource {
  /** Unique within the unit: `file#symbol` or similar. */
  id: string;
  /** ARM type (`Microsoft.Databricks/workspaces`); Terraform azurerm types are mapped to it; `databricks_*` keep their own. */
  kind: string;
  schema: Schema;
  dialect: Dialect;
  /** Bicep symbol, Terraform `type.name`, ARM the name expression text. */
  symbolicName: string;
  /** Terraform resource type as written (`azurerm_databricks_workspace`). */
  sourceType?: string;
  /** ARM/Bicep API version. */
  apiVersion?: string;
  /** Terraform: the provider version for this resource's provider (azurerm…), when known. */
  providerVersion?: ProviderVersion;
  file: string;
  /** Where a finding about an absent property points (type string, `"type"` value, block labels). */
  head: Span;
  /** The whole declaration. */
  span: Span;
  /** The resource body: ARM the resource object, Bicep the body object, Terraform the block body. */
  body: ObjectValue;
  /** Parent resource, for child resources (nested, `parent:`, or by name). */
  parent?: Resource;
  /** Bicep `scope:` / ARM `scope` (e.g. a diagnostic setting on a workspace). */
  scope?: Value;
  /** A condition (`if`, `condition`, Terraform `count = cond ? 1 : 0`) that is not known to be true. */
  conditional?: boolean;
  /** Declared in a loop (`for`, `copy`, `for_each`, `count`). */
  loop?: boolean;
  /** A loop over a known empty list: nothing is deployed (kept for references; rules skip it). */
  noCopies?: boolean;
  /** A reference to a resource deployed elsewhere (Bicep `existing`, Terraform `data`): rules skip it. */
  existing?: boolean;
  /** Module path from the unit's root, when declared inside a called module. */
  viaModule?: string[];
  /**
   * ARM: the nested deployments (inline or linked, by name) the resource is deployed through, from
   * the root template. A deeper declaration deploys after its callers' resources.
   */
  nestedIn?: string[];
  /**
   * An earlier declaration of the same resource (same kind, name and deployment scope) that this
   * one deploys again, as a module re-deploying a workspace does: the last deployment stays.
   */
  redeploys?: Resource;
  /** The declaration syntax. */
  handle?: ResourceHandle;
}

export interface SyntaxError {
  file: string;
  span: Span;
  message: string;
}

/** Something the analysis did not do, said without being a finding (a module outside the workspace, not read). */
export interface Note {
  file: string;
  span: Span;
  message: string;
}

/** A comment in a source file, used for suppression directives. */
export interface Comment {
  span: Span;
  /** Text of the comment without its markers (`//`, `#`, `/* *\/`). */
  text: string;
}

export interface SourceFile {
  path: string;
  text: string;
  dialect: Dialect | 'tfvars' | 'bicepparam' | 'arm-parameters';
  comments: Comment[];
  syntaxErrors: SyntaxError[];
}

/**
 * An analysis unit: the set of files analysed together (a Terraform folder, a Bicep file with
 * its modules and parameters, an ARM template with its parameters file and nested templates).
 */
export interface Unit {
  /** The file the unit was built for (Bicep/ARM) or the module folder (Terraform). */
  root: string;
  dialect: Dialect;
  /** Every file read for the unit, including called modules and parameter files. */
  files: SourceFile[];
  /**
   * Files whose findings this unit reports: the root file (Bicep/ARM) or every `.tf`/`.tfvars`
   * of the folder (Terraform). Resources of called modules inform cross-resource rules only.
   */
  ownFiles: string[];
  resources: Resource[];
  /** References the loader did not follow and the user should know about. */
  notes?: Note[];
}

export const KIND = {
  workspace: 'Microsoft.Databricks/workspaces',
  privateEndpoint: 'Microsoft.Network/privateEndpoints',
  privateDnsZoneGroup: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
  diagnosticSetting: 'Microsoft.Insights/diagnosticSettings',
  storageAccount: 'Microsoft.Storage/storageAccounts',
  keyVault: 'Microsoft.KeyVault/vaults',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  nsgRule: 'Microsoft.Network/networkSecurityGroups/securityRules',
  nic: 'Microsoft.Network/networkInterfaces',
} as const;

export type { Span, Located };
export type { ArrayHandle, Handle, ObjectHandle, ParameterHandle, PropertyHandle, ResourceHandle } from './handles';
