// Writes the benchmark results: bench/results/latest.{json,md}, a dated JSON copy, and the figures block in bench/README.md.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExcludedTask, RoundTripReport, ToolTaskCost } from './round-trips.js';
import { ROOT } from './runners.js';
import type { SizeResult } from './timing.js';

export interface BenchResults {
  started: string;
  finished: string;
  machine: { cpus: number; cpuModel: string; memGiB: number };
  versions: { sams: string; node: string; ansible: string; openssh: string };
  options: { hosts: number[]; reps: number; maxBusy: number; quietWaitS: number; quietBudgetS: number };
  tasks: { id: string; module: string; kind: string }[];
  excluded: ExcludedTask[];
  playbook: string;
  roundTrips: RoundTripReport | undefined;
  sizes: SizeResult[];
}

const BENCH = join(ROOT, 'bench');
const BEGIN = '<!-- bench:latest:begin (written by bench/report.ts) -->';
const END = '<!-- bench:latest:end -->';

export function writeResults(r: BenchResults): string[] {
  const dir = join(BENCH, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = r.started.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  const md = renderMarkdown(r);
  const files = [join(dir, 'latest.json'), join(dir, `${stamp}.json`), join(dir, 'latest.md')];
  writeFileSync(files[0]!, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(files[1]!, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(files[2]!, md);
  const readme = join(BENCH, 'README.md');
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a >= 0 && b > a) {
      writeFileSync(readme, text.slice(0, a + BEGIN.length) + '\n' + summaryMarkdown(r) + '\n' + text.slice(b));
      files.push(readme);
    }
  }
  return files;
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(2));
const x = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}×`);

/** The wall-time table and the context a reader needs to quote it. */
export function summaryMarkdown(r: BenchResults): string {
  const kinds = (k: string) => r.tasks.filter((t) => t.kind === k).length;
  const lines = [
    `Run ${r.started.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memGiB} GiB; ` +
      `sams ${r.versions.sams}, node ${r.versions.node}, ${r.versions.ansible}, ${r.versions.openssh}.`,
    '',
    `Playbook: gather_facts + ${r.tasks.length} tasks (${kinds('converge')} that change a clean host, ${kinds('steady')} that only read it, ` +
      `${kinds('controller')} on the control node); median of ${r.options.reps} runs after one warm-up; seconds. ` +
      `Wall time is the whole command; control-node CPU is the tool and the children it waits for (user + system); ` +
      `machine CPU is every core's busy time during the run (tool, sshd, the commands on the loopback hosts, and anything else running).`,
    '',
    '| hosts (forks) | run | sams | ansible-playbook | ansible / sams | control-node CPU sams / ansible | machine CPU sams / ansible |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const z of r.sizes) {
    for (const [phase, label] of [['first', 'first (clean hosts, changes)'], ['second', 'second (nothing changes)']] as const) {
      lines.push(
        `| ${z.hosts} | ${label} | ${s(z.median.sams[phase])} | ${s(z.median.ansible[phase])} | ${x(z.ratio[phase])} | ` +
          `${s(z.medianCpu.sams[phase])} / ${s(z.medianCpu.ansible[phase])} | ${s(z.medianMachineCpu.sams[phase])} / ${s(z.medianMachineCpu.ansible[phase])} |`,
      );
    }
  }
  const timed = r.sizes.flatMap((z) => z.samples.filter((p) => !p.warmup));
  const noisy = timed.filter((p) => p.busyBefore > r.options.maxBusy);
  lines.push(
    '',
    noisy.length === 0
      ? `Every timed run started on a quiet machine (CPU busy below ${Math.round(r.options.maxBusy * 100)}% for two seconds).`
      : `${noisy.length} of ${timed.length} timed runs started while other jobs kept the machine busy ` +
          `(median ${Math.round(medianOf(noisy.map((p) => p.busyBefore)) * 100)}% busy just before): wall times are inflated for both tools; ` +
          `the control-node CPU column is the steadier figure.`,
  );
  const rt = r.roundTrips;
  if (rt) {
    const steady = rt.tasks.filter((t) => t.kind !== 'controller');
    const sumOf = (tool: 'sams' | 'ansible', run: 'first' | 'second') => steady.reduce((a, t) => a + (t[tool][run] ?? 0), 0);
    lines.push(
      '',
      `Exec channels per host for facts + the target tasks (sshd log, one host): sams ${sumOf('sams', 'first')} on the first run and ${sumOf('sams', 'second')} on the second; ` +
        `ansible-playbook ${sumOf('ansible', 'first')} and ${sumOf('ansible', 'second')}. ` +
        (rt.overBudget.length === 0
          ? 'No sams task exceeded one round trip unchanged or two (+1 transfer) changed.'
          : `Over budget in sams: ${rt.overBudget.map((o) => `${o.id} (${o.run} run, ${o.execs} execs, ${o.status})`).join('; ')}.`),
    );
  }
  if (r.excluded.length) {
    lines.push('', 'Left out: ' + r.excluded.map((e) => `${e.id} (${e.tool}: ${e.reason.split('\n')[0]})`).join('; ') + '.');
  }
  return lines.join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const out = ['# Benchmark: sams vs ansible-playbook', '', summaryMarkdown(r), ''];

  const rt = r.roundTrips;
  if (rt) {
    const cell = (c: ToolTaskCost, run: 'first' | 'second') => `${c[run] ?? '?'} (${(run === 'first' ? c.firstStatus : c.secondStatus) ?? '–'})`;
    out.push(
      '## Exec channels (round trips) per task, one host',
      '',
      `Counted as "Starting session" lines in sshd's VERBOSE log; each task's figure is the difference between the playbook ` +
        `up to that task and the playbook up to the one before, on a clean host (first run) and again (second run). ` +
        `Connection overhead without tasks: sams ${rt.baseline.sams.first}, ansible ${rt.baseline.ansible.first}. Status in brackets.`,
      '',
      '| task | module | kind | sams first | sams second | ansible first | ansible second |',
      '|---|---|---|---:|---:|---:|---:|',
      ...rt.tasks.map((t) => `| ${t.id} | ${t.module} | ${t.kind} | ${cell(t.sams, 'first')} | ${cell(t.sams, 'second')} | ${cell(t.ansible, 'first')} | ${cell(t.ansible, 'second')} |`),
      '',
    );
    const mismatches = rt.tasks.filter((t) => t.sams.firstStatus !== t.ansible.firstStatus || t.sams.secondStatus !== t.ansible.secondStatus);
    if (mismatches.length) {
      out.push('Status differs between the tools: ' + mismatches.map((t) => `${t.id} (sams ${t.sams.firstStatus}/${t.sams.secondStatus}, ansible ${t.ansible.firstStatus}/${t.ansible.secondStatus})`).join('; ') + '.', '');
    }
  }

  if (r.excluded.length) {
    out.push('## Left out', '', '| task | module | tool | reason |', '|---|---|---|---|');
    for (const e of r.excluded) out.push(`| ${e.id} | ${e.module} | ${e.tool} | ${e.reason.replace(/\|/g, '\\|').replace(/\n/g, '<br>')} |`);
    out.push('');
  }

  out.push('## Every run', '', 'Warm-up runs are not in the medians. Busy before: the machine\'s CPU busy share in the second before the run. Execs per host: min–max over the hosts, from sshd\'s log.', '');
  for (const z of r.sizes) {
    out.push(
      `### ${z.hosts} host${z.hosts > 1 ? 's' : ''} (forks ${z.forks})`,
      '',
      `Load average before ${z.loadavgBefore.map((v) => v.toFixed(2)).join(' ')}, after ${z.loadavgAfter.map((v) => v.toFixed(2)).join(' ')}; starting the sshd hosts took ${s(z.startHostsMs)} s.`,
      '',
      '| rep | tool | run | wall s | CPU s | machine CPU s | busy before | changed | ok | execs/host | problem |',
      '|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|',
    );
    for (const p of z.samples) {
      const execs = p.execsPerHost ? (p.execsPerHost.min === p.execsPerHost.max ? `${p.execsPerHost.min}` : `${p.execsPerHost.min}–${p.execsPerHost.max}`) : '?';
      out.push(`| ${p.warmup ? 'warm-up' : p.rep} | ${p.tool} | ${p.phase} | ${s(p.wallMs)} | ${s(p.cpuMs)} | ${s(p.machineCpuMs)} | ${Math.round(p.busyBefore * 100)}% | ${p.changed} | ${p.ok} | ${execs} | ${(p.problem ?? '').split('\n')[0]!.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  out.push('## Playbook', '', '```yaml', r.playbook.trimEnd(), '```', '');
  return out.join('\n');
}

function medianOf(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
