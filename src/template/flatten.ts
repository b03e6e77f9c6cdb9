// Ansible's flatten: nested lists to one list, `levels` deep, skipping null/'None'/'null' items.

export function flattenList(list: unknown[], levels?: number, skipNulls = true): unknown[] {
  const out: unknown[] = [];
  for (const el of list) {
    if (skipNulls && (el === null || el === undefined || el === 'None' || el === 'null')) continue;
    if (Array.isArray(el)) {
      if (levels === undefined) out.push(...flattenList(el, undefined, skipNulls));
      else if (levels >= 1) out.push(...flattenList(el, levels - 1, skipNulls));
      else out.push(el);
    } else out.push(el);
  }
  return out;
}
