// The keywords sams knows for plays, blocks, tasks, handlers and role entries (Ansible's names).

/** Keywords that blocks, tasks and plays share and that children inherit from their parents. */
export const INHERITED_KEYWORDS = [
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'become_exe',
  'environment',
  'check_mode',
  'diff',
  'no_log',
  'ignore_errors',
  'ignore_unreachable',
  'any_errors_fatal',
  'delegate_to',
  'delegate_facts',
  'run_once',
  'remote_user',
  'connection',
  'port',
  'throttle',
  'timeout',
  'module_defaults',
  'collections',
  'debugger',
] as const;

export const PLAY_KEYWORDS = new Set<string>([
  ...INHERITED_KEYWORDS,
  'name',
  'hosts',
  'vars',
  'vars_files',
  'vars_prompt',
  'roles',
  'pre_tasks',
  'tasks',
  'post_tasks',
  'handlers',
  'gather_facts',
  'gather_subset',
  'gather_timeout',
  'fact_path',
  'serial',
  'strategy',
  'max_fail_percentage',
  'force_handlers',
  'tags',
  'order',
]);

export const BLOCK_KEYWORDS = new Set<string>([
  ...INHERITED_KEYWORDS,
  'name',
  'block',
  'rescue',
  'always',
  'when',
  'tags',
  'vars',
  'notify',
]);

export const TASK_KEYWORDS = new Set<string>([
  ...INHERITED_KEYWORDS,
  'name',
  'action',
  'local_action',
  'args',
  'when',
  'loop',
  'loop_control',
  'register',
  'changed_when',
  'failed_when',
  'notify',
  'tags',
  'vars',
  'retries',
  'until',
  'delay',
  'async',
  'poll',
]);

/** `with_<lookup>` loops; the lookup name follows the prefix. */
export const WITH_PREFIX = 'with_';

export const HANDLER_KEYWORDS = new Set<string>([...TASK_KEYWORDS, 'listen']);

/** Keys of a role entry in `roles:` that are keywords; every other key is a role parameter. */
export const ROLE_ENTRY_KEYWORDS = new Set<string>([...INHERITED_KEYWORDS, 'role', 'name', 'when', 'tags', 'vars']);

/** Task actions the loader and engine handle themselves (not modules). */
export const DIRECTIVES = new Set<string>([
  'import_tasks',
  'include_tasks',
  'import_role',
  'include_role',
  'import_playbook',
  'meta',
  'include',
]);

/** The directive a task key names, short or FQCN (`ansible.builtin.include_tasks`, `ansible.legacy.meta`); else undefined. */
export function directiveName(key: string): string | undefined {
  const short = key.replace(/^ansible\.(builtin|legacy)\./, '');
  return DIRECTIVES.has(short) ? short : undefined;
}

export const META_ACTIONS = new Set<string>([
  'flush_handlers',
  'end_play',
  'end_host',
  'end_batch',
  'noop',
  'clear_host_errors',
  'refresh_inventory',
  'clear_facts',
  'reset_connection',
]);

/** Keywords sams parses but ignores on purpose, with the reason shown as a warning. */
export const IGNORED_KEYWORDS: Record<string, string> = {
  collections: 'sams has no collections; FQCN module names ansible.builtin.* are understood',
  debugger: 'sams has no task debugger',
  module_defaults: 'module_defaults is not supported yet',
  async: 'async tasks are not supported; the task runs synchronously',
  poll: 'async tasks are not supported; the task runs synchronously',
  throttle: 'throttle is not supported yet; forks bound the parallelism',
  order: 'host order is always the inventory order',
  fact_path: 'local facts (fact_path) are not supported',
  gather_timeout: 'fact gathering is one command; gather_timeout is not used',
};
