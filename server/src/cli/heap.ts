// How far V8 lets the heap grow past what it keeps alive. A scan allocates fast and keeps little
// (the corpus scan keeps under 70 MB alive), and V8's default growth let it reach 380 MB RSS; a
// 1.5× growth factor keeps it near 250 MB for a few percent of time. V8 reads this flag at every
// full collection, so setting it at run time takes effect.
import { setFlagsFromString } from 'node:v8';
import { setParseMemoCapacity } from '../syntax/memo';

/** V8 versions known to have --heap-growing-percent (an unknown flag would print an error). */
const KNOWN_V8_MAJOR = { min: 6, max: 13 };

export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  const major = Number(process.versions.v8.split('.')[0]);
  if (!(major >= KNOWN_V8_MAJOR.min && major <= KNOWN_V8_MAJOR.max)) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Parse results a scan keeps (see setParseMemoCapacity). On the corpus: 32 entries parse 17% of the
 * Bicep text twice instead of 37% for about 10 MB more peak RSS; 64 parse 3% but reached 313 MB.
 */
export const SCAN_PARSE_MEMO_ENTRIES = 32;

/** Settings for a scan of many files, in the main thread and in each worker. */
export function tuneForScan(): void {
  boundHeapGrowth();
  setParseMemoCapacity(SCAN_PARSE_MEMO_ENTRIES);
}
