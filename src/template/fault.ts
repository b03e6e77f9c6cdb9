// A user-fixable problem found while rendering; the templar turns it into a SamsError with a location.

export class TemplateFault extends Error {
  /** 1-based line inside the template text, when known. */
  line?: number;
  readonly hint?: string;
  /** 'undefined' faults get the "define it or guard it" hint and the variable name. */
  readonly kind: 'undefined' | 'error';
  constructor(message: string, opts: { hint?: string; line?: number; kind?: 'undefined' | 'error' } = {}) {
    super(message);
    this.name = 'TemplateFault';
    this.hint = opts.hint;
    this.line = opts.line;
    this.kind = opts.kind ?? 'error';
  }
}
