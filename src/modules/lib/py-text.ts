// Bytes <-> text as Python does it for Ansible's modules: decode with errors='surrogateescape'
// (an undecodable byte becomes one lone surrogate U+DC80..U+DCFF and encodes back to itself), so
// files that are not valid UTF-8 come out byte for byte as they went in.

export type PyEncoding = 'utf-8' | 'latin-1' | 'ascii';

const ENCODINGS: Record<string, PyEncoding> = {
  utf8: 'utf-8',
  u8: 'utf-8',
  utf: 'utf-8',
  cp65001: 'utf-8',
  latin1: 'latin-1',
  latin: 'latin-1',
  l1: 'latin-1',
  iso88591: 'latin-1',
  '8859': 'latin-1',
  cp819: 'latin-1',
  ascii: 'ascii',
  usascii: 'ascii',
  '646': 'ascii',
};

/** Python's name for an encoding we support, or undefined (codec names are case and punctuation blind). */
export function pyEncoding(name: string): PyEncoding | undefined {
  return ENCODINGS[name.toLowerCase().replace(/[-_ ]/g, '')];
}

export const SUPPORTED_ENCODINGS = 'utf-8, latin-1, ascii';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of a valid UTF-8 sequence starting at i (Python's rules: no surrogates, no overlongs), or 0. */
function utf8SeqLength(b: Buffer, i: number): number {
  const c = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** bytes.decode(encoding, 'surrogateescape'). */
export function decodeEscaped(b: Buffer, enc: PyEncoding = 'utf-8'): string {
  if (enc === 'latin-1') return b.toString('latin1');
  if (enc === 'ascii') {
    let s = '';
    for (const c of b) s += String.fromCharCode(c < 0x80 ? c : 0xdc00 + c);
    return s;
  }
  try {
    return strictUtf8.decode(b);
  } catch {
    // Not valid UTF-8: decode sequence by sequence, escaping each byte of an invalid one.
  }
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const n = utf8SeqLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) parts.push(b.subarray(start, i).toString('utf8'));
    parts.push(String.fromCharCode(0xdc00 + b[i]!));
    i++;
    start = i;
  }
  if (i > start) parts.push(b.subarray(start, i).toString('utf8'));
  return parts.join('');
}

/** str.encode(encoding, 'surrogateescape'). Throws for characters the encoding cannot hold. */
export function encodeEscaped(s: string, enc: PyEncoding = 'utf-8'): Buffer {
  const out: Buffer[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push(Buffer.from(run, enc === 'utf-8' ? 'utf8' : 'latin1'));
    run = '';
  };
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length) {
      const v = s.charCodeAt(i + 1);
      if (v >= 0xdc00 && v <= 0xdfff) {
        if (enc !== 'utf-8') throw new Error(`character U+${s.codePointAt(i)!.toString(16).toUpperCase()} cannot be encoded in ${enc}`);
        run += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (u >= 0xdc80 && u <= 0xdcff) {
      flush();
      out.push(Buffer.from([u - 0xdc00]));
      continue;
    }
    if (u >= 0xd800 && u <= 0xdfff) throw new Error(`lone surrogate U+${u.toString(16).toUpperCase()} cannot be encoded`);
    if ((enc === 'ascii' && u > 0x7f) || (enc === 'latin-1' && u > 0xff)) {
      throw new Error(`character U+${u.toString(16).toUpperCase().padStart(4, '0')} cannot be encoded in ${enc}`);
    }
    run += s[i]!;
  }
  flush();
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

/**
 * How many '\n' are among the first `n` characters of `b` decoded as Python decodes it
 * (to_native, surrogateescape). blockinfile counts this way with a byte offset as `n`.
 */
export function newlinesInDecodedPrefix(b: Buffer, n: number): number {
  const text = decodeEscaped(b);
  let count = 0;
  let chars = 0;
  for (const ch of text) {
    if (chars >= n) break;
    if (ch === '\n') count++;
    chars++;
  }
  return count;
}
