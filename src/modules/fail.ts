// fail: fail the task with a message (on the control node).

import { z } from 'zod';
import { defineModule } from './types.js';

const args = z.object({ msg: z.unknown().default('Failed as requested from task') }).strict();

export default defineModule({
  name: 'fail',
  summary: 'Fail the task with a custom message.',
  where: 'controller',
  args,
  check: 'plan',
  run: (_env, a) => ({
    status: 'failed',
    msg: typeof a.msg === 'string' ? a.msg : JSON.stringify(a.msg),
    data: { msg: a.msg },
  }),
});
