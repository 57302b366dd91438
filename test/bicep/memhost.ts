// An in-memory FileHost for Bicep tests.
import type { FileHost } from '../../server/src/frontends/types';

export function memoryHost(files: Record<string, string>, roots: string[] = ['/ws']): FileHost {
  const map = new Map(Object.entries(files));
  return {
    workspaceRoots: roots,
    readFile: (p) => map.get(p),
    readDir(p) {
      const prefix = p.endsWith('/') ? p : p + '/';
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]);
      return names.size > 0 ? [...names] : undefined;
    },
    isDirectory(p) {
      const prefix = p.endsWith('/') ? p : p + '/';
      return [...map.keys()].some((k) => k.startsWith(prefix));
    },
  };
}
