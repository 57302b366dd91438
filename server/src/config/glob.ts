// Glob matching for `exclude` without regular expressions: the glob is compiled to a small
// automaton run over the path one character at a time, so the work is at most
// (path length × glob length) whatever the pattern (no catastrophic backtracking).

interface Edge {
  test: (c: string) => boolean;
  to: number;
}

interface State {
  eps: number[];
  edges: Edge[];
}

const anyChar = () => true;
const notSlash = (c: string) => c !== '/';

export interface GlobMatcher {
  test(path: string): boolean;
}

class Automaton implements GlobMatcher {
  readonly states: State[] = [];
  readonly accepting = new Set<number>();

  add(): number {
    this.states.push({ eps: [], edges: [] });
    return this.states.length - 1;
  }

  private closure(set: Set<number>): Set<number> {
    const stack = [...set];
    while (stack.length > 0) {
      const s = stack.pop()!;
      for (const t of this.states[s].eps) {
        if (!set.has(t)) {
          set.add(t);
          stack.push(t);
        }
      }
    }
    return set;
  }

  test(path: string): boolean {
    let current = this.closure(new Set([0]));
    for (const c of path) {
      const next = new Set<number>();
      for (const s of current) for (const e of this.states[s].edges) if (e.test(c)) next.add(e.to);
      if (next.size === 0) return false;
      current = this.closure(next);
    }
    for (const s of current) if (this.accepting.has(s)) return true;
    return false;
  }
}

/**
 * A gitignore-like glob: `*`, `?`, `**`; a pattern without `/` matches at any depth; a folder
 * matches what it holds.
 */
export function compileGlob(glob: string): GlobMatcher {
  let g = glob.trim().replace(/\\/g, '/');
  const anchored = g.startsWith('/') || g.replace(/\/$/, '').includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '');
  const a = new Automaton();
  let cur = a.add();
  const step = (): number => {
    const s = a.add();
    a.states[cur].eps.push(s);
    return s;
  };
  // `(?:.*/)?`: any number of whole folders, or none.
  const anyFolders = () => {
    const s = step();
    const loop = a.add();
    const after = a.add();
    a.states[s].eps.push(after);
    a.states[s].edges.push({ test: anyChar, to: loop }, { test: (c) => c === '/', to: after });
    a.states[loop].edges.push({ test: anyChar, to: loop }, { test: (c) => c === '/', to: after });
    cur = after;
  };
  if (!anchored) anyFolders();
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') {
        anyFolders();
        i += 2;
      } else {
        const s = step();
        a.states[s].edges.push({ test: anyChar, to: s });
        cur = s;
        i++;
      }
    } else if (c === '*') {
      const s = step();
      a.states[s].edges.push({ test: notSlash, to: s });
      cur = s;
    } else {
      const s = a.add();
      a.states[cur].edges.push({ test: c === '?' ? notSlash : (x) => x === c, to: s });
      cur = s;
    }
  }
  // `(?:/.*)?`: the pattern names a folder, and matches everything in it.
  const end = step();
  const inside = a.add();
  a.states[end].edges.push({ test: (x) => x === '/', to: inside });
  a.states[inside].edges.push({ test: anyChar, to: inside });
  a.accepting.add(end);
  a.accepting.add(inside);
  return a;
}
