import { convertHangulToQwerty, convertQwertyToHangul, disassemble, getChoseong } from 'es-hangul';

/**
 * es-hangul, guarded: its converters throw on ordinary input (`convertQwertyToHangul('how')`),
 * and a search must never throw because of what a user typed.
 */
const HANGUL_SYLLABLE = /[\uAC00-\uD7A3]/;
const HANGUL_ANY = /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]/;
const CHOSEONG_ONLY = /^[\u3131-\u314E]+$/;

export function hasHangul(s: string): boolean {
  return HANGUL_ANY.test(s);
}

/** Syllables to their letters (쿠 → ㅋㅜ), so one slip inside a syllable costs one letter. */
export function toJamo(s: string): string {
  const nfc = s.normalize('NFC');
  if (!hasHangul(nfc)) return nfc;
  try {
    return disassemble(nfc);
  } catch {
    return nfc;
  }
}

/** Initial consonants of a Hangul word (쿠버네티스 → ㅋㅂㄴㅌㅅ); empty when the word is not all Hangul syllables. */
export function toChoseong(s: string): string {
  const nfc = s.normalize('NFC');
  if (!/^[\uAC00-\uD7A3]+$/.test(nfc)) return '';
  try {
    return getChoseong(nfc);
  } catch {
    return '';
  }
}

export function isChoseongOnly(s: string): boolean {
  return CHOSEONG_ONLY.test(s);
}

/** Latin letters typed while the keyboard was in Korean mode's opposite: `znqjspxltm` → 쿠버네티스. */
export function qwertyToHangul(s: string): string | undefined {
  if (!/^[a-zA-Z]+$/.test(s)) return undefined;
  try {
    const out = convertQwertyToHangul(s);
    return HANGUL_SYLLABLE.test(out) || isChoseongOnly(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Hangul typed while meaning Latin: `ㄷㅅㅊㅇ` → etcd. */
export function hangulToQwerty(s: string): string | undefined {
  if (!/^[\u3131-\u318E\uAC00-\uD7A3]+$/.test(s)) return undefined;
  try {
    const out = convertHangulToQwerty(s);
    return /^[a-zA-Z]+$/.test(out) ? out.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
