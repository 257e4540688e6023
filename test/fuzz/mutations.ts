import fc from 'fast-check';

/** One way to damage a file's text, with a label that shrinks to something readable. */
export interface Mutation {
  label: string;
  apply(text: string): string;
}

const BOM = '\uFEFF';

function deepToml(depth: number): string {
  return `\nfuzz = ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
}

function deepYaml(depth: number): string {
  return `\nfuzz: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
}

/** A "billion laughs" YAML: each level aliases the previous one ten times. */
export function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < levels; level++) lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

/** Mutations of a file's text that keep it a string (byte-level ones are in the robustness tests). */
export function mutationArbitrary(kind: 'toml' | 'yaml' | 'markdown'): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const junk = fc.string({ unit: fc.oneof(fc.constantFrom('[', ']', '{', '}', '"', "'", '=', ':', '#', '-', '\n', '\t', ' ', '\\', '*', '&', '!', '|', '>'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('\u0000', '\u2028', '\uD800', '\uFFFF', 'é', '𝕏')), maxLength: 40 });
  const position = (text: string, fraction: number): number => Math.floor(text.length * fraction);
  return fc.oneof(
    at.map((fraction): Mutation => ({ label: `truncate@${fraction.toFixed(3)}`, apply: (text) => text.slice(0, position(text, fraction)) })),
    fc.tuple(at, junk).map(([fraction, inserted]): Mutation => ({ label: `insert@${fraction.toFixed(3)} ${JSON.stringify(inserted)}`, apply: (text) => text.slice(0, position(text, fraction)) + inserted + text.slice(position(text, fraction)) })),
    fc.tuple(at, fc.integer({ min: 1, max: 30 }), junk).map(([fraction, length, inserted]): Mutation => ({
      label: `replace@${fraction.toFixed(3)}+${length} ${JSON.stringify(inserted)}`,
      apply: (text) => text.slice(0, position(text, fraction)) + inserted + text.slice(position(text, fraction) + length),
    })),
    fc.constant<Mutation>({ label: 'bom', apply: (text) => BOM + text }),
    fc.constant<Mutation>({ label: 'crlf', apply: (text) => text.replace(/\r?\n/g, '\r\n') }),
    fc.constant<Mutation>({ label: 'tabs', apply: (text) => text.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2)) }),
    fc.constant<Mutation>({ label: 'empty', apply: () => '' }),
    fc.nat({ max: 200 }).map((line): Mutation => ({
      label: `duplicate-line ${line}`,
      apply: (text) => {
        const lines = text.split('\n');
        const index = line % Math.max(1, lines.length);
        lines.splice(index, 0, lines[index] ?? '');
        return lines.join('\n');
      },
    })),
    fc.integer({ min: 100, max: 20_000 }).map((depth): Mutation => ({ label: `deep-nesting ${depth}`, apply: (text) => text + (kind === 'toml' ? deepToml(depth) : kind === 'yaml' ? deepYaml(depth) : '>'.repeat(depth)) })),
    fc.constant<Mutation>({ label: 'alias-bomb', apply: (text) => (kind === 'yaml' ? aliasBomb(9) : text) }),
    fc.integer({ min: 10_000, max: 1_000_000 }).map((length): Mutation => ({ label: `huge-line ${length}`, apply: (text) => `${text}\n# ${'x'.repeat(length)}\n` })),
  );
}
