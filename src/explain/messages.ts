import type { Signal } from './signals.js';

/** What one message (an event's reason and text, or a line of an error) says, when it says something we know. */
export interface Classified {
  signal: Signal;
  /** A short cause named in the message, e.g. `Insufficient memory`, `manifest unknown`. */
  detail?: string;
}

const RULES: { re: RegExp; reason?: RegExp; signal: Signal; detail?: (m: RegExpExecArray, text: string) => string | undefined }[] = [
  // kubectl's own errors: these decide whether anything else can be seen at all.
  {
    re: /The connection to the server \S+ was refused|Unable to connect to the server:.*(?:connection refused|no such host|i\/o timeout)/i,
    signal: 'ConnectionRefused',
  },
  { re: /x509: (certificate[^:]*|.*)/i, signal: 'X509', detail: (m) => m[1]?.slice(0, 80) },
  {
    re: /Error from server \(Forbidden\)|is forbidden: User "[^"]*" cannot (\S+) resource "([^"]*)"/i,
    signal: 'Forbidden',
    detail: (_m, t) => /cannot (\S+) resource "([^"]*)"/.exec(t)?.slice(1, 3).join(' '),
  },
  // Probes.
  { re: /Liveness probe failed|failed liveness probe/i, signal: 'LivenessProbeFailed' },
  { re: /Readiness probe failed|failed readiness probe/i, signal: 'ReadinessProbeFailed' },
  { re: /Startup probe failed|failed startup probe/i, signal: 'StartupProbeFailed' },
  // Images: the most specific first.
  { re: /InvalidImageName|couldn't parse image (?:name|reference)|invalid reference format/i, signal: 'InvalidImageName' },
  { re: /Back-off pulling image|ImagePullBackOff/i, signal: 'ImagePullBackOff' },
  { re: /Failed to pull image|ErrImagePull|pull access denied/i, signal: 'ErrImagePull', detail: (_m, t) => imageCause(t) },
  { re: /manifest unknown|manifest for \S+ not found/i, signal: 'ManifestUnknown' },
  // Configuration the container needs.
  {
    re: /CreateContainerConfigError|(?:configmap|secret) "[^"]+" not found|couldn't find key \S+ in (?:ConfigMap|Secret)/i,
    signal: 'CreateContainerConfigError',
    detail: (_m, t) => /(?:configmap|secret) "[^"]+" not found|couldn't find key \S+ in (?:ConfigMap|Secret) \S+/i.exec(t)?.[0],
  },
  // Scheduling.
  { re: /\d+\/\d+ nodes are available/i, reason: /FailedScheduling/, signal: 'FailedScheduling', detail: (_m, t) => schedulingCause(t) },
  // Restarts.
  { re: /Back-off restarting failed container/i, signal: 'CrashLoopBackOff' },
  { re: /OOMKill|Memory cgroup out of memory|Out of memory: Kill(?:ed)? process|OutOfMemoryError/i, signal: 'OOMKilled' },
  // Network and storage while a pod is created.
  {
    re: /FailedCreatePodSandBox|failed to set ?up (?:the )?(?:pod )?network|networkPlugin cni failed|plugin type="[^"]+" (?:name="[^"]+" )?failed|failed to find plugin|cni config uninitialized/i,
    reason: /FailedCreatePodSandBox/,
    signal: 'FailedCreatePodSandBox',
  },
  { re: /AttachVolume\.Attach failed|Multi-Attach error/i, reason: /FailedAttachVolume/, signal: 'FailedAttachVolume' },
  { re: /MountVolume\.\S+ failed|Unable to attach or mount volumes/i, reason: /FailedMount/, signal: 'FailedMount' },
  {
    re: /waiting for a volume to be created|no persistent volumes available for this claim|storageclass\.storage\.k8s\.io "[^"]+" not found/i,
    reason: /ProvisioningFailed/,
    signal: 'PVCPending',
  },
  // Nodes.
  {
    re: /The node was low on resource: (\w+)/i,
    reason: /^Evicted$/,
    signal: 'Evicted',
    detail: (m) => (m[1] ? `low on ${m[1]}` : undefined),
  },
  {
    re: /status is now: NodeNotReady|Kubelet stopped posting node status|container runtime network not ready|PLEG is not healthy/i,
    reason: /^NodeNotReady$/,
    signal: 'NodeNotReady',
  },
  { re: /no space left on device/i, signal: 'NoSpaceLeft' },
  // Docker.
  {
    re: /port is already allocated|Bind for \S+ failed/i,
    signal: 'PortAllocated',
    detail: (_m, t) => /Bind for (\S+) failed/.exec(t)?.[1],
  },
  // Services.
  { re: /no endpoints available for service/i, signal: 'ServiceNoEndpoints' },
  // An exit code written out in a message (`exited with code 137`, `exit status 127`).
  { re: /exit(?:ed)? (?:with )?(?:code|status) (1|126|127|137|143)\b/i, signal: 'ExitCode1', detail: (m) => m[1] },
];

function imageCause(t: string): string | undefined {
  if (/manifest unknown|not found/i.test(t)) return 'tag not found';
  if (/pull access denied|unauthorized|authentication required|401|403/i.test(t)) return 'access denied';
  if (/no such host|i\/o timeout|connection refused/i.test(t)) return 'registry unreachable';
  if (/toomanyrequests|rate limit/i.test(t)) return 'rate limited';
  return undefined;
}

/** The scheduler's reasons, most telling first. */
function schedulingCause(t: string): string | undefined {
  const causes = [
    /Insufficient (cpu|memory|ephemeral-storage|[\w./-]+)/i,
    /untolerated taint[^,.]*/i,
    /had taints? that the pod didn't tolerate[^,.]*/i,
    /didn't match Pod's node affinity\/selector/i,
    /unbound immediate PersistentVolumeClaims/i,
    /persistentvolumeclaim "[^"]+" not found/i,
    /didn't have free ports for the requested pod ports/i,
    /volume node affinity conflict/i,
  ];
  const found = causes.map((re) => re.exec(t)?.[0]).filter((s): s is string => Boolean(s));
  return found.length ? found.join(', ') : undefined;
}

/** The signal a message carries; `reason` is the event reason when there is one. */
export function classify(text: string, reason?: string): Classified | undefined {
  // An event's own reason (`FailedMount`) outranks words in its message (`secret "x" not found`).
  const byReason = reason === undefined ? [] : RULES.filter((r) => r.reason?.test(reason));
  for (const rule of [...byReason, ...RULES]) {
    const m = rule.re.exec(text);
    const byReason = reason !== undefined && rule.reason?.test(reason);
    if (!m && !byReason) continue;
    let signal = rule.signal;
    if (signal === 'ExitCode1' && m) signal = `ExitCode${m[1]}` as Signal;
    const detail = m ? rule.detail?.(m, text) : undefined;
    return detail ? { signal, detail } : { signal };
  }
  return undefined;
}

/** Words that make a line look like trouble, so a line we cannot read is listed, not dropped. */
const TROUBLE =
  /\b(?:error|err|errors|fail(?:ed|ure|ing|s)?|fatal|panic|exception|denied|refused|forbidden|unauthori[sz]ed|time(?:d)? ?out|back-?off|killed|unhealthy|not found|cannot|can't|unable|invalid|warning|oom|crash\w*|evicted|exited)\b/i;

export function looksLikeTrouble(line: string): boolean {
  return TROUBLE.test(line);
}
