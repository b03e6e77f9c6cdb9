// `sams play ...` (placeholder until the loader lands).
import type { Command } from 'commander';
export function registerPlayCommand(_program: Command): void {}
