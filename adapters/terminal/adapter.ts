import { createInterface } from 'node:readline';
import { looksLikeOutputLine } from '../../src/explain/detect.js';
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
/** A paste longer than this is sent in parts; the explainer reads at most 300 lines anyway. */
const PASTE_LINES = 400;

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
        output.write(
          '쿠버네티스 튜터입니다. 개념 이름을 적거나 /help 를 입력하세요. (끝내기: Ctrl+D)\nk8s tutor: type a concept or /help. (Ctrl+D to quit)\n\n',
        );
        rl.setPrompt('k8s> ');
        rl.prompt();
      }
      const send = async (text: string) => {
        // The terminal is one person at the bot's own prompt: every line is addressed to it, and they manage it.
        const outcome = await config.tutor.receive({
          conversation: { platform: 'terminal', channel: TERMINAL_CHANNEL },
          actor: { id: user, name: user, manager: true },
          input: { type: 'line', text, addressed: true },
        });
        for (const reply of outcome.replies) write(reply);
        if (config.interactive) rl!.prompt();
      };
      // Pasted kubectl or docker output arrives as several lines: they are kept together as one
      // message until a blank line or a command, and the core decides what the message is.
      let paste: string[] = [];
      const flush = async () => {
        if (paste.length === 0) return;
        const text = paste.join('\n');
        paste = [];
        await send(text);
      };
      void (async () => {
        try {
          for await (const line of rl!) {
            if (line.trim() === '') {
              if (paste.length) await flush();
              else if (config.interactive) rl!.prompt();
              continue;
            }
            if (paste.length && !line.trimStart().startsWith('/') && paste.length < PASTE_LINES) {
              paste.push(line);
              continue;
            }
            await flush();
            if (looksLikeOutputLine(line)) {
              paste.push(line);
              continue;
            }
            await send(line);
          }
          await flush();
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
