// redact(): the second line of defence behind the Secret type must catch a secret however output
// escapes or splits it (shell quoting, JSON strings, a passphrase split into argv words), and the
// values of a whole-file vault that are not strings (numbers, keys of mappings).

import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/load/yaml.js';
import { quote } from '../../src/shell/quote.js';
import { pyShlexQuote } from '../../src/python/shlex.js';
import { clearSecretTexts, redact, registerSecretText, Secret } from '../../src/secret.js';

afterEach(() => clearSecretTexts());

describe('redact', () => {
  it("masks a secret with a ' inside sams' and Python's shell quoting", () => {
    const s = "It's-CanaryQuoteAAD3";
    registerSecretText(s);
    expect(redact(`set -- "$@" ${quote(s)}`)).not.toContain('Canary');
    expect(redact(`cmd: ${pyShlexQuote(s)}`)).not.toContain('Canary');
  });

  it('masks a secret with quotes and backslashes inside a JSON string', () => {
    const s = 'pa"ss\\word-Canary9';
    registerSecretText(s);
    const line = JSON.stringify({ msg: `login with ${s}` });
    expect(redact(line)).not.toContain('Canary');
    expect(JSON.parse(redact(line)).msg).toBe('login with ********');
  });

  it('masks each word of a passphrase, as command splits it into separate arguments', () => {
    registerSecretText('correct horse Battery staple');
    expect(redact('["echo", "correct", "horse", "Battery", "staple"]')).toBe('["echo", "********", "********", "********", "********"]');
  });

  it('does not mask the ordinary words around a derived secret (a rendered file)', () => {
    new Secret('s3cr3t-pw');
    Secret.derived('user = mail\npassword = s3cr3t-pw\n');
    expect(redact('user = mail')).toBe('user = mail');
    expect(redact('password = s3cr3t-pw')).toBe('password = ********');
  });
});

describe('whole-file vault values', () => {
  it('numbers keep their type but are masked in output; nested keys are masked, variable names are not', () => {
    const vars = parseYaml('vault_pin: 98765432\nvault_users:\n  CanaryKeyDDD4: pw-of-the-user\n', 'vault.yml', { secret: true }) as Record<string, unknown>;
    expect(vars.vault_pin).toBe(98765432);
    expect(redact('pin is 98765432')).toBe('pin is ********');
    expect(Object.keys(vars.vault_users as object)).toEqual(['CanaryKeyDDD4']);
    expect(redact('user CanaryKeyDDD4')).toBe('user ********');
    expect(redact('vault_users vault_pin')).toBe('vault_users vault_pin');
  });

  it('a plain (not vaulted) file registers nothing', () => {
    parseYaml('pin: 98765432\nusers:\n  alice: x\n', 'vars.yml');
    expect(redact('98765432 alice')).toBe('98765432 alice');
  });
});
