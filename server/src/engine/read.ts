// Reads files the way a security tool must: regular files only (never a FIFO, socket or device,
// which would block or have side effects), a size limit, binary content refused, UTF-8 checked.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** Default size limit, the same as the editor setting brickguard.maxFileSize. */
export const DEFAULT_MAX_FILE_SIZE = 5_000_000;

export type SkipReason = 'missing' | 'not-regular' | 'too-large' | 'binary' | 'unreadable';

export type ReadOutcome =
  | {
      ok: true;
      text: string;
      /** The bytes as read, to check later that the file did not change (and to write back losslessly). */
      bytes: Buffer;
      /** False when some bytes are not valid UTF-8 (the text then holds U+FFFD for them). */
      utf8: boolean;
    }
  | { ok: false; reason: SkipReason; detail: string };

export interface ReadLimits {
  /** Bytes; files larger are not read. */
  maxSize?: number;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Whether the bytes look like a binary file: a NUL byte in the first 8 KB. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).indexOf(0) >= 0;
}

/** Decodes bytes as UTF-8, stripping nothing (a BOM stays in the text); `utf8` false when some bytes are invalid. */
export function decodeUtf8(bytes: Uint8Array): { text: string; utf8: boolean } {
  try {
    return { text: utf8Strict.decode(bytes), utf8: true };
  } catch {
    return { text: utf8Lenient.decode(bytes), utf8: false };
  }
}

function describe(e: unknown): { reason: SkipReason; detail: string } {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { reason: 'missing', detail: 'no such file' };
  if (code === 'EACCES' || code === 'EPERM') return { reason: 'unreadable', detail: 'permission denied' };
  return { reason: 'unreadable', detail: code ?? 'cannot read it' };
}

/** Reads a regular file; never blocks on a FIFO and never throws. */
export function readRegularFile(path: string, limits: ReadLimits = {}): ReadOutcome {
  const maxSize = limits.maxSize ?? DEFAULT_MAX_FILE_SIZE;
  let fd: number | undefined;
  try {
    const pre = statSync(path);
    if (!pre.isFile()) return { ok: false, reason: 'not-regular', detail: 'not a regular file' };
    if (pre.size > maxSize) return { ok: false, reason: 'too-large', detail: `larger than ${maxSize} bytes` };
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, open does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-regular', detail: 'not a regular file' };
    if (st.size > maxSize) return { ok: false, reason: 'too-large', detail: `larger than ${maxSize} bytes` };
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end (the size may change while reading), never past the limit.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxSize + 1 - total, Math.max(65536, st.size + 1 - total)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxSize) return { ok: false, reason: 'too-large', detail: `larger than ${maxSize} bytes` };
      // A short read of a regular file is its end: no second read to learn it.
      if (n < chunk.length) break;
    }
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    if (looksBinary(bytes)) return { ok: false, reason: 'binary', detail: 'binary content' };
    const { text, utf8 } = decodeUtf8(bytes);
    return { ok: true, text, bytes, utf8 };
  } catch (e) {
    return { ok: false, ...describe(e) };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing to do
      }
    }
  }
}

/** The text of a regular file (a BOM kept), or undefined when it is not one, too large, binary or unreadable. */
export function readTextOrUndefined(path: string, limits?: ReadLimits): string | undefined {
  const r = readRegularFile(path, limits);
  return r.ok ? r.text : undefined;
}
