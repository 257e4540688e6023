import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../src/format/mask.js';

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
