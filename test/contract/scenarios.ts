import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { roundAnswer } from '../support/answers.js';
import { CHANNEL, type Driver, type DriverOptions, type Seen } from './driver.js';

const GRADED = /✅|❌|🟡|📝/;
const text = (seen: Seen[]) => seen.map((s) => s.text).join('\n---\n');
const channelId = (d: Driver, name = CHANNEL) => {
  // The id the platform gave the channel the driver calls `name` (the core keys rounds by it).
  void d;
  return name;
};

/**
 * The contract every adapter passes (issue 11): the same scenarios, the same expected outcomes,
 * each run against the platform's fake server with the real core and the real quiz engine.
 * Platforms without a feature (the terminal has no threads or buttons) skip what cannot be asked of them, by name.
 */
export function contractSuite(name: string, make: (dataDir: string, options?: DriverOptions) => Promise<Driver>): void {
  describe(`the ${name} adapter keeps the conversation contract`, () => {
    let d: Driver;
    let dir: string;
    const start = async (options: DriverOptions = {}) => {
      dir = mkdtempSync(join(tmpdir(), `contract-${name}-`));
      d = await make(dir, options);
      return d;
    };
    afterEach(async () => {
      const problems = d ? d.problems() : [];
      await d?.close();
      rmSync(dir, { recursive: true, force: true });
      // Every payload the bot sent was one the platform accepts (Block Kit limits, Discord's OpenAPI description).
      expect(problems).toEqual([]);
    });

    /** The round running in the driver's channel, from the store. */
    const running = async () => (await d.app().store.quiz.runningRounds())[0];
    const roundChannel = async () => (await running())!.round.channel;

    it('looks a concept up: the card, in both languages', async () => {
      await start();
      const seen = await d.command('ann', 'k8s etcd');
      expect(text(seen)).toMatch(/etcd/);
      expect(text(seen)).toMatch(/클러스터|cluster/i);
    });

    it('shows <none> and <pod-name> from the notes as written, in text and in code', async () => {
      await start();
      const shown = text(await d.command('ann', 'k8s 댕글링 이미지'));
      expect(shown).toMatch(/<none>|&lt;none&gt;/);
      // A line that starts with one (Markdown reads it as an HTML block) too.
      expect(shown).toMatch(/(<none>|&lt;none&gt;) 은 빈 태그/);
      // And in a table, as `docker images` prints it.
      expect(shown).toMatch(/(<none>|&lt;none&gt;) \| (<none>|&lt;none&gt;)/);
      expect(shown).toMatch(/<pod-name>|&lt;pod-name&gt;/);
    });

    it('never lets hostile text ping anyone, and answers it', async () => {
      await start();
      const seen = await d.command('ann', 'k8s @everyone <!channel> <@U0BOSS> <@123456789012345678> **x**');
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect(d.pings(s.text), s.text).toBe(false);
    });

    it('runs a solo ordering drill: the answer (pressed or typed) is graded privately', async () => {
      await start();
      const [question] = await d.command('ann', 'quiz order');
      expect(question, 'a question').toBeDefined();
      if (!d.buttons) {
        const labels = [...question!.text.matchAll(/^\s*(?:[•*-]\s*)?\**([A-H])\b/gm)].map((m) => m[1]);
        expect(text(await d.type('ann', labels.join(' '), {}))).toMatch(GRADED);
        return;
      }
      expect(question!.private).toBe(true);
      let current = question!;
      for (let i = 0; i < 12; i++) {
        const step = current.buttons.find((b) => !b.disabled && /^[A-Z]\s*[.·]/.test(b.label.trim()));
        if (!step) break;
        const [next] = await step.press('ann');
        current = next!;
      }
      const submit = current.buttons.find((b) => /Submit|제출/.test(b.label))!;
      expect(submit, 'a submit button once every step is picked').toBeDefined();
      expect(text(await submit.press('ann'))).toMatch(GRADED);
    });

    it('runs a team round: an answer typed in its thread is graded, and the scoreboard follows there', async () => {
      await start();
      const started = await d.command('ann', 'quiz start 2 choice', { manager: true });
      expect(text(started)).toMatch(/Team round|팀/);
      const thread = d.roundThread();
      if (d.threads) expect(thread).toBeDefined();
      const right = await roundAnswer(d.app(), await roundChannel());
      expect(text(await d.type('bo', right, { thread }))).toMatch(GRADED);
      d.clock.advance(31_000);
      await new Promise((r) => setTimeout(r, 400));
      const answers = await d.app().store.quiz.roundAnswers((await running())!.round.id);
      expect(answers.map((a) => [a.userId.length > 0, a.correct])).toEqual([[true, true]]);
    });

    it.skipIf(name === 'terminal')('gives chatter in a round thread no reply at all, during the round and after it', async () => {
      await start();
      await d.command('ann', 'quiz start 1 choice', { manager: true });
      const thread = d.roundThread();
      expect(await d.type('bo', 'gg that was fun', { thread })).toEqual([]);
      d.clock.advance(31_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(await d.type('bo', 'gg that was fun', { thread })).toEqual([]);
    });

    it.skipIf(name === 'terminal')('never takes a line in a finished round’s thread as an answer to the channel’s new round', async () => {
      await start();
      await d.command('ann', 'quiz start 1 choice', { manager: true });
      const old = d.roundThread();
      d.clock.advance(31_000);
      await new Promise((r) => setTimeout(r, 300));
      await d.command('ann', 'quiz start 1 choice', { manager: true });
      const round = (await running())!;
      const seen = await d.type('bo', await roundAnswer(d.app(), round.round.channel), { thread: old });
      expect(text(seen)).not.toMatch(/✅|📝/);
      expect(await d.app().store.quiz.roundAnswers(round.round.id)).toEqual([]);
    });

    it('grades a solo answer given right after a round ended in the same channel, instead of calling it late', async () => {
      await start();
      const [question] = await d.command('ann', 'quiz choice');
      await d.command('bo', 'quiz start 1 choice', { manager: true });
      d.clock.advance(31_000);
      await new Promise((r) => setTimeout(r, 300));
      const seen = d.buttons ? await question!.buttons.find((b) => /^A/.test(b.label.trim()))!.press('ann') : await d.type('ann', 'A', {});
      expect(text(seen)).toMatch(GRADED);
      expect(text(seen)).not.toMatch(/round is over/);
    });

    it.skipIf(name === 'terminal')(
      'after a restart mid-round, an old button still answers, and the round stays in its thread',
      async () => {
        await start();
        const [first] = (await d.command('ann', 'quiz start 2 choice', { manager: true })).filter((s) => s.buttons.length > 0);
        const question = first ?? (await d.app().store.quiz.runningRounds(), undefined);
        const thread = d.roundThread();
        const right = await roundAnswer(d.app(), await roundChannel());
        await d.restart();
        await new Promise((r) => setTimeout(r, 300));
        const seen = question ? await question.buttons.find((b) => b.label.trim().startsWith(right))!.press('bo') : [];
        expect(text(seen)).toMatch(/✅|정답/);
        d.clock.advance(31_000);
        await new Promise((r) => setTimeout(r, 400));
        expect(d.roundThread()).toBe(thread);
      },
    );

    it.skipIf(name === 'terminal')('runs nothing for a forged button value: no round starts, and the presser is told', async () => {
      await start();
      const [solo] = await d.command('ann', 'quiz choice');
      for (const [kind, value] of [
        ['answer', '/quiz start 20 600s'],
        ['submit', '/quiz start 20 600s'],
        ['run', '/quiz start 20 600s'],
        ['run', '/daily off'],
      ] as const) {
        const seen = await d.forge('ann', kind, value, solo);
        expect(seen.length, `${kind} ${value}`).toBeGreaterThan(0);
        expect(seen.every((s) => s.private)).toBe(true);
      }
      expect(await d.app().store.quiz.runningRounds()).toEqual([]);
    });

    it('lets a manager stop a long round someone else started', async () => {
      await start();
      await d.command('ann', 'quiz start 20 choice');
      expect(await running()).toBeDefined();
      await d.command('boss', 'quiz stop', { manager: true });
      expect(await d.app().store.quiz.runningRounds()).toEqual([]);
    });

    it.skipIf(name === 'terminal')('refuses a team round in a direct message, where it could have no thread', async () => {
      await start();
      const seen = await d.command('ann', 'quiz start', { direct: true });
      expect(text(seen)).toMatch(/direct message|DM|다이렉트|서버/);
      expect(await d.app().store.quiz.runningRounds()).toEqual([]);
    });

    it('passes every inbound event through the one limit check: what it answers is shown, its silence is kept, others are untouched', async () => {
      // A stand-in check at the core's entry point (Admission): the real token buckets are issue 11 item 4's.
      let told = 0;
      await start({
        admit: (event) => {
          if (event.actor.id !== 'spammer' && event.actor.name !== 'spammer') return undefined;
          return told++ === 0
            ? [
                {
                  kind: 'notice',
                  code: 'limit.user',
                  visibility: 'private',
                  markdown: '잠시 천천히 해 주세요. / Please slow down a little.',
                },
              ]
            : [];
        },
      });
      if (d.platform === 'terminal') {
        // One person at a prompt: there is no one else to be fair to, and the terminal user is "me".
        expect(text(await d.command('me', 'k8s etcd'))).toMatch(/etcd/);
        return;
      }
      expect(text(await d.command('spammer', 'k8s etcd'))).toMatch(/slow down/);
      // Silence: nothing but the acknowledgement a platform insists on (Discord answers every interaction, privately).
      const second = await d.command('spammer', 'k8s etcd');
      expect(second.every((s) => s.private && !/etcd|slow down/.test(s.text))).toBe(true);
      expect(text(await d.command('ann', 'k8s etcd'))).toMatch(/etcd/);
    });

    it('tells a user over the limit once, politely, then stays silent until the window refills; others are untouched', async () => {
      // The real limits (rate-limiter-flexible in memory), two events per 3 s per person: its windows run on the wall clock.
      await start({ limits: { userEvents: 2, userWindowSeconds: 3, channelEvents: 0, channelWindowSeconds: 60 } });
      if (d.platform === 'terminal') {
        // The person at the terminal owns the process: never limited.
        for (let i = 0; i < 4; i++) expect(text(await d.command('me', 'k8s etcd'))).toMatch(/etcd/);
        return;
      }
      for (let i = 0; i < 2; i++) expect(text(await d.command('spammer', 'k8s etcd'))).toMatch(/etcd/);
      const notice = await d.command('spammer', 'k8s etcd');
      expect(text(notice)).toMatch(/try again in \d+ s/);
      expect(notice.every((s) => s.private)).toBe(true);
      const silent = await d.command('spammer', 'k8s etcd');
      expect(silent.every((s) => s.private && !/etcd|try again/.test(s.text))).toBe(true);
      expect(text(await d.command('ann', 'k8s etcd'))).toMatch(/etcd/);
      await new Promise((r) => setTimeout(r, 3_100));
      expect(text(await d.command('spammer', 'k8s etcd'))).toMatch(/etcd/);
    });

    void channelId;
  });
}
