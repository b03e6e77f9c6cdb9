// setup: the fact parser fed the script's real output from this machine (fixture), compared with
// what ansible-core 2.14's setup reported on the same machine at the same time; gather_subset and
// filter as Ansible resolves them; distribution detection for other release files.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setupModule, { factsFromOutput, planSetup } from '../../../src/modules/setup.js';
import { distributionFacts } from '../../../src/modules/lib/facts/distribution.js';
import { parseIni } from '../../../src/modules/lib/facts/ini.js';
import { fqdnOf, pkgMgrFacts } from '../../../src/modules/lib/facts/parse-facts.js';
import { Sections } from '../../../src/modules/lib/facts/sections.js';
import { setupScript } from '../../../src/modules/lib/facts/setup-script.js';
import { resolveCollectors } from '../../../src/modules/lib/facts/subsets.js';
import { argError, args } from './env.js';

const FIX = join(import.meta.dirname, 'fixtures');
const OUTPUT = readFileSync(join(FIX, 'setup-debian12.out'), 'utf8');
const ANSIBLE = JSON.parse(readFileSync(join(FIX, 'setup-debian12.ansible.json'), 'utf8')).ansible_facts as Record<string, unknown>;
const SUBSETS = JSON.parse(readFileSync(join(FIX, 'setup-subsets.ansible.json'), 'utf8')) as Record<string, unknown>;

// Not implemented without Python on the target (python, python_version) or not yet (devices).
const NOT_GATHERED = new Set(['ansible_python', 'ansible_python_version', 'ansible_devices', 'ansible_device_links']);
// Values that changed between the two captures, or differ by process (env), or by precision (loadavg).
const VOLATILE = new Set(['date_time', 'memfree_mb', 'memory_mb', 'loadavg', 'uptime_seconds', 'env', 'mounts']);

const facts = (subset: string[], filter: string[] = []) => factsFromOutput(args(setupModule, { gather_subset: subset, filter }), OUTPUT);
const asAnsibleKeys = (f: Record<string, unknown>) => Object.keys(f).map((k) => (k === 'gather_subset' || k === 'module_setup' ? k : `ansible_${k}`)).sort();

describe('facts parsed from this machine match ansible-core 2.14', () => {
  const ours = facts(['all']);

  it('has the same fact names', () => {
    expect(asAnsibleKeys(ours)).toEqual(Object.keys(ANSIBLE).filter((k) => !NOT_GATHERED.has(k)).sort());
  });

  const stable = Object.keys(ANSIBLE)
    .filter((k) => !NOT_GATHERED.has(k))
    .map((k) => (k.startsWith('ansible_') ? k.slice(8) : k))
    .filter((k) => !VOLATILE.has(k));
  it.each(stable)('%s', (k) => {
    const want = ANSIBLE[`ansible_${k}`] ?? ANSIBLE[k];
    // Ansible's interface order is the kernel's directory order; the set is what matters.
    if (k === 'interfaces' || k.startsWith('virtualization_tech')) expect([...(ours[k] as string[])].sort()).toEqual([...(want as string[])].sort());
    else expect(ours[k]).toEqual(want);
  });

  it('mounts: the same mounts with the same fixed fields, sizes within 1%', () => {
    const strip = (m: Record<string, unknown>) => ({ mount: m.mount, device: m.device, fstype: m.fstype, options: m.options, uuid: m.uuid, size_total: m.size_total, block_size: m.block_size, block_total: m.block_total, inode_total: m.inode_total });
    const a = ANSIBLE.ansible_mounts as Record<string, number>[];
    const o = ours.mounts as Record<string, number>[];
    expect(o.map(strip)).toEqual(a.map(strip));
    o.forEach((m, i) => expect(Math.abs(m.size_available! - a[i]!.size_available!) / a[i]!.size_total!).toBeLessThan(0.01));
  });

  it('date_time has every field, consistently', () => {
    const d = ours.date_time as Record<string, string>;
    expect(Object.keys(d).sort()).toEqual(Object.keys(ANSIBLE.ansible_date_time as object).sort());
    expect(d.iso8601).toBe(new Date(Number(d.epoch) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
    expect(d.iso8601_micro.startsWith(d.iso8601.slice(0, -1))).toBe(true);
    expect(d.iso8601_basic_short).toBe(`${d.year}${d.month}${d.day}T${d.hour}${d.minute}${d.second}`);
    expect(d.tz).toBe((ANSIBLE.ansible_date_time as Record<string, string>).tz);
  });

  it('memory and uptime are close to what Ansible saw', () => {
    expect(ours.memtotal_mb).toBe(ANSIBLE.ansible_memtotal_mb);
    expect(Math.abs((ours.memfree_mb as number) - (ANSIBLE.ansible_memfree_mb as number))).toBeLessThan(1024);
    expect(Math.abs((ours.uptime_seconds as number) - (ANSIBLE.ansible_uptime_seconds as number))).toBeLessThan(600);
  });
});

describe('gather_subset and filter as Ansible resolves them', () => {
  const specs = Object.keys(SUBSETS).filter((k) => !k.startsWith('__'));
  it.each(specs)('gather_subset=%s gives the same fact names', (spec) => {
    const want = (SUBSETS[spec] as string[]).filter((k) => !NOT_GATHERED.has(k));
    expect(asAnsibleKeys(facts(spec.split(',')))).toEqual(want);
  });

  it('filter matches the prefixed names (fnmatch), gather_subset included', () => {
    expect(asAnsibleKeys(facts(['all'], ['ansible_distribution*', 'ansible_*_mb']))).toEqual(SUBSETS.__filter__);
  });

  it('an unknown subset is a load-time argument error with Ansible’s message', () => {
    expect(argError(setupModule, { gather_subset: 'bogus' })).toContain(SUBSETS.__bogus_msg__ as string);
  });

  it('the script only collects what the subset needs', () => {
    const min = setupScript({ collectors: resolveCollectors(['!all']), factPath: '/etc/ansible/facts.d', gatherTimeout: 10 });
    expect(min).not.toContain('/proc/meminfo');
    expect(min).not.toContain('ip -4 route');
    expect(min).toContain('/etc/os-release');
  });

  it('a failed script fails the task', () => {
    expect(planSetup(args(setupModule, {}), { rc: 2, stdout: '', stderr: 'sh: boom' })).toMatchObject({ kind: 'fail', msg: 'gathering facts failed (rc 2): sh: boom' });
  });
});

/** Sections as the script would print them for these files and command outputs. */
function sections(files: Record<string, string>, cmds: Record<string, string> = {}, extra = ''): Sections {
  let out = '';
  for (const [p, c] of Object.entries(files)) out += `\x1esams:f:${p}\n${c}\n`;
  for (const [n, c] of Object.entries(cmds)) out += `\x1esams:c:${n}\n0\n${c}\n`;
  return new Sections(out + extra);
}

describe('distribution detection from release files', () => {
  it('Ubuntu 22.04', () => {
    const s = sections({
      '/etc/os-release': 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n',
      '/etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n',
      '/etc/debian_version': 'bookworm/sid\n',
    });
    expect(distributionFacts(s, 'Linux', '5.15.0', '#1 SMP')).toMatchObject({
      distribution: 'Ubuntu',
      distribution_version: '22.04',
      distribution_major_version: '22',
      distribution_release: 'jammy',
      distribution_file_path: '/etc/os-release',
      distribution_file_variety: 'Debian',
      os_family: 'Debian',
    });
  });

  it('Rocky Linux 9 (redhat-release names the distribution)', () => {
    const s = sections({
      '/etc/os-release': 'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n',
      '/etc/redhat-release': 'Rocky Linux release 9.3 (Blue Onyx)\n',
      '/etc/system-release': 'Rocky Linux release 9.3 (Blue Onyx)\n',
    });
    const f = distributionFacts(s, 'Linux', '5.14.0', '#1 SMP');
    expect(f).toMatchObject({ distribution: 'Rocky', distribution_version: '9.3', distribution_major_version: '9', distribution_release: 'Blue Onyx', os_family: 'RedHat', distribution_file_path: '/etc/redhat-release' });
    const pm = sections({}, {}, '\x1esams:exists\n/usr/bin/dnf\n/usr/bin/yum\n/usr/bin/rpm\n');
    expect(pkgMgrFacts(pm, f)).toEqual({ pkg_mgr: 'dnf' });
  });

  it('Alpine', () => {
    const s = sections({
      '/etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
      '/etc/alpine-release': '3.19.1\n',
    });
    expect(distributionFacts(s, 'Linux', '6.6', '#1')).toMatchObject({ distribution: 'Alpine', distribution_version: '3.19.1', distribution_major_version: '3', os_family: 'Alpine', distribution_release: 'NA' });
  });

  it('Debian from the fixture, with the minor version from debian_version', () => {
    expect(distributionFacts(new Sections(OUTPUT), 'Linux', 'k', 'v')).toMatchObject({ distribution: 'Debian', distribution_version: ANSIBLE.ansible_distribution_version, distribution_minor_version: ANSIBLE.ansible_distribution_minor_version });
  });
});

describe('small parsers', () => {
  it('fqdn: the first name with a dot among canonical name and aliases, else the canonical name', () => {
    expect(fqdnOf('127.0.1.1       web1.example.org web1\n', 'web1')).toBe('web1.example.org');
    expect(fqdnOf('127.0.0.1       localhost\n', 'vm')).toBe('localhost');
    expect(fqdnOf('', 'vm')).toBe('vm');
  });
  it('INI local facts as configparser reads them', () => {
    expect(parseIni('[general]\nName = x\nother: y\n  continued\n; comment\n[DEFAULT]\nd=1\n')).toEqual({ general: { name: 'x', other: 'y\ncontinued', d: '1' } });
    expect(parseIni('no = section')).toBeUndefined();
    expect(parseIni('[a]\nk=1\nk=2\n')).toBeUndefined();
  });
});

describe('local facts (fact_path), gathered by the real script on this machine', () => {
  it('reads JSON and INI files, runs executable ones, reports failures as Ansible does', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'sams-facts.d-'));
    writeFileSync(join(dir, 'app.fact'), '{"version": "1.2", "ports": [80, 443]}');
    writeFileSync(join(dir, 'site.fact'), '[general]\nRole = web\n');
    writeFileSync(join(dir, 'broken.fact'), 'neither json nor ini');
    writeFileSync(join(dir, 'dyn.fact'), '#!/bin/sh\necho \'{"pid": 1}\'\n');
    writeFileSync(join(dir, 'fails.fact'), '#!/bin/sh\necho oops >&2\nexit 3\n');
    writeFileSync(join(dir, 'slow.fact'), '#!/bin/sh\nsleep 5\necho {}\n');
    writeFileSync(join(dir, 'ignored.txt'), '{}');
    for (const f of ['dyn.fact', 'fails.fact', 'slow.fact']) chmodSync(join(dir, f), 0o755);
    const a = args(setupModule, { gather_subset: ['!all', '!min', 'local'], fact_path: dir, gather_timeout: 1 });
    const script = setupScript({ collectors: resolveCollectors(a.gather_subset), factPath: dir, gatherTimeout: 1 });
    const out = spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout;
    const warnings: string[] = [];
    const f = factsFromOutput(a, out, warnings);
    expect(Object.keys(f).sort()).toEqual(['gather_subset', 'local', 'module_setup']);
    const local = f.local as Record<string, unknown>;
    expect(local.app).toEqual({ version: '1.2', ports: [80, 443] });
    expect(local.site).toEqual({ general: { role: 'web' } });
    expect(local.dyn).toEqual({ pid: 1 });
    expect(local.broken).toBe(`error loading facts as JSON or ini - please check content: ${join(dir, 'broken.fact')}`);
    expect(local.fails).toBe(`Failure executing fact script (${join(dir, 'fails.fact')}), rc: 3, err: oops\n`);
    // gather_timeout stops a fact script that hangs.
    expect(String(local.slow)).toMatch(/^Failure executing fact script .*slow\.fact\), rc: 124/);
    expect(warnings.length).toBe(3);
    expect(Object.keys(local).sort()).toEqual(['app', 'broken', 'dyn', 'fails', 'site', 'slow']);
  });

  it('a missing fact_path gives an empty local', () => {
    expect(facts(['!all', '!min', 'local']).local).toEqual({});
  });
});
