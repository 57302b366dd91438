// Deployments as trees: a template that another analysed template calls as a module (Bicep
// `module`, Terraform local `module`) is judged inside each caller's deployment, with the caller's
// values, and not also on its own with its defaults. A file nobody calls is a root and is judged
// alone. The CLI and the language server share this policy.
import { resolve } from 'node:path';
import type { Unit } from '../model/types';

/** Template files a unit reads besides its own (called modules), not parameter files. */
export function calledFiles(unit: Unit): string[] {
  const own = new Set(unit.ownFiles.map((p) => resolve(p)));
  return unit.files
    .filter((f) => (f.dialect === 'bicep' || f.dialect === 'terraform' || f.dialect === 'arm') && !own.has(resolve(f.path)))
    .map((f) => resolve(f.path));
}

/** Who calls whom among analysed units: the files each root file's deployment reaches. */
export class DeploymentIndex {
  /** Called file → the files whose units call it. */
  private readonly callers = new Map<string, Set<string>>();
  /** Analysed file → the files its unit calls. */
  private readonly calls = new Map<string, string[]>();

  /** Records the unit analysed for `file` (replacing what was known of it). */
  record(file: string, unit: Unit): void {
    const from = resolve(file);
    for (const called of this.calls.get(from) ?? []) this.callers.get(called)?.delete(from);
    const called = calledFiles(unit);
    this.calls.set(from, called);
    for (const c of called) {
      let set = this.callers.get(c);
      if (!set) this.callers.set(c, (set = new Set()));
      set.add(from);
    }
  }

  /** Forgets a file that is gone. */
  forget(file: string): void {
    const from = resolve(file);
    for (const called of this.calls.get(from) ?? []) this.callers.get(called)?.delete(from);
    this.calls.delete(from);
  }

  /**
   * The root files whose deployments include `file` (nearest callers that nobody calls, followed
   * up the tree); empty when the file is itself a root. A caller that `file` also reaches (a
   * cycle) does not make it a module.
   */
  rootsOf(file: string): string[] {
    const start = resolve(file);
    const roots = new Set<string>();
    const seen = new Set<string>([start]);
    const reachedFromStart = new Set(this.calls.get(start) ?? []);
    const visit = (f: string): void => {
      const callers = [...(this.callers.get(f) ?? [])].filter((c) => !seen.has(c) && !reachedFromStart.has(c));
      if (callers.length === 0) {
        if (f !== start) roots.add(f);
        return;
      }
      for (const c of callers) {
        seen.add(c);
        visit(c);
      }
    };
    visit(start);
    return [...roots].sort();
  }

  /** Whether the file is judged inside other deployments rather than alone. */
  isCalled(file: string): boolean {
    return this.rootsOf(file).length > 0;
  }
}
