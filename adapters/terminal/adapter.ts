import { createInterface } from 'node:readline';
import type { Logger } from '../../src/logger.js';
import type { PostTarget, Reply } from '../../src/reply.js';
import type { Tutor } from '../../src/tutor.js';
import type { ChatAdapter } from '../adapter.js';
import { renderReply } from './render.js';

export interface TerminalConfig {
  tutor: Tutor;
  log: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Show a prompt and a greeting (an interactive terminal). */
  interactive?: boolean;
  user?: string;
}

export const TERMINAL_CHANNEL = 'terminal';

/** The readline chat: the same commands as Slack and Discord, rendered as plain text. */
export function createTerminalAdapter(config: TerminalConfig): ChatAdapter & { done: Promise<void> } {
  const input = config.input ?? process.stdin;
  const output = config.output ?? process.stdout;
  const user = config.user ?? process.env.USER ?? 'you';
  let connected = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  let rl: ReturnType<typeof createInterface> | undefined;

  const write = (reply: Reply) => output.write(`${renderReply(reply)}\n\n`);

  return {
    platform: 'terminal',
    done,
    ready: () => connected,
    async start() {
      rl = createInterface({ input, output: config.interactive ? output : undefined, terminal: Boolean(config.interactive) });
      connected = true;
      if (config.interactive) {
        output.write('쿠버네티스 튜터입니다. 개념 이름을 적거나 /help 를 입력하세요. (끝내기: Ctrl+D)\nk8s tutor: type a concept or /help. (Ctrl+D to quit)\n\n');
        rl.setPrompt('k8s> ');
        rl.prompt();
      }
      void (async () => {
        try {
          for await (const line of rl!) {
            if (line.trim() === '') {
              if (config.interactive) rl!.prompt();
              continue;
            }
            // The terminal is one person at the bot's own prompt: every line is addressed to it, and they manage it.
            const outcome = await config.tutor.receive({
              conversation: { platform: 'terminal', channel: TERMINAL_CHANNEL },
              actor: { id: user, name: user, manager: true },
              input: { type: 'line', text: line, addressed: true },
            });
            for (const reply of outcome.replies) write(reply);
            if (config.interactive) rl!.prompt();
          }
        } catch (err) {
          config.log.error({ err }, 'terminal chat failed');
        } finally {
          connected = false;
          finish();
        }
      })();
    },
    async post(_target: PostTarget, reply: Reply) {
      write(reply);
      if (config.interactive) rl?.prompt(true);
    },
    async stop() {
      rl?.close();
      await done;
    },
  };
}
