import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../src/app.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { loadConfig, splitList } from '../src/config.js';
import { TutorError } from '../src/errors.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Concept } from '../src/knowledge/types.js';
import type { PostTarget, Reply } from '../src/reply.js';
import type { SearchOutcome } from '../src/search/engine.js';
import { explainText } from '../src/explain/view.js';
import { copyStore } from '../src/store/copy.js';
import { openPostgresStore, redactUrl } from '../src/store/postgres.js';
import { DB_FILE, openSqliteStore } from '../src/store/sqlite.js';
import { createTerminalAdapter } from './terminal/adapter.js';
import { renderReply } from './terminal/render.js';

/**
 * `tutor ask|concepts|chat`: the scriptable face of the bot. Standard output carries only the
 * answers (JSON with --json); logs go to standard error.
 */
const USAGE = `usage:
  tutor ask [--json] [--notes PATH]... [QUERY]     look up a concept (no QUERY: one query per line on stdin)
  tutor concepts --json [--notes PATH]...          list every concept
  tutor chat [--json] [--seed N] [--notes PATH]... [--image-dir DIR]
                                                   chat over standard input (JSON lines with --json; pictures
                                                   such as /progress are written to DIR, default a temporary folder)
  tutor explain [--json] [FILE]                    read kubectl/docker output (standard input without FILE)
  tutor migrate-store [--from DATA_DIR]            copy the SQLite store in DATA_DIR into PostgreSQL at DATABASE_URL
  --watch (or NOTES_WATCH=1) with ask or chat reading standard input: reload the notes when they change`;

function conceptJson(c: Concept, score?: number) {
  return {
    id: c.id,
    // null, not a copy of the Korean title, when the notes give no English name (README: Scripts and your own notes).
    title: { ko: c.title.ko, en: c.noEnglishName ? null : c.title.en },
    aliases: c.aliases,
    ...(score !== undefined ? { score } : {}),
    source: { file: c.source.file, heading: c.source.heading },
  };
}

export function askJson(outcome: SearchOutcome) {
  return { query: outcome.query, results: outcome.hits.map((h) => conceptJson(h.concept, h.score)) };
}

async function readLines(onLine: (line: string) => Promise<void>): Promise<void> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) await onLine(line);
}

function print(obj: unknown): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

/**
 * A reply as the transcript prints it: a picture's bytes go to a PNG file in the image folder and
 * the line carries `"image": {"mime", "alt", "file"}` instead.
 */
export function imageWriter(dir: string | undefined): (reply: Reply) => object {
  let folder: string | undefined;
  let n = 0;
  return (reply) => {
    if (!reply.image) return reply;
    if (!folder) {
      folder = dir ? resolve(dir) : mkdtempSync(join(tmpdir(), 'tutor-images-'));
      mkdirSync(folder, { recursive: true });
    }
    const file = join(folder, `${String(++n).padStart(3, '0')}-${reply.image.name.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(file, reply.image.data);
    return { ...reply, image: { mime: reply.image.mime, alt: reply.image.alt, file } };
  };
}

async function ask(app: App, json: boolean, query: string | undefined): Promise<void> {
  const answer = async (q: string) => {
    const outcome = app.tutor.lookup(q);
    if (json) print(askJson(outcome));
    else {
      const [reply] = await app.tutor.run(
        { name: 'lookup', query: q },
        { platform: 'cli', user: { id: 'cli' }, channel: { id: 'cli' }, text: q },
      );
      process.stdout.write(`${renderReply(reply!)}\n\n`);
    }
  };
  if (query !== undefined) return answer(query);
  await readLines(answer);
}

/** More than the explainer ever reads (src/explain/read.ts caps it and says so); a huge file is not held whole. */
const EXPLAIN_READ_BYTES = 256 * 1024;

async function readInput(file: string | undefined): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const stream = file ? createReadStream(file, { end: EXPLAIN_READ_BYTES - 1 }) : process.stdin;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buf);
    size += buf.length;
    if (size >= EXPLAIN_READ_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, EXPLAIN_READ_BYTES).toString('utf8');
}

/** `tutor explain --json [FILE]`: exactly `{"findings": [{signal, concept, line, text}], "unknown": [...]}`. */
async function explain(app: App, json: boolean, file: string | undefined): Promise<void> {
  const text = await readInput(file);
  if (json) {
    print(explainText(text, app.knowledge).view);
    return;
  }
  const replies = await app.tutor.run(
    { name: 'explain', text },
    { platform: 'cli', user: { id: 'cli' }, channel: { id: 'cli' }, text: '' },
  );
  for (const reply of replies) process.stdout.write(`${renderReply(reply)}\n\n`);
}

function concepts(app: App): void {
  print(
    app.knowledge.concepts.map((c) => ({
      ...conceptJson(c),
      summary: { ko: c.summary.ko, en: c.summary.en },
      category: c.category,
    })),
  );
}

/** The transcript: JSON lines in (`{"user","channel","text"}` or `{"tick": seconds}`), one JSON line per reply out. */
async function chatJson(app: App, clock: ManualClock, pending: Promise<unknown>[], asJson: (reply: Reply) => object): Promise<void> {
  await readLines(async (line) => {
    if (!line.trim()) return;
    let input: { user?: unknown; channel?: unknown; thread?: unknown; text?: unknown; tick?: unknown; name?: unknown; admin?: unknown };
    try {
      input = JSON.parse(line) as typeof input;
      if (typeof input !== 'object' || input === null) throw new Error('not an object');
    } catch {
      print({
        kind: 'error',
        code: 'input.invalid',
        visibility: 'private',
        markdown: '입력 줄이 JSON 객체가 아니에요.\nThis input line is not a JSON object.',
      });
      return;
    }
    if (typeof input.tick === 'number' && Number.isFinite(input.tick) && input.tick >= 0) {
      clock.advance(input.tick * 1000);
      // Posts the tick set off print before the next line's reply, in time order.
      await app.daily.scheduler.idle();
      await Promise.all(pending.splice(0));
      return;
    }
    if (typeof input.text !== 'string' || (typeof input.user !== 'string' && typeof input.user !== 'number')) {
      print({
        kind: 'error',
        code: 'input.invalid',
        visibility: 'private',
        markdown: '`user` 와 `text` 가 필요해요.\nEach line needs "user" and "text" (or "tick").',
      });
      return;
    }
    const user = String(input.user);
    const channel = typeof input.channel === 'string' || typeof input.channel === 'number' ? String(input.channel) : 'transcript';
    const replies = await app.tutor.handle({
      platform: 'transcript',
      user: { id: user, name: typeof input.name === 'string' ? input.name : user },
      channel: { id: channel },
      ...(typeof input.thread === 'string' ? { thread: input.thread.slice(0, 100) } : {}),
      workspace: 'transcript',
      text: input.text,
      canManage: input.admin !== false,
    });
    for (const reply of replies) print({ channel, user, ...asJson(reply) });
    await Promise.all(pending.splice(0));
  });
}

/** `tutor migrate-store`: the move from one SQLite file to PostgreSQL (docs/deploy.md). */
async function migrateStore(rest: string[]): Promise<number> {
  let from: string | undefined;
  try {
    from = parseArgs({ args: rest, options: { from: { type: 'string' } } }).values.from;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  if (!config.database) {
    process.stderr.write(
      'migrate-store needs DATABASE_URL: the PostgreSQL store to copy into. Fix: set DATABASE_URL=postgres://user:password@host:5432/database.\n',
    );
    return 2;
  }
  const dataDir = from ?? config.dataDir;
  if (!existsSync(join(dataDir, DB_FILE))) {
    process.stderr.write(
      `There is no SQLite store at ${join(dataDir, DB_FILE)}. Fix: pass --from with the folder that holds ${DB_FILE} (DATA_DIR).\n`,
    );
    return 2;
  }
  const source = openSqliteStore({ dataDir });
  try {
    const target = await openPostgresStore({ url: config.database.url, max: 2, statementTimeoutMs: 120_000 });
    try {
      const report = await copyStore(source, target);
      for (const t of report.tables) process.stdout.write(`${t.table}: ${t.read} read, ${t.written} written\n`);
      process.stdout.write(`copied ${dataDir} into DATABASE_URL ${redactUrl(config.database.url)} (schema ${target.schemaVersion()})\n`);
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'chat', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'migrate-store') return migrateStore(rest);
  let args;
  try {
    args = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        notes: { type: 'string', multiple: true },
        seed: { type: 'string' },
        'image-dir': { type: 'string' },
        watch: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const log: Logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    pretty: config.logFormat !== 'json' && Boolean(process.stderr.isTTY),
  });
  const notes = args.values.notes?.flatMap((n) => splitList(n)) ?? config.notesPaths;
  const seed = args.values.seed !== undefined ? Number(args.values.seed) : config.seed;
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write('--seed must be a whole number\n');
    return 2;
  }
  const json = args.values.json ?? false;
  const manual = command === 'chat' && json ? new ManualClock(Date.now()) : undefined;
  const pending: Promise<unknown>[] = [];
  const asJson = imageWriter(args.values['image-dir']);
  const app = await createApp({
    notesPaths: notes,
    log,
    clock: manual ?? systemClock,
    seed,
    // The transcript (chat --json) and one-shot commands use a throwaway in-memory store, so runs never
    // share state; set DATA_DIR to keep it (a crash-and-restart test does). The terminal chat keeps ./data.
    dataDir: command === 'chat' && (!json || process.env.DATA_DIR?.trim()) ? config.dataDir : ':memory:',
    // DATABASE_URL: the chat shares the bot's PostgreSQL store (the transcript too when DATABASE_URL is
    // set for it, as with DATA_DIR: the replica tests run transcripts on one database); one-shot commands never do.
    database: command === 'chat' ? config.database : undefined,
    quizSeconds: config.quizSeconds,
    reviewRetention: config.reviewRetention,
    reviewRemindMinDue: config.reviewRemindMinDue,
    // Only a chat posts concepts of the day (to its own channels); `ask` and `concepts` never send or claim a day.
    dailyPlatforms: command === 'chat' ? [json ? 'transcript' : 'terminal'] : [],
    // Only a long-running command (queries or chat lines on standard input) has edits to pick up.
    watchNotes:
      (args.values.watch ?? config.notesWatch ?? false) && command !== 'concepts' && !(command === 'ask' && args.positionals.length > 0),
    outbox: async (target: PostTarget, reply: Reply) => {
      const send = async () => {
        if (json)
          print({
            channel: target.channel,
            ...(target.thread ? { thread: target.thread } : {}),
            ...(target.user ? { to: target.user } : {}),
            ...asJson(reply),
          });
        else process.stdout.write(`${renderReply(reply)}\n\n`);
      };
      pending.push(send());
    },
  });
  try {
    switch (command) {
      case 'ask':
        await ask(app, json, args.positionals.length ? args.positionals.join(' ') : undefined);
        return 0;
      case 'concepts':
        concepts(app);
        return 0;
      case 'explain':
        await explain(app, json, args.positionals[0]);
        return 0;
      case 'chat': {
        if (manual) {
          await chatJson(app, manual, pending, asJson);
          return 0;
        }
        const terminal = createTerminalAdapter({ tutor: app.tutor, log, interactive: Boolean(process.stdin.isTTY) });
        await terminal.start();
        await terminal.done;
        return 0;
      }
      default:
        process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof TutorError ? `${err.message}` : `unexpected failure: ${(err as Error)?.stack ?? String(err)}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  },
);
