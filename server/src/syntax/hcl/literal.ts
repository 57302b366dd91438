// Values of literal expressions: strings (escapes decoded, heredocs flushed), numbers, bools,
// null, and tuples/objects of them. Anything else is not a literal and gives undefined.
import type { Expr, Label, TemplateExpr } from './nodes';

export type HclLiteral = string | number | boolean | null | HclLiteral[] | { [key: string]: HclLiteral };

/** Decodes the escapes of a quoted-template literal (`\n`, `\"`, `\uXXXX`, `$${`, `%%{`). */
export function decodeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('${') && !raw.includes('%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const d = raw[i + 1];
      i++;
      switch (d) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'u':
        case 'U': {
          const len = d === 'u' ? 4 : 8;
          const hex = raw.slice(i + 1, i + 1 + len);
          if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
            out += String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
            i += len;
          } else out += '\\' + d;
          break;
        }
        default:
          out += '\\' + (d ?? '');
      }
    } else if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c + '{';
      i += 2;
    } else out += c;
  }
  return out;
}

function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The text of a template with literal parts only, or undefined when it interpolates. */
export function templateLiteralText(t: TemplateExpr): string | undefined {
  let out = '';
  for (const p of t.parts) {
    if (p.kind !== 'TemplateLiteral') return undefined;
    out += t.heredoc ? p.token.text : p.token.text;
  }
  if (!t.heredoc) return decodeQuoted(out);
  if (t.heredoc.flush) out = flushHeredoc(out);
  return unescapeHeredoc(out);
}

/** `<<-` heredocs: remove the smallest indentation of the non-blank lines from every line. */
export function flushHeredoc(text: string): string {
  const lines = text.split('\n');
  let min = Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i === lines.length - 1 && line === '') continue;
    if (line.trim() === '') continue;
    const m = /^[ \t]*/.exec(line)![0].length;
    if (m < min) min = m;
  }
  if (!isFinite(min) || min === 0) return text;
  return lines.map((l) => l.slice(Math.min(min, /^[ \t]*/.exec(l)![0].length))).join('\n');
}

/** The value of a literal expression, or undefined when the expression is not a literal. */
export function literalValue(e: Expr): HclLiteral | undefined {
  switch (e.kind) {
    case 'Literal': {
      const t = e.token.text;
      if (t === 'true') return true;
      if (t === 'false') return false;
      if (t === 'null') return null;
      const n = Number(t);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'Unary': {
      if (e.op.kind === '-' && e.operand.kind === 'Literal') {
        const v = literalValue(e.operand);
        return typeof v === 'number' ? -v : undefined;
      }
      return undefined;
    }
    case 'Template':
      return templateLiteralText(e);
    case 'Tuple': {
      const out: HclLiteral[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'Object': {
      const out: { [key: string]: HclLiteral } = {};
      for (const item of e.items) {
        const k = objectKeyText(item.key);
        if (k === undefined) return undefined;
        const v = literalValue(item.value);
        if (v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A literal object key: a bare name or a literal string. */
export function objectKeyText(key: Expr): string | undefined {
  if (key.kind === 'Variable') return key.name.text;
  if (key.kind === 'Literal' && /^[A-Za-z_]/.test(key.token.text)) return key.token.text;
  if (key.kind === 'Template' && !key.heredoc) return templateLiteralText(key);
  return undefined;
}

/** The text of a block label. */
export function labelText(label: Label): string {
  if (label.kind === 'IdentLabel') return label.token.text;
  return templateLiteralText(label) ?? '';
}
