import { describe, expect, it } from 'vitest';
import { TomlFile } from '../src/project/toml-file.js';
import { YamlFile } from '../src/project/yaml-file.js';
import { SourceFile } from '../src/project/source-file.js';

describe('SourceFile', () => {
  it('strips and remembers the BOM, and maps offsets to 1-based lines and columns', () => {
    const file = new SourceFile('a.toml', '\uFEFFa = 1\r\nb = 2\r\n');
    expect(file.bom).toBe(true);
    expect(file.eol).toBe('\r\n');
    expect(file.text.startsWith('a')).toBe(true);
    expect(file.positionAt(file.text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(file.lineText(2)).toBe('b = 2');
    expect(file.serialize(file.text)).toBe('\uFEFFa = 1\r\nb = 2\r\n');
  });
});

describe('TomlFile', () => {
  const text = '[project]\nname = "demo"\ndependencies = [\n  "a>=1",\n  "b",\n]\n\n[tool.x]\ny.z = { w = 1 }\n';
  const file = new TomlFile('pyproject.toml', text);

  it('reads values with smol-toml', () => {
    expect(file.get(['project', 'dependencies', 1])).toBe('b');
    expect(file.get(['tool', 'x', 'y', 'z', 'w'])).toBe(1);
  });

  it('locates keys, array elements, dotted and inline keys', () => {
    const line = (range: { start: number } | undefined): number => file.positionAt(range!.start).line;
    expect(line(file.rangeOfEntry(['project']))).toBe(1);
    expect(line(file.rangeOfValue(['project', 'name']))).toBe(2);
    expect(line(file.rangeOfValue(['project', 'dependencies', 1]))).toBe(5);
    expect(line(file.rangeOfValue(['tool', 'x', 'y', 'z', 'w']))).toBe(9);
    expect(file.rangeOfEntry(['project', 'missing'])).toBeUndefined();
    expect(line(file.rangeOfNearest(['project', 'missing']))).toBe(1);
  });

  it('finds where a table body ends, for inserting keys', () => {
    const body = file.tableBody(['project'])!;
    expect(text.slice(0, body.insertAt).endsWith(']\n')).toBe(true);
    expect(file.positionAt(body.insertAt).line).toBe(7);
  });

  it("reports the parser's line and column for a syntax error", () => {
    const broken = new TomlFile('pyproject.toml', '[project]\nname = "demo\nversion = "1"\n');
    expect(broken.data).toBeUndefined();
    expect(broken.parseError).toMatchObject({ line: 2 });
    expect(broken.parseError!.message).not.toContain('\n');
  });
});

describe('YamlFile', () => {
  it('locates keys and values', () => {
    const file = new YamlFile('w.yml', 'on:\n  push:\n    tags:\n      - "v*"\njobs: {}\n');
    expect(file.get(['on', 'push', 'tags', 0])).toBe('v*');
    expect(file.positionAt(file.rangeOfValue(['on', 'push', 'tags', 0])!.start)).toEqual({ line: 4, column: 9 });
    expect(file.positionAt(file.rangeOfKey(['on', 'push'])!.start)).toEqual({ line: 2, column: 3 });
    expect(file.positionAt(file.rangeOfNearest(['jobs', 'publish', 'steps']).start).line).toBe(5);
  });

  it('reports syntax errors and duplicate keys with their line', () => {
    expect(new YamlFile('w.yml', 'on:\n  push: [a,\njobs: {}\n').parseError).toMatchObject({ line: 3 });
    const duplicate = new YamlFile('w.yml', 'a: 1\na: 2\n').parseError!;
    expect(duplicate.line).toBe(2);
    expect(duplicate.message).toMatch(/unique/i);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let index = 1; index < 9; index++) lines.push(`${String.fromCharCode(97 + index)}: &${String.fromCharCode(97 + index)} [${Array(10).fill(`*${String.fromCharCode(96 + index)}`).join(',')}]`);
    const bomb = new YamlFile('w.yml', `${lines.join('\n')}\n`);
    expect(bomb.parseError?.message).toMatch(/alias/i);
  });
});
