import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, from this file. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` (the seed notes, the glossary corpus) exists for developers and CI, not in a user's clone.
 * Tests that read it run when it is there and say plainly that they were skipped when it is not.
 */
export const SHARED = [process.env.TUTOR_SHARED_DIR, join(ROOT, '..', 'shared')].find((p): p is string => Boolean(p && existsSync(p)));
export const SEED_NOTES = SHARED ? join(SHARED, 'seeds', '000_d359af6a4ce1f427.txt') : undefined;
export const GLOSSARY = SHARED ? join(SHARED, 'corpora', 'k8s-glossary-ko') : undefined;

export function announceSkip(what: string): void {
  if (!SHARED)
    process.stderr.write(`SKIPPED: ${what} — ../shared is not present in this checkout (it exists for developers and CI only).\n`);
}
