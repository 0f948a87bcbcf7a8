/**
 * `npm run check:deploy`: lints the Dockerfile offline, renders every kustomize folder under deploy/
 * and checks each rendered object against the Kubernetes schemas and what the issue promises.
 * Prints one line per check and closes with `deploy: N passed, N failed`; exits 1 on any failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTutorPolicy, lintDockerfile, renderKustomize, validateSchemas } from './deploy-checks.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;

function report(what: string, problems: string[]): void {
  if (problems.length === 0) {
    passed += 1;
    console.log(`ok   - ${what}`);
    return;
  }
  failed += 1;
  console.log(`FAIL - ${what}`);
  for (const p of problems) console.log(`       ${p}`);
}

function kustomizeDirs(): string[] {
  const base = join(ROOT, 'deploy', 'base');
  const overlays = join(ROOT, 'deploy', 'overlays');
  const dirs = [base];
  if (existsSync(overlays))
    for (const entry of readdirSync(overlays, { withFileTypes: true })) if (entry.isDirectory()) dirs.push(join(overlays, entry.name));
  return dirs.filter((d) => existsSync(join(d, 'kustomization.yaml')));
}

async function main(): Promise<void> {
  report(
    'Dockerfile lints clean (dockerfile-utils errors and the image rules)',
    lintDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')),
  );

  const dirs = kustomizeDirs();
  if (dirs.length < 2)
    report('deploy/ has a base and at least one overlay', [`found: ${dirs.map((d) => relative(ROOT, d)).join(', ') || 'none'}`]);
  for (const dir of dirs) {
    const name = relative(ROOT, dir);
    let objects;
    try {
      objects = await renderKustomize(dir);
    } catch (err) {
      report(`${name} renders with kustomize`, [(err as Error).message]);
      continue;
    }
    report(`${name} renders with kustomize (${objects.length} objects: ${[...new Set(objects.map((o) => o.kind))].join(', ')})`, []);
    report(`${name} objects match the Kubernetes schemas (kubernetes-models)`, await validateSchemas(objects));
    report(
      `${name} keeps the bot's promises (SQLite: one replica, Recreate; DATABASE_URL: replicas, RollingUpdate, PDB, HPA on CPU; probes, limits, security context, scrape)`,
      checkTutorPolicy(objects),
    );
  }
}

main()
  .catch((err: unknown) => report('check-deploy ran', [String((err as Error)?.stack ?? err)]))
  .finally(() => {
    console.log(`deploy: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
