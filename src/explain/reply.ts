import type { KnowledgeBase } from '../knowledge/types.js';
import type { ExplainView, Reply, ReplyAction } from '../reply.js';
import { inert } from './mask.js';
import { MAX_CHARS, MAX_LINES, type Finding, type PasteReading } from './read.js';
import { SIGNALS } from './signals.js';
import { conceptOf } from './view.js';

const SHOWN = 6;
const MAX_ACTIONS = 5;

/** A name out of the paste, safe inside a code span. */
function code(s: string): string {
  const t = inert(s.replace(/`/g, "'"));
  return `\`${t.length > 80 ? `${t.slice(0, 79)}…` : t}\``;
}

const STATES = new Set([
  'CrashLoopBackOff',
  'InitCrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'Pending',
  'ContainerCreating',
  'Terminating',
  'Evicted',
  'NodeNotReady',
  'PVCPending',
]);

/** How the cluster or Docker itself words each signal, so the learner recognises it in their own output. */
const LABELS: Partial<Record<Finding['signal'], string>> = {
  InitCrashLoopBackOff: 'Init:CrashLoopBackOff',
  LivenessProbeFailed: 'Liveness probe failed',
  ReadinessProbeFailed: 'Readiness probe failed',
  StartupProbeFailed: 'Startup probe failed',
  ConnectionRefused: 'connection refused',
  X509: 'x509',
  Forbidden: 'Forbidden',
  PortAllocated: 'port is already allocated',
  NoSpaceLeft: 'no space left on device',
  ManifestUnknown: 'manifest unknown',
  ServiceNoEndpoints: 'no endpoints',
  PVCPending: 'PVC Pending',
};

function label(f: Finding): string {
  const exit = /^ExitCode(\d+)$/.exec(f.signal);
  if (exit) return `Exit Code ${exit[1]}`;
  return LABELS[f.signal] ?? f.signal;
}

/** "`web-7d9c` 의 `app` 컨테이너가 OOMKilled(137)로 5번 재시작했어요", and the same in English. */
export function headline(f: Finding): { ko: string; en: string } {
  const pod = f.pod ?? f.object;
  const whoKo =
    f.container && pod
      ? `${code(pod)} 의 ${code(f.container)} 컨테이너가`
      : f.node && !pod
        ? `${code(f.node)} 노드가`
        : pod
          ? `${code(pod)} 이(가)`
          : '';
  const whoEn =
    f.container && pod
      ? `Container ${code(f.container)} in ${code(pod)}`
      : f.node && !pod
        ? `Node ${code(f.node)}`
        : pod
          ? code(pod)
          : 'This';
  const detail = f.detail ? ` — ${inert(f.detail)}` : '';
  if (f.exitCode !== undefined) {
    const ko = f.reason && f.reason !== 'Error' ? `${f.reason}(${f.exitCode})` : `종료 코드 ${f.exitCode}`;
    const en = f.reason && f.reason !== 'Error' ? `${f.reason} (exit ${f.exitCode})` : `exit code ${f.exitCode}`;
    if (f.restarts)
      return {
        ko: `${whoKo} ${ko}로 ${f.restarts}번 재시작했어요${detail}`,
        en: `${whoEn} stopped with ${en} and restarted ${f.restarts} time${f.restarts === 1 ? '' : 's'}${detail}`,
      };
    return { ko: `${whoKo} ${ko}로 종료됐어요${detail}`, en: `${whoEn} stopped with ${en}${detail}` };
  }
  const restartsKo = f.restarts ? ` (재시작 ${f.restarts}번)` : '';
  const restartsEn = f.restarts ? ` (restarted ${f.restarts} time${f.restarts === 1 ? '' : 's'})` : '';
  if (STATES.has(f.signal))
    return { ko: `${whoKo} ${label(f)} 상태예요${restartsKo}${detail}`.trim(), en: `${whoEn} is in ${label(f)}${restartsEn}${detail}` };
  const whereKo =
    f.container && pod
      ? `${code(pod)} 의 ${code(f.container)} 컨테이너에서 `
      : f.node && !pod
        ? `${code(f.node)} 노드에서 `
        : pod
          ? `${code(pod)} 에서 `
          : '';
  return {
    ko: `${whereKo}${label(f)} 이(가) 보여요${restartsKo}${detail}`,
    en: `${whoEn === 'This' ? 'The paste' : whoEn} shows ${label(f)}${restartsEn}${detail}`,
  };
}

/** Commands that confirm the top finding, with the names from the paste. */
export function checks(f: Finding): string[] {
  const pod = f.pod ?? 'POD';
  const c = f.container ? ` -c ${f.container}` : '';
  const node = f.node ?? 'NODE';
  switch (f.signal) {
    case 'CrashLoopBackOff':
    case 'InitCrashLoopBackOff':
    case 'ExitCode1':
    case 'ExitCode126':
    case 'ExitCode127':
    case 'ExitCode143':
      return [`kubectl logs ${pod}${c} --previous`, `kubectl describe pod ${pod}`];
    case 'OOMKilled':
    case 'ExitCode137':
      return [`kubectl describe pod ${pod}`, `kubectl top pod ${pod} --containers`];
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
      return [`kubectl describe pod ${pod}`, `kubectl get pod ${pod} -o jsonpath='{.spec.containers[*].image}'`];
    case 'CreateContainerConfigError':
      return [`kubectl describe pod ${pod}`, 'kubectl get configmaps,secrets'];
    case 'FailedScheduling':
    case 'Pending':
      return [`kubectl describe pod ${pod}`, 'kubectl describe nodes'];
    case 'LivenessProbeFailed':
    case 'ReadinessProbeFailed':
    case 'StartupProbeFailed':
      return [`kubectl describe pod ${pod}`, `kubectl logs ${pod}${c}`];
    case 'Evicted':
    case 'DiskPressure':
    case 'MemoryPressure':
      return [`kubectl describe node ${node}`, 'kubectl get pods --field-selector=status.phase=Failed'];
    case 'FailedMount':
    case 'FailedAttachVolume':
    case 'PVCPending':
      return ['kubectl get pvc', `kubectl describe pvc ${f.object ?? 'PVC'}`];
    case 'FailedCreatePodSandBox':
    case 'ContainerCreating':
      return [`kubectl describe pod ${pod}`, 'kubectl get pods -n kube-system -o wide'];
    case 'Terminating':
      return [`kubectl get pod ${pod} -o jsonpath='{.metadata.finalizers}'`, 'kubectl get nodes'];
    case 'NodeNotReady':
      return [`kubectl describe node ${node}`, 'journalctl -u kubelet -n 50   # on the node'];
    case 'ServiceNoEndpoints':
      return [`kubectl get endpointslices -l kubernetes.io/service-name=${f.object ?? 'SERVICE'}`, 'kubectl get pods --show-labels'];
    case 'ConnectionRefused':
      return ['kubectl config view --minify', 'kubectl cluster-info'];
    case 'X509':
      return ['kubectl config current-context', 'kubectl config view --minify'];
    case 'Forbidden':
      return ['kubectl auth whoami', 'kubectl auth can-i --list'];
    case 'PortAllocated':
      return ['docker ps --format "{{.Names}}\\t{{.Ports}}"', 'sudo ss -ltnp'];
    case 'NoSpaceLeft':
      return ['df -h', 'docker system df'];
    case 'ManifestUnknown':
      return ['docker manifest inspect IMAGE:TAG'];
  }
}

export function noticeReply(code: string, markdown: string): Reply {
  return { kind: 'notice', code, visibility: 'private', markdown };
}

export function emptyReply(): Reply {
  return noticeReply(
    'explain.empty',
    [
      '설명할 출력을 붙여 주세요: `/k8s explain` 다음 줄에 `kubectl get pods`, `kubectl describe pod NAME` 의 결과나 오류 메시지를 코드 블록으로 붙이면 돼요.',
      'Paste some output to explain: after `/k8s explain`, paste what `kubectl get pods` or `kubectl describe pod NAME` printed, or an error, in a code block.',
    ].join('\n'),
  );
}

function truncationNote(r: PasteReading): string {
  return `✂️ _너무 길어서 앞부분(${r.lines}줄, ${r.chars.toLocaleString('en-US')}자)만 읽었어요. 최대 ${MAX_LINES}줄, ${MAX_CHARS.toLocaleString('en-US')}자까지 읽어요. / The paste was long: I read the first ${r.lines} lines (${r.chars.toLocaleString('en-US')} characters); at most ${MAX_LINES} lines and ${MAX_CHARS.toLocaleString('en-US')} characters are read._`;
}

/** The reply to a paste: each finding named and taught, the most likely root cause first. */
export function explainReply(reading: PasteReading, view: ExplainView, kb: KnowledgeBase, queued: string[]): Reply {
  if (reading.findings.length === 0) {
    const lines = [
      "🤔 **이 출력만으로는 원인을 알 수 없어요. · I can't tell from this.**",
      '`kubectl describe pod NAME` 의 결과(특히 State, Last State, Events 부분), `kubectl get pods` 표, 또는 `kubectl logs NAME --previous` 를 붙여 주세요.',
      'Paste what `kubectl describe pod NAME` prints (its State, Last State and Events), the `kubectl get pods` table, or `kubectl logs NAME --previous`.',
    ];
    if (view.unknown.length)
      lines.push(
        '',
        '_문제처럼 보이지만 읽지 못한 줄 · Lines that look like trouble but that I could not read:_',
        ...view.unknown.slice(0, 5).map((t) => `- ${code(t)}`),
      );
    if (reading.truncated) lines.push('', truncationNote(reading));
    return { kind: 'explain', code: 'explain.unknown', visibility: 'private', markdown: lines.join('\n'), explain: view };
  }
  const out: string[] = ['🔎 **붙여 준 출력에서 찾은 것 · What your paste shows**', ''];
  const shown = reading.findings.slice(0, SHOWN);
  shown.forEach((f, i) => {
    const def = SIGNALS[f.signal];
    const h = headline(f);
    const card = kb.byId.get(def.card);
    out.push(`${i + 1}. **${label(f)}** — ${h.ko}`);
    out.push(`   ${h.en}`);
    out.push(`   ${code(f.text)} ← ${f.line}번째 줄 · line ${f.line}`);
    out.push(`   ${def.means.ko}`);
    out.push(`   _${def.means.en}_`);
    out.push(`   📖 ${card ? `\`/k8s ${card.id}\`` : ''}${card ? ' · ' : ''}🧩 \`/quiz ${conceptOf(f, kb)}\``);
  });
  if (reading.findings.length > SHOWN)
    out.push('', `_…그리고 ${reading.findings.length - SHOWN}개 더 · and ${reading.findings.length - SHOWN} more_`);
  const top = reading.findings[0]!;
  if (reading.findings.length > 1) {
    out.push(
      '',
      `🧭 **먼저 볼 곳 · Start here:** ${label(top)} — 다른 증상은 이것 때문일 가능성이 커요. / The others most likely follow from it.`,
    );
  }
  out.push('', '**확인해 볼 명령 · Commands that confirm it**', '```bash', ...checks(top), '```');
  if (view.unknown.length)
    out.push(
      '',
      `_읽지 못한 줄 ${view.unknown.length}개 · ${view.unknown.length} line${view.unknown.length === 1 ? '' : 's'} I could not read:_ ${view.unknown.slice(0, 3).map(code).join(', ')}`,
    );
  if (queued.length)
    out.push('', `📚 복습 목록에 넣었어요 · Added to your review queue: ${queued.map((id) => `\`${id}\``).join(', ')} — \`/review\``);
  if (reading.truncated) out.push('', truncationNote(reading));
  return {
    kind: 'explain',
    code: 'explain.findings',
    visibility: 'private',
    markdown: out.join('\n'),
    explain: view,
    actions: quizActions(reading.findings, kb),
  };
}

/** One quiz button per concept behind the findings, the root cause's first. */
function quizActions(findings: Finding[], kb: KnowledgeBase): ReplyAction[] {
  const seen = new Set<string>();
  const actions: ReplyAction[] = [];
  for (const f of findings) {
    const id = conceptOf(f, kb);
    const concept = kb.byId.get(id);
    if (!concept || seen.has(id) || actions.length >= MAX_ACTIONS) continue;
    seen.add(id);
    actions.push({
      kind: 'quiz-on-concept',
      conceptId: id,
      command: `/quiz ${id}`,
      label: { ko: `퀴즈: ${concept.title.ko}`.slice(0, 60), en: `Quiz: ${concept.title.en}`.slice(0, 60) },
    });
  }
  return actions;
}
