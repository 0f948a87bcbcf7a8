import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { Autocomplete } from '../../adapters/discord/autocomplete.js';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';

const apps: App[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function appOn(notes: string): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'autocomplete-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'notes.md'), notes);
  const app = await createApp({ notesPaths: [dir], log: silentLogger, dailyPlatforms: [] });
  apps.push(app);
  return app;
}

describe('autocomplete across a reload of the notes', () => {
  it('suggests from the new notes once they are loaded, not from what it kept of the old ones', async () => {
    const app = await appOn('## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n');
    const box = new Autocomplete(app.tutor);
    const names = () => box.choices('po').map((c) => c.name);
    expect(names()).toContain('파드 · Pod');

    const edited = await appOn('## 포드 (Pod)\n\n이름을 바꿔 적은 노트다.\n\n## 포트 (Port)\n\n접속 번호다.\n');
    app.tutor.live.swap(edited.knowledge, edited.tutor.index);
    expect(names()).not.toContain('파드 · Pod');
    expect(names()).toEqual(expect.arrayContaining(['포드 · Pod', '포트 · Port']));
    // The body sent to Discord is the same answer.
    expect(JSON.parse(box.callback('po').toString('utf8'))).toEqual({ type: 8, data: { choices: box.choices('po') } });
  });
});

describe('what the answers keep after a reload', () => {
  it('lets the replaced index go: neither the kept lookups nor the kept autocomplete answers hold it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const app = await appOn('## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n');
    const box = new Autocomplete(app.tutor);
    app.tutor.lookup('pod');
    box.choices('po');
    const old = new WeakRef(app.tutor.index);

    const edited = await appOn('## 포드 (Pod)\n\n이름을 바꿔 적은 노트다.\n');
    app.tutor.live.swap(edited.knowledge, edited.tutor.index);
    for (let i = 0; i < 5 && old.deref(); i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(old.deref()).toBeUndefined();
    // And both still answer, from the new notes.
    expect(app.tutor.lookup('pod').hits[0]?.concept.title.ko).toBe('포드');
    expect(box.choices('po').map((c) => c.name)).toContain('포드 · Pod');
  });
});
