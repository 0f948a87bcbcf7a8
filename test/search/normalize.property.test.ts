import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, compactKey, queryForms, sanitize, stripParticles, stripQuestion } from '../../src/search/normalize.js';

describe('the query normaliser', () => {
  it('never throws and never keeps a ping, whatever is typed', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        fc.constantFrom('', '@everyone ', '<!channel> ', '<@U123> ', '<#C1|x> ', '@here '),
        (s, ping) => {
          const forms = queryForms(ping + s);
          expect(forms.display).not.toMatch(/<[@#!][^>\s]*>|@everyone|@here/);
          expect(forms.display.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
          for (const v of forms.variants) expect(compactKey(v.text).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is idempotent: cleaning clean text changes nothing', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = sanitize(s);
        expect(sanitize(once)).toBe(once);
      }),
    );
  });

  it('ignores case, spaces and hyphens in the compact key', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}(-[a-z]{1,8}){0,2}$/), (word) => {
        expect(compactKey(word.toUpperCase())).toBe(compactKey(word.replace(/-/g, ' ')));
      }),
    );
  });

  it.each([
    ['etcd가 뭐야?', 'etcd'],
    ['파드란?', '파드'],
    ['스케줄러는 무슨 역할을 해?', '스케줄러'],
    ['쿠버네티스에 대해 알려줘', '쿠버네티스'],
    ['디플로이먼트가 뭔가요', '디플로이먼트'],
    ['what is a pod?', 'pod'],
    ['tell me about the scheduler', 'scheduler'],
  ])('takes the question wording off %j', (q, subject) => {
    expect(stripParticles(stripQuestion(q.toLowerCase()))).toBe(subject);
  });

  it('offers the wrong-keyboard reading of Latin and of Hangul text', () => {
    expect(queryForms('znqjspxltm').variants.map((v) => v.text)).toContain('쿠버네티스');
    expect(queryForms('ㄷㅅㅊㅇ').variants.map((v) => v.text)).toContain('etcd');
  });

  it('does not throw on ordinary English that is no Hangul on the keyboard (es-hangul throws on "how")', () => {
    expect(() => queryForms('how')).not.toThrow();
    expect(queryForms('how').variants.map((v) => v.text)).toEqual(['how']);
  });
});
