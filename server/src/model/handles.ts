// Handles: the syntax a model value was lowered from, for the edit builder of its dialect.
// Rules never read them; each fix renderer narrows on `dialect` and gets its own node types.
import type { Node as JsonNode } from 'jsonc-parser';
import type * as B from '../syntax/bicep/nodes';
import type * as H from '../syntax/hcl/nodes';

/** A syntax node of `file`, understood by the renderer of `dialect`. */
export interface Handle<D extends 'arm' | 'bicep' | 'terraform', N> {
  dialect: D;
  file: string;
  node: N;
}

/** The declaration of a resource. */
export type ResourceHandle = Handle<'arm', JsonNode> | Handle<'bicep', B.ResourceDecl> | Handle<'terraform', H.Block>;
/** Where properties of an object can be inserted: an object literal, or a Terraform block. */
export type ObjectHandle = Handle<'arm', JsonNode> | Handle<'bicep', B.ObjectExpr> | Handle<'terraform', H.Block | H.ObjectExpr>;
export type ArrayHandle = Handle<'arm', JsonNode> | Handle<'bicep', B.ArrayExpr> | Handle<'terraform', H.TupleExpr>;
/** A property, attribute, object item or nested block. */
export type PropertyHandle = Handle<'arm', JsonNode> | Handle<'bicep', B.PropertyNode> | Handle<'terraform', H.Attribute | H.Block | H.ObjectItem>;
/** The parameter or variable declaration, or the parameters-file entry, that supplies a value. */
export type ParameterHandle = Handle<'arm', JsonNode> | Handle<'bicep', B.ParamDecl> | Handle<'terraform', H.Block | H.Attribute>;
