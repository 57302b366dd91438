// File access for front ends: the disk, optionally overlaid with open editor documents.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileHost } from '../frontends/types';

/** Reads files from disk; references must stay inside `roots` (defaults to the file system root). */
export function diskHost(roots: string[] = []): FileHost {
  return {
    workspaceRoots: roots.map((r) => resolve(r)),
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    readDir(path) {
      try {
        return readdirSync(path);
      } catch {
        return undefined;
      }
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** A host whose files are `docs` where given (open documents, or texts being fixed), else `base`. */
export function overlayHost(base: FileHost, docs: ReadonlyMap<string, string>): FileHost {
  return {
    workspaceRoots: base.workspaceRoots,
    readFile: (path) => docs.get(path) ?? base.readFile(path),
    readDir(path) {
      const entries = base.readDir(path);
      const extra: string[] = [];
      for (const p of docs.keys()) {
        const slash = p.lastIndexOf('/');
        if (slash >= 0 && p.slice(0, slash) === path) extra.push(p.slice(slash + 1));
      }
      if (!entries && extra.length === 0) return undefined;
      return [...new Set([...(entries ?? []), ...extra])];
    },
    isDirectory: (path) => base.isDirectory(path),
  };
}
