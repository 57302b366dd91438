// Locates the shared corpus (../shared/corpus beside the repository). Tests that read it skip
// with a message when it is absent.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const corpusRoot = process.env.BRICKGUARD_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');

/** The corpus folder, or a skip message when it is not there. */
export function corpusOrSkip(): { root: string } | { skip: string } {
  return existsSync(corpusRoot) ? { root: corpusRoot } : { skip: `corpus not found at ${corpusRoot}; skipped` };
}

/** Every file below `dir` (relative to the corpus root) whose name satisfies `accept`. */
export function corpusFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (accept(name)) out.push(p);
    }
  };
  walk(join(corpusRoot, dir));
  return out;
}
