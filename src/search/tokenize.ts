/**
 * Tokens for the full-text layer. Korean words carry particles and endings (저장하는, 상태를), so
 * Hangul is indexed as overlapping two-syllable pieces; Latin words are lightly stemmed.
 */
const STOP = new Set(
  'a an the is are was were be been of to in on at for and or with by from as it its this that which what who how does do did can into about than then there their them they you your i me my we our when where why whose'.split(
    ' ',
  ),
);

function stem(word: string): string {
  if (word.length > 5 && /(?:ing|ies|ed)$/.test(word)) return word.replace(/ies$/, 'y').replace(/(?:ing|ed)$/, '');
  if (word.length > 3 && /[^s]s$/.test(word)) return word.replace(/e?s$/, '');
  return word;
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  const lowered = text.normalize('NFC').toLowerCase();
  for (const word of lowered.split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    for (const run of word.match(/[\uAC00-\uD7A3]+|[^\uAC00-\uD7A3]+/g) ?? []) {
      if (/[\uAC00-\uD7A3]/.test(run)) {
        if (run.length === 1) out.push(run);
        for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
      } else if (!STOP.has(run) && run.length > 1) {
        // Already lower case, NFC and nothing but letters and digits: compactKey would change nothing.
        out.push(stem(run));
      }
    }
  }
  return out;
}
