import { factKey, normalizePackageName, type Project } from '../project/project.js';
import type { SourceFile } from '../project/source-file.js';

/** `pip install`, `python -m pip install`, `uv pip install`, `pipx install`, `uv add`, `poetry add`, `pdm add`, `uv tool install`. */
const INSTALL = /(?:^|[\s`'"(;&|$>])(?:(?:python(?:3(?:\.\d+)?)?|py(?:\s+-3(?:\.\d+)?)?)\s+-m\s+)?(?:(?:uv\s+)?pip3?\s+install|pipx\s+install|uv\s+(?:tool\s+install|add)|poetry\s+add|pdm\s+add)\b([^\n`;&|#]*)/g;
/** Options that take a value: the value is not a requirement. */
const WITH_VALUE = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--python', '-p', '--group', '-e', '--editable', '--prefix', '--root', '--platform', '--source', '--only-binary', '--no-binary']);

/** The normalised names of the requirements the install commands in `text` install. */
export function installedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(INSTALL)) {
    const words = match[1]!.split(/\s+/).filter(Boolean);
    for (let index = 0; index < words.length; index++) {
      const word = words[index]!.replace(/^["']|["'),;]+$/g, '');
      if (WITH_VALUE.has(word)) {
        index++;
        continue;
      }
      if (word.startsWith('-')) continue;
      const name = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?=$|[[<>=!~;@\s])/.exec(word)?.[1];
      if (name) names.add(normalizePackageName(name));
    }
  }
  return names;
}

const INSTALLED_NAMES = factKey<Set<string>>('markdown:install-names');

/** installedNames of a loaded file, read once per run however many packages ask (the root README is everyone's). */
export function installedNamesIn(project: Project, file: SourceFile): ReadonlySet<string> {
  return project.fact(INSTALLED_NAMES, () => installedNames(file.text), file.path);
}
