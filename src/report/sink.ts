// The edge where reporters write: every string goes through redact() first, the second line of
// defence behind the Secret type.

import { redact } from '../secret.js';

/** Write lines, each ended by a newline, with registered secret texts masked. */
export function writeLines(stream: NodeJS.WritableStream, lines: string[]): void {
  if (!lines.length) return;
  stream.write(redact(lines.join('\n') + '\n'));
}

/** Write raw text (progress redraws: no newline), masked likewise. */
export function writeText(stream: NodeJS.WritableStream, text: string): void {
  stream.write(redact(text));
}
