import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Discord signs every HTTP interaction with the application's Ed25519 key: the signature
 * (X-Signature-Ed25519, hex) covers the timestamp (X-Signature-Timestamp) followed by the raw body.
 * node:crypto verifies Ed25519 itself; the public key from the developer portal is the raw 32 bytes
 * in hex, so it is wrapped in the fixed SubjectPublicKeyInfo header that says "Ed25519".
 */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function discordPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('a Discord public key is 32 bytes (64 hex characters)');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** How old a signed timestamp may be: a captured request replayed later is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

export function verifyDiscordSignature(
  key: KeyObject,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  nowMs = Date.now(),
): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
