// Where the time goes at N hosts: a few minimal playbooks (facts only, one ping, ten commands) timed like the main playbook.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTask } from './playbook.js';
import { ROOT, TOOLS } from './runners.js';
import { measureSize, type QuietGate, type SizeResult } from './timing.js';

interface Scenario {
  id: string;
  what: string;
  gatherFacts: boolean;
  tasks: BenchTask[];
}

const ping: BenchTask = { id: 'ping', module: 'ping', kind: 'steady', lines: ['- ping:'], transfers: false };
const trueCmd = (i: number): BenchTask => ({
  id: `true-${i}`,
  module: 'command',
  kind: 'steady',
  lines: [`- name: true ${i}`, '  command: /bin/true', '  changed_when: false'],
  transfers: false,
});

export const SCENARIOS: readonly Scenario[] = [
  { id: 'ping', what: 'connect, one ping task (1 exec)', gatherFacts: false, tasks: [ping] },
  { id: 'facts', what: 'gather_facts only (connect + 1 exec)', gatherFacts: true, tasks: [] },
  { id: 'ten-commands', what: 'connect, ten `command: /bin/true` tasks (10 execs)', gatherFacts: false, tasks: Array.from({ length: 10 }, (_, i) => trueCmd(i + 1)) },
];

export interface BreakdownResults {
  hosts: number;
  reps: number;
  scenarios: { id: string; what: string; result: SizeResult }[];
}

export async function measureBreakdown(n: number, reps: number, gate: QuietGate, log: (s: string) => void): Promise<BreakdownResults> {
  const scenarios: BreakdownResults['scenarios'] = [];
  for (const sc of SCENARIOS) {
    log(`breakdown N=${n}: ${sc.id} (${sc.what})`);
    scenarios.push({ id: sc.id, what: sc.what, result: await measureSize(n, sc.tasks, reps, gate, log, sc.gatherFacts) });
  }
  return { hosts: n, reps, scenarios };
}

/** Writes bench/results/breakdown.{json,md}; returns the file names. */
export function writeBreakdown(b: BreakdownResults, header: string): string[] {
  const s = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(2));
  // Nothing changes in these playbooks, so every run counts: the medians of both runs' samples.
  const all = (r: SizeResult, tool: (typeof TOOLS)[number], pick: 'wallMs' | 'cpuMs' | 'machineCpuMs') =>
    median(r.samples.filter((x) => x.tool === tool && !x.warmup && !x.problem).map((x) => x[pick]).filter((v): v is number => v !== null));
  const lines = [
    '# Where the time goes',
    '',
    header,
    '',
    `${b.hosts} hosts, forks ${b.hosts}; median of ${b.reps * 2} runs per tool (${b.reps} repetitions of two runs, after a warm-up). Seconds.`,
    '',
    '| playbook | sams wall | sams CPU | sams machine CPU | ansible wall | ansible CPU | ansible machine CPU | execs/host sams / ansible |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const sc of b.scenarios) {
    const execs = (tool: (typeof TOOLS)[number]) => sc.result.samples.find((x) => x.tool === tool && !x.warmup)?.execsPerHost?.max ?? '?';
    lines.push(
      `| ${sc.what} | ${s(all(sc.result, 'sams', 'wallMs'))} | ${s(all(sc.result, 'sams', 'cpuMs'))} | ${s(all(sc.result, 'sams', 'machineCpuMs'))} | ` +
        `${s(all(sc.result, 'ansible', 'wallMs'))} | ${s(all(sc.result, 'ansible', 'cpuMs'))} | ${s(all(sc.result, 'ansible', 'machineCpuMs'))} | ${execs('sams')} / ${execs('ansible')} |`,
    );
  }
  const dir = join(ROOT, 'bench/results');
  const files = [join(dir, 'breakdown.json'), join(dir, 'breakdown.md')];
  writeFileSync(files[0]!, JSON.stringify(b, null, 2) + '\n');
  writeFileSync(files[1]!, lines.join('\n') + '\n');
  return files;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : Math.round((v[m - 1]! + v[m]!) / 2);
}
