import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/terminal/adapter.js';
import { markdownToText } from '../../adapters/terminal/render.js';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';

async function chat(lines: string[]): Promise<string> {
  const app = await createApp({ log: silentLogger });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const terminal = createTerminalAdapter({ tutor: app.tutor, log: silentLogger, input, output });
  await terminal.start();
  input.end(lines.join('\n') + '\n');
  await terminal.done;
  return text;
}

describe('the terminal chat', () => {
  it('given /k8s etcd and a bare query, answers both with concept cards as plain text', async () => {
    const out = await chat(['/k8s etcd', 'kubelte']);
    expect(out).toMatch(/^etcd\n─+/m);
    expect(out).toMatch(/클러스터의 모든 상태/);
    expect(out).toMatch(/^kubelet/m);
    expect(out).not.toMatch(/\*\*|^#+ /m);
  });

  it('given /help, lists the commands in Korean and English', async () => {
    const out = await chat(['/help']);
    expect(out).toMatch(/쿠버네티스 튜터 사용법/);
    expect(out).toMatch(/How to use the k8s tutor/);
    expect(out).toMatch(/\/quiz start/);
  });

  it('given empty lines and nonsense, keeps going and answers the next question', async () => {
    const out = await chat(['', '   ', '/nope', '\u0000\u0007', 'etcd']);
    expect(out).toMatch(/\/nope/);
    expect(out).toMatch(/^etcd$/m);
  });
});

describe('terminal rendering of Markdown', () => {
  it('keeps nested reasons on their own lines and code indented', () => {
    const text = markdownToText('1. first\n   - why one\n2. second\n\n```bash\nkubectl get pods\n```');
    expect(text).toBe('1. first\n   • why one\n2. second\n\n    kubectl get pods');
  });

  it('shows a link once when its text is its address', () => {
    expect(markdownToText('_see https://kubernetes.io/docs_')).toBe('see https://kubernetes.io/docs');
  });
});
