// `sams vault ...` (placeholder until the vault work lands).
import type { Command } from 'commander';
export function registerVaultCommand(_program: Command): void {}
