import type { Rule } from '../src/engine/rule.js';
import type { RuleMeta } from '../src/types.js';
import { coreRules } from './core/index.js';
import { gateRules } from './gate/index.js';
import { pyprojectRules } from './pyproject/index.js';
import { readmeRules } from './readme/index.js';
import { secretsRules } from './secrets/index.js';
import { workflowRules } from './workflow/index.js';

/** Every rule, in the order `rules` lists them. Each group's index lists its own rule modules. */
export const allRules: readonly Rule[] = [...coreRules, ...pyprojectRules, ...workflowRules, ...secretsRules, ...readmeRules, ...gateRules];

export const ruleMetas: ReadonlyMap<string, RuleMeta> = new Map(allRules.map((rule) => [rule.meta.id, rule.meta]));
