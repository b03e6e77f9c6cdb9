// `sams inventory ...` (placeholder until the inventory work lands).
import type { Command } from 'commander';
export function registerInventoryCommand(_program: Command): void {}
