// Output hygiene: text from templates (messages quoting values, paths) never reaches a terminal
// with its control characters, which could change the title, move the cursor or erase lines.

/** Control characters (C0 except tab, DEL, C1, and the bidi overrides) escaped as \\uXXXX. */
export function safeText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
