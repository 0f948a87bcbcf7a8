import { describe, expect, it } from 'vitest';
import { labelOf, looksLikeLabels, parseLabels } from '../../src/quiz/labels.js';

const picks = (text: string, n = 4, want = n) => {
  const r = parseLabels(text, n, want);
  return r.ok ? r.picks.map(labelOf).join('') : r.code;
};

describe('reading label answers', () => {
  it.each([
    ['C A B D', 'CABD'],
    ['c,a,b,d', 'CABD'],
    ['3 1 2 4', 'CABD'],
    ['3124', 'CABD'],
    ['CABD', 'CABD'],
    ['cabd', 'CABD'],
    ['C → A → B → D', 'CABD'],
    ['C-A-B-D.', 'CABD'],
    ['ＣＡＢＤ', 'CABD'],
    ['(C) (A) (B) (D)', 'CABD'],
  ])('reads %s', (text, expected) => {
    expect(picks(text)).toBe(expected);
  });

  it('reads labels typed with the keyboard in Korean mode', () => {
    // c a b d typed in 2-set Korean layout: ㅊ ㅁ ㅠ ㅇ, composed by the IME as ㅊ뮹.
    expect(picks('ㅊ뮹')).toBe('CABD');
    expect(picks('ㅊ ㅁ ㅠ ㅇ')).toBe('CABD');
  });

  it('says how many labels were given when too few or too many', () => {
    expect(parseLabels('C A', 4, 4)).toMatchObject({ ok: false, code: 'labels.count', got: 2, want: 4 });
    expect(parseLabels('C A B D A', 4, 4)).toMatchObject({ ok: false, code: 'labels.duplicate', bad: ['A'] });
    expect(parseLabels('A B C D', 4, 1)).toMatchObject({ ok: false, code: 'labels.count', got: 4, want: 1 });
  });

  it('names duplicates and labels out of range', () => {
    expect(parseLabels('C A A D', 4, 4)).toMatchObject({ ok: false, code: 'labels.duplicate', bad: ['A'] });
    expect(parseLabels('C A B E', 4, 4)).toMatchObject({ ok: false, code: 'labels.range', bad: ['E'] });
    expect(parseLabels('5 1 2 3', 4, 4)).toMatchObject({ ok: false, code: 'labels.range', bad: ['5'] });
  });

  it('leaves words alone: an answer in words is not labels', () => {
    expect(picks('etcd', 4, 1)).toBe('labels.none');
    expect(picks('hello', 8, 8)).toBe('labels.none');
    expect(picks('와 어렵다', 8, 8)).toBe('labels.none');
    expect(picks('', 8, 8)).toBe('labels.none');
  });

  it('takes one letter as a pick', () => {
    expect(picks('b', 4, 1)).toBe('B');
    expect(picks('2', 4, 1)).toBe('B');
    expect(picks('ㅠ', 4, 1)).toBe('B');
  });

  it('spots a label answer where no question is open, but not a word', () => {
    expect(looksLikeLabels('C A B D')).toBe(true);
    expect(looksLikeLabels('3,1,2,4')).toBe(true);
    expect(looksLikeLabels('CD')).toBe(false);
    expect(looksLikeLabels('etcd')).toBe(false);
  });
});
