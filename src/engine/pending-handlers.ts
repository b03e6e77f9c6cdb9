// Handlers notified on a host that failed before they ran are kept on the control node, one
// small file per playbook and host, and replayed at the first handler flush of the next run of
// the same playbook (so a changed config is never left without its restart; Ansible #10498).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

interface PendingFile {
  playbook: string;
  host: string;
  /** Handler names per play name. */
  plays: Record<string, string[]>;
  updated: string;
}

function dirFor(stateDir: string, playbook: string): string {
  return join(stateDir, 'pending', createHash('sha256').update(playbook).digest('hex').slice(0, 16));
}

function fileFor(stateDir: string, playbook: string, host: string): string {
  return join(dirFor(stateDir, playbook), `${host.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

export function readPending(stateDir: string, playbook: string, host: string): Record<string, string[]> {
  try {
    const f = JSON.parse(readFileSync(fileFor(stateDir, playbook, host), 'utf8')) as PendingFile;
    return f.host === host && f.playbook === playbook ? f.plays : {};
  } catch {
    return {};
  }
}

/** Record (or, with an empty list, forget) the pending handlers of one play on one host. */
export function writePending(stateDir: string, playbook: string, host: string, play: string, handlers: string[]): void {
  const plays = readPending(stateDir, playbook, host);
  if (handlers.length) plays[play] = handlers;
  else delete plays[play];
  const file = fileFor(stateDir, playbook, host);
  if (Object.keys(plays).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirFor(stateDir, playbook), { recursive: true, mode: 0o700 });
  const body: PendingFile = { playbook, host, plays, updated: new Date().toISOString() };
  writeFileAtomic(file, JSON.stringify(body, null, 2) + '\n', { newFileMode: 0o600 });
}

/** The hosts that have handlers kept for a playbook. */
export function pendingHosts(stateDir: string, playbook: string): string[] {
  try {
    return readdirSync(dirFor(stateDir, playbook)).map((f) => f.replace(/\.json$/, ''));
  } catch {
    return [];
  }
}

/** --clear-pending: forget everything kept for a playbook. Returns the hosts that had some. */
export function clearPending(stateDir: string, playbook: string): string[] {
  const hosts = pendingHosts(stateDir, playbook);
  rmSync(dirFor(stateDir, playbook), { recursive: true, force: true });
  return hosts;
}
