import { CATEGORIES, type Category, type Fixability, type KindMeta, type RuleMeta, type Severity } from '../types.js';

/**
 * What selection (`select`, `ignore`, `per-file-ignores`) switches on and off: a rule without kinds
 * (`pyproject/urls`), or one kind of a rule that declares kinds
 * (`pyproject/build-system/backend-lower-bound`). Every finding belongs to exactly one code.
 */
export interface Code {
  /** The rule id, or `RULE/KIND`. */
  id: string;
  ruleId: string;
  kind?: string;
  category: Category;
  defaultSeverity: Severity;
  enabledByDefault: boolean;
  description: string;
  /** The fixes its findings carry: the kind's own `fixable`, else the rule's. */
  fixable: Fixability;
}

export function codeId(ruleId: string, kind: string | undefined): string {
  return kind === undefined ? ruleId : `${ruleId}/${kind}`;
}

/** The codes of one rule: one per declared kind, else the rule itself. */
export function codesOf(meta: RuleMeta): Code[] {
  return meta.kinds ? Object.entries(meta.kinds).map(([kind, declared]) => kindCode(meta, kind, declared)) : [ruleCode(meta)];
}

/** The code a finding of `meta` with `kind` belongs to; a kind the rule does not declare counts as the rule's own. */
export function codeOfFinding(meta: RuleMeta, kind: string | undefined): Code {
  const declared = kind === undefined ? undefined : meta.kinds?.[kind];
  return declared && kind !== undefined ? kindCode(meta, kind, declared) : ruleCode(meta);
}

/** Whether the default selection runs any of the rule's codes. */
export function enabledByDefault(meta: RuleMeta): boolean {
  return codesOf(meta).some((code) => code.enabledByDefault);
}

/** The categories of a rule's codes, in the order release, security, hygiene. */
export function categoriesOf(meta: RuleMeta): Category[] {
  const present = new Set(codesOf(meta).map((code) => code.category));
  return CATEGORIES.filter((category) => present.has(category));
}

/** The fixes a rule's findings may carry, over all its codes (`safe`, `unsafe`, both, or none). */
export function fixesOf(meta: RuleMeta): Exclude<Fixability, 'none'>[] {
  const present = new Set(codesOf(meta).map((code) => code.fixable));
  return (['safe', 'unsafe'] as const).filter((fixability) => present.has(fixability));
}

/** `error`, `warning` or `info` for a code on by default; `off (warning)` for one that is not. */
export function defaultLabel(code: Code): string {
  return code.enabledByDefault ? code.defaultSeverity : `off (${code.defaultSeverity})`;
}

function ruleCode(meta: RuleMeta): Code {
  return {
    id: meta.id,
    ruleId: meta.id,
    category: meta.category,
    defaultSeverity: meta.defaultSeverity,
    enabledByDefault: meta.enabledByDefault ?? true,
    description: meta.description,
    fixable: meta.fixable,
  };
}

function kindCode(meta: RuleMeta, kind: string, declared: KindMeta): Code {
  return { id: codeId(meta.id, kind), ruleId: meta.id, kind, ...declared, fixable: declared.fixable ?? meta.fixable };
}
