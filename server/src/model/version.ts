// Reading provider version ranges: a verdict is known when every allowed version agrees.
import type { ProviderVersion, VersionTriple } from './types';

/** Orders versions: negative when `a` is older than `b`. */
export function compareVersions(a: VersionTriple, b: VersionTriple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `3.104.0` → "3.104"; `4.0.0` → "4.0". */
export function formatVersion(v: VersionTriple): string {
  return v[2] === 0 ? `${v[0]}.${v[1]}` : v.join('.');
}

function nextPatch(v: VersionTriple): VersionTriple {
  return [v[0], v[1], v[2] + 1];
}

/** Whether the range allows some version at or above `bound`. */
function reaches(range: ProviderVersion, bound: VersionTriple): boolean {
  if (!range.max) return true;
  const c = compareVersions(range.max.version, bound);
  return c > 0 || (c === 0 && range.max.inclusive);
}

/** A stretch of allowed versions over which a default does not change, and the verdict there. */
export interface VersionPiece<T> {
  from: VersionTriple;
  /** First version after the piece (exclusive); absent for the last, open-ended piece. */
  to?: VersionTriple;
  value: T;
}

export type VersionVerdict<T> = { known: true; value: T } | { known: false; pieces: VersionPiece<T>[] };

/**
 * Judges a version range: `boundaries` are the versions where the default changes, `at` the
 * verdict for one version. Known when every piece of the range between boundaries agrees.
 */
export function decideOverVersions<T>(range: ProviderVersion, boundaries: readonly VersionTriple[], at: (v: VersionTriple) => T): VersionVerdict<T> {
  const cuts = [...boundaries].sort(compareVersions).filter((b) => compareVersions(b, range.min) > 0 && reaches(range, b));
  const starts = [range.min, ...cuts];
  const end = range.max && (range.max.inclusive ? nextPatch(range.max.version) : range.max.version);
  const pieces: VersionPiece<T>[] = starts.map((from, i) => {
    const to = i + 1 < starts.length ? starts[i + 1] : end;
    return { from, ...(to ? { to } : {}), value: at(from) };
  });
  // Neighbouring pieces with the same verdict are one.
  const merged: VersionPiece<T>[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (last && last.value === p.value) last.to = p.to;
    else merged.push({ ...p });
  }
  if (merged.every((p) => p.value === merged[0].value)) return { known: true, value: merged[0].value };
  return { known: false, pieces: merged };
}

/** "before 3.104", "from 3.0 to 5.0", "from 5.0": the versions of some pieces of a range. */
export function describePieces<T>(pieces: readonly VersionPiece<T>[], which: (value: T) => boolean): string {
  const out: string[] = [];
  pieces.forEach((p, i) => {
    if (!which(p.value)) return;
    if (i === 0 && p.to) out.push(`before ${formatVersion(p.to)}`);
    else if (p.to && i < pieces.length - 1) out.push(`from ${formatVersion(p.from)} to ${formatVersion(p.to)}`);
    else out.push(`from ${formatVersion(p.from)}`);
  });
  return out.join(' and ');
}
