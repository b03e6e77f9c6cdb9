// Machine load: whole-machine CPU use from /proc/stat, and a gate that waits until other jobs leave the cores idle.

import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  /** Jiffies (1/100 s) spent busy and in total, summed over all cores. */
  busy: number;
  total: number;
}

export function cpuSnapshot(): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** Busy share of the whole machine between two snapshots (0..1). */
export function busyShare(a: CpuSnapshot, b: CpuSnapshot): number {
  const t = b.total - a.total;
  return t > 0 ? (b.busy - a.busy) / t : 0;
}

/** Busy CPU time between two snapshots, in ms (all cores together). */
export function busyMs(a: CpuSnapshot, b: CpuSnapshot): number {
  return (b.busy - a.busy) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the machine has been nearly idle (busy share below maxBusy) for two consecutive
 * one-second windows, or until maxWaitMs passed. Returns the last window's busy share and how long it waited.
 */
export async function waitForQuiet(maxBusy: number, maxWaitMs: number): Promise<{ busy: number; waitedMs: number; quiet: boolean }> {
  const t0 = Date.now();
  let calm = 0;
  let busy = 1;
  for (;;) {
    if (maxWaitMs <= 0) {
      // No waiting allowed: still measure how busy the machine is, over a shorter window.
      const a = cpuSnapshot();
      await sleep(500);
      busy = busyShare(a, cpuSnapshot());
      return { busy, waitedMs: 0, quiet: busy <= maxBusy };
    }
    const a = cpuSnapshot();
    await sleep(1000);
    busy = busyShare(a, cpuSnapshot());
    calm = busy <= maxBusy ? calm + 1 : 0;
    if (calm >= 2) return { busy, waitedMs: Date.now() - t0, quiet: true };
    if (Date.now() - t0 >= maxWaitMs) return { busy, waitedMs: Date.now() - t0, quiet: false };
  }
}
