// Writes fixed files without losing a byte: a file changed since it was read is refused, a
// read-only file is reported, each file is written to a temporary file in its own folder and
// renamed over the original (keeping its mode), so a full disk or a crash leaves the original whole.
import * as fs from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { readRegularFile } from '../engine/read';
import { digestOf } from './files';

/** The file-system calls the writer makes (tests inject failures such as a full disk). */
export interface WriteOps {
  openSync(path: string, flags: string, mode: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  chmodSync(path: string, mode: number): void;
  chownSync(path: string, uid: number, gid: number): void;
  statSync(path: string): fs.Stats;
  /** Throws when the file may not be written (what the system allows: root may write a 0444 file). */
  accessSync(path: string, mode: number): void;
}

export const nodeWriteOps: WriteOps = {
  openSync: (p, f, m) => fs.openSync(p, f, m),
  writeSync: (fd, d, o, l) => fs.writeSync(fd, d, o, l),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
  chmodSync: (p, m) => fs.chmodSync(p, m),
  chownSync: (p, u, g) => fs.chownSync(p, u, g),
  statSync: (p) => fs.statSync(p),
  accessSync: (p, m) => fs.accessSync(p, m),
};

export type WriteStatus =
  | 'written'
  /** The file changed on disk since it was read: the user's edit wins. */
  | 'changed'
  | 'read-only'
  /** Not valid UTF-8: rewriting it would turn bytes into U+FFFD. */
  | 'not-utf8'
  /** Outside the paths given on the command line. */
  | 'outside'
  | 'failed';

export interface WriteOutcome {
  path: string;
  status: WriteStatus;
  message?: string;
}

/** What is to be written: the new text and what was read (digest of the bytes, whether they were UTF-8). */
export interface PlannedWrite {
  path: string;
  text: string;
  digest?: string;
  utf8?: boolean;
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return code ?? (e instanceof Error ? e.message : String(e));
}

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realOr(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether a file is at or below one of the given paths, as written and really (no link out). */
export function insideGiven(path: string, given: string[]): boolean {
  const abs = resolve(path);
  if (!given.some((g) => within(abs, resolve(g)))) return false;
  const real = realOr(abs);
  return given.some((g) => within(real, realOr(g)));
}

/** Writes one file atomically after checking it is unchanged since it was read; never throws. */
export function writeFileSafely(plan: PlannedWrite, ops: WriteOps = nodeWriteOps): WriteOutcome {
  const { path } = plan;
  if (plan.utf8 === false) return { path, status: 'not-utf8', message: 'not valid UTF-8; left unchanged' };
  const current = readRegularFile(path, { maxSize: Number.MAX_SAFE_INTEGER });
  if (!current.ok) return { path, status: current.reason === 'missing' ? 'changed' : 'failed', message: current.detail };
  if (plan.digest !== undefined && digestOf(current.bytes) !== plan.digest) {
    return { path, status: 'changed', message: 'changed since it was read; not overwritten' };
  }
  let st: fs.Stats;
  try {
    st = ops.statSync(path);
  } catch (e) {
    return { path, status: 'failed', message: errorText(e) };
  }
  try {
    ops.accessSync(path, fs.constants.W_OK);
  } catch {
    return { path, status: 'read-only', message: 'the file is read-only; not changed' };
  }
  // Keep a byte-order mark the text may have lost.
  const text = current.text.startsWith('\uFEFF') && !plan.text.startsWith('\uFEFF') ? `\uFEFF${plan.text}` : plan.text;
  const bytes = Buffer.from(text, 'utf8');
  const temp = join(dirname(path), `.${basename(path)}.brickguard-${process.pid}-${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = ops.openSync(temp, 'wx', st.mode & 0o777);
    for (let off = 0; off < bytes.length; ) off += ops.writeSync(fd, bytes, off, bytes.length - off);
    ops.fsyncSync(fd);
    ops.closeSync(fd);
    fd = undefined;
    ops.chmodSync(temp, st.mode & 0o7777);
    if (process.getuid?.() === 0) {
      try {
        ops.chownSync(temp, st.uid, st.gid);
      } catch {
        // keeping the owner is best effort
      }
    }
    ops.renameSync(temp, path);
    return { path, status: 'written' };
  } catch (e) {
    if (fd !== undefined) {
      try {
        ops.closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      ops.unlinkSync(temp);
    } catch {
      // the temporary file may not exist
    }
    return { path, status: 'failed', message: `${errorText(e)}; the file is unchanged` };
  }
}

/** Writes every planned file (each on its own: one failure does not stop the others). */
export function writePlanned(plans: PlannedWrite[], given: string[], ops: WriteOps = nodeWriteOps): WriteOutcome[] {
  return plans.map((plan) =>
    insideGiven(plan.path, given)
      ? writeFileSafely(plan, ops)
      : { path: plan.path, status: 'outside' as const, message: 'outside the paths given' },
  );
}
