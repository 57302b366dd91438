// What a rule wants changed, independent of dialect. Each dialect's renderer (fixes/arm.ts,
// fixes/bicep.ts, fixes/terraform.ts) turns an intent into minimal text edits that keep the
// file's formatting. The intents of one fix are rendered in order; `addParameter`, `addResource`
// and `addChild` name what they create (`as`), and later intents of the same fix refer to it with
// `paramRef(as)` / `resourceRef(as)`.
import type { Resource, Value } from '../model/types';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A parameter / variable created earlier in the same fix (by its `as` key). */
export interface ParamRef {
  $ref: 'parameter';
  as: string;
}

/**
 * A resource's attribute: one of the model (Bicep `ws.id`, ARM `[resourceId(...)]`,
 * Terraform `azurerm_databricks_workspace.x.id`) or one created earlier in the same fix.
 */
export interface ResourceRef {
  $ref: 'resource';
  resource: Resource | { as: string };
  /** `id` or `name` (Terraform: any attribute name, or '' for the resource itself, as in `depends_on`). */
  attribute: string;
}

/** Strings and references joined (Bicep `'${ws.name}-pe'`, ARM `[concat(...)]`, HCL `"${...}-pe"`). */
export interface Concat {
  $ref: 'concat';
  parts: (string | ParamRef | ResourceRef)[];
}

export type Ref = ParamRef | ResourceRef | Concat;

/** A value in an added body: JSON with references. Objects whose key is `$ref` are references. */
export type BodyValue = string | number | boolean | null | Ref | BodyValue[] | { [key: string]: BodyValue } | TfBlocks;

/**
 * Terraform only: nested blocks (`private_service_connection { … }`), as opposed to an object
 * attribute (`tags = { … }`). One entry per block, in order.
 */
export interface TfBlocks {
  $blocks: { [key: string]: BodyValue }[];
}

export type ParameterType = 'string' | 'bool' | 'int' | 'object' | 'array';

/**
 * The body of a resource to add, per dialect family: `arm` is written as ARM JSON or Bicep (the
 * resource's members besides `type`, `apiVersion` and `name`: `location`, `properties`, …);
 * `terraform` is an azurerm/databricks resource body (attributes and `$blocks`). A dialect whose
 * body is missing is not rendered (the fix is dropped there).
 */
export interface DialectBodies {
  arm?: { [key: string]: BodyValue };
  terraform?: { [key: string]: BodyValue };
}

export type FixIntent =
  /**
   * Make the value at `path` under the resource body equal `value`: replace the literal where it
   * comes from (the resource, a parameter default, a parameters file), or insert the property —
   * creating missing intermediate objects (Terraform: nested blocks). The engine also raises the
   * resource's `apiVersion` when the property needs a newer one (fixes/api-versions.ts).
   */
  | { op: 'set'; resource: Resource; path: string[]; value: Json }
  /** Remove the property at `path` (and nothing else). */
  | { op: 'remove'; resource: Resource; path: string[] }
  /** Replace one evaluated value (with an origin) by a literal, e.g. an array item. */
  | { op: 'replaceValue'; target: Value; value: Json }
  /**
   * Set an ARM/Bicep resource's API version (the engine adds it when a `set` needs a newer one;
   * see fixes/api-versions.ts). Only a version written in the resource itself is changed.
   */
  | { op: 'setApiVersion'; resource: Resource; apiVersion: string }
  /**
   * Delete a whole resource declaration (with its lines), e.g. a public IP nothing else refers to
   * once the fix detaches it. Bicep and Terraform only; not applied on save.
   */
  | { op: 'removeResource'; resource: Resource }
  /**
   * Set a property to a body value that may hold references (`ws.id`, a new parameter): like
   * `set`, but the value is written in place where the property stands or is inserted.
   */
  | { op: 'setRef'; resource: Resource; path: string[]; value: BodyValue }
  /**
   * Add a typed, described input without a default: Bicep `param`, ARM `parameters` entry (with
   * `metadata.description`), Terraform `variable` (in `variables.tf` when the module has one).
   * Its name is `name` prefixed with the symbol of `near` (Terraform: snake_case), made unique
   * in the file/module. Later intents of the fix use it through `{ $ref: 'parameter', as }`.
   */
  | { op: 'addParameter'; as: string; near: Resource; name: string; type: ParameterType; description: string }
  /**
   * Add a complete resource after `after` (same file), formatted like the file. `kind` is the
   * ARM type; `terraformType` the resource type for Terraform (`azurerm_private_endpoint`).
   * `name` is the ARM/Bicep `name` value; `symbol` the Bicep symbol / Terraform label stem (made
   * unique). Later intents refer to it with `{ $ref: 'resource', resource: { as } }`.
   * `scope` (ARM/Bicep) makes it an extension resource of that resource: Bicep `scope: ws`, ARM
   * `"scope": "[format('<type>/{0}', <name>)]"` with a `dependsOn` on it (Terraform says it in the body).
   */
  | {
      op: 'addResource';
      as: string;
      after: Resource;
      kind: string;
      apiVersion: string;
      terraformType?: string;
      name: BodyValue;
      symbol: string;
      scope?: Resource;
      body: DialectBodies;
    }
  /**
   * Add a child resource of `parent` (a model resource or one added earlier in the fix):
   * ARM a nested `resources` entry when the parent has a `resources` array, else a top-level
   * `parent/child` resource with `dependsOn`; Bicep a resource with `parent:`; Terraform a
   * nested block `terraformBlock` in the parent (its body is `body.terraform`).
   */
  | {
      op: 'addChild';
      as: string;
      parent: Resource | { as: string };
      /** The child type segment, e.g. `privateDnsZoneGroups`. */
      childType: string;
      apiVersion: string;
      /** The child's own name segment (ARM/Bicep). */
      name: BodyValue;
      symbol: string;
      terraformBlock?: string;
      body: DialectBodies;
    };

/** Intents that change text in place (no new parameter or resource). */
export const IN_PLACE_OPS: ReadonlySet<FixIntent['op']> = new Set(['set', 'remove', 'replaceValue', 'setRef', 'setApiVersion']);

/** A fix as a rule proposes it. */
export interface Fix {
  /** `{param:as}` in it stands for the name of the parameter the fix's `addParameter` `as` creates. */
  title: string;
  intents: FixIntent[];
  /** The fix that makes the rule pass with the smallest change (at most one per finding). */
  preferred?: boolean;
}

/** Whether a fix only edits existing text (what on-save fix-all may apply). */
export function isInPlace(fix: Pick<Fix, 'intents'>): boolean {
  return fix.intents.every((i) => IN_PLACE_OPS.has(i.op));
}

export function paramRef(as: string): ParamRef {
  return { $ref: 'parameter', as };
}

export function resourceRef(resource: Resource | string, attribute = 'id'): ResourceRef {
  return { $ref: 'resource', resource: typeof resource === 'string' ? { as: resource } : resource, attribute };
}

export function concat(...parts: Concat['parts']): Concat {
  return { $ref: 'concat', parts };
}

/** Whether a body value is a reference. */
export function isRef(v: BodyValue): v is Ref {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$ref' in v && typeof v.$ref === 'string';
}

/** Whether a body value is a list of Terraform nested blocks. */
export function isBlocks(v: BodyValue): v is TfBlocks {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$blocks' in v && Array.isArray(v.$blocks);
}
