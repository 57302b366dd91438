// Diagnostic messages lead with the fact and end with the action, in at most 120 characters;
// the why and the detail live in the hover.
import { describeVersionSource } from '../../model/origin';
import type { ProviderVersion, Unit } from '../../model/types';
import type { RelatedInfo } from '../../engine/types';

export const MAX_MESSAGE_LENGTH = 120;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "fact: why. Action." when it fits in 120 characters, else "fact: action.". */
export function message(fact: string, action: string, why?: string): string {
  if (why) {
    const full = `${fact}: ${why}. ${capitalise(action)}.`;
    if (full.length <= MAX_MESSAGE_LENGTH) return full;
  }
  return `${fact}: ${action}.`;
}

/** Related information that points at where a provider version was read. */
export function versionRelated(v: ProviderVersion | undefined, unit: Unit): RelatedInfo[] {
  return v?.at ? [{ loc: v.at, message: `The version is read here (${describeVersionSource(unit, v)})` }] : [];
}
