/** Types for generate.mjs (plain JavaScript, so that `npm run bench` needs no build), for the tests that use it. */
export function generateMonorepo(root: string, count: number): void;
export function padPyprojects(root: string, count: number): void;
export function largeWorkflow(bytes?: number): string;
export function addLargeWorkflows(root: string, count: number, bytes?: number): void;
