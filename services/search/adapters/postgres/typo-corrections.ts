import type { Knex } from "knex";
import { toleratesTypo, withinOneTypo } from "../../domain/query-words.js";

/**
 * Known words one typo away from each typed word of five letters or more, from the search
 * lexicon: trigram similarity (indexed) proposes candidates, the edit distance keeps those one
 * typo away. Swaps in the middle of short words share too few trigrams to be proposed; the
 * search engine finds those, this fallback does not.
 */
export async function typoCorrections(db: Knex, words: readonly string[]): Promise<Map<string, string[]>> {
  const typed = words.filter(toleratesTypo);
  const corrections = new Map<string, string[]>();
  if (typed.length === 0) return corrections;
  const rows: Array<{ typed: string; known: string }> = (
    await db.raw(
      `SELECT q.word AS typed, l.word AS known
       FROM unnest(?::text[]) AS q(word)
       CROSS JOIN LATERAL (
         SELECT word FROM search_lexicon
         WHERE word % q.word AND word <> q.word AND abs(length(word) - length(q.word)) <= 1
         ORDER BY similarity(word, q.word) DESC, word
         LIMIT 8
       ) AS l`,
      [typed],
    )
  ).rows;
  for (const row of rows) {
    if (!withinOneTypo(row.typed, row.known)) continue;
    corrections.set(row.typed, [...(corrections.get(row.typed) ?? []), row.known]);
  }
  return corrections;
}
