import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { validate as lintDockerfileSyntax } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';

/**
 * Offline checks of what ships: the Dockerfile, and the Kubernetes objects that kustomize renders.
 * Each check returns problems as strings (empty when fine) so the CLI and the tests read them alike.
 */

const ERROR = 1; // LSP DiagnosticSeverity.Error, as dockerfile-utils reports it

export function lintDockerfile(text: string): string[] {
  const problems = lintDockerfileSyntax(text)
    .filter((d) => d.severity === ERROR)
    .map((d) => `Dockerfile:${d.range.start.line + 1}: ${d.message}`);
  return [...problems, ...dockerfileRules(text)];
}

/** What the issue asks of the image, beyond valid syntax. */
function dockerfileRules(text: string): string[] {
  const lines = joinContinuations(text);
  const problems: string[] = [];
  const instr = (name: string) => lines.filter((l) => new RegExp(`^${name}\\b`, 'i').test(l));
  const froms = instr('FROM');
  const finalStage = lines.slice(lines.lastIndexOf(froms.at(-1) ?? ''));

  if (lines.some((l) => /^(RUN|COPY|ADD)\b.*<<-?\s*["']?[A-Za-z_]\w*/i.test(l)))
    problems.push('Dockerfile: uses a heredoc; keep to plain RUN lines so older builders and linters read it');
  const base = text.match(/^ARG\s+BASE=(\S+)/im)?.[1];
  if (!base) problems.push('Dockerfile: no `ARG BASE=<image>` default, so the base cannot be substituted');
  else {
    const major = Number(base.match(/node:(\d+)/)?.[1] ?? 'NaN');
    if (!(major >= 22)) problems.push(`Dockerfile: ARG BASE defaults to ${base}; use a supported Node LTS (22 or 24)`);
  }
  if (froms.length < 2) problems.push('Dockerfile: not multi-stage (build and runtime should be separate)');
  if (!froms.every((f) => /\$\{?BASE\}?/.test(f))) problems.push('Dockerfile: a stage does not start FROM ${BASE}');
  const user = finalStage
    .filter((l) => /^USER\b/i.test(l))
    .at(-1)
    ?.split(/\s+/)[1];
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push('Dockerfile: the runtime stage does not switch to a non-root USER');
  else if (!/^\d+(:\d+)?$/.test(user))
    problems.push(`Dockerfile: USER ${user} is a name; use a numeric uid so Kubernetes' runAsNonRoot can verify it`);
  if (!finalStage.some((l) => /^HEALTHCHECK\s+(--\S+\s+)*CMD\b/i.test(l)))
    problems.push('Dockerfile: the runtime stage has no HEALTHCHECK');
  if (!finalStage.some((l) => /^VOLUME\b.*\/data\b/i.test(l))) problems.push('Dockerfile: no VOLUME for /data (DATA_DIR)');
  if (!finalStage.some((l) => /^CMD\s+\[\s*"node",\s*"dist\/adapters\/main\.js"\s*\]/i.test(l)))
    problems.push('Dockerfile: CMD is not ["node", "dist/adapters/main.js"]');
  if (!finalStage.some((l) => /^COPY\s+(--\S+\s+)*knowledge\b/i.test(l)))
    problems.push('Dockerfile: the notes (knowledge/) are not copied into the runtime stage');
  if (finalStage.some((l) => /^RUN\b.*\bnpm\s+(ci|install)\b(?!.*--omit=dev)/i.test(l)))
    problems.push('Dockerfile: the runtime stage installs dev dependencies');
  return problems;
}

function joinContinuations(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

const run = promisify(execFile);

/** `kubectl kustomize DIR` (kustomize v5 is built into kubectl since 1.27), or `kustomize build DIR`. */
export async function renderKustomize(dir: string): Promise<KubeObject[]> {
  const attempts: [string, string[]][] = [
    [process.env.KUBECTL ?? 'kubectl', ['kustomize', dir]],
    ['kustomize', ['build', dir]],
  ];
  const failures: string[] = [];
  for (const [cmd, args] of attempts) {
    try {
      const { stdout } = await run(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
      return parseObjects(stdout);
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') {
        failures.push(`${cmd}: not installed`);
        continue;
      }
      throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
    }
  }
  throw new Error(
    `cannot render ${dir}: ${failures.join('; ')}. Fix: install kubectl 1.27 or newer (it has kustomize v5 built in), or put kustomize on PATH.`,
  );
}

export function parseObjects(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0]!.message}`);
      return d.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

/**
 * Validates each object against the OpenAPI schemas that kubernetes-models 4.x ships (offline).
 * Those schemas check types, required fields and enums; they do not reject unknown fields, which is
 * why `checkTutorPolicy` reads the fields that matter by name.
 */
export async function validateSchemas(objects: KubeObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const obj of objects) {
    const where = `${obj.kind ?? '?'}/${obj.metadata?.name ?? '?'}`;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      problems.push(`${where}: missing apiVersion or kind`);
      continue;
    }
    let Model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      const mod = (await import(`kubernetes-models/${obj.apiVersion}`)) as Record<string, new (data: unknown) => { validate(): void }>;
      Model = mod[obj.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      problems.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind} in kubernetes-models`);
      continue;
    }
    try {
      new Model(obj.kind === 'Secret' ? unwrapSecret(obj) : obj).validate();
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * kustomize's secretGenerator folds long base64 values over several lines; the API server's decoder
 * skips those newlines, the schema's "byte" format does not. Checked as the server reads it.
 */
function unwrapSecret(obj: KubeObject): KubeObject {
  const data = obj.data as Record<string, unknown> | undefined;
  if (!data) return obj;
  return { ...obj, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\s+/g, '') : v])) };
}

/** A Secret or ConfigMap that sets DATABASE_URL: the store is PostgreSQL, shared by every replica. */
function setsDatabaseUrl(o: KubeObject): boolean {
  if (o.kind !== 'Secret' && o.kind !== 'ConfigMap') return false;
  return ['data', 'stringData'].some((field) =>
    Object.keys((o[field] as Record<string, unknown> | undefined) ?? {}).includes('DATABASE_URL'),
  );
}

type Json = Record<string, unknown>;
const at = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k as string] : undefined), o);
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/**
 * What the issue promises about the bot's own objects, read field by field. Two shapes: the
 * embedded SQLite store (one replica, Recreate, a PVC for the file) and, when a Secret or ConfigMap
 * sets DATABASE_URL, PostgreSQL shared by several replicas (RollingUpdate, a PodDisruptionBudget,
 * an HPA on CPU; see `checkReplicated`).
 */
export function checkTutorPolicy(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = byKind('Deployment');
  const replicated = objects.some(setsDatabaseUrl);
  if (deployments.length !== 1) problems.push(`expected one Deployment, found ${deployments.length}`);
  if (!replicated && byKind('PersistentVolumeClaim').length === 0) problems.push('no PersistentVolumeClaim for the data');
  if (byKind('ConfigMap').length === 0) problems.push('no ConfigMap for settings');
  if (byKind('Secret').length === 0) problems.push('no Secret for tokens');
  if (byKind('Service').length === 0) problems.push('no Service');

  for (const d of deployments) {
    const name = `Deployment/${d.metadata.name}`;
    const pod = at(d, 'spec', 'template', 'spec') as Json | undefined;
    if (replicated) problems.push(...checkReplicated(d, objects));
    else {
      if (at(d, 'spec', 'replicas') !== 1) problems.push(`${name}: replicas must be 1 while the store is SQLite`);
      if (at(d, 'spec', 'strategy', 'type') !== 'Recreate')
        problems.push(`${name}: strategy must be Recreate so two pods never open the database at once`);
    }
    if (at(pod, 'securityContext', 'runAsNonRoot') !== true) problems.push(`${name}: pod securityContext.runAsNonRoot is not true`);
    const annotations = (at(d, 'spec', 'template', 'metadata', 'annotations') ?? {}) as Record<string, string>;
    if (annotations['prometheus.io/scrape'] !== 'true' && byKind('ServiceMonitor').length === 0)
      problems.push(`${name}: no prometheus.io/scrape annotation and no ServiceMonitor`);

    const volumes = list(at(pod, 'volumes'));
    for (const v of volumes) {
      const claim = at(v, 'persistentVolumeClaim', 'claimName');
      if (claim && !objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claim))
        problems.push(`${name}: volume ${String(v.name)} names PVC ${String(claim)}, which is not rendered`);
    }
    for (const c of list(at(pod, 'containers'))) {
      const cname = `${name} container ${String(c.name)}`;
      if (at(c, 'livenessProbe', 'httpGet', 'path') !== '/healthz') problems.push(`${cname}: livenessProbe is not an HTTP GET of /healthz`);
      if (at(c, 'readinessProbe', 'httpGet', 'path') !== '/readyz') problems.push(`${cname}: readinessProbe is not an HTTP GET of /readyz`);
      for (const kind of ['requests', 'limits'])
        for (const res of ['cpu', 'memory'])
          if (at(c, 'resources', kind, res) === undefined) problems.push(`${cname}: resources.${kind}.${res} is not set`);
      if (at(c, 'securityContext', 'allowPrivilegeEscalation') !== false) problems.push(`${cname}: allowPrivilegeEscalation is not false`);
      if (at(c, 'securityContext', 'readOnlyRootFilesystem') !== true) problems.push(`${cname}: readOnlyRootFilesystem is not true`);
      if (!list(at(c, 'securityContext', 'capabilities', 'drop')).includes('ALL' as unknown as Json))
        problems.push(`${cname}: capabilities.drop does not include ALL`);
      const mounts = list(at(c, 'volumeMounts'));
      for (const path of ['/data', '/tmp'])
        if (!mounts.some((m) => m.mountPath === path)) problems.push(`${cname}: nothing is mounted at ${path}`);
      for (const m of mounts) if (!volumes.some((v) => v.name === m.name)) problems.push(`${cname}: mount ${String(m.name)} has no volume`);
      for (const ref of list(at(c, 'envFrom'))) {
        const cm = at(ref, 'configMapRef', 'name');
        if (cm && !objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === cm))
          problems.push(`${cname}: envFrom names ConfigMap ${String(cm)}, which is not rendered`);
        const secret = at(ref, 'secretRef', 'name');
        if (secret && at(ref, 'secretRef', 'optional') !== true && !objects.some((o) => o.kind === 'Secret' && o.metadata.name === secret))
          problems.push(`${cname}: envFrom names Secret ${String(secret)}, which is not rendered`);
      }
      if (replicated) {
        const sources = list(at(c, 'envFrom')).map((r) => at(r, 'secretRef', 'name') ?? at(r, 'configMapRef', 'name'));
        if (!objects.some((o) => setsDatabaseUrl(o) && sources.includes(o.metadata.name)))
          problems.push(`${cname}: DATABASE_URL is rendered but not given to the container (envFrom)`);
      }
      const ports = list(at(c, 'ports')).map((p) => p.name);
      // /metrics is served on METRICS_PORT only; scraping PORT would find nothing, and PORT is what an ingress publishes.
      const scrapePort = annotations['prometheus.io/port'];
      const metricsPort = list(at(c, 'ports')).find((p) => p.name === 'metrics');
      if (!metricsPort) problems.push(`${cname}: no container port named metrics (METRICS_PORT, /metrics)`);
      else if (scrapePort !== undefined && scrapePort !== String(metricsPort.containerPort))
        problems.push(`${cname}: prometheus.io/port ${scrapePort} is not the metrics port ${String(metricsPort.containerPort)}`);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const port = at(c, probe, 'httpGet', 'port');
        if (typeof port === 'string' && !ports.includes(port))
          problems.push(`${cname}: ${probe} uses port ${port}, which the container does not name`);
      }
    }
  }
  // Every Service selects the pods of some workload rendered beside it (the bot, or the demo database).
  const workloads = [...deployments, ...byKind('StatefulSet')];
  for (const s of byKind('Service')) {
    const selector = (at(s, 'spec', 'selector') ?? {}) as Record<string, string>;
    const matches = workloads.some((w) => {
      const podLabels = (at(w, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<string, string>;
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    });
    if (!matches) problems.push(`Service/${s.metadata.name}: selector matches the pods of no Deployment or StatefulSet`);
  }
  for (const st of byKind('StatefulSet')) {
    if (list(at(st, 'spec', 'volumeClaimTemplates')).length === 0)
      problems.push(`StatefulSet/${st.metadata.name}: no volumeClaimTemplates, so its data would not survive the pod`);
    if (!byKind('Service').some((s) => s.metadata.name === at(st, 'spec', 'serviceName')))
      problems.push(`StatefulSet/${st.metadata.name}: serviceName ${String(at(st, 'spec', 'serviceName'))} is not rendered`);
  }
  return problems;
}

const selects = (selector: unknown, labels: Record<string, string>) => {
  const match = (at(selector, 'matchLabels') ?? {}) as Record<string, string>;
  return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels[k] === v);
};

/** Several replicas on a shared store: the promises of the replicated overlay. */
function checkReplicated(d: KubeObject, objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const name = `Deployment/${d.metadata.name}`;
  const replicas = at(d, 'spec', 'replicas');
  const podLabels = (at(d, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<string, string>;
  if (typeof replicas !== 'number' || replicas < 2)
    problems.push(`${name}: replicas must be 2 or more with DATABASE_URL (found ${String(replicas)})`);
  if (at(d, 'spec', 'strategy', 'type') !== 'RollingUpdate')
    problems.push(`${name}: strategy must be RollingUpdate with a shared database (pods hold nothing on disk)`);
  else if (at(d, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable') !== 0)
    problems.push(`${name}: rollingUpdate.maxUnavailable should be 0 so a rollout never drops below the replica count`);
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && selects(at(o, 'spec', 'selector'), podLabels));
  if (pdbs.length === 0) problems.push(`${name}: no PodDisruptionBudget selects its pods`);
  for (const p of pdbs) {
    const min = at(p, 'spec', 'minAvailable');
    if (typeof min === 'number' && typeof replicas === 'number' && min >= replicas)
      problems.push(
        `PodDisruptionBudget/${p.metadata.name}: minAvailable ${min} leaves no pod that may be evicted (a node drain would hang)`,
      );
  }
  const hpas = objects.filter(
    (o) =>
      o.kind === 'HorizontalPodAutoscaler' &&
      at(o, 'spec', 'scaleTargetRef', 'kind') === 'Deployment' &&
      at(o, 'spec', 'scaleTargetRef', 'name') === d.metadata.name,
  );
  if (hpas.length === 0) problems.push(`${name}: no HorizontalPodAutoscaler targets it`);
  for (const h of hpas) {
    if (!list(at(h, 'spec', 'metrics')).some((m) => at(m, 'resource', 'name') === 'cpu'))
      problems.push(`HorizontalPodAutoscaler/${h.metadata.name}: does not scale on CPU`);
    const min = at(h, 'spec', 'minReplicas');
    if (typeof min !== 'number' || min < 2) problems.push(`HorizontalPodAutoscaler/${h.metadata.name}: minReplicas must be 2 or more`);
  }
  for (const c of list(at(d, 'spec', 'template', 'spec', 'containers'))) {
    if (at(c, 'resources', 'requests', 'cpu') === undefined)
      problems.push(`${name} container ${String(c.name)}: an HPA on CPU needs resources.requests.cpu`);
  }
  return problems;
}
