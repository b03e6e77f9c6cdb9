// Questions asked on the terminal (vault passwords, vars_prompt): visible or hidden input, never without a TTY.

import { createInterface } from 'node:readline';
import { SamsError } from '../errors.js';

export interface PromptOptions {
  /** Echo nothing while typing (passwords). */
  hidden?: boolean;
  /** Returned for an empty answer; shown as `question [default]: `. */
  default?: string;
  /** The hint of the error raised when there is no terminal to ask on. */
  nonInteractiveHint?: string;
}

/** True when questions can be asked: standard input is a terminal. */
export function isInteractive(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * Ask one question on the terminal and return the line typed (without its newline).
 * The question goes to stderr so stdout stays clean for piped output. Throws SamsError when stdin
 * is not a terminal, on Ctrl-C, and on Ctrl-D before any input.
 */
export async function promptLine(question: string, opts: PromptOptions = {}): Promise<string> {
  const shown = opts.default !== undefined ? `${question.replace(/:?\s*$/, '')} [${opts.default}]: ` : question;
  if (!isInteractive()) {
    throw new SamsError(`cannot ask "${question.trim()}": standard input is not a terminal`, {
      hint: opts.nonInteractiveHint ?? 'run it on a terminal, or give the answer another way',
    });
  }
  const answer = opts.hidden ? await readHidden(shown) : await readVisible(shown);
  return answer === '' && opts.default !== undefined ? opts.default : answer;
}

function interrupted(): SamsError {
  return new SamsError('interrupted at the prompt');
}
function endOfInput(question: string): SamsError {
  return new SamsError(`no answer to "${question.trim()}" (end of input)`);
}

function readVisible(shown: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let settled = false;
    const finish = (err: Error | undefined, value?: string) => {
      if (settled) return;
      settled = true;
      rl.close();
      if (err) reject(err);
      else resolve(value!);
    };
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      finish(interrupted());
    });
    rl.on('close', () => finish(endOfInput(shown)));
    rl.question(shown, (answer) => finish(undefined, answer));
  });
}

function readHidden(shown: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    // Raw mode before the question, so nothing typed after it is seen can be echoed.
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    process.stderr.write(shown);
    stdin.setEncoding('utf8');
    let buf = '';
    const finish = (err: Error | undefined, value?: string) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(undefined, buf);
        if (ch === '\u0003') return finish(interrupted());
        if (ch === '\u0004') {
          if (buf === '') return finish(endOfInput(shown));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') buf = [...buf].slice(0, -1).join('');
        else if (ch === '\u0015') buf = ''; // Ctrl-U clears the line, as in a cooked terminal
        else if (ch >= ' ') buf += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
