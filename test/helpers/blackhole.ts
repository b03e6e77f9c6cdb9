// Network misbehaviour for unreachable-host tests: a port that drops connections, one that never speaks SSH.

import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';

export interface Blackhole {
  address: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A port whose connection attempts hang (SYNs dropped): a listener with a full accept queue. Node
 * always accepts, so the listener is a python3 socket with backlog 0 that never calls accept(),
 * and one connection fills its queue.
 */
export async function startBlackhole(address = '127.0.0.1'): Promise<Blackhole> {
  const py = spawn(
    'python3',
    ['-c', `import socket,sys,time\ns=socket.socket()\ns.bind(('${address}',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()`],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    py.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    py.once('error', reject);
    py.once('exit', (code) => reject(new Error(`python3 blackhole exited with ${code}`)));
  });
  const filler: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, address, () => resolve(s));
    s.once('error', reject);
  });
  return {
    address,
    port,
    stop: async () => {
      filler.destroy();
      py.stdin!.end();
      if (py.exitCode === null) await new Promise((r) => py.once('exit', r));
    },
  };
}

/** A TCP server that accepts connections and never sends anything (no SSH banner). */
export async function startSilentServer(address = '127.0.0.1'): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  const srv = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, address, resolve));
  return {
    address,
    port: (srv.address() as { port: number }).port,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}
