// Syntax nodes of the Bicep tree. Every node lists its tokens and sub-nodes in source order in
// `children`, so printing the tree is a walk over children; named fields give typed access.
import type { Token } from './scanner';

export type Child = SyntaxNode | Token;

interface NodeBase {
  /** Start of the node's first token (trivia excluded). */
  start: number;
  /** End of the node's last token (trivia excluded). */
  end: number;
  children: Child[];
}

export interface ProgramNode extends NodeBase { kind: 'Program'; statements: Statement[]; eof: Token }
export interface DecoratorNode extends NodeBase { kind: 'Decorator'; expr: Expr }
export interface SkippedNode extends NodeBase { kind: 'Skipped'; tokens: Token[] }
export interface MissingNode extends NodeBase { kind: 'Missing' }

interface DeclBase extends NodeBase { decorators: DecoratorNode[]; keyword: Token }
export interface TargetScopeDecl extends DeclBase { kind: 'TargetScopeDecl'; value: Expr }
export interface MetadataDecl extends DeclBase { kind: 'MetadataDecl'; name?: Token; value: Expr }
export interface ParamDecl extends DeclBase { kind: 'ParamDecl'; name?: Token; type?: TypeExpr; value?: Expr }
export interface VarDecl extends DeclBase { kind: 'VarDecl'; name?: Token; type?: TypeExpr; value: Expr }
export interface OutputDecl extends DeclBase { kind: 'OutputDecl'; name?: Token; type?: TypeExpr; value: Expr }
export interface TypeDecl extends DeclBase { kind: 'TypeDecl'; name?: Token; value: TypeExpr }
export interface FuncParam extends NodeBase { kind: 'FuncParam'; name: Token; type: TypeExpr }
export interface FuncDecl extends DeclBase { kind: 'FuncDecl'; name?: Token; params: FuncParam[]; returnType?: TypeExpr; body: Expr }
export interface ImportDecl extends DeclBase { kind: 'ImportDecl'; path?: StringExpr }
export interface ImportItem extends NodeBase { kind: 'ImportItem'; name: Token | StringExpr; alias?: Token }
export interface UsingDecl extends DeclBase { kind: 'UsingDecl'; path?: StringExpr }
export interface ExtendsDecl extends DeclBase { kind: 'ExtendsDecl'; path?: StringExpr }
export interface ExtensionDecl extends DeclBase { kind: 'ExtensionDecl' }
/** `.bicepparam`: `extensionConfig name with {…}`. */
export interface ExtensionConfigDecl extends DeclBase { kind: 'ExtensionConfigDecl'; name?: Token }
export interface AssertDecl extends DeclBase { kind: 'AssertDecl'; name?: Token; value: Expr }
export interface ResourceDecl extends DeclBase {
  kind: 'ResourceDecl';
  name?: Token;
  typeString?: StringExpr;
  existing?: Token;
  value: Expr;
}
export interface ModuleDecl extends DeclBase { kind: 'ModuleDecl' | 'TestDecl'; name?: Token; path?: StringExpr; value: Expr }
export interface BadStatement extends NodeBase { kind: 'BadStatement'; decorators: DecoratorNode[] }

export type Statement =
  | TargetScopeDecl | MetadataDecl | ParamDecl | VarDecl | OutputDecl | TypeDecl | FuncDecl | ImportDecl
  | UsingDecl | ExtendsDecl | ExtensionDecl | ExtensionConfigDecl | AssertDecl | ResourceDecl | ModuleDecl | BadStatement;

// Expressions
/** A string: one piece, or pieces around interpolated expressions ('…' or $'''…'''). */
export interface StringExpr extends NodeBase { kind: 'String'; pieces: Token[]; exprs: Expr[] }
export interface MultilineStringExpr extends NodeBase { kind: 'MultilineString'; token: Token }
export interface NumberExpr extends NodeBase { kind: 'Number'; token: Token }
export interface BoolExpr extends NodeBase { kind: 'Bool'; token: Token; value: boolean }
export interface NullExpr extends NodeBase { kind: 'Null'; token: Token }
export interface IdentExpr extends NodeBase { kind: 'Ident'; token: Token; name: string }
export interface ParenExpr extends NodeBase { kind: 'Paren'; expr: Expr }
export interface UnaryExpr extends NodeBase { kind: 'Unary'; op: Token; operand: Expr }
export interface BinaryExpr extends NodeBase { kind: 'Binary'; left: Expr; op: Token; right: Expr }
export interface TernaryExpr extends NodeBase { kind: 'Ternary'; cond: Expr; then: Expr; else: Expr }
export interface CallExpr extends NodeBase { kind: 'Call'; callee: Expr; args: Expr[] }
export interface MemberExpr extends NodeBase { kind: 'Member'; base: Expr; op: Token; name?: Token }
export interface IndexExpr extends NodeBase { kind: 'Index'; base: Expr; safe: boolean; fromEnd: boolean; index: Expr }
export interface NonNullExpr extends NodeBase { kind: 'NonNull'; base: Expr }
export interface LambdaExpr extends NodeBase { kind: 'Lambda'; params: Token[]; body: Expr }
export interface ObjectExpr extends NodeBase { kind: 'Object'; members: ObjectMember[] }
export interface PropertyNode extends NodeBase { kind: 'Property'; decorators: DecoratorNode[]; key: Token | StringExpr | MissingNode; value: Expr }
export interface SpreadNode extends NodeBase { kind: 'Spread'; expr: Expr }
export interface ArrayExpr extends NodeBase { kind: 'Array'; items: (Expr | SpreadNode)[] }
export interface ForExpr extends NodeBase { kind: 'For'; itemVar?: Token; indexVar?: Token; source: Expr; body: Expr }
export interface IfExpr extends NodeBase { kind: 'If'; cond: Expr; body: Expr }
export type ObjectMember = PropertyNode | SpreadNode | ResourceDecl | SkippedNode;

export type Expr =
  | StringExpr | MultilineStringExpr | NumberExpr | BoolExpr | NullExpr | IdentExpr | ParenExpr | UnaryExpr
  | BinaryExpr | TernaryExpr | CallExpr | MemberExpr | IndexExpr | NonNullExpr | LambdaExpr | ObjectExpr
  | ArrayExpr | ForExpr | IfExpr | MissingNode | SkippedNode;

// Types
export interface TypeRef extends NodeBase { kind: 'TypeRef'; name: Token }
export interface TypeArgs extends NodeBase { kind: 'TypeArgs'; base: TypeExpr; args: TypeExpr[] }
export interface TypeMember extends NodeBase { kind: 'TypeMember'; base: TypeExpr; name?: Token }
export interface TypeIndex extends NodeBase { kind: 'TypeIndex'; base: TypeExpr }
export interface ArrayType extends NodeBase { kind: 'ArrayType'; item: TypeExpr }
export interface NullableType extends NodeBase { kind: 'NullableType'; base: TypeExpr }
export interface NonNullType extends NodeBase { kind: 'NonNullType'; base: TypeExpr }
export interface UnionType extends NodeBase { kind: 'UnionType'; members: TypeExpr[] }
export interface ObjectType extends NodeBase { kind: 'ObjectType'; members: (TypeProperty | SkippedNode)[] }
export interface TypeProperty extends NodeBase { kind: 'TypeProperty'; decorators: DecoratorNode[]; key: Token | StringExpr | MissingNode; value: TypeExpr }
export interface TupleType extends NodeBase { kind: 'TupleType'; items: TypeExpr[] }
export interface ParenType extends NodeBase { kind: 'ParenType'; type: TypeExpr }
export interface ResourceType extends NodeBase { kind: 'ResourceType'; typeString?: StringExpr }
export interface DecoratedType extends NodeBase { kind: 'DecoratedType'; decorators: DecoratorNode[]; type: TypeExpr }

export type TypeExpr =
  | TypeRef | TypeArgs | TypeMember | TypeIndex | ArrayType | NullableType | NonNullType | UnionType | ObjectType | TupleType
  | ParenType | ResourceType | DecoratedType | StringExpr | MultilineStringExpr | NumberExpr | BoolExpr | NullExpr
  | UnaryExpr | MissingNode | SkippedNode;

export type SyntaxNode =
  | ProgramNode | DecoratorNode | Statement | Expr | TypeExpr | FuncParam | ImportItem | PropertyNode | SpreadNode
  | TypeProperty;

export function isToken(c: Child): c is Token {
  return (c as Token).tk !== undefined;
}
