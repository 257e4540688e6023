/**
 * PyPI API tokens are macaroons written `pypi-` + base64url. Every line the tool prints goes through
 * here, so a token quoted by any rule, parser error or diff never appears whole.
 */
const PYPI_TOKEN = /pypi-[A-Za-z0-9_-]{12,}/g;

export function maskToken(token: string): string {
  return `${token.slice(0, 9)}…(masked)`;
}

export function maskSecrets(text: string): string {
  return text.replace(PYPI_TOKEN, maskToken);
}
