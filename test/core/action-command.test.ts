import { describe, expect, it } from 'vitest';
import { isRunnableActionCommand } from '../../src/commands/actionCommand.js';

describe('commands a reply button may run for the presser', () => {
  it.each(['/quiz etcd', '/quiz recall kubelet', '/퀴즈 pod'])('runs a solo quiz: %s', (text) => {
    expect(isRunnableActionCommand(text)).toBe(true);
  });

  it.each(['/quiz start 5', '/quiz stop', '/daily off', '/k8s daily now', '/leaderboard', 'etcd', `/quiz ${'x'.repeat(300)}`])(
    'refuses anything else, even when forged: %s',
    (text) => {
      expect(isRunnableActionCommand(text)).toBe(false);
    },
  );
});
