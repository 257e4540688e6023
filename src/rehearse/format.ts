/**
 * What `pypi-release-lint rehearse` prints: a tree (trigger → workflow → job → upload → package,
 * version, index, credential) a person reads in seconds, then the findings; or the same as JSON.
 */
import type { Decision } from '../workflow/expression.js';
import type { RehearsalFinding } from './checks.js';
import type { RehearsedPackage, RehearsedUpload, Rehearsal } from './rehearse.js';

export interface RehearsalJson {
  version: 1;
  scenario: string;
  runs: {
    workflow: string;
    trigger: string;
    file: string;
    line: number;
    unknown: string | undefined;
    jobs: {
      job: string;
      file: string;
      line: number;
      runs: RunState;
      why: string | undefined;
      uploads: {
        tool: string;
        file: string;
        line: number;
        runs: RunState;
        why: string | undefined;
        index: string;
        indexName: string;
        credential: string;
        secret: string | undefined;
        packages: { name: string; directory: string | undefined; version: string | undefined; versionFrom: string | undefined }[];
        unknown: string[];
      }[];
    }[];
  }[];
  findings: { rule: string; severity: string; file: string | undefined; line: number | undefined; message: string }[];
  /** False when the rehearsal has an error: the release would fail or publish the wrong thing. */
  ok: boolean;
}

type RunState = 'runs' | 'skipped' | 'unknown';

const state = (decision: Decision): RunState => (decision === true ? 'runs' : decision === false ? 'skipped' : 'unknown');

export function rehearsalJson(rehearsal: Rehearsal, findings: RehearsalFinding[]): RehearsalJson {
  return {
    version: 1,
    scenario: rehearsal.title,
    runs: rehearsal.runs.map((run) => ({
      workflow: run.started.workflow.file.path,
      trigger: run.started.because,
      file: run.at.file,
      line: run.at.line,
      unknown: run.started.unknown,
      jobs: run.jobs.map((job) => ({
        job: job.label,
        file: job.at.file,
        line: job.at.line,
        runs: state(job.runs),
        why: job.why,
        uploads: job.uploads.map((upload) => ({
          tool: upload.tool,
          file: upload.at.file,
          line: upload.at.line,
          runs: state(upload.runs),
          why: upload.why,
          index: upload.index,
          indexName: upload.indexName,
          credential: upload.credentialText,
          secret: upload.credential.kind === 'token' ? upload.credential.secret : undefined,
          packages: upload.packages.map((pkg) => ({ name: pkg.name, directory: pkg.dir, version: pkg.released?.version, versionFrom: pkg.released?.how })),
          unknown: upload.unknown,
        })),
      })),
    })),
    findings: findings.map((finding) => ({ rule: finding.rule, severity: finding.severity, file: finding.at?.file, line: finding.at?.line, message: finding.message })),
    ok: !findings.some((finding) => finding.severity === 'error'),
  };
}

function stateText(decision: Decision, why: string | undefined): string {
  if (decision === true) return 'runs';
  if (decision === false) return `skipped${why ? `, ${why}` : ''}`;
  return why ?? 'unknown';
}

function packageLine(pkg: RehearsedPackage, upload: RehearsedUpload): string {
  const version = pkg.released?.version !== undefined ? `${pkg.released.version} (${pkg.released.how})` : pkg.released ? `version unknown: ${pkg.released.how}` : 'no package here';
  return `${pkg.name} ${version} → ${upload.indexName}, ${upload.credentialText}`;
}

export function formatRehearsalText(rehearsal: Rehearsal, findings: RehearsalFinding[]): string {
  const lines = [rehearsal.title];
  if (rehearsal.runs.length === 0) lines.push('  no workflow starts');
  for (const run of rehearsal.runs) {
    lines.push(`  workflow ${run.started.workflow.file.path} (${run.started.because}, line ${run.at.line})${run.started.unknown ? `: unknown: ${run.started.unknown}` : ''}`);
    for (const job of run.jobs) {
      lines.push(`    job ${job.label} (${job.at.file}:${job.at.line}): ${stateText(job.runs, job.why)}`);
      for (const upload of job.uploads) {
        lines.push(`      upload ${upload.tool} (${upload.at.file}:${upload.at.line}): ${stateText(upload.runs, upload.why)}`);
        for (const pkg of upload.packages) lines.push(`        ${packageLine(pkg, upload)}`);
        for (const unknown of upload.unknown) lines.push(`        unknown: ${unknown}`);
      }
    }
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  if (findings.length > 0) {
    lines.push('', 'findings');
    for (const finding of findings) lines.push(`  ${finding.severity} ${finding.rule}${finding.at ? ` ${finding.at.file}:${finding.at.line}` : ''}: ${finding.message}`);
  }
  lines.push('', errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: this release would fail or publish the wrong thing` : `no error${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
  return `${lines.join('\n')}\n`;
}
