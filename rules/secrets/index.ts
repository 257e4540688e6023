import declared from './declared.js';
import documented from './documented.js';
import exposure from './exposure.js';
import hardcoded from './hardcoded.js';
import perPackageToken from './per-package-token.js';

export const secretsRules = [declared, documented, perPackageToken, hardcoded, exposure];
