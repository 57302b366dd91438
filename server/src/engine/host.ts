// File access for front ends: the disk, optionally overlaid with open editor documents.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileHost } from '../frontends/types';
import { readRegularFile, type ReadLimits, type ReadOutcome } from './read';

export interface DiskHostOptions extends ReadLimits {
  /** Called with what each read found (the CLI keeps the bytes to detect changes before writing). */
  onRead?: (path: string, outcome: ReadOutcome) => void;
}

/**
 * Reads regular files from disk (never a FIFO or device, never more than the size limit);
 * references must stay inside `roots` (none: the analysed file's folder).
 */
export function diskHost(roots: string[] = [], options: DiskHostOptions = {}): FileHost {
  const reals = new Map<string, string | undefined>();
  return {
    workspaceRoots: roots.map((r) => resolve(r)),
    readFile(path) {
      const outcome = readRegularFile(path, options);
      options.onRead?.(path, outcome);
      return outcome.ok ? outcome.text : undefined;
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
    realPath(path) {
      if (reals.has(path)) return reals.get(path);
      let real: string | undefined;
      try {
        real = realpathSync.native(path);
      } catch {
        real = undefined;
      }
      reals.set(path, real);
      return real;
    },
  };
}

/** A host whose files are `docs` where given (open documents, or texts being fixed), else `base`. */
export function overlayHost(base: FileHost, docs: ReadonlyMap<string, string>): FileHost {
  return {
    workspaceRoots: base.workspaceRoots,
    realPath: base.realPath ? (path) => base.realPath!(path) : undefined,
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
