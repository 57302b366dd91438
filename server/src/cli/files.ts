// The files of one CLI run: which files to scan (walked safely), what each read found (kept for
// the run, so config lookups and modules are read once and --fix can tell a changed file),
// and the notes on files that were skipped.
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { resolvePath } from '../paths';
import { diskHost } from '../engine/host';
import { readRegularFile, type ReadLimits, type ReadOutcome } from '../engine/read';
import { walkFiles, type SkippedFile } from '../engine/walk';
import type { FileHost } from '../frontends/types';

/** What a read found, kept for the rest of the run. */
export interface ReadRecord {
  text?: string;
  /** SHA-256 of the bytes read, to refuse writing over a file changed since. */
  digest?: string;
  /** False when the file was not valid UTF-8 (it is analysed, never rewritten). */
  utf8?: boolean;
  /** Why nothing was read. */
  skipped?: SkippedFile;
}

export type Reader = (path: string, limits: ReadLimits) => ReadOutcome;

export interface FileSessionOptions extends ReadLimits {
  /** The reader (tests inject failures). */
  read?: Reader;
  /** Keep every text for the run (--fix needs them); otherwise a text is read again when asked again. */
  keepTexts?: boolean;
}

export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The deepest folder holding every path (folders themselves, files by their folder). */
export function commonRoot(paths: string[]): string {
  const folders = paths.map((p) => {
    try {
      return statSync(p).isDirectory() ? resolve(p) : dirname(resolve(p));
    } catch {
      return dirname(resolve(p));
    }
  });
  let root = folders[0] ?? resolve('.');
  for (const f of folders.slice(1)) {
    while (!within(f, root)) {
      const up = dirname(root);
      if (up === root) break;
      root = up;
    }
  }
  return root;
}

/**
 * The workspace root of a run: `--root` when given; else the working folder when it holds every
 * given path (and is not the file-system root); else the given paths' common root.
 */
export function workspaceRootOf(paths: string[], cwd: string, explicitRoot?: string): string {
  if (explicitRoot) return resolve(cwd, explicitRoot);
  const common = commonRoot(paths);
  const top = resolve(cwd);
  if (dirname(top) !== top && within(common, top)) return top;
  return common;
}

/** Characters of recently read texts a session keeps when it does not keep every text. */
const RECENT_TEXT_BUDGET = 16_000_000;

export class FileSession {
  readonly records = new Map<string, ReadRecord>();
  /** Texts read last, when texts are not kept for the run (most recent last). */
  private readonly recent = new Map<string, string>();
  private recentChars = 0;
  readonly host: FileHost;
  private readonly read: Reader;

  constructor(
    readonly root: string,
    private readonly options: FileSessionOptions = {},
  ) {
    this.read = options.read ?? readRegularFile;
    const disk = diskHost([root]);
    // Folders are listed and probed once per run too (every template looks for its .bicepparam).
    const dirs = new Map<string, string[] | undefined>();
    const isDir = new Map<string, boolean>();
    this.host = {
      workspaceRoots: disk.workspaceRoots,
      realPath: disk.realPath,
      readDir: (path) => {
        if (!dirs.has(path)) dirs.set(path, disk.readDir(path));
        return dirs.get(path);
      },
      isDirectory: (path) => {
        let v = isDir.get(path);
        if (v === undefined) isDir.set(path, (v = disk.isDirectory(path)));
        return v;
      },
      readFile: (path) => this.readText(path),
    };
  }

  /** The text of a file, read once per run (failures too: a missing brickguard.json is looked for once). */
  readText(path: string): string | undefined {
    const abs = resolvePath(path);
    let record = this.records.get(abs);
    if (record && (record.text !== undefined || record.skipped)) return record.text;
    const recent = this.recent.get(abs);
    if (recent !== undefined) {
      this.recent.delete(abs);
      this.recent.set(abs, recent);
      return recent;
    }
    const outcome = this.read(abs, this.options);
    record = outcome.ok
      ? { text: outcome.text, digest: this.options.keepTexts === false ? undefined : digestOf(outcome.bytes), utf8: outcome.utf8 }
      : { skipped: { path: abs, reason: outcome.reason, detail: outcome.detail } };
    const text = record.text;
    if (this.options.keepTexts === false && text !== undefined) {
      record.text = undefined;
      this.remember(abs, text);
    }
    this.records.set(abs, record);
    return text;
  }

  /** Keeps a text among the most recently read, within a budget (a unit reads its files more than once; modules are shared). */
  private remember(path: string, text: string): void {
    this.recent.set(path, text);
    this.recentChars += text.length;
    while (this.recentChars > RECENT_TEXT_BUDGET && this.recent.size > 1) {
      const [oldest, old] = this.recent.entries().next().value as [string, string];
      this.recent.delete(oldest);
      this.recentChars -= old.length;
    }
  }

  /** Supported files under the given paths, with notes on those skipped. */
  collect(paths: string[]): { files: string[]; skipped: SkippedFile[] } {
    const walked = walkFiles(paths, { ...this.options, keepTexts: false });
    return { files: walked.files, skipped: walked.skipped };
  }

  /** Notes on files the analysis wanted and could not read (unreadable, too large, binary, not a regular file). */
  skippedAmong(files: Iterable<string>): SkippedFile[] {
    const out: SkippedFile[] = [];
    for (const f of files) {
      const s = this.records.get(resolve(f))?.skipped;
      if (s && s.reason !== 'missing') out.push(s);
    }
    return out;
  }
}

/** Whether `path` is at or below one of `paths` (the paths given on the command line). */
export function underGivenPaths(path: string, given: string[]): boolean {
  return given.some((g) => within(resolve(path), g) || resolve(path) === g);
}
