// raw: send the text to the target as it is (no quoting, no creates/removes); always changed.

import { z } from 'zod';
import { raw as rawText, sh } from '../shell/quote.js';
import { zStr } from './lib/args.js';
import { defineModule } from './types.js';

const args = z
  .object({
    free_form: zStr().refine((s) => s.trim() !== '', 'no command given'),
    executable: zStr().optional(),
  })
  .strict();

export type RawArgs = z.output<typeof args>;

export default defineModule({
  name: 'raw',
  summary: 'Run a command line on the target as it is written, without any processing.',
  where: 'target',
  args,
  freeForm: 'free_form',
  // Ansible's raw action skips itself in check mode: the text could do anything.
  check: () => 'raw commands are not run in check mode',
  probe: async () => undefined,
  plan: (a: RawArgs) => ({
    kind: 'change',
    steps: [
      {
        kind: 'run',
        // With executable, Ansible runs `executable -c 'text'`; without, the text goes as it is.
        cmd: a.executable ? sh`${a.executable} -c ${a.free_form}` : sh`${rawText(a.free_form)}`,
        report: true,
      },
    ],
  }),
});
