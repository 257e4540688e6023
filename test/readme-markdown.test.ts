import { describe, expect, it } from 'vitest';
import { badgeInsertion } from '../src/markdown/badge-insert.js';
import { badgeOfImage, badgeOfLink } from '../src/markdown/badges.js';
import { readDocument, type DocModel } from '../src/markdown/index.js';
import { installedNames } from '../src/markdown/install.js';
import { readMarkdown } from '../src/markdown/markdown.js';
import { readRst } from '../src/markdown/rst.js';
import { SourceFile } from '../src/project/source-file.js';
import type { Range } from '../src/project/source-file.js';

function read(path: string, text: string): { doc: DocModel; at: (range: Range) => string } {
  const file = new SourceFile(path, text);
  const doc = readDocument(file);
  const at = (range: Range): string => {
    const { line, column } = file.positionAt(range.start);
    return `${line}:${column} ${text.slice(range.start, range.end)}`;
  };
  return { doc, at };
}

function apply(text: string, edits: { start: number; end: number; text: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

describe('the Markdown reader (markdown-it with positions)', () => {
  const text = [
    'Title',
    '=====',
    '',
    '[![PyPI][pypi-badge]][pypi-link] <a href="https://github.com/o/r/actions/workflows/ci.yml"><img alt="CI" src="https://github.com/o/r/actions/workflows/ci.yml/badge.svg?branch=main"></a>',
    '',
    '| Package | Version |',
    '|---|---|',
    '| `demo` | [![v](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/) |',
    '',
    '> quoted ![i](https://example.org/i.png) text',
    '',
    '## Tag naming',
    '',
    '- demo: `v*` and `demo-v*`',
    '  - nested `x`',
    '- plugin: `plugin-v*`',
    '',
    '<!-- <img src="https://ignored.example/x.svg"> -->',
    '',
    '[pypi-badge]: https://img.shields.io/pypi/v/demo?style=flat',
    '[pypi-link]: https://pypi.org/project/demo/',
    '',
  ].join('\n');
  const { doc, at } = read('README.md', text);

  it('finds headings (setext and ATX) with their lines and sections', () => {
    expect(doc.headings.map((heading) => [heading.level, heading.text, heading.line])).toEqual([
      [1, 'Title', 1],
      [2, 'Tag naming', 12],
    ]);
  });

  it('finds reference-style, HTML and table badges, each at its URL', () => {
    expect(doc.images.map((image) => [image.syntax, at(image.srcRange), image.link && at(image.link.range), image.inTable])).toEqual([
      ['reference', '20:15 https://img.shields.io/pypi/v/demo?style=flat', '21:14 https://pypi.org/project/demo/', false],
      ['html', '4:111 https://github.com/o/r/actions/workflows/ci.yml/badge.svg?branch=main', '4:43 https://github.com/o/r/actions/workflows/ci.yml', false],
      ['markdown', '8:18 https://img.shields.io/pypi/v/demo', '8:55 https://pypi.org/project/demo/', true],
      ['markdown', '10:15 https://example.org/i.png', undefined, false],
    ]);
  });

  it('finds inline code in tables, lists and headings with exact columns and the enclosing section', () => {
    expect(doc.code.map((code) => [at(code.range), code.section.map((heading) => heading.text).join(' > ')])).toEqual([
      ['8:4 demo', 'Title'],
      ['14:10 v*', 'Title > Tag naming'],
      ['14:19 demo-v*', 'Title > Tag naming'],
      ['15:13 x', 'Title > Tag naming'],
      ['16:12 plugin-v*', 'Title > Tag naming'],
    ]);
  });

  it('reads tables cell by cell and lists item by item', () => {
    const table = doc.tables[0]!;
    expect(table.header.map((cell) => cell.text)).toEqual(['Package', 'Version']);
    expect(table.rows.map((row) => row.cells.map((cell) => at(cell.range)))).toEqual([['8:3 `demo`', '8:12 [![v](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)']]);
    expect(table.lastLine).toBe(8);
    const outer = doc.lists.find((list) => list.items.length === 2)!;
    expect(outer.items.map((item) => [item.line, item.marker, item.text])).toEqual([
      [14, '-', 'demo: `v*` and `demo-v*`'],
      [16, '-', 'plugin: `plugin-v*`'],
    ]);
    expect(outer.lastLine).toBe(16);
  });

  it('maps positions in CRLF files', () => {
    const { doc: crlf, at: atCrlf } = read('README.md', '# T\r\n\r\n| Secret |\r\n|---|\r\n| `A_B` |\r\n');
    expect(atCrlf(crlf.code[0]!.range)).toBe('5:4 A_B');
  });
});

describe('the reStructuredText reader', () => {
  const text = [
    '=====',
    ' Demo',
    '=====',
    '',
    '|pypi| |ci|',
    '',
    '.. |pypi| image:: https://img.shields.io/pypi/v/demo',
    '   :target: https://pypi.org/project/demo/',
    '.. |ci| image:: https://github.com/o/r/actions/workflows/ci.yml/badge.svg',
    '',
    '.. image:: https://img.shields.io/pypi/l/demo',
    '   :alt: License',
    '',
    'Install',
    '-------',
    '',
    'Run::',
    '',
    '    pip install demo',
    '',
    '.. code-block:: bash',
    '',
    '   pip install demo-plugin',
    '',
    'Secrets',
    '-------',
    '',
    '- ``PYPI_API_TOKEN``: the core',
    '- ``PYPI_API_TOKEN_PLUGIN``: the plugin',
    '',
    '=========  ========',
    'Secret     Package',
    '=========  ========',
    '``A_B``    demo',
    '=========  ========',
    '',
  ].join('\n');
  const { doc, at } = read('README.rst', text);

  it('finds titles with over- and underlines and assigns levels by style', () => {
    expect(doc.headings.map((heading) => [heading.level, heading.text, heading.line])).toEqual([
      [1, 'Demo', 2],
      [2, 'Install', 14],
      [2, 'Secrets', 25],
    ]);
  });

  it('finds image directives and substitutions with :target: and their references', () => {
    expect(doc.images.map((image) => [image.syntax, at(image.srcRange), image.link && at(image.link.range), image.alt, image.substitution?.references.map(at)])).toEqual([
      ['rst-substitution', '7:19 https://img.shields.io/pypi/v/demo', '8:13 https://pypi.org/project/demo/', 'pypi', ['5:1 |pypi|']],
      ['rst-substitution', '9:17 https://github.com/o/r/actions/workflows/ci.yml/badge.svg', undefined, 'ci', ['5:8 |ci|']],
      ['rst', '11:12 https://img.shields.io/pypi/l/demo', undefined, 'License', undefined],
    ]);
  });

  it('finds literal blocks, code directives, inline literals, lists and simple tables', () => {
    expect(doc.codeBlocks.map((block) => [block.line, block.info, block.text.trim()])).toEqual([
      [19, '', 'pip install demo'],
      [21, 'bash', 'pip install demo-plugin'],
    ]);
    expect(doc.lists[0]!.items.map((item) => [item.line, item.code.map((code) => at(code.range))])).toEqual([
      [28, ['28:5 PYPI_API_TOKEN']],
      [29, ['29:5 PYPI_API_TOKEN_PLUGIN']],
    ]);
    expect(doc.lists[0]!.section.map((heading) => heading.text)).toEqual(['Demo', 'Secrets']);
    const table = doc.tables[0]!;
    expect(table.header.map((cell) => cell.text)).toEqual(['Secret', 'Package']);
    expect(table.rows.map((row) => row.cells.map((cell) => cell.text))).toEqual([['``A_B``', 'demo']]);
    expect(table.rows[0]!.cells[0]!.code.map((code) => at(code.range))).toEqual(['34:3 A_B']);
  });
});

describe('badge URLs', () => {
  it('recognises PyPI and workflow badges in their common forms', () => {
    expect(badgeOfImage('https://img.shields.io/pypi/v/open-ticket-ai.svg?style=flat')).toEqual({ kind: 'pypi', name: 'open-ticket-ai', version: true });
    expect(badgeOfImage('https://img.shields.io/pypi/pyversions/demo')).toEqual({ kind: 'pypi', name: 'demo', version: false });
    expect(badgeOfImage('https://badge.fury.io/py/demo.svg')).toEqual({ kind: 'pypi', name: 'demo', version: true });
    expect(badgeOfImage('https://github.com/o/r/actions/workflows/publish.yml/badge.svg?branch=main')).toEqual({ kind: 'workflow', owner: 'o', repo: 'r', file: 'publish.yml', name: undefined });
    expect(badgeOfImage('https://github.com/o/r/workflows/Publish%20to%20PyPI/badge.svg')).toEqual({ kind: 'workflow', owner: 'o', repo: 'r', file: undefined, name: 'Publish to PyPI' });
    expect(badgeOfImage('https://img.shields.io/github/actions/workflow/status/o/r/publish.yml?branch=main')).toEqual({ kind: 'workflow', owner: 'o', repo: 'r', file: 'publish.yml', name: undefined });
    expect(badgeOfLink('https://pypi.org/project/demo/')).toEqual({ kind: 'pypi', name: 'demo', version: false });
    expect(badgeOfImage('https://example.org/logo.png')).toBeUndefined();
  });
});

describe('install commands', () => {
  it('reads the requirement names of pip, uv, pipx and poetry commands', () => {
    const text = 'pip install -U "Open_Ticket.AI[hf]>=1.0"\npython -m pip install --index-url https://x y-z==2\nuv add foo; pip3 install -r req.txt bar\n`pipx install tool`';
    expect([...installedNames(text)].sort()).toEqual(['bar', 'foo', 'open-ticket-ai', 'tool', 'y-z']);
    expect(installedNames('Install it with your usual package manager.').size).toBe(0);
  });
});

describe('badge insertion in the style of existing badges', () => {
  const badge = { alt: 'PyPI - demo', src: 'https://img.shields.io/pypi/v/demo', href: 'https://pypi.org/project/demo/', label: 'pypi-demo' };

  it('adds reference-style badges with their definitions', () => {
    const text = '# Demo\n\n[![CI][ci-badge]][ci]\n\nText.\n\n[ci-badge]: https://github.com/o/r/actions/workflows/ci.yml/badge.svg\n[ci]: https://github.com/o/r/actions/workflows/ci.yml\n';
    const { doc } = read('README.md', text);
    expect(apply(text, badgeInsertion(doc, [badge])!)).toBe(
      '# Demo\n\n[![CI][ci-badge]][ci]\n[![PyPI - demo][pypi-demo-badge]][pypi-demo]\n\nText.\n\n[ci-badge]: https://github.com/o/r/actions/workflows/ci.yml/badge.svg\n[ci]: https://github.com/o/r/actions/workflows/ci.yml\n' +
        '[pypi-demo-badge]: https://img.shields.io/pypi/v/demo\n[pypi-demo]: https://pypi.org/project/demo/\n',
    );
  });

  it('adds HTML badges on the same line inside an HTML block', () => {
    const text = '# Demo\n\n<p align="center">\n  <a href="https://x/ci"><img src="https://github.com/o/r/actions/workflows/ci.yml/badge.svg"></a> <a href="https://x/l"><img src="https://img.shields.io/pypi/l/demo"></a>\n</p>\n';
    const { doc } = read('README.md', text);
    expect(apply(text, badgeInsertion(doc, [badge])!)).toBe(
      '# Demo\n\n<p align="center">\n  <a href="https://x/ci"><img src="https://github.com/o/r/actions/workflows/ci.yml/badge.svg"></a> <a href="https://x/l"><img src="https://img.shields.io/pypi/l/demo"></a> <a href="https://pypi.org/project/demo/"><img src="https://img.shields.io/pypi/v/demo" alt="PyPI - demo"></a>\n</p>\n',
    );
  });

  it('puts a new block under the first heading, keeping a blank line before the text', () => {
    const { doc } = read('README.md', '# Demo\nText.\n');
    expect(apply('# Demo\nText.\n', badgeInsertion(doc, [badge])!)).toBe('# Demo\n\n[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)\nText.\n'.replace(')\nText', ')\n\nText'));
  });

  it('adds reST image directives after the existing ones, or under the title', () => {
    const text = 'Demo\n====\n\n.. image:: https://img.shields.io/pypi/l/demo\n   :target: https://pypi.org/project/demo/\n\nText.\n';
    const { doc } = read('README.rst', text);
    expect(apply(text, badgeInsertion(doc, [badge])!)).toBe(
      'Demo\n====\n\n.. image:: https://img.shields.io/pypi/l/demo\n   :target: https://pypi.org/project/demo/\n.. image:: https://img.shields.io/pypi/v/demo\n   :target: https://pypi.org/project/demo/\n   :alt: PyPI - demo\n\nText.\n',
    );
    const bare = read('README.rst', 'Demo\n====\n\nText.\n');
    expect(apply('Demo\n====\n\nText.\n', badgeInsertion(bare.doc, [badge])!)).toBe(
      'Demo\n====\n\n.. image:: https://img.shields.io/pypi/v/demo\n   :target: https://pypi.org/project/demo/\n   :alt: PyPI - demo\n\nText.\n',
    );
  });

  it('leaves badges kept in a table alone', () => {
    const { doc } = read('README.md', '# Demo\n\n| a |\n|---|\n| ![x](https://img.shields.io/pypi/l/demo) |\n');
    expect(badgeInsertion(doc, [badge])).toBeUndefined();
  });
});

describe('the readers on arbitrary input', () => {
  it('never throw, and every position they give lies in the file and shows what they say', async () => {
    const fc = await import('fast-check');
    const pieces = ['# ', '## Tags', '\n', '\n\n', '`', '``', '![a](https://img.shields.io/pypi/v/x)', '[![b][r]][l]', '[r]: https://x/y\n', '| a | b |\n|---|---|\n', '| `c` | d |\n', '- ', '1. ', '> ', '<img src="s">', '<a href="h">', '</a>', '```\n', '   ', '\t', '\r\n', 'text', '===\n', '.. image:: u\n   :target: t\n', '.. |s| image:: u\n', '|s|', '::\n\n    x\n', '+---+\n| x |\n+===+\n', '=== ===\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.boolean(), (parts, rst) => {
        const text = parts.join('');
        const file = new SourceFile(rst ? 'README.rst' : 'README.md', text);
        // The readers themselves, not readDocument (which would turn a throw into an empty model).
        const doc = rst ? readRst(file) : readMarkdown(file);
        const inside = (range: Range): boolean => range.start >= 0 && range.start <= range.end && range.end <= file.text.length;
        for (const node of [...doc.headings, ...doc.images, ...doc.code, ...doc.codeBlocks, ...doc.tables, ...doc.lists]) expect(inside(node.range)).toBe(true);
        for (const image of doc.images) expect(inside(image.srcRange)).toBe(true);
        for (const code of doc.code) {
          const written = file.text.slice(code.range.start, code.range.end);
          // Code spans over a line break read as one line (the break becomes a space): only single-line ones compare.
          if (!/[\r\n]/.test(written)) expect(written).toBe(code.text);
        }
      }),
      { numRuns: 400 },
    );
  });
});
