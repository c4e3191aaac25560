import { LRUCache } from "lru-cache";

/** An answer as sent: the encoded body (gzipped or not) and its validator. */
export interface EncodedAnswer {
  body: string | Buffer;
  gzipped: boolean;
  tag: string;
}

/**
 * The edge as a small shared cache of its own stadium answers, as their Cache-Control lets any
 * cache be: a layout addressed by version for good (bounded by size), an event's availability
 * for `freshMs`. Hundreds of views a second of one stadium then cost the catalog a call and the
 * edge one JSON encoding and gzip per interval, instead of one each per view.
 */
export function createEncodedAnswers(options: { maxBytes: number; freshMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const layouts = new LRUCache<string, EncodedAnswer>({ maxSize: options.maxBytes, sizeCalculation: (answer) => Math.max(1, answer.body.length) });
  const availability = new LRUCache<string, EncodedAnswer & { at: number }>({ max: 10_000 });
  return {
    layout: (key: string) => layouts.get(key),
    keepLayout: (key: string, answer: EncodedAnswer) => void layouts.set(key, answer),
    availability(key: string): EncodedAnswer | undefined {
      const answer = availability.get(key);
      return answer && now() - answer.at < options.freshMs ? answer : undefined;
    },
    /**
     * Keeps an answer fetched afresh and returns what to send: the kept body when its tag is the
     * same (the same version is the same bits), so encoding it again is skipped.
     */
    keepAvailability(key: string, tag: string, encode: () => EncodedAnswer): EncodedAnswer {
      const kept = availability.get(key);
      const answer = kept?.tag === tag ? kept : encode();
      availability.set(key, { ...answer, at: now() });
      return answer;
    },
  };
}

export type EncodedAnswers = ReturnType<typeof createEncodedAnswers>;
