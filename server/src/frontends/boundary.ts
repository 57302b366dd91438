// The workspace boundary: module, parameters-file and `using` paths resolve inside the workspace
// roots (or, with no roots, the analysed file's own folder), checked on the path as written and on
// its real path, so neither `../..` nor a symlink leads a read outside.
import { dirname, resolve } from 'node:path';
import { isWithin as within, resolvePath } from '../paths';
import type { FileHost } from './types';
import type { Note } from '../model/types';
import type { Span } from '../text';

/** The roots references of a unit must stay in: the host's, else the folder of the analysed file. */
export function boundaryRoots(host: FileHost, analysed: string, folder = dirname(resolve(analysed))): string[] {
  return host.workspaceRoots.length > 0 ? host.workspaceRoots : [folder];
}

/** Whether `path` is inside one of `roots`, as written and (when the host knows real paths) really. */
export function insideBoundary(path: string, roots: readonly string[], host: FileHost): boolean {
  const abs = resolvePath(path);
  if (!roots.some((r) => within(abs, resolvePath(r)))) return false;
  if (!host.realPath) return true;
  const real = host.realPath(abs);
  if (real === undefined) return true; // does not exist (yet): nothing to read through a link
  return roots.some((r) => within(real, host.realPath!(resolvePath(r)) ?? resolvePath(r)));
}

/**
 * A host for loading the unit of `analysed`: reads outside the boundary find nothing (the analysed
 * file itself is always readable: it may be an open document anywhere).
 */
export function boundedHost(host: FileHost, analysed: string, folder?: string): FileHost {
  const roots = boundaryRoots(host, analysed, folder);
  const self = resolvePath(analysed);
  const ok = (p: string) => resolvePath(p) === self || insideBoundary(p, roots, host);
  return {
    workspaceRoots: roots,
    realPath: host.realPath,
    readFile: (p) => (ok(p) ? host.readFile(p) : undefined),
    readDir: (p) => (ok(p) ? host.readDir(p) : undefined),
    isDirectory: (p) => ok(p) && host.isDirectory(p),
  };
}

/** The note for a reference the boundary stopped, at the path as written: `module outside the workspace, not read`. */
export function outsideNote(file: string, span: Span, what: string): Note {
  return { file, span, message: `${what} outside the workspace, not read` };
}
