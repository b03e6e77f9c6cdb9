// Secrets through templates: any output computed from a Secret (or a vaulted value) is a Secret.

import { describe, expect, it } from 'vitest';
import { Secret, isSecret } from '../../../src/secret.js';
import { VaultedText } from '../../../src/load/yaml.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { createTemplar } from '../../../src/template/index.js';

const templar = createTemplar();
const keyring = new Keyring([{ id: 'default', password: 'vault-pw' }]);
const vars = {
  pw: new Secret('s3cret-pw'),
  db: { user: 'app', password: new Secret('db-pass') },
  vaulted: new VaultedText(keyring.encrypt('from-vault'), undefined, keyring),
  plain: 'visible',
};

function revealed(v: unknown): string {
  expect(isSecret(v)).toBe(true);
  return (v as Secret).reveal();
}

describe('secret taint', () => {
  it.each([
    ['{{ pw }}', 's3cret-pw'],
    ['{{ pw | upper }}', 'S3CRET-PW'],
    ['prefix-{{ pw }}', 'prefix-s3cret-pw'],
    ["{{ pw ~ '!' }}", 's3cret-pw!'],
    ['{{ pw | b64encode }}', Buffer.from('s3cret-pw').toString('base64')],
    ["{{ pw | password_hash('md5', 'saltsalt') }}", '$1$saltsalt$xI8j4d4lLcdW1jU4eBPd0/'],
    ['{{ db.password }}', 'db-pass'],
    ["{{ db['password'] | replace('-', '_') }}", 'db_pass'],
    ['{{ vaulted }}', 'from-vault'],
    ['{{ vaulted | upper }}', 'FROM-VAULT'],
    ['{% for c in [pw] %}{{ c }}{% endfor %}', 's3cret-pw'],
    ['x{{ db }}', "x{'user': 'app', 'password': 'db-pass'}"],
  ])('%s is a Secret', (tpl, text) => {
    expect(revealed(templar.render(tpl, vars))).toBe(text);
  });

  it('keeps a dict holding a Secret as it is, the Secret inside', () => {
    const out = templar.render('{{ db }}', vars) as Record<string, unknown>;
    expect(isSecret(out)).toBe(false);
    expect(out.user).toBe('app');
    expect(isSecret(out.password)).toBe(true);
  });

  it('leaves output that used no secret plain', () => {
    expect(templar.render('{{ plain }} {{ db.user }}', vars)).toBe('visible app');
  });

  it('makes the strings of a container computed from a secret Secrets', () => {
    const out = templar.render("{{ pw.split('-') }}", vars) as unknown[];
    expect(out.map(revealed)).toEqual(['s3cret', 'pw']);
  });

  it('returns a Secret from renderText when the template printed one', () => {
    expect(revealed(templar.renderText('password={{ pw }}\n', vars))).toBe('password=s3cret-pw\n');
  });

  it('does not mark a number computed from a secret', () => {
    expect(templar.render('{{ pw | length }}', vars)).toBe(9);
  });
});
