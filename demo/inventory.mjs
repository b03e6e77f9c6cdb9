// Turns the JSON lines test/hosts/start.sh prints into the demo's inventory and known_hosts.
//   node demo/inventory.mjs .demo/hosts.jsonl .demo
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [jsonl, outDir] = process.argv.slice(2);
const hosts = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const knownHosts = join(outDir, 'known_hosts');
writeFileSync(knownHosts, hosts.flatMap((h) => h.hostKeys.map((k) => `[${h.address}]:${h.port} ${k}`)).join('\n') + '\n');
const lines = ['# Written by demo/run: the local Debian test hosts it started.', '[mail]'];
for (const h of hosts) {
  lines.push(`${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=root ansible_ssh_private_key_file=${h.clientKey}`);
}
lines.push('', '[mail:vars]', `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'`, '');
writeFileSync(join(outDir, 'inventory.ini'), lines.join('\n'));
for (const h of hosts) console.log(`${h.name} ${h.address} ${h.port} ${h.clientKey}`);
