// Watches the bytes a client sends on stdin for framing errors (no or bad Content-Length, a header
// that never ends). The protocol library reports those only to itself and then waits forever;
// the server logs them and exits instead, so the client can restart it.

const MAX_HEADER_BYTES = 8192;

export class FramingGuard {
  private header = '';
  /** Body bytes still to skip before the next header. */
  private remaining = 0;

  /** Feeds a chunk; returns a description of the first framing error, if any. */
  push(chunk: Buffer): string | undefined {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.remaining -= take;
        pos += take;
        continue;
      }
      // Header bytes are ASCII; read up to the blank line.
      const end = chunk.indexOf('\r\n\r\n', pos, 'latin1');
      const part = chunk.toString('latin1', pos, end < 0 ? chunk.length : end + 4);
      this.header += part;
      pos += part.length;
      const done = this.header.indexOf('\r\n\r\n');
      if (done < 0) {
        // A blank line may be split across chunks: look again once it is complete.
        if (this.header.length > MAX_HEADER_BYTES) return 'a message header longer than 8 KB without an end';
        continue;
      }
      const error = this.check(this.header.slice(0, done));
      if (error) return error;
      pos -= this.header.length - (done + 4); // bytes read past the header belong to the body
      this.header = '';
    }
    return undefined;
  }

  private check(header: string): string | undefined {
    let length: number | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) return 'a message header line without a name';
      const name = line.slice(0, colon).trim().toLowerCase();
      if (name === 'content-length') {
        const value = line.slice(colon + 1).trim();
        if (!/^\d{1,10}$/.test(value)) return 'a Content-Length that is not a number';
        length = Number(value);
      }
    }
    if (length === undefined) return 'a message without a Content-Length header';
    this.remaining = length;
    return undefined;
  }
}
