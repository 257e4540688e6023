/**
 * PyPI API tokens are macaroons written `pypi-` + base64url. Every line the tool prints goes through
 * here, so a token quoted by any rule, parser error or diff never appears whole.
 */
// Macaroons start with "AgE" (base64 of their version byte and first field); anything else after
// "pypi-" must be long enough not to be a word, such as this tool's own name.
export const PYPI_TOKEN = /pypi-(?:AgE[A-Za-z0-9_-]{8,}|[A-Za-z0-9_-]{40,})/g;

export function maskToken(token: string): string {
  return `${token.slice(0, 9)}…(masked)`;
}

export function maskSecrets(text: string): string {
  return text.replace(PYPI_TOKEN, maskToken);
}
