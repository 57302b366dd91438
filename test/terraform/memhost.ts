// An in-memory FileHost for front-end tests.
import { dirname } from 'node:path';
import type { FileHost } from '../../server/src/frontends/types';

export function memoryHost(files: Record<string, string>, roots: string[] = ['/ws']): FileHost & { files: Record<string, string> } {
  const dirs = new Set<string>();
  for (const p of Object.keys(files)) {
    let d = dirname(p);
    while (!dirs.has(d)) {
      dirs.add(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return {
    files,
    workspaceRoots: roots,
    readFile: (p) => files[p],
    isDirectory: (p) => dirs.has(p.replace(/\/$/, '')),
    readDir: (p) => {
      if (!dirs.has(p)) return undefined;
      const names = new Set<string>();
      const prefix = p.endsWith('/') ? p : p + '/';
      for (const f of [...Object.keys(files), ...dirs]) if (f.startsWith(prefix) && f !== p) names.add(f.slice(prefix.length).split('/')[0]);
      return [...names];
    },
  };
}
