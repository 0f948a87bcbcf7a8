/**
 * A flat copy of a string built by concatenation. V8 keeps `a + b` (and template literals, and es-hangul's
 * letter-by-letter `disassemble`) as a 32-byte pair pointing at its parts, and flattening it on first use
 * keeps that pair as well; a string held for the life of the index (a name's letters, a note's id, one per
 * note at 100,000 notes) costs only its characters when it is copied flat. JSON's parser makes a new
 * sequential string, one byte per character when it can.
 */
export function flatString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
