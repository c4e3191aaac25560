import { createHash } from 'node:crypto';

// Fixed namespace for every demo id: the same seed and index give the same uuid on any machine,
// which is what makes re-seeding idempotent and lets load tests name demo rows in advance.
const DEMO_NAMESPACE = '6f1c2a9e-4b7d-4e35-9a0c-3d8b5e7f1a24';
const NAMESPACE_BYTES = Buffer.from(DEMO_NAMESPACE.replaceAll('-', ''), 'hex');

// RFC 4122 version 5 (name-based, SHA-1).
export function demoUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
