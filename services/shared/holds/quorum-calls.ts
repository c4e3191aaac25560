import type { Redis } from "ioredis";
import { HoldsUnavailableError } from "./ticket-holds.js";

/** One node's answer: its value, or that it failed (down, timed out, refused). */
export type NodeAnswer<T> = { ok: true; value: T } | { ok: false };

export const quorumOf = (nodeCount: number) => Math.floor(nodeCount / 2) + 1;

/**
 * Calls every node at once and settles as soon as `decide` can answer from the answers in so
 * far, instead of waiting for the slowest node: a hung master costs nothing while a majority
 * answers. `decide` sees undefined for a node still pending and returns undefined while the
 * outcome could still change.
 */
export function settleByQuorum<T, R>(
  calls: ReadonlyArray<Promise<T>>,
  decide: (answers: ReadonlyArray<NodeAnswer<T> | undefined>) => R | undefined,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const answers: Array<NodeAnswer<T> | undefined> = calls.map(() => undefined);
    let settled = false;
    let pending = calls.length;
    const check = () => {
      if (settled) return;
      try {
        const outcome = decide(answers);
        if (outcome !== undefined) {
          settled = true;
          resolve(outcome);
        } else if (pending === 0) {
          settled = true;
          reject(new Error("every node answered but the quorum rule decided nothing"));
        }
      } catch (error) {
        settled = true;
        reject(error);
      }
    };
    calls.forEach((call, index) => {
      call.then(
        (value) => {
          answers[index] = { ok: true, value };
          pending -= 1;
          check();
        },
        () => {
          answers[index] = { ok: false };
          pending -= 1;
          check();
        },
      );
    });
    check();
  });
}

/** What a majority of the nodes say about one key. */
export interface QuorumValue {
  /** The value a majority of all nodes agrees on, if any (Redlock's definition of "held"). */
  agreed: string | undefined;
  /** Whether any answering node had a value at all (a hold on a minority, or one just expiring). */
  seen: boolean;
}

/**
 * Reads keys from every node (one MGET each) and answers per key once a majority has spoken.
 * Throws HoldsUnavailableError when too few nodes can answer for anyone to say.
 */
export function readByQuorum(nodes: readonly Redis[], keys: readonly string[]): Promise<QuorumValue[]> {
  const quorum = quorumOf(nodes.length);
  const calls = nodes.map((node) => node.mget(...keys));
  return settleByQuorum(calls, (answers) => {
    const failed = answers.filter((answer) => answer?.ok === false).length;
    const answered = answers.filter((answer) => answer?.ok).map((answer) => (answer as { value: (string | null)[] }).value);
    if (nodes.length - failed < quorum) throw new HoldsUnavailableError(`${nodes.length - failed} of ${nodes.length} lock nodes answered`);
    if (answered.length < quorum) return undefined;
    const pending = nodes.length - failed - answered.length;
    const result: QuorumValue[] = [];
    for (let index = 0; index < keys.length; index += 1) {
      const votes = new Map<string, number>();
      for (const values of answered) {
        const value = values[index];
        if (value) votes.set(value, (votes.get(value) ?? 0) + 1);
      }
      const best = [...votes].sort((a, b) => b[1] - a[1])[0];
      if (best && best[1] >= quorum) {
        result.push({ agreed: best[0], seen: true });
        continue;
      }
      // A node still pending could complete a majority for this key: wait for it.
      if (best && best[1] + pending >= quorum) return undefined;
      result.push({ agreed: undefined, seen: votes.size > 0 });
    }
    return result;
  });
}

/** Runs a write on every node; true once a majority succeeded, false once a majority cannot. */
export function writeToQuorum(nodes: readonly Redis[], write: (node: Redis) => Promise<unknown>): Promise<boolean> {
  const quorum = quorumOf(nodes.length);
  return settleByQuorum(nodes.map(write), (answers) => {
    const succeeded = answers.filter((answer) => answer?.ok).length;
    const failed = answers.filter((answer) => answer?.ok === false).length;
    if (succeeded >= quorum) return true;
    if (nodes.length - failed < quorum) return false;
    return undefined;
  });
}
