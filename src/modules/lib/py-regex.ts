// Python regular expressions (re module) as JavaScript RegExps, for arguments that Ansible
// documents as Python regexes (files_matching, search_regex...). Covers the common differences:
// named groups, back references to them, \A and \Z, and leading inline flags.

/** Translate a Python pattern; throws SyntaxError when the result is not a valid RegExp. */
export function pyRegExp(pattern: string, flags = ''): RegExp {
  let src = pattern;
  let fl = flags;
  // Leading global inline flags: (?i), (?ms), ...
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]!) {
      if ((f === 'i' || f === 'm' || f === 's') && !fl.includes(f)) fl += f;
    }
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  return new RegExp(src, fl);
}
