// `primaryLocationLineHash` as GitHub's SARIF upload computes it when a result lacks one, so that
// alerts uploaded through the API dedupe like those uploaded by the Action.
// Per line: a rolling hash (base 37, modulo 2^64) over the next 100 characters of the file counted
// from the line's start, skipping spaces and tabs, with CR, LF and CRLF all read as LF, the end of
// the file read as U+FFFF and followed by NULs. Equal hashes get an occurrence count: `hex:n`.

const WINDOW = 100;
const BASE = 37n;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const END = 0xffff;

/** 37^WINDOW modulo 2^64: the weight of the character leaving the window. */
const LEAVING_WEIGHT = (() => {
  let w = 1n;
  for (let i = 0; i < WINDOW; i++) w = BigInt.asUintN(64, w * BASE);
  return w;
})();

/** The hash of every line of `text` (UTF-16 code units, as read from the file), index 0 for line 1. */
export function lineHashes(text: string): string[] {
  const hashes: string[] = [];
  const window = new Array<number>(WINDOW).fill(0);
  // Line number whose first counted character sits at this window slot, or 0.
  const startsLine = new Array<number>(WINDOW).fill(0);
  const seen = new Map<string, number>();
  let hash = 0n;
  let slot = 0;
  let line = 0;
  let atLineStart = true;
  let afterCr = false;

  const emit = () => {
    const hex = hash.toString(16);
    const n = (seen.get(hex) ?? 0) + 1;
    seen.set(hex, n);
    hashes[startsLine[slot] - 1] = `${hex}:${n}`;
    startsLine[slot] = 0;
  };
  const push = (code: number) => {
    const leaving = window[slot];
    window[slot] = code;
    hash = BigInt.asUintN(64, hash * BASE + BigInt(code) - LEAVING_WEIGHT * BigInt(leaving));
    slot = (slot + 1) % WINDOW;
  };
  const read = (input: number) => {
    let code = input;
    if (code === SPACE || code === TAB || (afterCr && code === LF)) {
      afterCr = false;
      return;
    }
    afterCr = code === CR;
    if (code === CR) code = LF;
    // The slot about to be overwritten began a line WINDOW characters ago: its hash is complete.
    if (startsLine[slot] !== 0) emit();
    if (atLineStart) {
      atLineStart = false;
      startsLine[slot] = ++line;
    }
    if (code === LF) atLineStart = true;
    push(code);
  };

  for (let i = 0; i < text.length; i++) read(text.charCodeAt(i));
  read(END);
  for (let i = 0; i < WINDOW; i++) {
    if (startsLine[slot] !== 0) emit();
    push(0);
  }
  return hashes;
}
