import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { validate as lintDockerfileSyntax } from 'dockerfile-utils';
import { Lexer, type Token, type Tokens } from 'marked';
import { parseAllDocuments } from 'yaml';
import { splitFrontMatter } from '../../src/knowledge/frontMatter.js';
import { validateSchemas, type KubeObject } from '../../scripts/deploy-checks.js';

/**
 * Reads every fenced code block of the shipped cards and checks it the way a learner would run it:
 * Kubernetes YAML against the schemas, Dockerfiles with a Dockerfile parser, `kubectl` lines with kubectl itself.
 */

export interface CodeBlock {
  file: string;
  lang: string;
  code: string;
}

export function cardFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md') out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

export function codeBlocks(dir: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const path of cardFiles(dir)) {
    const file = relative(dir, path);
    const { body } = splitFrontMatter(readFileSync(path, 'utf8'));
    const visit = (tokens: Token[]) => {
      for (const t of tokens) {
        if (t.type === 'code') blocks.push({ file, lang: ((t as Tokens.Code).lang ?? '').trim().toLowerCase(), code: (t as Tokens.Code).text });
        const nested = (t as { tokens?: Token[]; items?: Token[] }).tokens ?? (t as { items?: Token[] }).items;
        if (nested) visit(nested);
      }
    };
    visit(new Lexer({ gfm: true }).lex(body));
  }
  return blocks;
}

// ---------------------------------------------------------------- YAML

export interface YamlCheck {
  objects: number;
  problems: string[];
  /** Custom resources (a group outside Kubernetes) that kubernetes-models has no schema for. */
  unchecked: string[];
}

const BUILT_IN_GROUP = /^(v1|[a-z0-9.-]*k8s\.io\/[a-z0-9]+|(apps|batch|autoscaling|policy)\/v[0-9a-z]+)$/;
/** Files that carry an apiVersion and kind but configure a tool (kustomize, kubeadm, the kubelet, kube-proxy), not the API server. */
const CONFIG_FILE_GROUP = /^([a-z0-9-]+\.config\.k8s\.io|kubeadm\.k8s\.io)\//;

/** Parses every document; validates the ones that declare a Kubernetes `apiVersion` and `kind`. */
export async function checkYaml(code: string): Promise<YamlCheck> {
  const out: YamlCheck = { objects: 0, problems: [], unchecked: [] };
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(code)) {
    if (doc.errors.length > 0) {
      out.problems.push(`YAML does not parse: ${doc.errors[0]!.message.split('\n')[0]}`);
      continue;
    }
    const value = doc.toJS() as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const obj = value as Partial<KubeObject>;
    // Grafana provisioning (`apiVersion: 1`), compose files and Prometheus rules are YAML but not Kubernetes objects.
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') continue;
    if (!BUILT_IN_GROUP.test(obj.apiVersion) || CONFIG_FILE_GROUP.test(obj.apiVersion)) {
      out.unchecked.push(`${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    if (!(await isApiKind(obj.apiVersion, obj.kind))) {
      out.problems.push(`${obj.kind}/${obj.metadata?.name ?? '?'}: ${obj.apiVersion} has no object kind ${obj.kind} (a type used inside other objects is not something you can create)`);
      continue;
    }
    objects.push(obj as KubeObject);
  }
  out.objects = objects.length;
  out.problems.push(...(await validateSchemas(objects)));
  return out;
}

/**
 * kubernetes-models exports every schema type, including ones that only live inside other objects
 * (`v1 Volume`, `v1 Container`); only the creatable kinds carry a static `kind`.
 */
async function isApiKind(apiVersion: string, kind: string): Promise<boolean> {
  try {
    const mod = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, { kind?: string } | undefined>;
    return mod[kind]?.kind === kind;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- Dockerfile

const ERROR = 1; // LSP DiagnosticSeverity.Error

export function checkDockerfile(code: string): string[] {
  return lintDockerfileSyntax(code)
    .filter((d) => d.severity === ERROR)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

// ---------------------------------------------------------------- kubectl

export interface KubectlLine {
  file: string;
  line: string;
  args: string[];
  /** Why this line is not run, when it is not. */
  skip?: string;
}

/** Shell words of one command, honouring quotes; undefined when the line needs a real shell to mean anything. */
function shellWords(s: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      any = true;
    } else if (c === '\\' && i + 1 < s.length) cur += s[++i];
    else if (/\s/.test(c)) {
      if (cur || any) words.push(cur);
      cur = '';
      any = false;
    } else cur += c;
  }
  if (quote) return undefined;
  if (cur || any) words.push(cur);
  return words;
}

/** Cuts a logical shell line into its commands at unquoted `|`, `&&`, `||`, `;`, and drops a trailing `# comment`. */
function commands(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    if (c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) {
      out.push(cur);
      cur = '';
      if (line[i + 1] === c) i++;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Verbs that change the cluster: they are run with `--dry-run=client` so nothing would be changed even with a cluster. */
const MUTATING = new Set(['create', 'run', 'apply', 'delete', 'scale', 'set', 'expose', 'label', 'annotate', 'patch', 'replace', 'autoscale', 'taint', 'cordon', 'uncordon', 'drain']);
/** `kubectl rollout undo` also takes --dry-run; `status`, `history`, `restart`... are checked without it. */
const ROLLOUT_DRY_RUN = new Set(['undo']);
/**
 * `create` subcommands that take no --dry-run (kubectl answers "unknown flag: --dry-run"), each with
 * why. They run as written: against the closed port of the throwaway kubeconfig their flags are still
 * parsed, and the request they would send cannot reach any cluster.
 */
export const CREATE_WITHOUT_DRY_RUN: ReadonlyMap<string, string> = new Map([
  ['token', 'mints a token through the TokenRequest API; there is no object for kubectl to build on the client, so it has no --dry-run'],
]);

export function kubectlLines(blocks: CodeBlock[]): KubectlLine[] {
  const out: KubectlLine[] = [];
  for (const b of blocks) {
    if (!['bash', 'sh', 'shell', 'console', 'zsh'].includes(b.lang)) continue;
    const logical = b.code.replace(/\\\n\s*/g, ' ').split('\n');
    for (const raw of logical) {
      for (let cmd of commands(raw.replace(/^\s*\$\s+/, ''))) {
        // `<pod>`-style placeholders (some with spaces) stand for a name the learner fills in.
        cmd = cmd.replace(/^sudo\s+/, '').replace(/<[^<>\n]+>/g, 'example');
        if (!/^kubectl\s/.test(cmd)) continue;
        const line = cmd;
        const entry = (skip?: string, args: string[] = []): KubectlLine => ({ file: b.file, line, args, ...(skip ? { skip } : {}) });
        if (/\$\(|`|\$\{?[A-Za-z_]/.test(cmd)) {
          out.push(entry('uses shell substitution; the value exists only when run'));
          continue;
        }
        // Output redirection is the shell's business, not kubectl's.
        const words = shellWords(cmd.replace(/\s+\d?>>?\s*\S+/g, ''));
        if (!words) {
          out.push(entry('unbalanced quotes'));
          continue;
        }
        const args = words.slice(1);
        const fileArg = args.findIndex((a) => ['-f', '--filename', '-k', '--kustomize'].includes(a) || /^(--filename|-f|-k|--kustomize)=/.test(a));
        const file = fileArg >= 0 ? (args[fileArg]!.includes('=') ? args[fileArg]!.split('=')[1] : args[fileArg + 1]) : undefined;
        if (file && /^https?:\/\//.test(file)) out.push(entry('downloads a manifest from the internet, which CI does not have', args));
        else if (file && file !== '-') out.push(entry('reads a manifest file the learner writes first (its YAML is checked on its own card)', args));
        else if (args.some((a) => /^--from-(file|env-file)(=|$)/.test(a))) out.push(entry('reads a local file the learner has', args))
        else if (args[0] === 'kustomize') out.push(entry('builds a kustomization folder the learner writes first', args))
        // Other config lines run against the throwaway kubeconfig; these name contexts that exist only on the learner's machine.
        else if (args[0] === 'config' && ['use-context', 'delete-context', 'delete-cluster', 'delete-user', 'rename-context'].includes(args[1] ?? ''))
          out.push(entry("names a kubeconfig context that exists only on the learner's machine", args))
        else if (args[0] === 'proxy') out.push(entry('starts a long-running local proxy', args));
        else out.push(entry(undefined, args));
      }
    }
  }
  return out;
}

export type KubectlOutcome = { kind: 'offline' } | { kind: 'needs-cluster' } | { kind: 'failed'; message: string };

const UNREACHABLE = /connection refused|connection to the server \S+ was refused|couldn't get current server API group list|Unable to connect to the server|dial tcp/i;

/**
 * A kubeconfig that points at a closed port: kubectl parses every flag and, for lines that can be
 * built on the client (`create …`, `run`), prints the object; lines that must ask the API server fail
 * with "connection refused" after their flags were accepted. No request can reach a real cluster.
 */
export function isolatedKubectlEnv(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-examples-'));
  const kubeconfig = join(home, 'config');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [ { name: none, cluster: { server: "https://127.0.0.1:1" } } ]',
      'users: [ { name: none, user: { token: none } } ]',
      'contexts: [ { name: none, context: { cluster: none, user: none } } ]',
      'current-context: none',
      '',
    ].join('\n'),
  );
  return { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: kubeconfig };
}

const run = promisify(execFile);

export function dryRunArgs(args: string[]): string[] {
  let a = [...args];
  if (a[0] === 'run') {
    // kubectl refuses --dry-run together with an attached terminal; the pod it would build is the same without one.
    a = a.filter((w) => !['-i', '-t', '-it', '-ti', '--rm', '--stdin', '--tty', '--attach', '--rm=true'].includes(w));
  }
  const verb = a[0] ?? '';
  if (verb === 'create' && CREATE_WITHOUT_DRY_RUN.has(a[1] ?? '')) return a;
  const wantsDryRun = MUTATING.has(verb) || (verb === 'rollout' && ROLLOUT_DRY_RUN.has(a[1] ?? ''));
  if (wantsDryRun && !a.some((w) => w.startsWith('--dry-run'))) {
    const dash = a.indexOf('--');
    if (dash >= 0) a.splice(dash, 0, '--dry-run=client');
    else a.push('--dry-run=client');
  }
  return a;
}

export async function runKubectl(kubectl: string, args: string[], env: NodeJS.ProcessEnv): Promise<KubectlOutcome> {
  try {
    await run(kubectl, dryRunArgs(args), { env, timeout: 15_000 });
    return { kind: 'offline' };
  } catch (err) {
    const e = err as { stderr?: string; message: string; killed?: boolean };
    const text = `${e.stderr ?? ''}\n${e.message}`;
    if (UNREACHABLE.test(text)) return { kind: 'needs-cluster' };
    const first = (e.stderr ?? e.message).split('\n').find((l) => l.trim() && !/^E\d{4}/.test(l)) ?? e.message;
    return { kind: 'failed', message: e.killed ? 'timed out' : first.trim() };
  }
}
