// Finds the supported files below folders, for the CLI and the workspace scan.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSupportedPath, frontEndFor } from './analyze';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.terraform']);

/** Supported files at or below the given paths (absolute, sorted, without duplicates). Missing paths are skipped. */
export function collectFiles(paths: string[]): string[] {
  const out = new Set<string>();
  const visit = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(p);
      } catch {
        return;
      }
      for (const name of names.sort()) if (!SKIPPED_FOLDERS.has(name)) visit(join(p, name), false);
      return;
    }
    if (!isSupportedPath(p)) return;
    if (/\.jsonc?$/i.test(p) && !explicit) {
      // Only ARM templates among JSON files; read a bounded prefix-free check of the whole text.
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        return;
      }
      if (!frontEndFor(p, text)) return;
    }
    out.add(p);
  };
  for (const p of paths) visit(resolve(p), true);
  return [...out].sort();
}
