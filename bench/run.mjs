#!/usr/bin/env node
// Runs the benchmark: builds sams (dist/) and the bench (bench/.build/), then runs bench/main.ts's main with the arguments.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const build = (project) => execFileSync(process.execPath, [tsc, '-p', join(root, project)], { cwd: root, stdio: 'inherit' });
try {
  build('tsconfig.build.json');
} catch {
  // tsc still emits on type errors (files others are half-way through); measure what was built.
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('bench: the sams build failed and there is no dist/');
  console.error('bench: the sams build reported errors (above); measuring the dist/ it emitted');
}
// A clean bench build: no stale modules from renamed files.
rmSync(join(root, 'bench/.build'), { recursive: true, force: true });
build('bench/tsconfig.json');
const { main } = await import(pathToFileURL(join(root, 'bench/.build/bench/main.js')).href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
