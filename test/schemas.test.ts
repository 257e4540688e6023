import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

// At run time the schemas are compiled without meta-schema validation (it costs a tenth of a second
// at every start), so this is where their validity as draft-07 schemas is checked.
describe('shipped JSON Schemas', () => {
  const directory = path.join(REPO_ROOT, 'schemas');
  const names = fs.readdirSync(directory).filter((name) => name.endsWith('.json'));

  it('are all here', () => {
    expect(names.sort()).toEqual(['build-system.schema.json', 'config.schema.json', 'project.schema.json']);
  });

  it.each(names)('%s is a valid JSON Schema', (name) => {
    const ajv = new Ajv({ strict: false });
    const schema = JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')) as object;
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });
});
