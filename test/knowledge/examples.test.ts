import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';
import { CREATE_WITHOUT_DRY_RUN, checkDockerfile, checkYaml, codeBlocks, dryRunArgs, isolatedKubectlEnv, kubectlLines, runKubectl, type KubectlLine } from './examples.js';

/** Every example a card shows must run as written on a current cluster (kubectl 1.30+, Docker 27). */
const blocks = codeBlocks(join(ROOT, 'knowledge'));
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml');
const dockerfiles = blocks.filter((b) => b.lang === 'dockerfile');

describe('every fenced YAML example', () => {
  it.each(yamlBlocks.map((b, i) => [`${b.file} #${i}`, b] as const))('%s parses, and its Kubernetes objects match the schemas', async (_name, b) => {
    const result = await checkYaml(b.code);
    expect(result.problems).toEqual([]);
  });

  it('covers the Kubernetes objects the cards teach (not a vacuous pass)', async () => {
    let objects = 0;
    for (const b of yamlBlocks) objects += (await checkYaml(b.code)).objects;
    expect(objects).toBeGreaterThanOrEqual(8);
  });

  it('given a kind Kubernetes does not have, a wrong field type or broken YAML, names each', async () => {
    expect((await checkYaml('apiVersion: v1\nkind: Volume\nmetadata: { name: data }\n')).problems.join()).toMatch(/v1 has no object kind Volume/);
    expect((await checkYaml('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec: { replicas: three, selector: {}, template: {} }\n')).problems).not.toEqual([]);
    expect((await checkYaml('a: [1, 2\n')).problems.join()).toMatch(/does not parse/);
  });

  it('leaves YAML that is not a Kubernetes object alone (Grafana provisioning, Prometheus rules), and lists tool config files and custom resources it cannot check', async () => {
    expect(await checkYaml('apiVersion: 1\ndatasources: [ { name: P, type: prometheus } ]\n')).toEqual({ objects: 0, problems: [], unchecked: [] });
    expect(await checkYaml('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\n')).toEqual({ objects: 0, problems: [], unchecked: ['kustomize.config.k8s.io/v1beta1 Kustomization'] });
    expect((await checkYaml('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: web }\n')).unchecked).toEqual(['monitoring.coreos.com/v1 ServiceMonitor']);
  });
});

describe('every Dockerfile example', () => {
  it('exists on the Docker cards', () => {
    expect(dockerfiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(dockerfiles.map((b, i) => [`${b.file} #${i}`, b] as const))('%s parses without errors', (_name, b) => {
    expect(checkDockerfile(b.code)).toEqual([]);
  });

  it('given a comment after an instruction (which Docker reads as more arguments), reports it', () => {
    expect(checkDockerfile('FROM node:22-alpine\nCOPY package*.json ./   # copy the list\n')).not.toEqual([]);
  });
});

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
function kubectlVersion(): string | undefined {
  try {
    return execFileSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    process.stderr.write('SKIPPED: checking the kubectl lines of the cards — kubectl is not installed (set KUBECTL or install kubectl 1.30+).\n');
    return undefined;
  }
}
const version = kubectlVersion();
const lines = kubectlLines(blocks);

describe('how kubectl lines are read', () => {
  it('finds the kubectl lines of the cards, after sudo, inside pipes and across line continuations', () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    const found = kubectlLines([{ file: 'x.md', lang: 'bash', code: 'sudo kubectl get nodes | grep Ready\nkubectl create deployment web \\\n  --image=nginx   # comment\necho kubectl' }]);
    expect(found.map((l) => l.args)).toEqual([['get', 'nodes'], ['create', 'deployment', 'web', '--image=nginx']]);
    const skipped = kubectlLines([{ file: 'x.md', lang: 'bash', code: 'kubectl apply -k overlays/dev\nkubectl kustomize overlays/dev\nkubectl config use-context dev\nkubectl config delete-context old\nkubectl apply -f https://example.com/a.yaml\nkubectl get pods -l app=$APP' }]);
    expect(skipped.every((l) => l.skip)).toBe(true);
  });

  it('adds --dry-run=client to every verb that would change the cluster, and drops the terminal flags kubectl refuses with it', () => {
    expect(dryRunArgs(['delete', 'pod', '-l', 'app=web'])).toContain('--dry-run=client');
    expect(dryRunArgs(['get', 'pods'])).toEqual(['get', 'pods']);
    // `create token` has no --dry-run: it runs as written, so its flags are still checked.
    expect(dryRunArgs(['create', 'token', 'ci-bot', '-n', 'dev', '--duration=1h'])).toEqual(['create', 'token', 'ci-bot', '-n', 'dev', '--duration=1h']);
    expect(dryRunArgs(['create', 'serviceaccount', 'ci-bot'])).toContain('--dry-run=client');
    expect(dryRunArgs(['run', 'tmp', '--image=busybox', '--rm', '-it', '--restart=Never', '--', 'sh'])).toEqual(['run', 'tmp', '--image=busybox', '--restart=Never', '--dry-run=client', '--', 'sh']);
  });
});

describe.skipIf(!version)(`every kubectl line of the cards, run by ${version ?? 'kubectl'} against no cluster`, () => {
  const env = isolatedKubectlEnv();

  it('given a misspelt flag, fails (so a pass means something)', async () => {
    expect(await runKubectl(KUBECTL, ['delete', 'pod', '-l', 'app=web', '--wiat=false'], env)).toMatchObject({ kind: 'failed' });
    expect(await runKubectl(KUBECTL, ['create', 'deployment', 'web', '--iamge=nginx'], env)).toMatchObject({ kind: 'failed' });
    expect(await runKubectl(KUBECTL, ['create', 'token', 'ci-bot', '--duraton=1h'], env)).toMatchObject({ kind: 'failed' });
  });

  it('passes with --dry-run=client where kubectl can build the object itself, and parses its flags everywhere else', async () => {
    const runnable = lines.filter((l) => !l.skip);
    const outcomes: { l: KubectlLine; o: Awaited<ReturnType<typeof runKubectl>> }[] = [];
    for (let i = 0; i < runnable.length; i += 4) {
      const batch = runnable.slice(i, i + 4);
      outcomes.push(...(await Promise.all(batch.map(async (l) => ({ l, o: await runKubectl(KUBECTL, l.args, env) })))));
    }
    const offline = outcomes.filter((x) => x.o.kind === 'offline');
    const needsCluster = outcomes.filter((x) => x.o.kind === 'needs-cluster');
    const failed = outcomes.filter((x) => x.o.kind === 'failed').map((x) => `${x.l.file}: ${x.l.line} → ${(x.o as { message: string }).message}`);
    const skipped = lines.filter((l) => l.skip);
    process.stdout.write(
      [
        `\nkubectl examples (${version}): ${lines.length} lines`,
        `  ${offline.length} pass with no cluster (--dry-run=client where kubectl builds the object itself: create <kind>, run; config lines edit the throwaway kubeconfig)`,
        `  ${needsCluster.length} have flags kubectl accepts but must ask an API server to go further (get, describe, logs, delete, scale, set, rollout, apply -f -, …): checked up to that point`,
        `  ${skipped.length} not run: ${[...new Set(skipped.map((s) => s.skip))].join('; ')}`,
        ...[...CREATE_WITHOUT_DRY_RUN].map(([sub, why]) => `  create ${sub} runs as written, without --dry-run, on ${runnable.filter((l) => l.args[0] === 'create' && l.args[1] === sub).length} card line(s): it ${why}`),
        '',
      ].join('\n'),
    );
    expect(failed).toEqual([]);
    expect(offline.length).toBeGreaterThanOrEqual(5);
  });
});
