import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, REPO_ROOT } from './helpers/fixtures.js';

beforeAll(ensureBuilt);

describe('precompiled schema validators (src/generated/)', () => {
  it('are what scripts/generate-validators.mjs makes from the schemas today', () => {
    const result = spawnSync(process.execPath, ['scripts/generate-validators.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('leave ajv out of the CLI bundle: no run compiles a schema unless a config gives a rule options', () => {
    const dist = path.dirname(CLI);
    const bundle = fs.readdirSync(dist).filter((name) => /\.[cm]js$/.test(name)).map((name) => fs.readFileSync(path.join(dist, name), 'utf8')).join('\n');
    // ajv's compiler carries this message; the bundle must only reach ajv through a lazy require.
    expect(bundle).not.toContain('schema with key or id');
    expect(bundle).toMatch(/\("ajv"\)/);
  });

  it('call no ajv runtime module and import only the formats module', () => {
    for (const name of ['pyproject-validators.ts', 'config-validator.ts']) {
      const code = fs.readFileSync(path.join(REPO_ROOT, 'src/generated', name), 'utf8');
      expect(code).not.toMatch(/\brequire\(/);
      const imports = [...code.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
      expect(imports).toEqual(name === 'config-validator.ts' ? [] : ['../pyproject/schema-formats.js']);
    }
  });
});
