import { defineRule } from '../../src/engine/rule.js';
import { readDocument } from '../../src/markdown/index.js';
import { isDocument } from '../../src/markdown/readmes.js';
import { packageDirsOf, releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import type { Project } from '../../src/project/project.js';
import type { SourceFile } from '../../src/project/source-file.js';
import { listedSecrets, secretContainers, secretNamer, type ListedSecret, type SecretContainer } from '../../src/secrets/docs.js';
import { isGithubToken, sameSecret } from '../../src/secrets/references.js';
import { publishSecretUses, secretNamesInWorkflows, type SecretUse } from '../../src/secrets/usage.js';
import type { Fix, TextEdit } from '../../src/types.js';
import { pushTo } from '../../src/group.js';
import { summarizeList } from '../../src/summarize.js';

export default defineRule({
  meta: {
    id: 'secrets/documented',
    category: 'hygiene',
    defaultSeverity: 'warning',
    fixable: 'safe',
    description: 'A secret a publish workflow uses that the docs never name, or a secret the docs list that no workflow uses.',
    docs: {
      catches:
        'Two drifts between the workflows and the docs (config `docs`; by default README*, docs/**/*.md, CONTRIBUTING*, RELEASING*). ' +
        '(1) A repository secret that a publish workflow reads (directly, or through a local reusable workflow it calls with ' +
        '`secrets: inherit`) and that no doc names anywhere; `GITHUB_TOKEN` is exempt. Reported at the first read in the workflow. ' +
        '(2) A secret name in a secrets table (a table with a "Secret" column, or any table under a heading about secrets) or in ' +
        'a list under a secrets heading, that no workflow reads, declares or passes. Reported where the doc lists it. ' +
        'Names in config `known-secrets` (secrets set outside the repository) are exempt from both. In the failing example ' +
        'the plugin\'s workflow reads `secrets.PYPI_API_TOKEN_PLUGIN`: that name is missing, and the LEGACY one is stale.',
      why:
        'Whoever sets up the repository (a fork, a new maintainer, a migration to another organisation) creates the secrets the ' +
        'docs list. A missing name means the first release fails with a 403 or an empty password; a stale name means a token ' +
        'with upload rights is created and stored for nothing.',
      failing: {
        file: 'README.md',
        content:
          '## Required secrets\n\n| Secret | Package |\n|---|---|\n| `PYPI_API_TOKEN` | demo |\n| `PYPI_API_TOKEN_LEGACY` | demo-plugin |\n',
      },
      passing: {
        file: 'README.md',
        content: '## Required secrets\n\n| Secret | Package |\n|---|---|\n| `PYPI_API_TOKEN` | demo |\n| `PYPI_API_TOKEN_PLUGIN` | demo-plugin |\n',
      },
      fixSafety:
        'Safe: a missing name is added as a new row of the first secrets table, or a new item of the first secrets list, of each ' +
        'doc that has one, in the style of the rows already there (backticks, pipes, the list marker), with the packages and ' +
        'workflows that use it in the matching columns. Only text is added; nothing is removed. A name the docs list but no ' +
        'workflow uses is not removed automatically: it may be meant for a workflow still to come.',
    },
  },
  check({ project, report }) {
    const known = project.config.knownSecrets;
    const isKnown = (name: string): boolean => known.some((entry) => sameSecret(entry, name));
    const docs = project.docs.filter(isDocument);
    const models = docs.map((file) => readDocument(file));
    const containers = models.flatMap(secretContainers);
    const listed = containers.flatMap(listedSecrets);

    // (2) Listed, but no workflow knows the name.
    const inWorkflows = secretNamesInWorkflows(project);
    for (const entry of listed) {
      if (isGithubToken(entry.name) || isKnown(entry.name) || inWorkflows.has(entry.name.toUpperCase())) continue;
      report({
        file: entry.file,
        range: entry.range,
        message: `${entry.file.path} lists secret ${entry.name}, which no workflow reads, declares or passes; remove it, or add it to known-secrets in the config if something outside this repository uses it`,
      });
    }

    // (1) Used by a publish workflow, named by no doc.
    const uses = publishSecretUses(project).filter((use) => !isKnown(use.name));
    const byName = new Map<string, SecretUse[]>();
    for (const use of uses) pushTo(byName, use.name.toUpperCase(), use);
    const named = secretNamer(docs.map((doc) => doc.text));
    const missing = [...byName.values()].filter((group) => !named(group[0]!.name));
    if (missing.length === 0) return;
    const fix = documentationFix(project, missing, containers.filter((container) => listedSecrets(container).length > 0), listed);
    for (const group of missing) {
      const first = group[0]!;
      const workflows = [...new Set(group.map((use) => use.workflow.name))];
      const where =
        docs.length === 0
          ? `is named in no documentation file (none matches ${project.config.docs.join(', ')}): whoever sets up the repository will not create it; ` +
            'name it in a README, or point docs in the config at the files that document it'
          : `is named nowhere in ${summarizeList(docs.map((doc) => doc.path), 3)}: whoever sets up the repository will not create it; ` +
            `name it there${fix ? ' (--fix adds it to the secrets table)' : ''}, or add it to known-secrets in the config if it is set up elsewhere`;
      report({
        file: first.workflow.file,
        range: first.read.range,
        message: `secret ${first.name}, read by publish workflow${workflows.length > 1 ? 's' : ''} ${workflows.join(', ')}, ${where}`,
        fix,
      });
    }
  },
});

/** One fix for every missing name: a row (or item) per name in the first secrets table or list of each doc that has one. */
function documentationFix(project: Project, missing: SecretUse[][], containers: SecretContainer[], listed: ListedSecret[]): Fix | undefined {
  const firstPerDoc = new Map<string, SecretContainer>();
  for (const container of containers) if (!firstPerDoc.has(container.doc.file.path)) firstPerDoc.set(container.doc.file.path, container);
  const edits: TextEdit[] = [];
  const entries = describeAll(project, missing);
  // Tables whose names are written as code get the new name as code.
  const inCode = new Set(listed.filter((item) => item.file.text[item.range.start - 1] === '`').map((item) => item.container));
  for (const container of firstPerDoc.values()) {
    const lines = entries.map((entry) => (container.kind === 'table' ? tableRow(container, entry, inCode.has(container)) : listItem(container, entry)));
    if (lines.some((line) => line === undefined)) continue;
    const file = container.doc.file;
    const lastLine = container.kind === 'table' ? container.table.lastLine : container.list.lastLine;
    const at = file.offsetAt(lastLine, 1) + file.lineText(lastLine).length;
    edits.push({ file: file.path, start: at, end: at, text: lines.map((line) => `\n${line}`).join('') });
  }
  if (edits.length === 0) return undefined;
  const names = missing.map((group) => group[0]!.name).join(', ');
  return { applicability: 'safe', description: `add ${names} to the secrets ${edits.length > 1 ? 'lists' : 'list'} in ${edits.map((edit) => edit.file).join(', ')}`, edits };
}

interface SecretDescription {
  name: string;
  packages: string[];
  workflows: string[];
}

/** Each missing secret's packages and workflows, the routes indexed once for all of them. */
function describeAll(project: Project, missing: SecretUse[][]): SecretDescription[] {
  const routes = releasePlan(project).routes;
  const bySecret = new Map<string, PublishRoute[]>();
  const byWorkflow = new Map<WorkflowModel, PublishRoute[]>();
  const order = new Map(routes.map((route, index) => [route, index]));
  for (const route of routes) {
    if (route.credential.kind === 'token' && route.credential.secret !== undefined) pushTo(bySecret, route.credential.secret.toUpperCase(), route);
    pushTo(byWorkflow, route.workflow, route);
  }
  return missing.map((group) => {
    const name = group[0]!.name;
    // When no upload is known to use it as its token, the packages its workflows publish (in plan order).
    const uploading = bySecret.get(name.toUpperCase()) ?? [];
    const ofWorkflows = () => [...new Set(group.map((use) => use.workflow))].flatMap((workflow) => byWorkflow.get(workflow) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
    const used = uploading.length > 0 ? uploading : ofWorkflows();
    const packages = [...new Set(packageDirsOf(used).map((dir) => project.packageAt(dir)?.name ?? dir))];
    const workflows = [...new Set([...group.map((use) => use.workflow.name), ...used.map((route) => route.workflow.name)])];
    return { name, packages, workflows };
  });
}

/** A table row in the style of the table's last row: same pipes and padding, the name formatted as the others are. */
function tableRow(container: Extract<SecretContainer, { kind: 'table' }>, entry: SecretDescription, inCode: boolean): string | undefined {
  const { doc, table, column } = container;
  if (doc.format !== 'markdown') return undefined;
  const file: SourceFile = doc.file;
  const last = table.rows[table.rows.length - 1];
  const sample = file.lineText(last?.line ?? table.line);
  const indent = /^\s*/.exec(sample)![0];
  const leading = sample.trimStart().startsWith('|');
  const trailing = sample.trimEnd().endsWith('|');
  const cells = table.header.map((header, index) => {
    if (index === column) return inCode ? `\`${entry.name}\`` : entry.name;
    if (/workflow|used by|\bfile/i.test(header.text)) return entry.workflows.join(', ');
    if (/package|project|pypi|distribution/i.test(header.text)) return entry.packages.join(', ');
    return '';
  });
  return `${indent}${leading ? '| ' : ''}${cells.join(' | ')}${trailing ? ' |' : ''}`.replace(/ {2,}\|/g, ' |');
}

/** A list item in the style of the list's last item: its indentation and marker, the name as the others write it. */
function listItem(container: Extract<SecretContainer, { kind: 'list' }>, entry: SecretDescription): string | undefined {
  const { doc, list } = container;
  const file = doc.file;
  const last = list.items[list.items.length - 1];
  if (!last) return undefined;
  const line = file.lineText(last.line);
  const firstText = last.text.split('\n')[0]!.trimStart();
  const at = firstText ? line.indexOf(firstText) : -1;
  if (at < 0) return undefined;
  let prefix = line.slice(0, at);
  const number = /^(\s*)(\d+)([.)])(\s+)$/.exec(prefix);
  if (number) prefix = `${number[1]}${Number(number[2]) + 1}${number[3]}${number[4]}`;
  const code = doc.format === 'rst' ? '``' : '`';
  const named = firstText.startsWith('`') ? `${code}${entry.name}${code}` : entry.name;
  const separator = /^(?:`+[^`]+`+|\**[A-Z][A-Z0-9_]*\**)(\s*(?::|\u2013|\u2014|-)\s*|\s+)\S/.exec(firstText)?.[1];
  const usedBy = `used by ${entry.workflows.join(', ')}${entry.packages.length > 0 ? ` to upload ${entry.packages.join(', ')}` : ''}`;
  return `${prefix}${named}${separator ? `${separator}${usedBy}` : ''}`;
}
