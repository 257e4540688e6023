// dist/action.cjs, what action.yml runs: the action's whole run, its exit code the step's.
import { runAction } from './action.js';

process.exitCode = runAction();
