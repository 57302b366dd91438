// Path helpers for hot paths: an absolute, normalised POSIX path needs no `resolve`, and containment
// in a folder is a prefix test. Anything else goes through node:path as before.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `/a/b` with no empty, `.` or `..` segment and no trailing slash (not the file-system root). */
const NORMAL_ABSOLUTE = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

/** Whether `path` is an absolute POSIX path that `resolve` would return unchanged. */
export function isNormalAbsolute(path: string): boolean {
  return sep === '/' && NORMAL_ABSOLUTE.test(path);
}

/** `resolve(path)`, without the work when the path is already absolute and normalised. */
export function resolvePath(path: string): string {
  return isNormalAbsolute(path) ? path : resolve(path);
}

/**
 * Whether `path` is `root` or below it, as `relative(root, path)` tells (a first segment starting
 * with `..` counts as outside, as it always did).
 */
export function isWithin(path: string, root: string): boolean {
  if (isNormalAbsolute(path) && isNormalAbsolute(root)) {
    if (path === root) return true;
    return path.length > root.length + 1 && path.charCodeAt(root.length) === 47 && path.startsWith(root) && !path.startsWith('..', root.length + 1);
  }
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
