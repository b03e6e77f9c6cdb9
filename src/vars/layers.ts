// Variable precedence, in one place. Lowest first; a later layer replaces a whole value of the
// same name (Ansible's default hash_behaviour=replace). This is Ansible's documented order
// ("Understanding variable precedence"), with sams' project-root group_vars/host_vars placed
// between the inventory's and the playbook's.

export const LAYER_ORDER = [
  'role defaults',
  'inventory file group vars', // [g:vars] / YAML `vars:` of groups, `all` first, then parents before children
  'inventory group_vars/all',
  'project group_vars/all',
  'playbook group_vars/all',
  'inventory group_vars/*',
  'project group_vars/*',
  'playbook group_vars/*',
  'inventory file host vars', // inline host vars in INI, `hosts: h: {vars}` in YAML
  'inventory host_vars/*',
  'project host_vars/*',
  'playbook host_vars/*',
  'host facts', // setup / gather_facts
  'play vars',
  'play vars_prompt',
  'play vars_files',
  'role vars',
  'block vars',
  'task vars',
  'include_vars',
  'set_fact / registered',
  'role params',
  'include params',
  'extra vars',
] as const;

export type LayerKind = (typeof LAYER_ORDER)[number];

/** One set of variables from one source: a file, a play, a task. */
export interface VarLayer {
  kind: LayerKind;
  /** Where the values came from: a file path, "play 'Mail servers' (site.yml:3)", "-e". */
  source: string;
  vars: Record<string, unknown>;
}

const rank = new Map<LayerKind, number>(LAYER_ORDER.map((k, i) => [k, i]));

export function layerRank(kind: LayerKind): number {
  return rank.get(kind)!;
}

/** Sort layers into precedence order; layers of the same kind keep their given order. */
export function sortLayers(layers: readonly VarLayer[]): VarLayer[] {
  return layers
    .map((l, i) => ({ l, i }))
    .sort((a, b) => layerRank(a.l.kind) - layerRank(b.l.kind) || a.i - b.i)
    .map((x) => x.l);
}

/** Flatten layers (already in order) into one mapping; later wins. */
export function mergeLayers(layers: readonly VarLayer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const l of layers) Object.assign(out, l.vars);
  return out;
}

export interface Explanation {
  name: string;
  /** The layer whose value is used, or undefined when no layer defines the name. */
  winner?: { layer: VarLayer; value: unknown };
  /** Lower layers that also define the name, highest first. */
  overridden: { layer: VarLayer; value: unknown }[];
}

/** Where a variable's value comes from, and which definitions it overrode. */
export function explainVar(layers: readonly VarLayer[], name: string): Explanation {
  const hits = layers.filter((l) => Object.prototype.hasOwnProperty.call(l.vars, name)).map((layer) => ({ layer, value: layer.vars[name] }));
  hits.reverse();
  return { name, winner: hits[0], overridden: hits.slice(1) };
}
