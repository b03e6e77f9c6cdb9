// Strict undefined values: a lookup of a missing name or attribute yields an Undef, which raises
// when used (printed, tested for truth, iterated, compared) and is harmless where guarded
// (| default, is defined). Attribute lookups on an Undef return the same Undef, as Ansible's
// AnsibleUndefined does, so the first failure is the one reported.

import { TemplateFault } from './fault.js';

export const UNDEFINED_HINT = 'define it, or guard it with | default(...)';

export class Undef {
  constructor(
    /** The full dotted name as written: `nope`, `a.missing`, `item.x[0]`. */
    readonly name: string,
    /** Jinja's reason: "'nope' is undefined", "'dict object' has no attribute 'missing'". */
    readonly reason: string,
    /** 1-based line in the template text where the lookup is written. */
    readonly line: number | undefined,
    /** A near miss among the existing names, computed only when the error is raised. */
    readonly suggest?: () => string | undefined,
  ) {}

  /** Raise the undefined-variable error. */
  fail(): never {
    throw this.fault();
  }

  fault(): TemplateFault {
    const what = this.reason.startsWith(`'${this.name}' is undefined`)
      ? `undefined variable '${this.name}'`
      : `undefined variable '${this.name}' (${this.reason})`;
    let near: string | undefined;
    try {
      near = this.suggest?.();
    } catch {
      near = undefined;
    }
    const hint = near ? `did you mean '${near}'? Otherwise ${UNDEFINED_HINT}` : UNDEFINED_HINT;
    return new TemplateFault(what, { hint, line: this.line, kind: 'undefined' });
  }

  toString(): string {
    return this.fail();
  }
}

export function isUndef(v: unknown): v is Undef {
  return v instanceof Undef;
}
