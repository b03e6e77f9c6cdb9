// gather_subset: which fact collectors setup runs, resolved exactly as ansible-core 2.14 does
// (module_utils/facts/collector.py get_collector_names and its dependency solving).

/** Collectors Ansible knows on Linux, with the fact ids that select them and the collectors they need. */
export const COLLECTORS: Record<string, { ids?: string[]; requires?: string[] }> = {
  apparmor: {},
  caps: { ids: ['system_capabilities', 'system_capabilities_enforced'] },
  chroot: { ids: ['is_chroot'] },
  cmdline: {},
  date_time: {},
  distribution: { ids: ['distribution_major_version', 'distribution_release', 'distribution_version', 'os_family'] },
  dns: {},
  env: {},
  facter: { ids: ['facter'] },
  fibre_channel_wwn: {},
  fips: {},
  hardware: { ids: ['devices', 'mounts', 'processor', 'processor_cores', 'processor_count'], requires: ['platform'] },
  iscsi: {},
  loadavg: {},
  local: {},
  lsb: {},
  network: { ids: ['all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'], requires: ['distribution', 'platform'] },
  nvme: {},
  ohai: {},
  pkg_mgr: { requires: ['distribution'] },
  platform: { ids: ['architecture', 'kernel', 'kernel_version', 'machine', 'machine_id', 'python_version', 'system'] },
  python: {},
  selinux: {},
  service_mgr: { requires: ['distribution', 'platform'] },
  ssh_pub_keys: { ids: ['ssh_host_key_dsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public', 'ssh_host_key_rsa_public', 'ssh_host_pub_keys'] },
  user: { ids: ['effective_group_ids', 'effective_user_id', 'real_user_id', 'user_dir', 'user_gecos', 'user_gid', 'user_id', 'user_shell', 'user_uid'] },
  virtual: { ids: ['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'] },
};

/** setup's minimal_gather_subset: gathered even for gather_subset: '!all'. */
export const MINIMAL_SUBSET = [
  'apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local',
  'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user',
];

/** Every name gather_subset accepts (collector names and fact ids). */
export function validSubsets(): Set<string> {
  const s = new Set<string>();
  for (const [name, c] of Object.entries(COLLECTORS)) {
    s.add(name);
    for (const id of c.ids ?? []) s.add(id);
  }
  return s;
}

/** Collector names a gather_subset selects (without dependencies): Ansible's get_collector_names. */
export function collectorNames(gatherSubset: string[]): Set<string> {
  const valid = validSubsets();
  const minimal = new Set(MINIMAL_SUBSET);
  const additional = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const subset of ['min', ...(gatherSubset.length ? gatherSubset : ['all'])]) {
    if (subset === 'min') {
      minimal.forEach((x) => additional.add(x));
      continue;
    }
    if (subset === 'all') {
      valid.forEach((x) => additional.add(x));
      continue;
    }
    if (subset.startsWith('!')) {
      const name = subset.slice(1);
      if (name === 'min') minimal.forEach((x) => exclude.add(x));
      else if (name === 'all') valid.forEach((x) => !minimal.has(x) && exclude.add(x));
      else {
        exclude.add(name);
        // A collector's fact ids go with it.
        for (const id of COLLECTORS[name]?.ids ?? []) exclude.add(id);
      }
      continue;
    }
    if (!valid.has(subset)) {
      throw new Error(`Bad subset '${subset}' given to Ansible. gather_subset options allowed: all, ${[...valid].sort().join(', ')}`);
    }
    explicit.add(subset);
    additional.add(subset);
  }
  if (additional.size === 0) valid.forEach((x) => additional.add(x));
  for (const e of exclude) if (!explicit.has(e)) additional.delete(e);
  return additional;
}

/** The collectors to run: the selected names mapped to collectors, plus what they require. */
export function resolveCollectors(gatherSubset: string[]): Set<string> {
  const byId = new Map<string, string>();
  for (const [name, c] of Object.entries(COLLECTORS)) {
    byId.set(name, name);
    for (const id of c.ids ?? []) byId.set(id, name);
  }
  const out = new Set<string>();
  for (const n of collectorNames(gatherSubset)) {
    const c = byId.get(n);
    if (c) out.add(c);
  }
  // Ansible solves dependencies transitively (none of ours go deeper than one level today).
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of [...out]) {
      for (const r of COLLECTORS[c]?.requires ?? []) {
        if (!out.has(r)) {
          out.add(r);
          grew = true;
        }
      }
    }
  }
  return out;
}
