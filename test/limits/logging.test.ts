import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { boltLogger } from '../../adapters/slack/boltLogger.js';
import { createApp, type App } from '../../src/app.js';
import { createLogger, withCorrelation } from '../../src/logger.js';
import { CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import { SECRET, startHarness, type Harness } from '../slack/harness.js';

/** A pino logger writing JSON lines into memory. */
function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, destination });
  return { log, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const RESPONSE_URL = 'https://hooks.slack.com/commands/T0001/123456/s3cr3tT0k3n';
const USER_TEXT = 'my private note about etcd quorum';

let app: App | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await app?.close();
  h = undefined;
  app = undefined;
});

describe("Bolt's log objects go through pino", () => {
  it('never writes a response_url or user text above debug, in messages, objects or errors', () => {
    const { log, lines, records } = capture('info');
    const bolt = boltLogger(log);
    bolt.warn(`Failed to respond to ${RESPONSE_URL}`, {
      response_url: RESPONSE_URL,
      text: USER_TEXT,
      body: { response_url: RESPONSE_URL, text: USER_TEXT },
    });
    bolt.error(new Error(`request to ${RESPONSE_URL} failed`));
    bolt.info('an event', { event: { text: USER_TEXT, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: USER_TEXT } }] } });
    expect(lines).toHaveLength(3);
    const all = lines.join('\n');
    expect(all).not.toContain('s3cr3tT0k3n');
    expect(all).not.toContain(USER_TEXT);
    // What is left still says where and what.
    expect(records()[0]!.msg).toBe('Failed to respond to https://hooks.slack.com/…');
    expect(records()[1]!.msg).toBe('request to https://hooks.slack.com/… failed');
    expect(records()[1]!.level).toBe(50);
  });

  it('keeps them at debug, where an operator who asked for everything gets everything', () => {
    const { log, lines } = capture('debug');
    boltLogger(log).debug(`http request url: ${RESPONSE_URL}`, { text: 'plain debug text' });
    expect(lines.join('\n')).toContain('s3cr3tT0k3n');
  });

  it('writes nothing below the level LOG_LEVEL asked for, whatever level Bolt asks for', () => {
    const { log, lines } = capture('warn');
    const bolt = boltLogger(log);
    bolt.setLevel('debug' as never);
    bolt.info('connected');
    bolt.debug('details');
    expect(lines).toEqual([]);
  });
});

describe('a correlation id per incoming event', () => {
  it('is on every line logged while the core handles the event, and differs between events', async () => {
    const { log, records } = capture('info');
    app = await createApp({
      log,
      limits: false,
      features: [
        {
          name: 'boom',
          commands: {
            review: () => {
              log.info('starting the failing command');
              throw new Error('boom');
            },
          },
        },
      ],
    });
    await withCorrelation('slack:Ev1', () =>
      app!.tutor.run({ name: 'review', args: [] }, { platform: 'slack', user: { id: 'U1' }, channel: { id: 'C1' }, text: '/review' }),
    );
    await app.tutor.run({ name: 'review', args: [] }, { platform: 'slack', user: { id: 'U1' }, channel: { id: 'C1' }, text: '/review' });
    const handled = records().filter((r) => r.msg === 'starting the failing command' || r.msg === 'command failed');
    expect(handled).toHaveLength(4);
    expect(handled.slice(0, 2).map((r) => r.correlationId)).toEqual(['slack:Ev1', 'slack:Ev1']);
    const second = handled.slice(2).map((r) => r.correlationId);
    expect(second[0]).toEqual(expect.any(String));
    expect(second[0]).not.toBe('slack:Ev1');
    expect(second[1]).toBe(second[0]);
  });

  it("is Slack's event_id on Bolt's lines and ours, including the post made after the ack", async () => {
    const { log, records } = capture('debug');
    h = await startHarness({ log });
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback(
        { type: 'app_mention', user: USER, text: '<@UBOT> etcd', ts: '1767225600.200001', channel: CHANNEL, team: 'T0001' },
        'EvCORRELATE1',
      ),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await h.api.waitFor(() => h!.api.callsOf('chat.postMessage').find((c) => c.status === 200));
    const mine = records().filter((r) => r.correlationId === 'slack:EvCORRELATE1');
    // The answer is posted from the answer queue and the channel's outbound queue, after the ack.
    expect(mine.map((r) => r.msg)).toContain("apiCall('chat.postMessage') start");
    // Start-up lines belong to no event.
    expect(records().filter((r) => r.correlationId && r.correlationId !== 'slack:EvCORRELATE1')).toEqual([]);
  });

  it('writes neither the text of a mention nor a response_url when LOG_LEVEL is info', async () => {
    const { log, lines } = capture('info');
    h = await startHarness({ log });
    await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'app_mention',
        user: USER,
        text: `<@UBOT> ${USER_TEXT}`,
        ts: '1767225600.200002',
        channel: CHANNEL,
        team: 'T0001',
      }),
      { secret: SECRET },
    );
    const { responseUrl } = await h.command(USER_TEXT);
    await h.api.waitFor(() => h!.api.callsOf('response_url').find((c) => c.args._url === responseUrl.split('/').pop()));
    await h.api.waitFor(() => h!.api.callsOf('chat.postMessage').find((c) => c.status === 200));
    expect(lines.join('\n')).not.toContain(USER_TEXT);
    expect(lines.join('\n')).not.toContain(responseUrl);
  });
});
