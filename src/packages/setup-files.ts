/**
 * What can be read statically from setuptools' older declarations: setup.cfg's `[metadata]` and
 * `[options]` sections, and literal keyword arguments of a `setup()` call in setup.py. A value
 * the file computes (a variable, a function call) is not guessed: it stays undefined.
 */

/** An INI file as setuptools reads it: section → key → value (continuation lines joined with '\n'). */
export type IniSections = Map<string, Map<string, { value: string; line: number }>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let section: Map<string, { value: string; line: number }> | undefined;
  let last: { value: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') return;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = sections.get(header[1]!.trim()) ?? new Map();
      sections.set(header[1]!.trim(), section);
      last = undefined;
      return;
    }
    if (/^\s/.test(raw) && last) {
      last.value = last.value === '' ? raw.trim() : `${last.value}\n${raw.trim()}`;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!pair || !section) return;
    last = { value: pair[2]!.trim(), line: index + 1 };
    section.set(pair[1]!.trim().replace(/-/g, '_'), last);
  });
  return sections;
}

/** setup.cfg's package metadata: name, version (undefined for `attr:` / `file:`), classifiers. */
export interface SetupCfgMetadata {
  name: { value: string; line: number } | undefined;
  version: { value: string; line: number; dynamic: boolean } | undefined;
  classifiers: string[];
}

export function readSetupCfg(text: string): SetupCfgMetadata {
  const metadata = parseIni(text).get('metadata');
  const version = metadata?.get('version');
  return {
    name: metadata?.get('name'),
    version: version && { ...version, dynamic: /^(attr|file):/.test(version.value) },
    classifiers: (metadata?.get('classifiers')?.value ?? '').split('\n').map((line) => line.trim()).filter(Boolean),
  };
}

/** Literal `name=` and `version=` of a setup() call; each undefined unless a plain string literal. */
export interface SetupPyCall {
  /** Whether the file calls setup() at all. */
  callsSetup: boolean;
  name: { value: string; offset: number } | undefined;
  version: { value: string; offset: number } | undefined;
}

const STRING_KEYWORD = (keyword: string): RegExp => new RegExp(`\\b${keyword}\\s*=\\s*(?:[rRuU]?)(["'])([^"'\\n\\\\]*)\\1\\s*[,)]`);

export function readSetupPy(text: string): SetupPyCall {
  const call = /\bsetup(?:tools\.setup)?\s*\(/.exec(text);
  if (!call) return { callsSetup: false, name: undefined, version: undefined };
  const args = text.slice(call.index);
  const find = (keyword: string): { value: string; offset: number } | undefined => {
    const match = STRING_KEYWORD(keyword).exec(args);
    return match ? { value: match[2]!, offset: call.index + match.index + match[0].indexOf(match[1]!) } : undefined;
  };
  return { callsSetup: true, name: find('name'), version: find('version') };
}
