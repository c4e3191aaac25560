import { createHash } from 'node:crypto';

// Fixed namespace for every demo id: the same seed and index give the same uuid on any machine,
// which is what makes re-seeding idempotent and lets load tests name demo rows in advance.
const DEMO_NAMESPACE = '6f1c2a9e-4b7d-4e35-9a0c-3d8b5e7f1a24';
const NAMESPACE_BYTES = Buffer.from(DEMO_NAMESPACE.replaceAll('-', ''), 'hex');

function nameHash(name: string): Buffer {
  return createHash('sha1').update(NAMESPACE_BYTES).update(name).digest();
}

function format(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// RFC 4122 version 5 (name-based, SHA-1).
export function demoUuid(name: string): string {
  const hash = nameHash(name);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return format(hash.subarray(0, 16).toString('hex'));
}

/**
 * Ticket ids of one event: RFC 9562 version 8 (custom) uuids whose first half comes from the
 * event and whose second half counts its tickets. Random ids would scatter 18 million inserts
 * over the whole primary-key index, each landing on a page long evicted from shared buffers;
 * these put an event's tickets side by side, so seeding stays as fast at the last event as at
 * the first. One hash per event instead of one per ticket, too.
 */
export function demoTicketIds(eventId: string): (ordinal: number) => string {
  const prefix = nameHash(`tickets:${eventId}`).subarray(0, 8);
  prefix[6] = (prefix[6]! & 0x0f) | 0x80;
  const head = prefix.toString('hex');
  return (ordinal) => {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= 2 ** 48) throw new RangeError(`ticket ordinal ${ordinal} out of range`);
    // Variant bits 10, then the ordinal in the remaining 62 bits (48 are plenty).
    return format(`${head}8000${ordinal.toString(16).padStart(12, '0')}`);
  };
}
