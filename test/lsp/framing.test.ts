// 6. LSP framing errors: the server logs them and exits (the client restarts it) instead of
// staying alive and deaf.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { FramingGuard } from '../../server/src/lsp/framing';
import { cliInvocation } from '../helpers/lspClient';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Sends bytes to a fresh server; resolves with its exit code and stderr, or 'alive' after 10 s. */
function send(bytes: string): Promise<{ code: number | null | 'alive'; stderr: string }> {
  const { command, args } = cliInvocation();
  const child = spawn(command, [...args, 'lsp', '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  child.stdin.write(bytes);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve({ code: 'alive', stderr });
    }, 10000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('LSP framing errors', () => {
  const init = frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  for (const [name, bytes, why] of [
    ['no Content-Length', 'Content-Type: x\r\n\r\n{}', /without a Content-Length/],
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /not a number/],
    ['garbage after a valid message', `${init}GET / HTTP/1.1\r\nHost: x\r\n\r\n`, /header line without a name|without a Content-Length/],
  ] as const) {
    it(`${name}: logged, and the server exits`, async () => {
      const r = await send(bytes);
      assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
      assert.match(r.stderr, why);
    });
  }

  it('the guard reads messages split anywhere, headers included', () => {
    const text = frame('{"a":"\u00e9\u00e9"}') + frame('{}') + frame('{"b":1}');
    const bytes = Buffer.from(text, 'utf8');
    for (let size = 1; size <= bytes.length; size++) {
      const guard = new FramingGuard();
      for (let i = 0; i < bytes.length; i += size) assert.equal(guard.push(bytes.subarray(i, i + size)), undefined, `chunks of ${size}`);
    }
    assert.match(new FramingGuard().push(Buffer.from(`${frame('{}')}Content-Length: 1x\r\n\r\n`)) ?? '', /not a number/);
  });
});
