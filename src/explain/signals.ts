/**
 * The signals the explainer knows, each mapped to a troubleshooting card in
 * `knowledge/troubleshooting/` (`card`) and to the concept card behind it (`concept`), which the
 * finding's quiz button asks about and which joins the learner's review queue. The concept is the
 * card that teaches how to prevent the trouble (OOMKilled → requests and limits), not merely the
 * component that reports it (the kubelet reports nearly everything).
 *
 * `tier` orders findings by what explains what: trouble reaching the cluster hides everything else
 * (0); a sick node explains its pods (1); a pod's own cause (2) explains its symptoms (3), such as a
 * back-off loop or a Service with no endpoints. Within a tier, `rank` is how often learners meet it.
 */
export interface SignalDef {
  card: string;
  concept: string;
  /**
   * A closer concept when the message names its cause: the first whose `when` matches the finding's
   * detail or its line wins (FailedScheduling's `Insufficient memory` is taught by requests and
   * limits, its `untolerated taint` by the scheduler's filtering).
   */
  because?: readonly { when: RegExp; concept: string }[];
  tier: 0 | 1 | 2 | 3;
  rank: number;
  /** One line, Korean and English, of what it means; the card says the rest. */
  means: { ko: string; en: string };
}

/**
 * The scheduler's reasons (see `schedulingCause` in messages.ts), each with the card that teaches it.
 * Taints have no card of their own: a cordoned node's `unschedulable` taint is taught by cordon and
 * drain, any other taint by the scheduler's filtering step, which names taints and tolerations.
 */
const SCHEDULING_CAUSES = [
  { when: /Insufficient/i, concept: 'resource-requests-limits' },
  { when: /unschedulable/i, concept: 'kubectl-cordon-drain' },
  { when: /taint/i, concept: 'scheduler' },
  { when: /node affinity\/selector/i, concept: 'labels-selectors' },
  { when: /PersistentVolumeClaim/i, concept: 'persistent-volume-claim' },
] as const;

export const SIGNALS = {
  ConnectionRefused: {
    card: 'kubectl-connection-refused',
    concept: 'api-server',
    tier: 0,
    rank: 1,
    means: {
      ko: 'kubectl이 API 서버에 닿지 못했어요 (kubeconfig의 주소, 또는 API 서버가 꺼져 있음).',
      en: 'kubectl could not reach the API server (the address in the kubeconfig, or the API server is down).',
    },
  },
  X509: {
    card: 'x509-certificate',
    concept: 'api-server',
    tier: 0,
    rank: 2,
    means: {
      ko: 'API 서버의 TLS 인증서를 믿을 수 없어요 (다른 CA, 만료, 다른 주소).',
      en: "The API server's TLS certificate is not trusted (another CA, expired, or another address).",
    },
  },
  Forbidden: {
    card: 'rbac-forbidden',
    concept: 'rbac',
    because: [{ when: /system:serviceaccount:/, concept: 'service-account' }],
    tier: 0,
    rank: 3,
    means: { ko: '인증은 됐지만 RBAC가 이 동작을 허락하지 않아요.', en: 'You are authenticated, but RBAC does not allow this action.' },
  },
  NodeNotReady: {
    card: 'node-not-ready',
    concept: 'kubelet',
    tier: 1,
    rank: 1,
    means: {
      ko: '노드의 kubelet이 상태를 보고하지 못하거나 Ready가 아니라고 보고했어요.',
      en: "The node's kubelet stopped reporting, or reports that it is not Ready.",
    },
  },
  DiskPressure: {
    card: 'evicted',
    concept: 'kubelet',
    tier: 1,
    rank: 2,
    means: {
      ko: '노드의 디스크가 모자라 kubelet이 파드를 내보낼 수 있어요.',
      en: 'The node is short of disk; the kubelet may evict pods.',
    },
  },
  MemoryPressure: {
    card: 'evicted',
    concept: 'kubelet',
    tier: 1,
    rank: 3,
    means: {
      ko: '노드의 메모리가 모자라 kubelet이 파드를 내보낼 수 있어요.',
      en: 'The node is short of memory; the kubelet may evict pods.',
    },
  },
  OOMKilled: {
    card: 'oomkilled',
    concept: 'resource-requests-limits',
    tier: 2,
    rank: 3,
    means: {
      ko: '컨테이너가 메모리 한도(limit)를 넘어 커널이 종료시켰어요.',
      en: 'The container went over its memory limit and the kernel killed it.',
    },
  },
  ImagePullBackOff: {
    card: 'imagepullbackoff',
    concept: 'image',
    because: [{ when: /access denied|unauthori[sz]ed|authentication required|pull access denied/i, concept: 'private-registry' }],
    tier: 2,
    rank: 1,
    means: {
      ko: '이미지를 받지 못해 kubelet이 간격을 늘려 가며 다시 시도하고 있어요.',
      en: 'The image could not be pulled; the kubelet retries with a growing delay.',
    },
  },
  ErrImagePull: {
    card: 'imagepullbackoff',
    concept: 'image',
    because: [{ when: /access denied|unauthori[sz]ed|authentication required|pull access denied/i, concept: 'private-registry' }],
    tier: 2,
    rank: 2,
    means: {
      ko: '이미지 받기가 방금 실패했어요 (이름, 태그, 레지스트리 인증).',
      en: 'Pulling the image just failed (name, tag, or registry credentials).',
    },
  },
  InvalidImageName: {
    card: 'invalid-image-name',
    concept: 'image-tag',
    tier: 2,
    rank: 9,
    means: {
      ko: '이미지 이름의 형식이 틀려 받기를 시도조차 못 했어요.',
      en: 'The image reference is malformed, so no pull was even tried.',
    },
  },
  CreateContainerConfigError: {
    card: 'create-container-config-error',
    concept: 'configmap',
    because: [{ when: /secret/i, concept: 'secret' }],
    tier: 2,
    rank: 4,
    means: {
      ko: '컨테이너 설정에 필요한 ConfigMap이나 Secret(또는 그 키)이 없어요.',
      en: 'A ConfigMap or Secret (or a key in it) the container needs is missing.',
    },
  },
  FailedScheduling: {
    card: 'failed-scheduling',
    concept: 'scheduler',
    because: SCHEDULING_CAUSES,
    tier: 2,
    rank: 5,
    means: { ko: '스케줄러가 이 파드를 놓을 노드를 찾지 못했어요.', en: 'The scheduler found no node to put this pod on.' },
  },
  LivenessProbeFailed: {
    card: 'probe-failures',
    concept: 'liveness-probe',
    tier: 2,
    rank: 6,
    means: {
      ko: 'liveness 프로브가 실패해 kubelet이 컨테이너를 재시작해요.',
      en: 'The liveness probe failed, so the kubelet restarts the container.',
    },
  },
  ReadinessProbeFailed: {
    card: 'probe-failures',
    concept: 'readiness-probe',
    tier: 2,
    rank: 7,
    means: {
      ko: 'readiness 프로브가 실패해 이 파드는 서비스 엔드포인트에서 빠져요.',
      en: 'The readiness probe failed, so this pod is taken out of the Service endpoints.',
    },
  },
  StartupProbeFailed: {
    card: 'probe-failures',
    concept: 'startup-probe',
    tier: 2,
    rank: 8,
    means: {
      ko: 'startup 프로브가 실패했어요 (시작이 느린 앱이면 기다리는 시간이 모자람).',
      en: 'The startup probe failed (for a slow-starting app, it was not given long enough).',
    },
  },
  ExitCode1: {
    card: 'exit-codes',
    concept: 'container',
    tier: 2,
    rank: 2,
    means: {
      ko: '종료 코드 1: 앱이 스스로 오류로 끝났어요. 로그에 이유가 있어요.',
      en: 'Exit code 1: the application stopped with an error of its own; the logs say why.',
    },
  },
  ExitCode126: {
    card: 'exit-codes',
    concept: 'entrypoint-cmd',
    tier: 2,
    rank: 10,
    means: {
      ko: '종료 코드 126: 명령은 있지만 실행할 수 없어요 (실행 권한, 형식).',
      en: 'Exit code 126: the command exists but cannot be executed (permission, format).',
    },
  },
  ExitCode127: {
    card: 'exit-codes',
    concept: 'entrypoint-cmd',
    tier: 2,
    rank: 9,
    means: {
      ko: '종료 코드 127: 명령을 찾지 못했어요 (오타, PATH, 이미지에 없음).',
      en: 'Exit code 127: command not found (a typo, PATH, or not in the image).',
    },
  },
  ExitCode137: {
    card: 'exit-codes',
    concept: 'resource-requests-limits',
    tier: 2,
    rank: 8,
    means: { ko: '종료 코드 137: SIGKILL(128+9)로 강제 종료됐어요.', en: 'Exit code 137: killed with SIGKILL (128+9).' },
  },
  ExitCode143: {
    card: 'exit-codes',
    concept: 'pod',
    tier: 2,
    rank: 11,
    means: {
      ko: '종료 코드 143: SIGTERM(128+15)을 받고 끝났어요 (보통 정상 종료 요청).',
      en: 'Exit code 143: stopped on SIGTERM (128+15), usually a requested shutdown.',
    },
  },
  Evicted: {
    card: 'evicted',
    concept: 'kubelet',
    because: [{ when: /low on memory/i, concept: 'resource-requests-limits' }],
    tier: 2,
    rank: 12,
    means: {
      ko: '노드 자원(디스크, 메모리)이 모자라 kubelet이 파드를 내보냈어요.',
      en: 'The kubelet evicted the pod because the node ran short of disk or memory.',
    },
  },
  FailedMount: {
    card: 'failed-mount',
    concept: 'volume',
    because: [
      { when: /secret "/i, concept: 'secret' },
      { when: /configmap "/i, concept: 'configmap' },
      { when: /persistentvolumeclaim|unbound/i, concept: 'persistent-volume-claim' },
    ],
    tier: 2,
    rank: 13,
    means: { ko: '볼륨을 컨테이너에 마운트하지 못했어요.', en: 'A volume could not be mounted into the pod.' },
  },
  FailedAttachVolume: {
    card: 'failed-mount',
    concept: 'persistent-volume',
    tier: 2,
    rank: 14,
    means: { ko: '볼륨을 노드에 붙이지(attach) 못했어요.', en: 'A volume could not be attached to the node.' },
  },
  PVCPending: {
    card: 'failed-mount',
    concept: 'persistent-volume-claim',
    because: [{ when: /storageclass|waiting for a volume to be created|provision/i, concept: 'storage-class' }],
    tier: 2,
    rank: 15,
    means: { ko: 'PVC가 아직 PV와 묶이지(Bound) 않았어요.', en: 'The PVC is not bound to a PV yet.' },
  },
  FailedCreatePodSandBox: {
    card: 'container-creating',
    concept: 'cni',
    tier: 2,
    rank: 16,
    means: {
      ko: '파드 샌드박스(네트워크)를 만들지 못했어요. 보통 CNI 문제예요.',
      en: 'The pod sandbox (its network) could not be created, usually a CNI problem.',
    },
  },
  PortAllocated: {
    card: 'docker-port-allocated',
    concept: 'port-mapping',
    tier: 2,
    rank: 17,
    means: {
      ko: '호스트 포트를 이미 다른 컨테이너나 프로세스가 쓰고 있어요.',
      en: 'The host port is already taken by another container or process.',
    },
  },
  NoSpaceLeft: {
    card: 'no-space-left',
    concept: 'image-layer',
    tier: 1,
    rank: 4,
    means: {
      ko: '디스크(보통 /var/lib/docker 나 /var/lib/containerd)가 꽉 찼어요.',
      en: 'The disk (usually /var/lib/docker or /var/lib/containerd) is full.',
    },
  },
  ManifestUnknown: {
    card: 'manifest-unknown',
    concept: 'image-tag',
    tier: 2,
    rank: 18,
    means: { ko: '레지스트리에 그 이미지 태그(매니페스트)가 없어요.', en: 'The registry has no manifest for that image tag.' },
  },
  CrashLoopBackOff: {
    card: 'crashloopbackoff',
    concept: 'pod',
    tier: 3,
    rank: 1,
    means: {
      ko: '컨테이너가 거듭 종료돼 kubelet이 재시작 간격을 늘리고 있어요. 원인은 종료 이유에 있어요.',
      en: 'The container keeps exiting and the kubelet backs off between restarts; the cause is in why it exits.',
    },
  },
  InitCrashLoopBackOff: {
    card: 'crashloopbackoff',
    concept: 'pod',
    tier: 3,
    rank: 2,
    means: {
      ko: '초기화 컨테이너(init container)가 거듭 실패해 앱 컨테이너가 시작하지 못해요.',
      en: 'An init container keeps failing, so the app containers never start.',
    },
  },
  ContainerCreating: {
    card: 'container-creating',
    concept: 'cni',
    tier: 3,
    rank: 4,
    means: {
      ko: '컨테이너를 만드는 중에 멈춰 있어요 (이미지 받기, 볼륨, 네트워크).',
      en: 'The pod is stuck while its containers are created (image pull, volumes, network).',
    },
  },
  Pending: {
    card: 'failed-scheduling',
    concept: 'scheduler',
    because: SCHEDULING_CAUSES,
    tier: 3,
    rank: 3,
    means: { ko: '파드가 아직 노드에 배치되지 않았거나 준비 중이에요.', en: 'The pod is not placed on a node yet, or not ready to start.' },
  },
  Terminating: {
    card: 'stuck-terminating',
    concept: 'k8s-object',
    tier: 3,
    rank: 5,
    means: {
      ko: '삭제 요청은 됐지만 finalizer나 응답 없는 노드 때문에 사라지지 않아요.',
      en: 'Deletion was requested, but a finalizer or an unreachable node keeps the object.',
    },
  },
  ServiceNoEndpoints: {
    card: 'service-no-endpoints',
    concept: 'labels-selectors',
    tier: 3,
    rank: 6,
    means: {
      ko: '서비스의 셀렉터에 맞는 Ready 파드가 없어 트래픽을 보낼 곳이 없어요.',
      en: "No Ready pod matches the Service's selector, so traffic has nowhere to go.",
    },
  },
} as const satisfies Record<string, SignalDef>;

export type Signal = keyof typeof SIGNALS;

export function isSignal(s: string): s is Signal {
  return Object.hasOwn(SIGNALS, s);
}

/** The signal a container reason (a STATUS cell, a `Reason:` field) names; undefined when it is not trouble. */
export function signalOfReason(reason: string): Signal | undefined {
  const r = reason.trim();
  const init = /^Init:(.+)$/.exec(r);
  if (init) {
    if (init[1] === 'CrashLoopBackOff' || init[1] === 'Error') return 'InitCrashLoopBackOff';
    return signalOfReason(init[1]!);
  }
  switch (r) {
    case 'CrashLoopBackOff':
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
    case 'CreateContainerConfigError':
    case 'OOMKilled':
    case 'Evicted':
    case 'ContainerCreating':
    case 'Pending':
    case 'Terminating':
      return r;
    case 'NotReady':
      return 'NodeNotReady';
    default:
      return undefined;
  }
}

export function signalOfExitCode(code: number, reason?: string): Signal | undefined {
  if (reason === 'OOMKilled') return 'OOMKilled';
  switch (code) {
    case 1:
      return 'ExitCode1';
    case 126:
      return 'ExitCode126';
    case 127:
      return 'ExitCode127';
    case 137:
      return 'ExitCode137';
    case 143:
      return 'ExitCode143';
    default:
      return undefined;
  }
}
