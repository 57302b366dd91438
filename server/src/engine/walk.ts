// Finds the supported files below folders, for the CLI and the workspace scan. Each file is listed
// once (a visited set of real paths), links never lead outside the given roots (no loops, no walk
// of `/`), and only regular files are listed (a FIFO or device is skipped with a note).
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isSupportedPath, frontEndFor } from './analyze';
import { readRegularFile, type ReadLimits, type SkipReason } from './read';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.terraform']);

export interface SkippedFile {
  path: string;
  reason: SkipReason | 'outside' | 'loop';
  detail: string;
}

export interface WalkResult {
  /** Supported files (absolute, sorted, without duplicates). */
  files: string[];
  /** Supported-looking entries that were not listed, with why. */
  skipped: SkippedFile[];
  /** Texts read while walking (JSON files are read to see whether they are templates), to read them once. */
  texts: Map<string, string>;
}

export interface WalkOptions extends ReadLimits {
  /** Keep the texts of the JSON files read while walking (default false). */
  keepTexts?: boolean;
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Walks the given paths; never throws, never follows a link out of the path it was given. */
export function walkFiles(paths: string[], options: WalkOptions = {}): WalkResult {
  const files = new Set<string>();
  const skipped: SkippedFile[] = [];
  const texts = new Map<string, string>();
  const visited = new Set<string>();
  const skip = (path: string, reason: SkippedFile['reason'], detail: string) => skipped.push({ path, reason, detail });

  const visitFile = (p: string, real: string, st: Stats, explicit: boolean) => {
    if (!isSupportedPath(p)) return;
    if (visited.has(real)) return;
    visited.add(real);
    if (!st.isFile()) return skip(p, 'not-regular', 'not a regular file');
    const maxSize = options.maxSize;
    if (maxSize !== undefined && st.size > maxSize) return skip(p, 'too-large', `larger than ${maxSize} bytes`);
    if (/\.jsonc?$/i.test(p) && !explicit) {
      // Only ARM templates among JSON files.
      const r = readRegularFile(p, options);
      if (!r.ok) return skip(p, r.reason, r.detail);
      if (!frontEndFor(p, r.text)) return;
      if (options.keepTexts) texts.set(p, r.text);
    }
    files.add(p);
  };

  for (const given of paths) {
    const abs = resolve(given);
    const root = realOrUndefined(abs);
    if (root === undefined) continue;
    visitRoot(abs, root);
  }
  function visitRoot(abs: string, root: string) {
    // Paths inside a root are compared by their real path: map the lexical prefix to the real one.
    const st = statSafe(abs);
    if (!st) return;
    if (st.isDirectory()) {
      if (visited.has(root)) return;
      visited.add(root);
      let names: string[];
      try {
        names = readdirSync(abs);
      } catch (e) {
        skip(abs, 'unreadable', (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'cannot list it');
        return;
      }
      for (const name of names.sort()) if (!SKIPPED_FOLDERS.has(name)) visitUnder(join(abs, name), join(root, name), root);
      return;
    }
    visitFile(abs, root, st, true);
  }
  // `p` is the path shown to the user, `real` its real path so far (exact when no link was crossed).
  function visitUnder(p: string, realGuess: string, root: string) {
    let lst;
    try {
      lst = lstatSync(p);
    } catch {
      return;
    }
    let real = realGuess;
    let st = lst;
    if (lst.isSymbolicLink()) {
      const r = realOrUndefined(p);
      if (r === undefined) return; // a dangling link
      const target = statSafe(p);
      if (!target) return;
      if (!isInside(r, root)) {
        if (isSupportedPath(p) || target.isDirectory()) skip(p, 'outside', 'a link to outside the scanned folder');
        return;
      }
      real = r;
      st = target;
    }
    if (st.isDirectory()) {
      if (visited.has(real)) return; // a loop, or a folder reached twice through links
      visited.add(real);
      let names: string[];
      try {
        names = readdirSync(p);
      } catch (e) {
        skip(p, 'unreadable', (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'cannot list it');
        return;
      }
      for (const name of names.sort()) if (!SKIPPED_FOLDERS.has(name)) visitUnder(join(p, name), join(real, name), root);
      return;
    }
    visitFile(p, real, st, false);
  }
  return { files: [...files].sort(), skipped, texts };
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Supported files at or below the given paths (absolute, sorted, without duplicates). Missing paths are skipped. */
export function collectFiles(paths: string[], limits: ReadLimits = {}): string[] {
  return walkFiles(paths, limits).files;
}
