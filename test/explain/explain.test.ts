import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/terminal/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { isRunnableActionCommand } from '../../src/commands/actionCommand.js';
import { parseCommand } from '../../src/commands/parse.js';
import { looksLikePaste } from '../../src/explain/detect.js';
import { maskSecrets, safeLine } from '../../src/explain/mask.js';
import { MAX_LINES } from '../../src/explain/read.js';
import { SIGNALS, type SignalDef } from '../../src/explain/signals.js';
import { explainText } from '../../src/explain/view.js';
import { silentLogger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';
import type { Reply } from '../../src/reply.js';
import { jsonLines, runTutor } from '../support/cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'explain');
const corpus = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({
    name: f.replace(/\.txt$/, ''),
    text: readFileSync(join(FIXTURES, f), 'utf8'),
    expected: JSON.parse(readFileSync(join(FIXTURES, f.replace(/\.txt$/, '.expected.json')), 'utf8')) as {
      findings: { signal: string; concept: string; line: number }[];
      unknown: number;
    },
  }));

const SECRETS = [
  'hunter2-Sup3rSecret',
  's3cr3t-Passw0rd',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9',
];
const PINGS = ['@everyone', '@here', '<!channel>', '<!here>', '<@U12345>', '<@&987>'];

let app: App;
let clock: ManualClock;
const msg = (text: string, user = 'u1'): IncomingMessage => ({ platform: 'transcript', user: { id: user }, channel: { id: 'c1' }, text });

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 11, 1, 1, 0, 0));
  app = await createApp({ log: silentLogger, clock, seed: 7, dailyPlatforms: [] });
});
afterAll(async () => {
  await app?.close();
});

describe('explaining a paste: the corpus', () => {
  it('has Korean-framed, clipped and headerless pastes beside whole ones', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    expect(corpus.some((c) => /[가-힣]/.test(c.text))).toBe(true);
    expect(corpus.some((c) => !/^\s*(NAME|LAST SEEN|Name:|\$)/m.test(c.text))).toBe(true);
  });

  for (const c of corpus) {
    it(`given ${c.name}, finds every expected signal on its line, in root-cause order, and invents nothing`, () => {
      const { view } = explainText(c.text, app.knowledge);
      expect(view.findings.map(({ signal, concept, line }) => ({ signal, concept, line }))).toEqual(c.expected.findings);
      expect(view.unknown).toHaveLength(c.expected.unknown);
      const lines = c.text.split('\n');
      for (const f of view.findings)
        expect(lines[f.line - 1]).toContain(
          f.text
            .replace(/…$/, '')
            .slice(0, 30)
            .replace(/\*{4}.*/, ''),
        );
    });
  }

  it('names the pod, container, reason, exit code and restart count in the reply, then teaches', async () => {
    const text = readFileSync(join(FIXTURES, 'describe-pod-oomkilled.txt'), 'utf8');
    const [reply] = await app.tutor.handle(msg(`/k8s explain\n${text}`));
    expect(reply!.kind).toBe('explain');
    expect(reply!.markdown).toContain('`web-7d9c4f-x2kqp` 의 `app` 컨테이너가 OOMKilled(137)로 5번 재시작했어요');
    expect(reply!.markdown).toContain('restarted 5 times');
    expect(reply!.markdown.indexOf('OOMKilled')).toBeLessThan(reply!.markdown.indexOf('CrashLoopBackOff'));
    expect(reply!.markdown).toContain('kubectl top pod web-7d9c4f-x2kqp --containers');
  });

  it('puts an ImagePullBackOff before the Service with no endpoints it explains', () => {
    const { view } = explainText(readFileSync(join(FIXTURES, 'svc-no-endpoints.txt'), 'utf8'), app.knowledge);
    expect(view.findings.map((f) => f.signal)).toEqual(['ImagePullBackOff', 'ServiceNoEndpoints']);
  });

  it('given nothing it can read, says so honestly and asks for kubectl describe pod', async () => {
    const [reply] = await app.tutor.handle(msg('/explain\n```\nhello there\nall good here\n```'));
    expect(reply!.code).toBe('explain.unknown');
    expect(reply!.markdown).toContain("I can't tell from this");
    expect(reply!.markdown).toContain('kubectl describe pod NAME');
    expect(reply!.explain).toEqual({ findings: [], unknown: [] });
  });

  it('given /explain with nothing after it, explains how to paste', async () => {
    const [reply] = await app.tutor.handle(msg('/k8s explain'));
    expect(reply!.code).toBe('explain.empty');
  });
});

describe('a finding is taught by the card its cause names', () => {
  const concepts = (text: string) => explainText(text, app.knowledge).view.findings.map(({ signal, concept }) => `${signal} ${concept}`);
  const event = (reason: string, object: string, message: string) =>
    `LAST SEEN   TYPE      REASON             OBJECT        MESSAGE\n2m          Warning   ${reason}   ${object}   ${message}`;

  it('the scheduler: short of CPU or memory is requests and limits; a cordoned node is cordon and drain; any other taint is the scheduler itself', () => {
    expect(
      concepts(
        event(
          'FailedScheduling',
          'pod/web-1',
          '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
        ),
      ),
    ).toEqual(['FailedScheduling resource-requests-limits']);
    expect(
      concepts(
        event(
          'FailedScheduling',
          'pod/web-1',
          '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }. preemption: not helpful.',
        ),
      ),
    ).toEqual(['FailedScheduling kubectl-cordon-drain']);
    expect(
      concepts(
        event(
          'FailedScheduling',
          'pod/web-1',
          '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: not helpful.',
        ),
      ),
    ).toEqual(['FailedScheduling scheduler']);
    expect(
      concepts(
        event(
          'FailedScheduling',
          'pod/web-1',
          "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: not helpful.",
        ),
      ),
    ).toEqual(['FailedScheduling labels-selectors']);
  });

  it('a pull the registry refused is a private registry; a missing tag is not', () => {
    expect(
      concepts(
        event(
          'Failed',
          'pod/web-1',
          'Failed to pull image "reg.example.com/team/web:1.2": pull access denied, repository does not exist or may require authorization',
        ),
      ),
    ).toEqual(['ErrImagePull private-registry']);
    expect(
      concepts(
        event(
          'Failed',
          'pod/web-1',
          'Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to resolve reference "docker.io/library/nginx:1.99": not found',
        ),
      ),
    ).toEqual(['ErrImagePull image']);
  });

  it("Forbidden is RBAC, and a ServiceAccount's Forbidden is the ServiceAccount", () => {
    expect(
      concepts(
        'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "dev"',
      ),
    ).toEqual(['Forbidden rbac']);
    expect(
      concepts(
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:jenkins" cannot create resource "pods" in API group "" in the namespace "build"',
      ),
    ).toEqual(['Forbidden service-account']);
  });

  it('a claim waiting for a StorageClass is taught by the StorageClass; a claim with no volume to bind by the claim', () => {
    expect(concepts(event('ProvisioningFailed', 'persistentvolumeclaim/data', 'storageclass.storage.k8s.io "fast" not found'))).toEqual([
      'PVCPending storage-class',
    ]);
    expect(
      concepts(
        event('FailedBinding', 'persistentvolumeclaim/data', 'no persistent volumes available for this claim and no storage class is set'),
      ),
    ).toEqual(['PVCPending persistent-volume-claim']);
  });

  it('probes are taught by their own cards, and an eviction for memory by requests and limits', () => {
    expect(concepts(event('Unhealthy', 'pod/web-1', 'Liveness probe failed: HTTP probe failed with statuscode: 500'))).toEqual([
      'LivenessProbeFailed liveness-probe',
    ]);
    expect(
      concepts(
        event(
          'Unhealthy',
          'pod/web-1',
          'Startup probe failed: Get "http://10.0.0.5:8080/healthz": dial tcp 10.0.0.5:8080: connect: connection refused',
        ),
      ),
    ).toEqual(['StartupProbeFailed startup-probe']);
    expect(
      concepts(event('Evicted', 'pod/web-1', 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi.')),
    ).toEqual(['Evicted resource-requests-limits']);
    expect(
      concepts(
        event('Evicted', 'pod/web-1', 'The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 500Mi.'),
      ),
    ).toEqual(['Evicted kubelet']);
  });
});

describe('every signal is taught by a card', () => {
  for (const [signal, def] of Object.entries(SIGNALS)) {
    it(`${signal}: a bilingual troubleshooting card and the concept card behind it`, () => {
      const card = app.knowledge.byId.get(def.card);
      expect(card, def.card).toBeDefined();
      expect(card!.category).toBe('troubleshooting');
      expect(card!.summary.ko).toMatch(/[가-힣]/);
      expect(card!.summary.en).toMatch(/[a-z]/);
      expect(card!.source.url).toMatch(/^https:\/\/(kubernetes\.io|docs\.docker\.com)\//);
      const def2: SignalDef = def;
      // Every concept a finding of this signal can be taught by, its cause-specific ones included.
      for (const concept of [def2.concept, ...(def2.because ?? []).map((b) => b.concept)]) {
        expect(app.knowledge.byId.get(concept), concept).toBeDefined();
        expect(card!.related, `${def2.card} → ${concept}`).toContain(concept);
      }
    });
  }
  it('every card records when its facts were reviewed and against which version', () => {
    const dir = join(import.meta.dirname, '..', '..', 'knowledge', 'troubleshooting');
    for (const f of readdirSync(dir))
      expect(readFileSync(join(dir, f), 'utf8'), f).toContain('reviewed: { date: 2026-12-01, against: "Kubernetes v1.34" }');
  });
});

describe('safe with what people paste', () => {
  it('masks tokens, passwords, bearer tokens, keys and connection strings', () => {
    expect(maskSecrets('DB_PASSWORD: hunter2-Sup3rSecret')).toBe('DB_PASSWORD: ****');
    expect(maskSecrets('url=postgres://web:s3cr3t-Passw0rd@db:5432/web')).toBe('url=postgres://web:****@db:5432/web');
    expect(maskSecrets('Authorization: Bearer abc.def-ghi_jkl')).not.toContain('abc.def');
    expect(maskSecrets('token=ghp_abcdefghijklmnopqrstuvwxyz0123456789')).not.toContain('ghp_');
    expect(maskSecrets('key AKIAIOSFODNN7EXAMPLE here')).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(
      maskSecrets(
        '  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktnd2dnU2tBZ0VBQW9JQkFRQzc=',
      ),
    ).not.toContain('LS0tLS1CRUdJTi');
    // A digest is not a secret: it stays readable.
    const digest = 'web@sha256:9b2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809';
    expect(maskSecrets(digest)).toBe(digest);
  });

  it('never pings anyone from pasted text', () => {
    const line = safeLine('Warning Failed x @everyone @here <!channel> <!here> <@U12345> <@&987>');
    for (const p of PINGS) expect(line).not.toContain(p);
  });

  it('given a paste full of secrets and pings, neither the chat reply nor tutor explain --json carries them', async () => {
    const text = readFileSync(join(FIXTURES, 'secrets-in-paste.txt'), 'utf8');
    const replies = await app.tutor.handle(msg(`/explain ${text}`));
    const all = JSON.stringify(replies);
    for (const s of [...SECRETS, ...PINGS]) expect(all).not.toContain(s);
    const r = await runTutor(['explain', '--json', join(FIXTURES, 'secrets-in-paste.txt')]);
    expect(r.code).toBe(0);
    for (const s of [...SECRETS, ...PINGS]) expect(r.stdout + r.stderr).not.toContain(s);
    const out = JSON.parse(r.stdout) as { unknown: string[] };
    expect(out.unknown[0]).toContain('password=****');
  });

  it('given a huge paste, reads a capped part and says it was truncated', async () => {
    const row = 'web-7d9c4f-x2kqp         0/1     CrashLoopBackOff   5 (30s ago)   4m';
    const huge = ['NAME                     READY   STATUS             RESTARTS      AGE', ...Array.from({ length: 5000 }, () => row)].join(
      '\n',
    );
    const started = Date.now();
    const [reply] = await app.tutor.handle(msg(`/explain\n${huge}`));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(reply!.kind).toBe('explain');
    expect(reply!.markdown).toContain('The paste was long: I read the first');
    const { reading } = explainText(huge);
    expect(reading.truncated).toBe(true);
    expect(reading.lines).toBeLessThanOrEqual(MAX_LINES);
  });

  it('given hostile markup and control characters, answers without crashing and without echoing markup', async () => {
    const hostile =
      '```\n<script>alert(1)</script>\n`` ` ** __ [x](javascript:alert(1)) \u0000\u0007\nError from server (Forbidden): pods is forbidden: User "<@U12345>" cannot list resource "pods" in API group "" @everyone\n```';
    const [reply] = await app.tutor.handle(msg(hostile));
    expect(reply!.kind).toBe('explain');
    expect(reply!.explain!.findings[0]!.signal).toBe('Forbidden');
    for (const p of PINGS) expect(reply!.markdown).not.toContain(p);
    expect(reply!.markdown).not.toContain('\u0000');
  });
});

describe('a paste in a conversation', () => {
  it('decides in the core whether a bare message is a paste', () => {
    expect(looksLikePaste('```\nNAME READY STATUS RESTARTS AGE\nweb 0/1 Error 1 1m\n```')).toBe(true);
    expect(looksLikePaste('web-1   0/1   CrashLoopBackOff   3   1m\napi-1   1/1   Running   0   1m')).toBe(true);
    expect(looksLikePaste('The connection to the server localhost:8080 was refused - did you specify the right host or port?')).toBe(true);
    expect(looksLikePaste('파드가 뭐야?')).toBe(false);
    expect(looksLikePaste('kubelte')).toBe(false);
    expect(looksLikePaste('C A B D')).toBe(false);
    expect(looksLikePaste('```\nconst x = 1;\n```')).toBe(false);
    // The command alone is a question about the command, not its output.
    expect(looksLikePaste('```\nkubectl get pods -o wide\n```')).toBe(false);
  });

  it('parses /explain, /k8s explain and /설명 with the lines kept', () => {
    expect(parseCommand('/설명\nNAME  READY\nweb  0/1')).toEqual({ name: 'explain', text: 'NAME  READY\nweb  0/1' });
    expect(parseCommand('/k8s explain ```x```')).toEqual({ name: 'explain', text: '```x```' });
    expect(parseCommand('/explain')).toEqual({ name: 'explain', text: '' });
    expect(parseCommand('/k8s explainer')).toEqual({ name: 'lookup', query: 'explainer' });
  });

  it('a pasted code block in a DM is explained, offers a quiz on the concept behind each finding, and queues it for review', async () => {
    const text = '```\n' + readFileSync(join(FIXTURES, 'get-events-probes.txt'), 'utf8') + '```';
    const [reply] = await app.tutor.handle(msg(text, 'learner'));
    expect(reply!.kind).toBe('explain');
    expect(reply!.explain!.findings.map((f) => f.signal)).toEqual(['LivenessProbeFailed', 'ReadinessProbeFailed', 'FailedMount']);
    const actions = reply!.actions ?? [];
    expect(actions.map((a) => a.conceptId)).toEqual(['liveness-probe', 'readiness-probe', 'secret']);
    for (const a of actions) {
      expect(a.kind).toBe('quiz-on-concept');
      expect(isRunnableActionCommand(a.command)).toBe(true);
    }
    const [quiz] = await app.tutor.handle(msg(actions[0]!.command, 'learner'));
    expect(quiz!.kind).toBe('quiz');
    // New FSRS cards, due now: /review asks about them next.
    const due = await app.learning.dueCards('transcript', 'learner', clock.now(), 10);
    expect(due.map((d) => d.item).sort()).toEqual(['concept:liveness-probe', 'concept:readiness-probe', 'concept:secret']);
  });

  it('chat --json carries the same explain object as tutor explain --json', async () => {
    const file = join(FIXTURES, 'get-pods-wide-noheader-ko.txt');
    const text = readFileSync(file, 'utf8');
    const [chat, cli] = await Promise.all([
      runTutor(['chat', '--json'], `${JSON.stringify({ user: 'u', text })}\n`),
      runTutor(['explain', '--json'], text),
    ]);
    expect(chat.code).toBe(0);
    expect(cli.code).toBe(0);
    const [reply] = jsonLines(chat.stdout) as Reply[];
    const printed = JSON.parse(cli.stdout) as unknown;
    expect(Object.keys(printed as object)).toEqual(['findings', 'unknown']);
    expect(reply!.explain).toEqual(printed);
    expect((printed as { findings: { signal: string }[] }).findings.map((f) => f.signal)).toEqual([
      'CreateContainerConfigError',
      'InvalidImageName',
      'CrashLoopBackOff',
    ]);
  }, 30_000);

  it('the terminal keeps several pasted lines together until a blank line, then goes on as a chat', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString()));
    const terminal = createTerminalAdapter({ tutor: app.tutor, log: silentLogger, input, output, user: 'term' });
    await terminal.start();
    input.end(`${readFileSync(join(FIXTURES, 'get-pods-header.txt'), 'utf8')}\netcd\n`);
    await terminal.done;
    expect(printed).toContain('What your paste shows');
    expect(printed).toContain('api-5b8d-abcde 이(가) ImagePullBackOff 상태예요');
    expect(printed.match(/What your paste shows/g)).toHaveLength(1);
    expect(printed).toContain('key-value');
  });
});
