// Secrets stored at rest (GreaterWMS tokens): AES-256-GCM with ENCRYPTION_KEY (32 bytes, hex). Format
// "v1:<iv>:<tag>:<ciphertext>" (base64) — the version prefix lets the key or cipher change later.
// A 12-byte random IV per value (the GCM standard size); the 16-byte tag makes tampering an error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

function keyOf(hexKey: string | undefined): Buffer {
  if (!hexKey || !/^[0-9a-fA-F]{64}$/.test(hexKey)) {
    throw new SecretBoxError('ENCRYPTION_KEY (64 hex characters) is needed to store a warehouse token');
  }
  return Buffer.from(hexKey, 'hex');
}

export function encryptSecret(plain: string, hexKey: string | undefined): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(hexKey), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export function decryptSecret(boxed: string, hexKey: string | undefined): string {
  const [v, iv, tag, data] = boxed.split(':');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new SecretBoxError('unknown secret format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(hexKey), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    if (err instanceof SecretBoxError) throw err;
    throw new SecretBoxError('stored secret cannot be decrypted with this ENCRYPTION_KEY');
  }
}

/** What the browser may see of a token: its last 4 characters. */
export function secretHint(plain: string): string {
  return plain.length <= 4 ? '••••' : `••••${plain.slice(-4)}`;
}
