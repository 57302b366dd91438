// Terraform fixes that write what an azurerm release added: offered as the azurerm versions the
// module allows have it (rules.md, Version constraints).
import type { ProviderVersion, Resource, Unit, VersionTriple } from '../../model/types';
import type { RelatedInfo } from '../../engine/types';
import { compareVersions, formatVersion } from '../../model/version';
import type { Fix } from '../../fixes/intent';
import { versionRelated } from './message';

/** Fixes for a report, and related information at the version constraint when it limits them. */
export interface VersionedFixes {
  fixes: Fix[];
  related: RelatedInfo[];
}

/**
 * The azurerm versions that apply to what a fix writes about `r`: its own when it is an azurerm
 * resource; else (an azapi resource given an azurerm neighbour) the module's, which every azurerm
 * resource of the unit carries.
 */
export function azurermVersionFor(unit: Unit, r: Resource): ProviderVersion | undefined {
  if (r.dialect !== 'terraform') return undefined;
  return r.providerVersion ?? unit.resources.find((x) => x.providerVersion && x.dialect === 'terraform')?.providerVersion;
}

/** An azurerm provider block (`provider "azurerm" { … }`), which the Terraform front end models as a resource rules read but never judge. */
export function isAzurermProvider(r: Resource): boolean {
  return r.kind === 'provider' && r.symbolicName === 'data.provider.azurerm';
}

/** Whether every azurerm version the module allows is older than `at` (false when unknown or unbounded). */
export function allOlderThan(v: ProviderVersion | undefined, at: VersionTriple): boolean {
  if (!v?.max) return false;
  const c = compareVersions(v.max.version, at);
  return c < 0 || (c === 0 && !v.max.inclusive);
}

/**
 * A Terraform fix that writes what azurerm added in `since`: unchanged when every allowed version
 * has it (or none is known: the latest); offered, not preferred, with what it needs when only some
 * do; none when none do. When it is limited, related information points at the constraint.
 */
export function whenAzurermHas(unit: Unit, v: ProviderVersion | undefined, since: readonly [number, number, number], fix: Fix): VersionedFixes {
  const at: VersionTriple = [since[0], since[1], since[2]];
  if (!v || compareVersions(v.min, at) >= 0) return { fixes: [fix], related: [] };
  const related = versionRelated(v, unit);
  if (allOlderThan(v, at)) return { fixes: [], related };
  return { fixes: [{ ...fix, title: `${fix.title}; needs azurerm ${formatVersion(at)} or later`, preferred: false }], related };
}
