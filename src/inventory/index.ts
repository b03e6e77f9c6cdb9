// The inventory: hosts, groups, host patterns and the variables the inventory gives each host.
//
//   loadInventory(paths, { keyring?, cwd? }): Inventory
//       Read -i sources (INI, YAML/JSON, directories of them, `a,b,` host lists) into one
//       Inventory: hosts and groups in inventory order with their inventory-file vars. No paths
//       give an empty inventory. Malformed input and missing paths are SamsErrors at file:line:col.
//   selectHosts(inv, pattern, { loc?, limit?, cwd?, onUnmatched? }): string[]
//       Host names a `hosts:` pattern (and optional --limit) selects, in inventory order. Nothing
//       matched gives []; a malformed pattern is a SamsError. `localhost` may be the implicit host.
//   inventoryLayers(inv, host, { playbookDir?, projectRoot?, keyring? }): VarLayer[]
//       The host's inventory variables as precedence layers (inventory file group/host vars and
//       group_vars/ host_vars/ files beside the inventory, project root and playbook).
//   groupsVar(inv), groupNames(inv, host), inventoryHostnameShort(name), hostMagicVars(inv, host):
//       magic variables (groups, group_names, inventory_hostname(_short), inventory_file/dir).
//   isImplicitLocalhost(inv, name): the host is Ansible's implicit localhost (connection local).
//   groupHosts(inv, group): a group's hosts, children's included.
//   inventoryHostVars / inventoryListJson / inventoryGraph / ansibleJson: ansible-inventory's views.

export { loadInventory, type LoadInventoryOptions } from './read-inventory.js';
export { selectHosts, splitHostPattern, type SelectHostsOptions } from './host-patterns.js';
export { inventoryLayers, groupLayers, type InventoryLayerOptions } from './inventory-layers.js';
export { groupsVar, groupNames, groupHosts, hostMagicVars, inventoryHostnameShort, isImplicitLocalhost, sortGroups } from './groups.js';
export { inventoryHostVars, inventoryListJson, inventoryGraph, ansibleJson } from './ansible-views.js';
export { LOCALHOST_NAMES, type Inventory, type InventoryGroup, type InventoryHost } from './model.js';
