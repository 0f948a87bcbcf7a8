import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTutorPolicy, renderKustomize, validateSchemas, type KubeObject } from '../../scripts/deploy-checks.js';
import { ROOT } from '../support/shared.js';

function hasKubectl(): boolean {
  try {
    execFileSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('SKIPPED: rendering deploy/overlays/replicated — kubectl is not installed (check:deploy fails loudly instead).\n');
    return false;
  }
}

type Obj = KubeObject & { spec: Record<string, unknown> };
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name.startsWith(name))) as Obj;
const clone = (objects: KubeObject[]) => JSON.parse(JSON.stringify(objects)) as KubeObject[];

describe.runIf(hasKubectl())('the replicated overlay', () => {
  it('renders 3 bot replicas with RollingUpdate, a PDB, an HPA on CPU, DATABASE_URL and a PostgreSQL StatefulSet with a PVC, all valid', async () => {
    const objects = await renderKustomize(join(ROOT, 'deploy/overlays/replicated'));
    expect(await validateSchemas(objects)).toEqual([]);
    expect(checkTutorPolicy(objects)).toEqual([]);
    const bot = find(objects, 'Deployment') as Obj & {
      spec: {
        replicas: number;
        strategy: { type: string };
        template: { spec: { containers: { envFrom: unknown[]; readinessProbe: unknown }[] } };
      };
    };
    expect(bot.spec.replicas).toBe(3);
    expect(bot.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(bot.spec.template.spec.containers[0]!.readinessProbe).toMatchObject({ httpGet: { path: '/readyz' } });
    expect(find(objects, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 2 });
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, scaleTargetRef: { name: 'k8s-tutor' } });
    const db = find(objects, 'StatefulSet') as Obj & { spec: { volumeClaimTemplates: unknown[] } };
    expect(db.spec.volumeClaimTemplates).toHaveLength(1);
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false); // the SQLite claim is gone
    const url = Buffer.from(
      String((find(objects, 'Secret', 'k8s-tutor-database') as unknown as { data: { DATABASE_URL: string } }).data.DATABASE_URL).replace(
        /\s+/g,
        '',
      ),
      'base64',
    ).toString();
    expect(url).toBe('postgres://tutor:demo-only-change-me@k8s-tutor-postgres:5432/tutor');
  });

  it('given the replicated overlay broken in each promised way, names each problem', async () => {
    const objects = clone(await renderKustomize(join(ROOT, 'deploy/overlays/replicated')));
    const bot = find(objects, 'Deployment') as Obj & { spec: { replicas: number; strategy: unknown } };
    bot.spec.replicas = 1;
    bot.spec.strategy = { type: 'Recreate' };
    const broken = objects.filter((o) => o.kind !== 'PodDisruptionBudget' && o.kind !== 'HorizontalPodAutoscaler');
    const problems = checkTutorPolicy(broken).join('\n');
    expect(problems).toMatch(/replicas must be 2 or more with DATABASE_URL/);
    expect(problems).toMatch(/strategy must be RollingUpdate/);
    expect(problems).toMatch(/no PodDisruptionBudget selects its pods/);
    expect(problems).toMatch(/no HorizontalPodAutoscaler targets it/);
    const noVolume = clone(objects);
    delete (find(noVolume, 'StatefulSet').spec as Record<string, unknown>).volumeClaimTemplates;
    expect(checkTutorPolicy(noVolume).join('\n')).toMatch(/no volumeClaimTemplates/);
  });
});
