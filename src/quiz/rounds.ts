import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { TimerHandle } from '../clock.js';
import type { IncomingMessage } from '../message.js';
import { metrics } from '../metrics.js';
import type { PostTarget, Reply, ScoreEntry } from '../reply.js';
import type { AnswerRecord, RoundRecord, RoundResult, StoredRound } from '../store/types.js';
import { escapeMarkdown } from '../lang.js';
import { answerRecord, channelKey, notice, plainName, playerKey, type QuizContext } from './context.js';
import { feedbackHead, gradeReply, invalidMarkdown, revealMarkdown, type Graded } from './feedback.js';
import { grade } from './grade.js';
import { hintFor, hintMarkdown } from './hints.js';
import { parseLabels } from './labels.js';
import { pickQuestions, type Topic } from './pick.js';
import { isQuestion, optionCount, type Question, type QuestionKind } from './question.js';
import { HINT_COST, MAX_HINTS, teamPoints } from './scoring.js';
import { questionReply, type RoundSlot } from './view.js';

interface Player {
  platform: string;
  userId: string;
  /** Plain text (plainName): escaped where it goes into Markdown. */
  name: string;
  points: number;
  correct: number;
  answers: number;
  /** When the answer that brought the player to this total arrived (time, then arrival order): ties go to the earlier one. */
  reachedAt: number;
  reachedSeq: number;
}

interface QuestionAnswer {
  player: string;
  points: number;
  correct: boolean;
  credit: number;
}

/** A running round, in memory. The store holds the same facts, written as they happen. */
interface LiveRound {
  rec: RoundRecord;
  questions: Question[];
  target: PostTarget;
  /** 0-based index of the open question. */
  index: number;
  askedAt: number;
  deadline: number;
  timer?: TimerHandle | undefined;
  answers: Map<string, QuestionAnswer>;
  /** Answers on the open question that earned points, in arrival order. */
  scorers: number;
  hints: Map<string, number>;
  players: Map<string, Player>;
  /** Until when this process holds the round's lease, as of its last renewal. */
  leaseUntil: number;
  /** Reads other replicas' answers just before the question closes. */
  merge?: TimerHandle | undefined;
}

interface Ended {
  roundId: string;
  endedAt: number;
  last: Question;
}

export interface StartOptions {
  count: number;
  kind?: QuestionKind | undefined;
  topic?: Topic | undefined;
  topicText?: string | undefined;
  seconds?: number | undefined;
}

/** After a restart, a round whose question ran out longer ago than this is closed rather than resumed. */
export function resumeGraceMs(seconds: number): number {
  return Math.max(60_000, 2 * seconds * 1000);
}

/**
 * How long a replica owns a running round without renewing its lease (src/store/leases.ts).
 * The heartbeat renews every third of it; another replica takes over within lease + one heartbeat
 * of the owner's death, and resumes the round in the same thread.
 */
export const ROUND_LEASE_MS = 15_000;

const leaseName = (roundId: string) => `round:${roundId}`;

/** Lease owners of this process not yet closed. */
const openOwners = new Set<string>();

/** host/pid/boot-random: unique per process, and says where the owner ran (see `deadHere`). */
function ownerId(boot: number): string {
  return `${hostname()}/${process.pid}/${boot}-${randomUUID().slice(0, 8)}`;
}

/**
 * A lease owner that ran on this host and is gone: a crash and restart on one machine (or in one
 * container: same hostname, and pid 1 again) need not wait out the lease. Its pid is no longer
 * running, or it is ours, which a different owner id means a previous life of this process had.
 * Owners on other hosts cannot be checked from here and are waited out.
 */
export function deadHere(owner: string, self: string): boolean {
  const [host, pidText] = owner.split('/');
  if (owner === self || host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Several apps in one process (tests) are told apart by the owners still open here.
  if (pid === process.pid) return !openOwners.has(owner);
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** How long into a new question a line that answers the previous one is taken as late for it. */
const PREVIOUS_ANSWER_GRACE_MS = 3_000;
/** How long after a round ends a late answer is told so instead of being looked up. */
const LATE_WINDOW_MS = 2 * 60 * 1000;
/** How long an ended round's thread is still recognised (its lines are ignored, not looked up), then swept. */
export const ENDED_THREAD_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Team rounds, one per channel. Anyone who answers plays; each player answers each question once.
 * Timers come from the injected clock; questions and scoreboards that no message asked for go
 * through the outbox. Every answer is in the store before its reply is returned.
 */
export class Rounds {
  private readonly live = new Map<string, LiveRound>();
  private readonly ended = new Map<string, Ended>();
  /** The store writes ending a channel's last round, until they are done. */
  private readonly settling = new Map<string, Promise<void>>();
  /** This process, as a lease owner: unique across processes sharing a store (boot count + random). */
  readonly owner: string;
  private readonly leaseMs: number;
  private heartbeat: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly ctx: QuizContext) {
    this.owner = ownerId(ctx.deps.store.boot);
    openOwners.add(this.owner);
    this.leaseMs = ctx.deps.roundLeaseMs ?? ROUND_LEASE_MS;
  }

  running(platform: string, channel: string): boolean {
    return this.live.has(channelKey(platform, channel));
  }

  get size(): number {
    return this.live.size;
  }

  /** Channels whose round ended recently enough for a late answer to be told so (bounded by the late window). */
  get recentlyEnded(): number {
    return this.ended.size;
  }

  /** The id of the round running in this channel. */
  liveRound(platform: string, channel: string): string | undefined {
    return this.live.get(channelKey(platform, channel))?.rec.id;
  }

  /** The open question of a running round; undefined once the round moved on or ended. */
  async currentQuestion(roundId: string): Promise<string | undefined> {
    for (const r of this.live.values()) if (r.rec.id === roundId) return r.questions[r.index]!.id;
    // Another replica may own the round (a button pressed behind a load balancer lands anywhere): the
    // store says which question is open and until when; the answer is then graded from the store too.
    const stored = await this.ctx.deps.store.quiz.runningRound(roundId);
    if (!stored || stored.round.state !== 'running') return undefined;
    const open = stored.questions.find((q) => q.number === stored.round.current);
    if (!open || open.closedAt !== undefined || (open.deadline !== undefined && this.ctx.now() >= open.deadline)) return undefined;
    const question = open.question as { id?: unknown } | null;
    return typeof question?.id === 'string' ? question.id : undefined;
  }

  /**
   * The platform opened a thread for this round (Discord opens it with the first question): every
   * later post goes there, lines typed there are its answers, and a resumed round keeps it.
   */
  async setThread(roundId: string, thread: string): Promise<void> {
    const round = [...this.live.values()].find((r) => r.rec.id === roundId);
    if (!round || round.rec.thread === thread) return;
    round.rec.thread = thread;
    round.target = targetOf(round.rec);
    await this.subscribe(round.rec);
  }

  /** Posts into the round's channel or thread; a refusal for good (uninstalled, channel gone) closes the round. */
  private postTo(round: LiveRound, reply: Reply): void {
    this.ctx.post(round.target, reply, { refused: () => this.abandon(round.rec.id, 'posts refused by the platform') });
  }

  /** The platform cannot hold this round (the channel refused its thread): closed without a word, scores kept. */
  abandon(roundId: string, reason: string): void {
    const round = [...this.live.values()].find((r) => r.rec.id === roundId);
    if (round) this.finish(round, 'closed', reason, '');
  }

  private subscribe(rec: RoundRecord): Promise<void> {
    if (!rec.thread) return Promise.resolve();
    const now = this.ctx.now();
    // Open until the round ends (endRound shortens it); the bound keeps a round lost in a crash from staying forever.
    const bound = now + rec.total * rec.seconds * 1000 + ENDED_THREAD_MS;
    return this.ctx.deps.store.conversation.subscribe({
      platform: rec.platform,
      channel: rec.channel,
      thread: rec.thread,
      workspace: rec.workspace,
      roundId: rec.id,
      openedAt: now,
      expiresAt: bound,
    });
  }

  /** Another channel of the same platform (and workspace) with a round: where a stray answer belongs. */
  elsewhere(msg: IncomingMessage): RoundRecord | undefined {
    for (const r of this.live.values()) {
      if (r.rec.platform === msg.platform && r.rec.channel !== msg.channel.id && (r.rec.workspace ?? '') === (msg.workspace ?? ''))
        return r.rec;
    }
    return undefined;
  }

  async start(msg: IncomingMessage, opts: StartOptions): Promise<Reply[]> {
    // A round needs a channel people share, and a thread to run in: never a direct message.
    if (msg.channel.direct) {
      return [
        notice(
          'quiz.round.direct',
          '팀 라운드는 서버(워크스페이스) 채널에서만 열 수 있어요. 여기서는 `/quiz` 로 혼자 풀어 보세요.\nTeam rounds run in a server or workspace channel, not in a direct message. Here, `/quiz` gives you a question of your own.',
        ),
      ];
    }
    const key = channelKey(msg.platform, msg.channel.id);
    const current = this.live.get(key);
    if (current) {
      return [
        notice(
          'quiz.round.running',
          `이 채널에서 이미 라운드가 진행 중이에요 (문제 ${current.index + 1}/${current.questions.length}). 끝나면 새로 시작하거나 \`/quiz stop\` 으로 멈춰요.\nA round is already running in this channel (question ${current.index + 1} of ${current.questions.length}). Wait for it to end, or \`/quiz stop\` it.`,
        ),
      ];
    }
    const questions = pickQuestions(this.ctx, { kind: opts.kind, topic: opts.topic, count: opts.count });
    if (questions.length === 0) return [notice('quiz.none', '이 조건으로 만들 문제가 없어요. / No questions match that kind and topic.')];
    const now = this.ctx.now();
    const seconds = opts.seconds ?? this.ctx.deps.quizSeconds;
    const rec: RoundRecord = {
      id: this.ctx.newRoundId(),
      platform: msg.platform,
      workspace: msg.workspace,
      channel: msg.channel.id,
      channelName: msg.channel.name,
      thread: msg.thread,
      startedBy: msg.user.id,
      startedAt: now,
      total: questions.length,
      kind: opts.kind ?? 'mix',
      topic: opts.topicText,
      seconds,
      state: 'running',
      current: 1,
    };
    const round: LiveRound = {
      rec,
      questions,
      target: targetOf(rec),
      index: 0,
      askedAt: now,
      deadline: now + seconds * 1000,
      answers: new Map(),
      scorers: 0,
      hints: new Map(),
      players: new Map(),
      leaseUntil: now + this.leaseMs,
    };
    // Claimed before the first await: a second start racing this one sees the round.
    this.live.set(key, round);
    try {
      await this.settling.get(key);
      // The lease first: a running round without one is what other replicas take over.
      await this.ctx.deps.store.leases.acquire(leaseName(rec.id), this.owner, now, this.leaseMs);
      await this.ctx.deps.store.quiz.createRound(
        rec,
        questions.map((q, i) => ({ number: i + 1, question: q })),
      );
      await this.ctx.deps.store.quiz.askQuestion(rec.id, 1, now, round.deadline);
      await this.subscribe(rec);
    } catch (err) {
      this.live.delete(key);
      void this.ctx.deps.store.leases.release(leaseName(rec.id), this.owner).catch(() => undefined);
      throw err;
    }
    this.ended.delete(key);
    metrics.roundsInProgress.set(this.live.size);
    this.arm(round);
    this.startHeartbeat();
    this.ctx.deps.log.info(
      { roundId: rec.id, channel: rec.channel, platform: rec.platform, total: rec.total, seconds },
      'quiz round started',
    );
    const intro = [
      `🎯 **팀 퀴즈 시작! / Team round!** ${questions.length}문제, 문제당 ${seconds}초 · ${questions.length} question${questions.length === 1 ? '' : 's'}, ${seconds} s each.`,
      '누구나 답할 수 있어요. 빨리 맞힐수록 점수가 높아요. / Anyone can answer; the first right answer scores most.',
    ].join('\n');
    return [questionReply(questions[0]!, this.slot(round), intro)];
  }

  async stop(msg: IncomingMessage): Promise<Reply[]> {
    const key = channelKey(msg.platform, msg.channel.id);
    const round = this.live.get(key);
    if (!round) return [notice('quiz.round.none', '이 채널에는 진행 중인 라운드가 없어요. / No round is running in this channel.')];
    if (!msg.canManage && msg.user.id !== round.rec.startedBy) {
      return [
        notice(
          'quiz.round.notYours',
          '라운드를 시작한 사람이나 채널 관리자만 멈출 수 있어요. / Only whoever started the round, or a channel manager, can stop it.',
        ),
      ];
    }
    const reply = this.finish(
      round,
      'stopped',
      `stopped by ${msg.user.id}`,
      '⏹ **라운드를 멈췄어요 / Round stopped.** 지금까지의 점수는 남아요. / Scores so far are kept.',
    );
    return [reply];
  }

  /** An answer in a channel with a round; undefined when the line is not an answer (chatter). */
  async answer(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const key = channelKey(msg.platform, msg.channel.id);
    const round = this.live.get(key) ?? (await this.ownedElsewhere(msg, key));
    // No round here: a late line for one that ended is the conversation layer's to tell (it knows the thread).
    if (!round) return undefined;
    return this.answerOn(round, msg);
  }

  /**
   * A round running in this channel that another replica owns: rebuilt from the store for this one
   * answer, graded here and written to the store (one answer per player per question, so a copy is
   * refused wherever it lands); the owner merges it before the question closes. Not looked for while
   * this process is ending a round in the channel (the store may not say so yet).
   */
  private async ownedElsewhere(msg: IncomingMessage, key: string): Promise<LiveRound | undefined> {
    if (this.settling.has(key) || this.ended.has(key)) return undefined;
    const stored = await this.ctx.deps.store.quiz.runningRoundIn(msg.platform, msg.channel.id);
    if (!stored || this.live.has(key)) return undefined;
    return this.rebuild(stored, 0);
  }

  private async answerOn(round: LiveRound, msg: IncomingMessage): Promise<Reply[] | undefined> {
    const q = round.questions[round.index]!;
    const attempt = grade(q, msg.text, { index: this.ctx.deps.index, team: true });
    if (attempt.status === 'ignored') return undefined;
    const now = this.ctx.now();
    if (now >= round.deadline) return [lateNotice()];
    if (this.meantForPrevious(round, attempt, msg.text, now)) return [lateNotice(false, true)];
    if (attempt.status === 'invalid') return [notice(`quiz.invalid.${attempt.code}`, invalidMarkdown(attempt, q))];
    const who = playerKey(msg.platform, msg.user.id);
    if (round.answers.has(who)) {
      return [
        notice(
          'quiz.answered',
          '이 문제에는 이미 답했어요. 한 문제에 한 번만 답할 수 있어요. / You already answered this question; one answer per question.',
        ),
      ];
    }
    // Everything up to the store write happens without awaiting: arrival order decides ties.
    const seq = this.ctx.arrival();
    const hints = round.hints.get(who) ?? 0;
    const earlier = round.scorers;
    const points = teamPoints({
      credit: attempt.credit,
      hints,
      earlier,
      speed: q.kind === 'order' ? { remainingMs: round.deadline - now, limitMs: round.rec.seconds * 1000 } : undefined,
    });
    const answers = round.answers;
    answers.set(who, { player: who, points, correct: attempt.correct, credit: attempt.credit });
    if (points > 0) round.scorers += 1;
    const player = this.player(round, msg);
    const before = { ...player };
    player.points += points;
    player.answers += 1;
    if (attempt.correct) player.correct += 1;
    // Ties rank by who got there first: the answer that last raised the total, or the first answer of a player with none.
    if (points > 0 || player.reachedSeq === 0) {
      player.reachedAt = now;
      player.reachedSeq = seq;
    }
    const undo = () => {
      answers.delete(who);
      if (points > 0 && round.answers === answers) round.scorers -= 1;
      Object.assign(player, before);
    };
    let result: 'recorded' | 'duplicate';
    try {
      const limitMs = round.rec.seconds * 1000;
      ({ result } = await this.ctx.record(
        answerRecord(msg, q, attempt, { roundId: round.rec.id, number: round.index + 1, points, hints, mode: 'round', at: now, seq }),
        { typo: attempt.typo, limitMs, elapsedMs: now - (round.deadline - limitMs) },
      ));
    } catch (err) {
      undo();
      throw err;
    }
    if (result === 'duplicate') {
      undo();
      return [notice('quiz.answered', '이 문제에는 이미 답했어요. / You already answered this question.')];
    }
    metrics.quizAnswers.inc({ kind: q.kind, correct: String(attempt.correct) });
    return [this.gradeReply(msg, q, attempt, points, attempt.correct ? earlier : undefined)];
  }

  async hint(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const round = this.live.get(channelKey(msg.platform, msg.channel.id));
    if (!round) return undefined;
    const who = playerKey(msg.platform, msg.user.id);
    if (round.answers.has(who))
      return [notice('quiz.hint.answered', '이미 답한 문제에는 힌트를 드릴 수 없어요. / You already answered this question.')];
    const used = round.hints.get(who) ?? 0;
    const q = round.questions[round.index]!;
    const h = hintFor(q, used);
    if (!h)
      return [
        notice('quiz.hint.none', `더 드릴 힌트가 없어요 (최대 ${MAX_HINTS}개). / No more hints for this question (at most ${MAX_HINTS}).`),
      ];
    round.hints.set(who, used + 1);
    await this.ctx.deps.store.quiz.addHint(q.id, round.rec.id, round.index + 1, msg.platform, msg.user.id);
    const cost = `_힌트 ${used + 1}개: 이 문제 점수 −${Math.round(HINT_COST * 100 * (used + 1))}% / ${used + 1} hint${used ? 's' : ''}: −${Math.round(HINT_COST * 100 * (used + 1))}% on this question_`;
    return [notice('quiz.hint', hintMarkdown(h, used + 1, cost))];
  }

  /**
   * Stops timers and lets go of the rounds' leases: they stay running in the store, and the next
   * process (a restart, or another replica) resumes them at once instead of waiting out the lease.
   */
  async close(): Promise<void> {
    this.closed = true;
    openOwners.delete(this.owner);
    this.heartbeat?.cancel();
    const mine = [...this.live.values()];
    for (const r of mine) {
      r.timer?.cancel();
      r.merge?.cancel();
    }
    this.live.clear();
    metrics.roundsInProgress.set(0);
    await Promise.all(mine.map((r) => this.ctx.deps.store.leases.release(leaseName(r.rec.id), this.owner).catch(() => undefined)));
  }

  /**
   * Rounds running in the store that nobody owns (no lease, or it expired: their process stopped):
   * taken over one by one (the lease decides between replicas racing for one), then resumed in
   * their thread, or closed with their scores, and the channel is told which. Rounds another live
   * process owns are left alone. Starts the heartbeat that keeps this process's leases and looks
   * again every third of a lease.
   */
  async recover(): Promise<{ resumed: string[]; closed: string[] }> {
    try {
      return await this.adopt();
    } finally {
      this.startHeartbeat();
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.closed) return;
    const beat = () => {
      this.heartbeat = this.ctx.deps.clock.setTimer(Math.floor(this.leaseMs / 3), () => {
        // Re-armed only once this beat's store work is done, so beats never pile up.
        void this.beat().finally(() => {
          if (!this.closed) beat();
        });
      });
    };
    beat();
  }

  /** Renews what this process owns, stops what it lost, takes over what nobody owns. */
  private async beat(): Promise<void> {
    const now = this.ctx.now();
    const mine = [...this.live.values()];
    if (mine.length > 0) {
      try {
        const held = await this.ctx.deps.store.leases.renew(
          mine.map((r) => leaseName(r.rec.id)),
          this.owner,
          now,
          this.leaseMs,
        );
        for (const r of mine) {
          if (held.has(leaseName(r.rec.id))) r.leaseUntil = now + this.leaseMs;
          else this.giveUp(r, 'lease taken by another replica');
        }
      } catch (err) {
        this.ctx.deps.log.warn({ err, rounds: mine.length }, 'quiz: round leases could not be renewed');
        // Stop before the lease runs out (one beat early), so two replicas never act on one round.
        for (const r of mine) if (now >= r.leaseUntil - this.leaseMs / 3) this.giveUp(r, 'lease not renewed in time');
      }
    }
    try {
      await this.adopt();
    } catch (err) {
      this.ctx.deps.log.warn({ err }, 'quiz: looking for rounds to take over failed');
    }
  }

  /** This process no longer owns the round: it stops acting on it at once, without writing or posting. */
  private giveUp(round: LiveRound, why: string): void {
    const key = channelKey(round.rec.platform, round.rec.channel);
    if (this.live.get(key) !== round) return;
    round.timer?.cancel();
    round.merge?.cancel();
    this.live.delete(key);
    metrics.roundsInProgress.set(this.live.size);
    this.ctx.deps.log.warn({ roundId: round.rec.id, channel: round.rec.channel, owner: this.owner }, `quiz round given up: ${why}`);
  }

  private async adopt(): Promise<{ resumed: string[]; closed: string[] }> {
    const out = { resumed: [] as string[], closed: [] as string[] };
    const store = this.ctx.deps.store;
    const ownIds = new Set([...this.live.values()].map((r) => r.rec.id));
    for (const lease of await store.leases.list('round:')) {
      if (lease.expiresAt > this.ctx.now() && deadHere(lease.owner, this.owner)) await store.leases.breakDead(lease.name, lease.owner);
    }
    for (const id of await store.quiz.unownedRounds(this.ctx.now())) {
      if (this.closed || ownIds.has(id)) continue;
      if (!(await store.leases.acquire(leaseName(id), this.owner, this.ctx.now(), this.leaseMs))) continue;
      const stored = await store.quiz.runningRound(id);
      // A thread the platform opened after the round started (Discord) is in the conversation store.
      if (stored && !stored.round.thread) {
        const sub = await store.conversation.threadOfRound(stored.round.id);
        if (sub) stored.round.thread = sub.thread;
      }
      const now = this.ctx.now();
      if (!stored || this.live.has(channelKey(stored.round.platform, stored.round.channel))) {
        await store.leases.release(leaseName(id), this.owner);
        continue;
      }
      const round = this.rebuild(stored, now + this.leaseMs);
      if (!round) {
        await store.quiz.endRound(stored.round.id, 'closed', now, 'unreadable after restart', []);
        await store.leases.release(leaseName(id), this.owner);
        out.closed.push(stored.round.id);
        continue;
      }
      const key = channelKey(round.rec.platform, round.rec.channel);
      this.live.set(key, round);
      const grace = resumeGraceMs(round.rec.seconds);
      if (now < round.deadline) {
        this.arm(round);
        const left = Math.ceil((round.deadline - now) / 1000);
        this.postTo(round, {
          ...questionReply(
            round.questions[round.index]!,
            this.slot(round),
            `🔄 **봇이 다시 시작됐어요. 라운드를 이어서 진행해요 (${left}초 남음). / The bot restarted; this round resumes (${left} s left).** 이미 낸 답과 점수는 그대로예요. / Answers and scores so far are kept.`,
          ),
          code: 'quiz.round.resumed',
        });
        out.resumed.push(round.rec.id);
      } else if (now - round.deadline <= grace) {
        this.postTo(
          round,
          notice(
            'quiz.round.resumed',
            '🔄 **봇이 다시 시작됐어요. 라운드를 이어서 진행해요. / The bot restarted; this round resumes.** 점수는 그대로예요. / Scores are kept.',
            'channel',
          ),
        );
        this.onDeadline(round);
        out.resumed.push(round.rec.id);
      } else {
        const reply = this.finish(
          round,
          'closed',
          'restart',
          '🔄 **봇이 다시 시작되는 동안 시간이 지나 라운드를 닫았어요. / The bot restarted too late to go on, so this round is closed.** 점수는 남아요. / Scores are kept.',
        );
        this.postTo(round, { ...reply, code: 'quiz.round.closed' });
        out.closed.push(round.rec.id);
      }
      this.ctx.deps.log.info(
        { roundId: round.rec.id, channel: round.rec.channel, resumed: out.resumed.includes(round.rec.id) },
        'quiz round recovered',
      );
    }
    metrics.roundsInProgress.set(this.live.size);
    return out;
  }

  private rebuild(stored: StoredRound, leaseUntil: number): LiveRound | undefined {
    const questions = stored.questions.map((q) => q.question);
    if (!questions.every(isQuestion) || questions.length === 0) return undefined;
    const rec = stored.round;
    const number = Math.min(Math.max(rec.current, 1), questions.length);
    const qrec = stored.questions.find((q) => q.number === number);
    const askedAt = qrec?.askedAt ?? rec.startedAt;
    // A question already closed (the crash came before the next was asked) is over: its deadline has passed.
    const deadline =
      qrec?.closedAt !== undefined
        ? Math.min(qrec.closedAt, qrec.deadline ?? qrec.closedAt)
        : (qrec?.deadline ?? askedAt + rec.seconds * 1000);
    const round: LiveRound = {
      rec: { ...rec, current: number },
      questions: questions as Question[],
      target: targetOf(rec),
      index: number - 1,
      askedAt,
      deadline,
      answers: new Map(),
      scorers: 0,
      hints: new Map(),
      players: new Map(),
      leaseUntil,
    };
    for (const a of stored.answers) {
      const who = playerKey(a.platform, a.userId);
      tally(round, a);
      if (a.number === number) {
        round.answers.set(who, { player: who, points: a.points, correct: a.correct, credit: a.credit });
        if (a.points > 0) round.scorers += 1;
      }
    }
    for (const h of stored.hints) if (h.number === number) round.hints.set(playerKey(h.platform, h.userId), h.count);
    return round;
  }

  private player(round: LiveRound, msg: IncomingMessage): Player {
    const who = playerKey(msg.platform, msg.user.id);
    let p = round.players.get(who);
    if (!p) {
      p = {
        platform: msg.platform,
        userId: msg.user.id,
        name: plainName(msg.user.name, msg.user.id),
        points: 0,
        correct: 0,
        answers: 0,
        reachedAt: 0,
        reachedSeq: 0,
      };
      round.players.set(who, p);
    } else if (msg.user.name) p.name = plainName(msg.user.name, msg.user.id);
    return p;
  }

  private slot(round: LiveRound): RoundSlot {
    return {
      roundId: round.rec.id,
      number: round.index + 1,
      total: round.questions.length,
      deadline: round.deadline,
      seconds: round.rec.seconds,
      thread: round.rec.thread,
    };
  }

  /** How long before a question closes the owner reads answers other replicas took for it. */
  private static readonly MERGE_BEFORE_MS = 1_000;

  private arm(round: LiveRound): void {
    round.timer?.cancel();
    round.merge?.cancel();
    const mergeIn = round.deadline - this.ctx.now() - Rounds.MERGE_BEFORE_MS;
    if (mergeIn > 0) round.merge = this.ctx.deps.clock.setTimer(mergeIn, () => void this.mergeRemote(round));
    round.timer = this.ctx.deps.clock.setTimer(Math.max(0, round.deadline - this.ctx.now()), () => {
      try {
        this.onDeadline(round);
      } catch (err) {
        this.ctx.deps.log.error({ err, roundId: round.rec.id, channel: round.rec.channel }, 'quiz round timer failed');
      }
    });
  }

  /** Answers to the open question that other replicas recorded: into this round's scores before it closes. */
  private async mergeRemote(round: LiveRound): Promise<void> {
    try {
      const number = round.index + 1;
      const stored = await this.ctx.deps.store.quiz.roundAnswers(round.rec.id);
      if (this.live.get(channelKey(round.rec.platform, round.rec.channel)) !== round || round.index + 1 !== number) return;
      for (const a of stored) {
        const who = playerKey(a.platform, a.userId);
        if (a.number !== number || round.answers.has(who)) continue;
        round.answers.set(who, { player: who, points: a.points, correct: a.correct, credit: a.credit });
        if (a.points > 0) round.scorers += 1;
        tally(round, a);
      }
    } catch (err) {
      this.ctx.deps.log.warn({ err, roundId: round.rec.id }, 'quiz: answers from other replicas could not be read');
    }
  }

  /** Time is up: the answer and the scoreboard, then the next question or the end. Synchronous up to the posts, so they come out in order. */
  private onDeadline(round: LiveRound): void {
    if (this.live.get(channelKey(round.rec.platform, round.rec.channel)) !== round) return;
    const now = this.ctx.now();
    const number = round.index + 1;
    if (number >= round.questions.length) {
      this.postTo(
        round,
        this.finish(
          round,
          'finished',
          'completed',
          `⏱ **문제 ${number} 끝! / Question ${number} is over!**\n\n${revealMarkdown(round.questions[round.index]!)}\n\n${this.questionResults(round)}`,
        ),
      );
      return;
    }
    this.postTo(
      round,
      this.scoreboardReply(
        round,
        false,
        `⏱ **문제 ${number} 끝! / Question ${number} is over!**\n\n${revealMarkdown(round.questions[round.index]!)}\n\n${this.questionResults(round)}`,
      ),
    );
    round.index += 1;
    round.rec.current = round.index + 1;
    round.askedAt = now;
    round.deadline = now + round.rec.seconds * 1000;
    round.answers = new Map();
    round.scorers = 0;
    round.hints = new Map();
    this.persist(round, 'askQuestion', () =>
      this.ctx.deps.store.quiz.askQuestion(round.rec.id, round.index + 1, now, round.deadline, { number, at: now }),
    );
    this.arm(round);
    this.postTo(round, questionReply(round.questions[round.index]!, this.slot(round)));
  }

  private finish(round: LiveRound, state: 'finished' | 'stopped' | 'closed', reason: string, head: string): Reply {
    const key = channelKey(round.rec.platform, round.rec.channel);
    round.timer?.cancel();
    round.merge?.cancel();
    this.live.delete(key);
    const now = this.ctx.now();
    // Only rounds that ended within the late window matter: older ones go, so the map holds recent channels only.
    for (const [k, e] of this.ended) if (now - e.endedAt > LATE_WINDOW_MS) this.ended.delete(k);
    this.ended.set(key, { roundId: round.rec.id, endedAt: now, last: round.questions[round.index]! });
    metrics.roundsInProgress.set(this.live.size);
    const ranked = this.ranked(round);
    const results: RoundResult[] = ranked.map((p, i) => ({
      platform: p.platform,
      userId: p.userId,
      points: p.points,
      rank: i + 1,
      correct: p.correct,
      answers: p.answers,
    }));
    // Both issued now, in order; a new round in this channel waits for them (one running round per channel in the store too).
    const quiz = this.ctx.deps.store.quiz;
    const closing = [
      quiz.closeQuestion(round.rec.id, round.index + 1, now),
      quiz.endRound(round.rec.id, state, now, reason, results),
      // Its thread stops being a round thread and its buttons close (conversation state ends with the round).
      this.ctx.deps.store.conversation.endRound(round.rec.id, now, ENDED_THREAD_MS),
    ];
    const settled = this.persist(round, 'endRound', () =>
      Promise.all(closing).then(() => this.ctx.deps.store.leases.release(leaseName(round.rec.id), this.owner)),
    );
    this.settling.set(key, settled);
    void settled.then(() => {
      if (this.settling.get(key) === settled) this.settling.delete(key);
    });
    this.ctx.deps.log.info({ roundId: round.rec.id, channel: round.rec.channel, state, players: ranked.length }, 'quiz round ended');
    return { ...this.scoreboardReply(round, true, head), code: `quiz.round.${state}` };
  }

  /** A write that no reply waits for: logged when it fails, never thrown. */
  private persist(round: LiveRound, what: string, op: () => Promise<void>): Promise<void> {
    return op().catch((err: unknown) =>
      this.ctx.deps.log.error({ err, roundId: round.rec.id, channel: round.rec.channel, what }, 'quiz round could not be saved'),
    );
  }

  private ranked(round: LiveRound): Player[] {
    return [...round.players.values()].sort(
      (a, b) => b.points - a.points || a.reachedAt - b.reachedAt || a.reachedSeq - b.reachedSeq || (a.userId < b.userId ? -1 : 1),
    );
  }

  private questionResults(round: LiveRound): string {
    const rows = [...round.answers.values()];
    if (rows.length === 0) return '이번 문제에는 답이 없었어요. / Nobody answered this one.';
    const line = (a: QuestionAnswer) => {
      const p = round.players.get(a.player);
      const mark = a.correct ? '✅' : a.credit > 0 ? '🟡' : '❌';
      return `${mark} ${escapeMarkdown(p?.name ?? '?')} +${a.points}`;
    };
    return `**이번 문제 / This question:** ${rows.map(line).join(' · ')}`;
  }

  private scoreboardReply(round: LiveRound, final: boolean, head: string): Reply {
    const entries: ScoreEntry[] = this.ranked(round).map((p, i) => ({ user: p.userId, name: p.name, points: p.points, rank: i + 1 }));
    const title = final
      ? { ko: '최종 점수', en: 'Final scores' }
      : { ko: `점수판 (${round.index + 1}/${round.questions.length})`, en: `Scoreboard (${round.index + 1} of ${round.questions.length})` };
    const board = entries.length
      ? entries.map((e) => `${medal(e.rank)} ${escapeMarkdown(e.name ?? e.user)} — ${e.points}점 / ${e.points} pts`).join('\n')
      : '아직 점수를 얻은 사람이 없어요. / No scores yet.';
    const tail = final
      ? ['', '_새 라운드: `/quiz start` · 순위: `/leaderboard` / New round: `/quiz start` · Leaderboard: `/leaderboard`_']
      : [];
    return {
      kind: 'scoreboard',
      code: final ? 'quiz.round.final' : 'quiz.round.scoreboard',
      visibility: 'channel',
      markdown: [head, '', `**${title.ko} / ${title.en}**`, board, ...tail].join('\n'),
      scoreboard: { title, entries, final },
      ...(round.rec.thread ? { thread: round.rec.thread } : {}),
    };
  }

  private gradeReply(msg: IncomingMessage, q: Question, a: Graded, points: number, place: number | undefined): Reply {
    const lines = feedbackHead(q, a, points, { place, fullExplanation: false });
    lines.push('', '_정답과 해설은 시간이 끝나면 채널에 공개돼요. / The answer is revealed in the channel when time is up._');
    return gradeReply(msg, q, a, points, lines.join('\n'), msg.thread ? { thread: msg.thread } : {});
  }

  /**
   * The next question goes out the moment time is up, so an answer typed a hair late meets the new
   * question. In the new question's first seconds, a line that is not right for it but is right for
   * the question that just closed was meant for that one: it is late, not a wrong answer to this one.
   */
  private meantForPrevious(round: LiveRound, attempt: ReturnType<typeof grade>, text: string, now: number): boolean {
    if (round.index === 0 || now - round.askedAt >= PREVIOUS_ANSWER_GRACE_MS) return false;
    if (attempt.status === 'graded' && attempt.correct) return false;
    const previous = grade(round.questions[round.index - 1]!, text, { index: this.ctx.deps.index, team: true });
    return previous.status === 'graded' && previous.correct;
  }

  /**
   * A label answer shortly after a round ended, in that round's thread (or, on a platform without
   * threads, its channel): too late, said plainly. Anywhere else the line is not this round's.
   */
  late(msg: IncomingMessage, roundId?: string): Reply[] | undefined {
    const key = channelKey(msg.platform, msg.channel.id);
    if (this.live.has(key)) return undefined;
    const e = this.ended.get(key);
    if (!e || this.ctx.now() - e.endedAt > LATE_WINDOW_MS) {
      if (e) this.ended.delete(key);
      return undefined;
    }
    if (roundId !== undefined && roundId !== e.roundId) return undefined;
    const n = optionCount(e.last);
    if (n === 0) return undefined;
    const want = e.last.kind === 'order' ? n : e.last.kind === 'swap' ? 2 : 1;
    const parsed = parseLabels(msg.text, n, want);
    if (!parsed.ok && parsed.code === 'labels.none') return undefined;
    return [lateNotice(true)];
  }
}

function lateNotice(roundOver = false, previousQuestion = false): Reply {
  return notice(
    'quiz.late',
    roundOver
      ? '⏱ 시간이 끝났어요. 라운드가 이미 끝나 이 답은 세지 않았어요. 새 라운드는 `/quiz start`. / Time is up: the round is over, so this answer was not counted. `/quiz start` begins a new one.'
      : previousQuestion
        ? '⏱ 방금 끝난 문제의 답으로 보여요. 시간이 지나 세지 않았고, 새 문제에는 아직 답할 수 있어요. / That looks like an answer to the question that just closed: too late to count, and you can still answer the new one.'
        : '⏱ 시간이 끝났어요. 이 답은 세지 않았어요. / Time is up: this answer was not counted.',
  );
}

function medal(rank: number): string {
  return rank === 1 ? '🥇' : rank === 2 ? '🥈' : rank === 3 ? '🥉' : `${rank}.`;
}

function targetOf(rec: RoundRecord): PostTarget {
  return {
    platform: rec.platform,
    channel: rec.channel,
    ...(rec.thread ? { thread: rec.thread } : {}),
    ...(rec.workspace ? { workspace: rec.workspace } : {}),
  };
}

/** Adds a stored answer to its player's running totals (ties go to whoever scored first). */
function tally(round: LiveRound, a: AnswerRecord): void {
  const who = playerKey(a.platform, a.userId);
  const p = round.players.get(who) ?? {
    platform: a.platform,
    userId: a.userId,
    name: plainName(a.userName, a.userId),
    points: 0,
    correct: 0,
    answers: 0,
    reachedAt: 0,
    reachedSeq: 0,
  };
  p.points += a.points;
  p.answers += 1;
  if (a.correct) p.correct += 1;
  if (a.points > 0 || p.reachedSeq === 0) {
    p.reachedAt = a.at;
    p.reachedSeq = a.seq;
  }
  round.players.set(who, p);
}
