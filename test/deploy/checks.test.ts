import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkTutorPolicy,
  lintDockerfile,
  parseObjects,
  renderKustomize,
  validateSchemas,
  type KubeObject,
} from '../../scripts/deploy-checks.js';
import { ROOT } from '../support/shared.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

function hasKubectl(): boolean {
  try {
    execFileSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('SKIPPED: rendering deploy/ — kubectl is not installed (check:deploy fails loudly instead).\n');
    return false;
  }
}
const kubectl = hasKubectl();

describe('the Dockerfile check', () => {
  it("given the project's Dockerfile, finds no problem", () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('given a heredoc, a root user, a Node 20 default base and a misspelt flag, names each', () => {
    const bad = dockerfile
      .replace('ARG BASE=node:22-bookworm-slim', 'ARG BASE=node:20-bookworm-slim')
      .replace('USER 1000:1000', 'USER root')
      .replace('HEALTHCHECK --interval=30s', 'HEALTHCHECK --intervl=30s')
      .replace('RUN npm run build', 'RUN <<EOF\nnpm run build\nEOF');
    const problems = lintDockerfile(bad).join('\n');
    expect(problems).toMatch(/heredoc/);
    expect(problems).toMatch(/non-root USER/);
    expect(problems).toMatch(/node:20-bookworm-slim; use a supported Node LTS/);
    expect(problems).toMatch(/Unknown flag: intervl/);
  });

  it('given a single-stage Dockerfile with no healthcheck or volume, says so', () => {
    const problems = lintDockerfile('ARG BASE=node:22\nFROM ${BASE}\nUSER 1000\nCMD ["node", "dist/adapters/main.js"]\n').join('\n');
    expect(problems).toMatch(/not multi-stage/);
    expect(problems).toMatch(/no HEALTHCHECK/);
    expect(problems).toMatch(/no VOLUME for \/data/);
  });
});

describe.runIf(kubectl)('the rendered manifests', () => {
  it.each(['deploy/base', 'deploy/overlays/example'])(
    'given %s, every object matches its schema and keeps the promises of the issue',
    async (dir) => {
      const objects = await renderKustomize(join(ROOT, dir));
      expect(objects.map((o) => o.kind)).toEqual(
        expect.arrayContaining(['Deployment', 'Service', 'PersistentVolumeClaim', 'ConfigMap', 'Secret']),
      );
      expect(await validateSchemas(objects)).toEqual([]);
      expect(checkTutorPolicy(objects)).toEqual([]);
    },
  );

  it('given the example overlay, the settings are merged, the image pinned and everything lands in one namespace', async () => {
    const objects = await renderKustomize(join(ROOT, 'deploy/overlays/example'));
    const deployment = objects.find((o) => o.kind === 'Deployment') as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('k8s-tutor:0.1.0');
    const settings = objects.find((o) => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> };
    expect(settings.data).toMatchObject({ DATA_DIR: '/data', PORT: '3000', LOG_LEVEL: 'debug' });
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'k8s-tutor')).toBe(true);
  });
});

describe('the manifest checks catch mistakes', () => {
  const base = (): KubeObject[] => parseObjects(readFileSync(join(ROOT, 'deploy/base/deployment.yaml'), 'utf8'));

  it('given a replica count written as a word, the schema check rejects it', async () => {
    const [d] = base();
    (d as unknown as { spec: { replicas: unknown } }).spec.replicas = 'one';
    expect((await validateSchemas([d!])).join('\n')).toMatch(/Deployment\/k8s-tutor: .*replicas must be integer/);
  });

  it('given a kind kubernetes-models does not know, says there is no schema rather than passing it', async () => {
    const problems = await validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(problems).toEqual(['Widget/w: no schema for example.com/v1 Widget in kubernetes-models']);
  });

  it('given two replicas, a misspelt readiness probe and a writable root filesystem, the policy names each', () => {
    const [d] = base() as [
      KubeObject & { spec: Record<string, unknown> & { template: { spec: { containers: Record<string, unknown>[] } } } },
    ];
    d.spec.replicas = 2;
    const c = d.spec.template.spec.containers[0]!;
    c.readinessProb = c.readinessProbe;
    delete c.readinessProbe;
    (c.securityContext as Record<string, unknown>).readOnlyRootFilesystem = false;
    const problems = checkTutorPolicy([d]).join('\n');
    expect(problems).toMatch(/replicas must be 1/);
    expect(problems).toMatch(/readinessProbe is not an HTTP GET of \/readyz/);
    expect(problems).toMatch(/readOnlyRootFilesystem is not true/);
    expect(problems).toMatch(/names PVC k8s-tutor-data, which is not rendered/);
  });

  it('given a scrape annotation on the HTTP port, says /metrics is only on the metrics port', () => {
    const [d] = base() as [KubeObject & { spec: { template: { metadata: { annotations: Record<string, string> } } } }];
    expect(checkTutorPolicy([d]).join('\n')).not.toMatch(/prometheus\.io\/port/);
    d.spec.template.metadata.annotations['prometheus.io/port'] = '3000';
    expect(checkTutorPolicy([d]).join('\n')).toMatch(/prometheus\.io\/port 3000 is not the metrics port 9464/);
  });
});
