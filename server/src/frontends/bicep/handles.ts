// Opaque handles that the Bicep lowering attaches to model values, read back by the edit builder.
import type * as N from '../../syntax/bicep/nodes';

export interface BicepObjectHandle { dialect: 'bicep'; file: string; node: N.ObjectExpr }
export interface BicepArrayHandle { dialect: 'bicep'; file: string; node: N.ArrayExpr }
export interface BicepPropertyHandle { dialect: 'bicep'; file: string; node: N.PropertyNode }
export interface BicepResourceHandle { dialect: 'bicep'; file: string; decl: N.ResourceDecl }
export interface BicepParamHandle { dialect: 'bicep' | 'bicepparam'; file: string; decl: N.ParamDecl }

function isBicep(h: unknown): h is { dialect: string; file: string } {
  return typeof h === 'object' && h !== null && ((h as { dialect?: unknown }).dialect === 'bicep' || (h as { dialect?: unknown }).dialect === 'bicepparam');
}
export function asObjectHandle(h: unknown): BicepObjectHandle | undefined {
  return isBicep(h) && (h as BicepObjectHandle).node?.kind === 'Object' ? (h as BicepObjectHandle) : undefined;
}
export function asArrayHandle(h: unknown): BicepArrayHandle | undefined {
  return isBicep(h) && (h as BicepArrayHandle).node?.kind === 'Array' ? (h as BicepArrayHandle) : undefined;
}
export function asPropertyHandle(h: unknown): BicepPropertyHandle | undefined {
  return isBicep(h) && (h as BicepPropertyHandle).node?.kind === 'Property' ? (h as BicepPropertyHandle) : undefined;
}
export function asParamHandle(h: unknown): BicepParamHandle | undefined {
  return isBicep(h) && (h as BicepParamHandle).decl?.kind === 'ParamDecl' ? (h as BicepParamHandle) : undefined;
}
