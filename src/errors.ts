// User-facing errors (with the YAML location they belong to), internal errors, and exit codes.

/** A position in a source file; line and col are 1-based. */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

/** `file:line:col`, with the file relative to `cwd` when it is below it. */
export function formatLoc(loc: SourceLoc, cwd = process.cwd()): string {
  const rel = loc.file.startsWith(cwd + '/') ? loc.file.slice(cwd.length + 1) : loc.file;
  return `${rel}:${loc.line}:${loc.col}`;
}

/** Exit codes, as Ansible's (cli/__init__.py, task_queue_manager RUN_*), plus 3 for --exit-code-on-change. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  hostFailed: 2,
  changed: 3,
  unreachableOrLoad: 4,
  interrupted: 99,
} as const;

/**
 * A mistake the user can fix: bad YAML, unknown keyword, undefined variable, unreachable host...
 * Rendered as `file:line:col: message`, the source line with a caret, and the hint.
 */
export class SamsError extends Error {
  readonly loc?: SourceLoc;
  readonly hint?: string;
  /** Where the error is about a host rather than a file (unreachable, auth failure). */
  readonly host?: string;
  /** When false the source line is not shown (it may hold vault data; Ansible's show_content=False). */
  readonly showSource: boolean;
  constructor(message: string, opts: { loc?: SourceLoc; hint?: string; host?: string; showSource?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'SamsError';
    this.loc = opts.loc;
    this.hint = opts.hint;
    this.host = opts.host;
    this.showSource = opts.showSource ?? true;
  }
}

/** Several user errors found together (validation reports every problem, not only the first). */
export class SamsErrors extends Error {
  readonly errors: SamsError[];
  constructor(errors: SamsError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'SamsErrors';
    this.errors = errors;
  }
}

/** A bug in sams: its trace goes to the debug log and the user is asked to report it. */
export class InternalError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'InternalError';
  }
}

/** Collects errors instead of throwing at the first one. */
export class ErrorList {
  readonly errors: SamsError[] = [];
  add(message: string, opts: ConstructorParameters<typeof SamsError>[1] = {}): void {
    this.errors.push(new SamsError(message, opts));
  }
  push(e: SamsError | SamsErrors): void {
    if (e instanceof SamsErrors) this.errors.push(...e.errors);
    else this.errors.push(e);
  }
  /** Runs fn, collecting any user error it throws; other errors propagate. */
  collect<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SamsError || e instanceof SamsErrors) {
        this.push(e);
        return undefined;
      }
      throw e;
    }
  }
  get empty(): boolean {
    return this.errors.length === 0;
  }
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new SamsErrors(this.errors);
  }
}

export function isUserError(e: unknown): e is SamsError | SamsErrors {
  return e instanceof SamsError || e instanceof SamsErrors;
}

/** `did you mean x?` for a misspelt name, by edit distance; undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDist <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
