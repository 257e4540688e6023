import { describe, expect, it } from 'vitest';
import { excerpt, maskSecrets, tailExcerpt } from '../src/format/mask.js';

const TOKEN = `pypi-AgEIcHlwaS5vcmcCJGE0ZjZkNTk0LTc2YjAtNDcwNC1hM2U4LTBiYWYxNGUzYmE1NQACKlsz${'x'.repeat(60)}`;

describe('maskSecrets', () => {
  it('masks a PyPI macaroon wherever it appears, keeping only its first characters', () => {
    const masked = maskSecrets(`TWINE_PASSWORD: ${TOKEN}\n"${TOKEN}"`);
    expect(masked).toBe('TWINE_PASSWORD: pypi-AgEI…(masked)\n"pypi-AgEI…(masked)"');
    expect(masked).not.toContain(TOKEN.slice(9, 30));
  });

  it('leaves names such as pypi-release-lint alone', () => {
    expect(maskSecrets('see pypi-release-lint rules and pypi-token')).toBe('see pypi-release-lint rules and pypi-token');
  });
});

describe('maskSecrets: every kind of secret, and only secrets', () => {
  it('masks GitHub tokens, URL passwords and credential settings, keeping what names them', () => {
    const github = `ghp_${'R2l0SHViVG9rZW4'.repeat(3)}`;
    const fineGrained = `github_pat_11ABCDEFG0${'x1Y2z3'.repeat(8)}`;
    expect(maskSecrets(`token ${github} and ${fineGrained}`)).toBe('token ghp_R2l0…(masked) and github_pat_11AB…(masked)');
    expect(maskSecrets('clone https://ci:hunter2-secret@github.com/o/r.git')).toBe('clone https://ci:…(masked)@github.com/o/r.git');
    expect(maskSecrets('env: TWINE_PASSWORD=hunter2 UV_PUBLISH_TOKEN: "abc" password = s3cret')).toBe('env: TWINE_PASSWORD=…(masked) UV_PUBLISH_TOKEN: "…(masked)" password = …(masked)');
    expect(maskSecrets('PYPI_API_TOKEN_PYPI_AGEICHLWAS5VCMCCJGE0ZJZKNTK0LTC2YJATNDCWNC1HM2')).toBe('PYPI_API_TOKEN_PYPI_AGEI…(masked)');
    expect(maskSecrets('wheel pypi_AgEIcHlwaS5vcmcCJGE0-1.0-py3-none-any.whl')).toBe('wheel pypi_AgEI…(masked).0-py3-none-any.whl');
  });

  it('leaves references, placeholders and ordinary names alone', () => {
    const text = [
      'TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}',
      'TWINE_PASSWORD=$PYPI_TOKEN',
      'password: <your token>',
      'https://github.com/o/r and https://user@example.org/',
      'secret PYPI_API_TOKEN_OPEN_TICKET_AI_OTOBO_ZNUNY_PLUGIN is used by publish.yml',
      'the gho_ prefix and ghp_short',
    ].join('\n');
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks once: masked text stays as it is', () => {
    const once = maskSecrets(`TWINE_PASSWORD: ${TOKEN} https://u:p4ss@h/`);
    expect(maskSecrets(once)).toBe(once);
  });
});

describe('excerpt and tailExcerpt: masked before they cut', () => {
  it('never keep the part of a token after a cut', () => {
    const text = `${'a'.repeat(50)}${TOKEN}`;
    expect(excerpt(text, 60)).toBe(`${'a'.repeat(50)}pypi-AgEI`.slice(0, 59) + '…');
    expect(tailExcerpt(text, 40)).toBe(maskSecrets(text).slice(-40));
    expect(tailExcerpt(text, 40)).not.toContain(TOKEN.slice(30, 50));
  });
});
