import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';

describe('the one command language', () => {
  it.each([
    ['/k8s etcd', { name: 'lookup', query: 'etcd' }],
    ['/k8s 파드가 뭐야?', { name: 'lookup', query: '파드가 뭐야?' }],
    ['/k8s', { name: 'help' }],
    ['/k8s help', { name: 'help' }],
    ['/help', { name: 'help' }],
    ['/도움말', { name: 'help' }],
    ['/quiz', { name: 'quiz', args: [] }],
    ['/quiz start 5 order', { name: 'quiz', args: ['start', '5', 'order'] }],
    ['/k8s quiz start', { name: 'quiz', args: ['start'] }],
    ['/퀴즈 order', { name: 'quiz', args: ['order'] }],
    ['/hint', { name: 'hint' }],
    ['/k8s hint', { name: 'hint' }],
    ['/힌트', { name: 'hint' }],
    ['/review', { name: 'review', args: [] }],
    ['/복습', { name: 'review', args: [] }],
    ['/review remind on 21:00 Asia/Seoul', { name: 'review', args: ['remind', 'on', '21:00', 'Asia/Seoul'] }],
    ['/진도 team', { name: 'progress', args: ['team'] }],
    ['/progress', { name: 'progress', args: [] }],
    ['/leaderboard week', { name: 'leaderboard', args: ['week'] }],
    ['/순위', { name: 'leaderboard', args: [] }],
    ['/daily on 09:00 Asia/Seoul', { name: 'daily', args: ['on', '09:00', 'Asia/Seoul'] }],
    ['/k8s daily status', { name: 'daily', args: ['status'] }],
    ['/오늘의개념 now', { name: 'daily', args: ['now'] }],
    ['kubelet', { name: 'text', text: 'kubelet' }],
    ['/frobnicate', { name: 'unknown', word: 'frobnicate' }],
  ])('reads %j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });
});
