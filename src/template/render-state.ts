// The state of the render in progress: its variables, options and whether a Secret was used.
// Rendering is synchronous, so one "current" state (saved and restored around nested renders,
// such as a lazily templated variable or lookup('template')) is enough.

import { Secret } from '../secret.js';
import { UnsafeText, VaultedText } from '../load/yaml.js';
import type { RenderOptions, Vars } from './types.js';
import type { TemplarHost } from './host.js';

export interface RenderState {
  vars: Vars;
  opts: RenderOptions;
  host: TemplarHost;
  /** A Secret's text went into this render's result. */
  tainted: boolean;
  /** Capture the value of the one `{{ expr }}` instead of printing it. */
  native: boolean;
  captured: unknown;
  hasCaptured: boolean;
}

let current: RenderState | undefined;

export function state(): RenderState {
  if (!current) throw new Error('template runtime used outside a render');
  return current;
}

export function withState<T>(st: RenderState, fn: () => T): T {
  const saved = current;
  current = st;
  try {
    return fn();
  } finally {
    current = saved;
  }
}

/** Mark the render in progress as carrying secret text. */
export function taint(): void {
  if (current) current.tainted = true;
}

/**
 * The value a template works with: a Secret or vaulted value becomes its text (and taints the
 * render), an !unsafe value its text. Other values are returned as they are.
 */
export function use(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Secret) {
    taint();
    return v.reveal();
  }
  if (v instanceof VaultedText) {
    taint();
    return v.get().reveal();
  }
  if (v instanceof UnsafeText) return v.text;
  return v;
}
