#!/usr/bin/env node
// Runs the benchmark: builds sams (dist/) and the bench (bench/.build/), then runs bench/main.ts's main with the arguments.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
// A clean bench build: no stale modules from renamed files.
rmSync(join(root, 'bench/.build'), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'bench/tsconfig.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { cwd: root, stdio: 'inherit' });
}
const { main } = await import(pathToFileURL(join(root, 'bench/.build/bench/main.js')).href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
