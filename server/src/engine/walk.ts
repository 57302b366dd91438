// Finds the supported files below folders, for the CLI and the workspace scan. Each file is listed
// once (a visited set of real paths), links never lead outside the given roots (no loops, no walk
// of `/`), and only regular files are listed (a FIFO or device is skipped with a note).
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { isWithin } from '../paths';
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

const isInside = isWithin;

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
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

  // `st` is known for explicit paths and links; plain files are checked when read.
  const visitFile = (p: string, real: string, st: Stats | undefined, explicit: boolean) => {
    if (!isSupportedPath(p)) return;
    if (visited.has(real)) return;
    visited.add(real);
    if (st && !st.isFile()) return skip(p, 'not-regular', 'not a regular file');
    const maxSize = options.maxSize;
    if (st && maxSize !== undefined && st.size > maxSize) return skip(p, 'too-large', `larger than ${maxSize} bytes`);
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
      const entries = list(abs);
      if (!entries) return;
      for (const e of entries) if (!SKIPPED_FOLDERS.has(e.name)) visitUnder(join(abs, e.name), join(root, e.name), root, e);
      return;
    }
    visitFile(abs, root, st, true);
  }
  /** The entries of a folder with their kinds (sorted), or undefined with a note. */
  function list(p: string): Dirent[] | undefined {
    try {
      return readdirSync(p, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    } catch (e) {
      skip(p, 'unreadable', (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'cannot list it');
      return undefined;
    }
  }
  // `p` is the path shown to the user, `realGuess` its real path (exact when no link was crossed);
  // the entry's kind from the folder listing saves a stat for plain files and folders.
  function visitUnder(p: string, realGuess: string, root: string, entry?: Dirent) {
    let real = realGuess;
    let st: Stats | undefined;
    let kind: 'dir' | 'file' | 'other';
    if (entry && !entry.isSymbolicLink() && (entry.isDirectory() || entry.isFile() || entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice())) {
      kind = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
    } else {
      let lst;
      try {
        lst = lstatSync(p);
      } catch {
        return;
      }
      st = lst;
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
      kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    }
    if (kind === 'dir') {
      if (visited.has(real)) return; // a loop, or a folder reached twice through links
      visited.add(real);
      const entries = list(p);
      if (!entries) return;
      for (const e of entries) if (!SKIPPED_FOLDERS.has(e.name)) visitUnder(join(p, e.name), join(real, e.name), root, e);
      return;
    }
    if (kind === 'other') {
      if (isSupportedPath(p)) skip(p, 'not-regular', 'not a regular file');
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
