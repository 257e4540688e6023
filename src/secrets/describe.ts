import type { StepModel, WorkflowModel } from '../workflow/model.js';
import type { YamlPath } from '../project/yaml-file.js';
import { scalarValues, startsWithPath } from './references.js';

/** How messages name a step: its name in quotes, else its position in the job. */
export function stepLabel(step: StepModel): string {
  return step.name ? `"${step.name}"` : `#${step.index + 1}`;
}

/** "in env TWINE_PASSWORD of step "Upload" (job publish) of publish.yml", for a value's YAML path. */
export function describePath(workflow: WorkflowModel, path: YamlPath): string {
  const job = workflow.jobs.find((candidate) => startsWithPath(path, candidate.path));
  const step = job?.steps.find((candidate) => startsWithPath(path, candidate.path));
  const rest = path.slice((step ?? job)?.path.length ?? 0);
  const what =
    rest[0] === 'env' ? `env ${String(rest[1])}` : rest[0] === 'with' ? `with.${String(rest[1])}` : rest[0] === 'run' ? 'the run: script' : rest.map(String).join('.') || 'a value';
  const owner = step ? ` of step ${stepLabel(step)} (job ${job!.id})` : job ? ` of job ${job.id}` : '';
  return `in ${what}${owner} of ${workflow.name}`;
}

/** describePath for the value that holds `offset`. */
export function describeOffset(workflow: WorkflowModel, offset: number): string {
  const scalar = scalarValues(workflow.file).find((value) => value.range.start <= offset && offset < value.range.end);
  return scalar ? describePath(workflow, scalar.path) : `in ${workflow.file.path}`;
}
