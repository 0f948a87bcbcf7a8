import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { looksLikePaste } from '../../src/explain/detect.js';
import { readPaste } from '../../src/explain/read.js';
import { createLogger } from '../../src/logger.js';

const PINGS = /@everyone|@here|<!channel>|<!here>|<@[A-Z0-9&]+>/;

/** Lines that look like kubectl output, mixed with hostile ones. */
const line = fc.oneof(
  fc.constantFrom(
    'NAME   READY   STATUS   RESTARTS   AGE',
    'web-1   0/1   CrashLoopBackOff   3 (1m ago)   5m',
    '  Warning  BackOff  1m  kubelet  Back-off restarting failed container app in pod web-1',
    'Name:  web-1',
    'Containers:',
    '  app:',
    '    Last State:  Terminated',
    '      Reason:    OOMKilled',
    '      Exit Code: 137',
    'Events:',
    '@everyone <!channel> <@U999> <@&123>',
    '```',
    'password=hunter2-XYZ',
  ),
  fc.string({ maxLength: 200 }),
);

describe('a paste of anything', () => {
  it('is read without throwing, never reports a ping, never invents a line outside the paste', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const text = lines.join('\n');
        const r = readPaste(text);
        const total = text.split(/\r?\n/).length;
        for (const f of r.findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(total);
          expect(f.text).not.toMatch(PINGS);
          expect(f.text).not.toContain('hunter2-XYZ');
        }
        for (const u of r.unknown) expect(u.text).not.toMatch(PINGS);
        looksLikePaste(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('logging a paste', () => {
  let app: App;
  let logged = '';
  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => (logged += d.toString()));
    // The most talkative level: even there only the paste's size and signals are written.
    app = await createApp({ log: createLogger({ level: 'trace', destination: sink }), dailyPlatforms: [] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes no line of the paste to the log, at any level', async () => {
    const paste =
      '```\nNAME   READY   STATUS   RESTARTS   AGE\nweb-unique-9q8w7   0/1   CrashLoopBackOff   3   5m\nDB_PASSWORD=Zebra-Unique-Secret-42\n```';
    const [reply] = await app.tutor.handle({ platform: 'test', user: { id: 'u' }, channel: { id: 'c' }, text: paste });
    expect(reply!.kind).toBe('explain');
    await new Promise((r) => setTimeout(r, 20));
    expect(logged).toContain('paste explained');
    expect(logged).not.toContain('web-unique-9q8w7');
    expect(logged).not.toContain('Zebra-Unique-Secret-42');
  });
});
