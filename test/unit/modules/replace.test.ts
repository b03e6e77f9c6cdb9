// replace planning: the substitution on fixture texts, the plan from probed states, argument
// checks, and the surrogateescape codec checked against Python's.

import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import replace, { planReplace, replaceInText, sectionPattern, type ReplaceArgs } from '../../../src/modules/replace.js';
import { decodeEscaped, encodeEscaped, newlinesInDecodedPrefix, pyEncoding } from '../../../src/modules/lib/py-text.js';
import type { Plan, Step } from '../../../src/modules/types.js';
import { dirState, fileState, missingState } from '../../fixtures/text-edit/states.js';

function args(a: Record<string, unknown>): ReplaceArgs {
  return replace.args.parse({ path: '/etc/hosts', ...a }) as ReplaceArgs;
}

function writeOf(plan: Plan): Extract<Step, { kind: 'write' }> | undefined {
  return plan.kind === 'change' ? (plan.steps.find((s) => s.kind === 'write') as Extract<Step, { kind: 'write' }> | undefined) : undefined;
}

const VHOST = 'top\n<VirtualHost *>\nfoo\n</VirtualHost>\nend\n';

describe('replace rules', () => {
  test.each([
    ['MULTILINE anchors', 'a\nb\n', '^(.)$', '[\\1]', undefined, undefined, { text: '[a]\n[b]\n', count: 2 }],
    // The region starts mid-line, and ^ matches at its start (Python runs subn on the region alone).
    ['after only', VHOST, '^(.+)$', '# \\1', '<VirtualHost', undefined, { text: 'top\n<VirtualHost#  *>\n# foo\n# </VirtualHost>\n# end\n', count: 4 }],
    ['before only', VHOST, '^(.+)$', '# \\1', undefined, '</VirtualHost>', { text: '# top\n# <VirtualHost *>\n# foo\n</VirtualHost>\nend\n', count: 3 }],
    ['after and before', VHOST, '^(.+)$', '# \\1', '<VirtualHost [*]>', '</VirtualHost>', { text: 'top\n<VirtualHost *>\n# foo\n</VirtualHost>\nend\n', count: 1 }],
    ['same text is no change', 'a\n', 'a', 'a', undefined, undefined, { count: 1 }],
    ['region not found', VHOST, 'x', 'y', 'nowhere', undefined, { count: 0, noSection: 'Pattern for before/after params did not match the given file: nowhere(?P<subsection>.*)' }],
  ])('%s', (_n, text, regexp, repl, afterRe, beforeRe, want) => {
    expect(replaceInText(text, regexp, repl, afterRe, beforeRe)).toEqual(want);
  });

  test('the region pattern is built as Ansible builds it', () => {
    expect(sectionPattern('A', 'B')).toBe('A(?P<subsection>.*?)B');
    expect(sectionPattern('', 'B')).toBe('(?P<subsection>.*)B');
    expect(sectionPattern(undefined, undefined)).toBe('');
  });
});

describe('replace plan', () => {
  test('a change writes the encoded result with "N replacements made" and rc 0', () => {
    const plan = planReplace(args({ regexp: 'old', replace: 'new', backup: true }), fileState('old old\n'), { check: false });
    expect(plan).toMatchObject({ kind: 'change', data: { msg: '2 replacements made', rc: 0 } });
    expect(writeOf(plan)).toMatchObject({ content: Buffer.from('new new\n'), before: Buffer.from('old old\n'), backup: true });
  });

  test('bytes that are not UTF-8 survive the round trip', () => {
    const plan = planReplace(args({ regexp: 'a', replace: 'b' }), fileState(Buffer.from([0x61, 0xff, 0x0a])), { check: false });
    expect(writeOf(plan)?.content).toEqual(Buffer.from([0x62, 0xff, 0x0a]));
  });

  test('latin-1 files are read and written as latin-1', () => {
    const plan = planReplace(args({ regexp: 'é', replace: 'è', encoding: 'latin-1' }), fileState(Buffer.from('café\n', 'latin1')), { check: false });
    expect(writeOf(plan)?.content).toEqual(Buffer.from('cafè\n', 'latin1'));
  });

  test('a character the encoding cannot hold fails the task', () => {
    expect(planReplace(args({ regexp: 'a', replace: '€', encoding: 'latin-1' }), fileState('a\n'), { check: false })).toMatchObject({ kind: 'fail', msg: expect.stringContaining('cannot write the result as latin-1') });
  });

  test('after/before without a match stops before attributes', () => {
    expect(planReplace(args({ regexp: 'a', after: 'zz', mode: '0600' }), fileState('a\n'), { check: false })).toMatchObject({ kind: 'ok', data: { rc: 0 } });
  });

  test('attributes alone change with an empty content message', () => {
    expect(planReplace(args({ regexp: 'zz', mode: '0600' }), fileState('a\n'), { check: false })).toMatchObject({ kind: 'change', data: { msg: 'ownership, perms or SE linux context changed' } });
  });

  test.each([
    ['missing file', missingState({ path: '/etc/hosts' }), { kind: 'fail', msg: 'Path /etc/hosts does not exist !', data: { rc: 257 } }],
    ['directory', dirState('/etc/hosts'), { kind: 'fail', msg: 'Path /etc/hosts is a directory !', data: { rc: 256 } }],
  ])('%s', (_n, st, want) => {
    expect(planReplace(args({ regexp: 'a' }), st, { check: false })).toEqual(want);
  });
});

describe('replace arguments', () => {
  const issues = (a: Record<string, unknown>) => {
    const r = replace.args.safeParse({ path: '/f', ...a });
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  test.each([
    [{ regexp: '(a)', replace: '\\2' }, 'invalid group reference 2 in the replacement'],
    [{ regexp: 'a', replace: '\\g<nope>' }, "unknown group name 'nope' in the replacement"],
    [{ regexp: 'a', after: '(' }, expect.stringContaining('the after/before pattern "((?P<subsection>.*)" is not a usable Python regular expression')],
    [{ regexp: 'a', before: '(?i)x' }, expect.stringContaining('global flags not at the start')],
    [{ regexp: 'a', encoding: 'utf-16' }, 'sams supports these encodings: utf-8, latin-1, ascii'],
  ])('%j is refused', (a, msg) => {
    expect(issues(a)).toContainEqual(msg);
  });
  test('encoding names are read as Python reads them', () => {
    expect(['UTF8', 'utf_8', 'Latin-1', 'iso8859_1', 'US-ASCII'].map(pyEncoding)).toEqual(['utf-8', 'utf-8', 'latin-1', 'latin-1', 'ascii']);
  });
});

describe('surrogateescape codec', () => {
  const samples = [
    [0x61, 0xff, 0x62],
    [0xc3, 0xa9, 0xc3],
    [0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80],
    [0xc0, 0xaf, 0xf4, 0x90, 0x80, 0x80, 0x0a],
  ];
  test('decoding gives the code points Python gives, and encodes back to the bytes', () => {
    const py = JSON.parse(
      execFileSync('python3', ['-c', "import json,sys; print(json.dumps([[ord(c) for c in bytes(b).decode('utf-8','surrogateescape')] for b in json.load(sys.stdin)]))"], {
        input: JSON.stringify(samples),
        encoding: 'utf8',
      }),
    ) as number[][];
    samples.forEach((b, i) => {
      const text = decodeEscaped(Buffer.from(b));
      expect([...text].map((c) => c.codePointAt(0))).toEqual(py[i]);
      expect(encodeEscaped(text)).toEqual(Buffer.from(b));
    });
  });
  test('newlines are counted in decoded characters', () => {
    expect(newlinesInDecodedPrefix(Buffer.from('é\nx\ny'), 4)).toBe(2);
    expect(newlinesInDecodedPrefix(Buffer.from('e\nx\ny'), 3)).toBe(1);
  });
});
