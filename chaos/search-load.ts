/**
 * The search side of the simulated load (runs inside chaos/load-client.ts): buyers look for an
 * event by name through the edge (`GET /events/search`, SearchEvents) before they open its seat
 * map; a few browsers only search, a few times a second between them, so searches keep coming
 * while buyers are stuck retrying a purchase through some other fault; and an organiser keeps
 * announcing events and renaming them through the catalog's admin API (CreateEvent,
 * UpdateEvent), so the indexer has changes to carry while the nemesis works. Every search and
 * every change is written to the history with what the client was told.
 */
import type { Operation, OperationKind } from "./history.js";
import { pick, streamFor, type Random } from "../services/catalog/demo/seeded-random.js";

export interface SearchLoadSettings {
  edgeUrl: string;
  requestTimeoutMs: number;
  seed: number;
  /** The event on sale, and its name: what most buyers search for. */
  eventId: string;
  eventName: string;
  /** The organiser's venue (a small one: each event it creates writes a ticket per place). */
  organiserVenueId: string;
}

export type Recorder = (user: string, op: OperationKind, invokeAt: number, answer: { status: number; error?: string }, fields: Partial<Operation>) => Operation;

interface Announced {
  id: string;
  /** The word only this event's name has: what a buyer types to find it. */
  word: string;
  name: string;
  input: Record<string, unknown>;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
  error?: string;
}

const ORGANISER = "organiser";
const SYLLABLES = ["ba", "ko", "ri", "ve", "mu", "ta", "lo", "ne", "si", "du", "fa", "gi", "po", "ze", "ru", "mi"];

async function request(url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    // REST errors carry {error: {code, message}}, Connect's {code, message}.
    const problem = (body?.error ?? body) as { code?: string; message?: string } | undefined;
    const error = response.ok ? undefined : (problem?.message ? `${problem.code}: ${problem.message}` : text).slice(0, 160);
    return { status: response.status, body, ...(error ? { error } : {}) };
  } catch (error) {
    return { status: 0, body: undefined, error: (error as Error).name === "TimeoutError" ? "client timeout" : String((error as Error).cause ?? error).slice(0, 160) };
  }
}

export function searchLoad(settings: SearchLoadSettings, record: Recorder) {
  const announced: Announced[] = [];
  const words = new Set<string>();

  const uniqueWord = (random: Random): string => {
    for (;;) {
      const word = Array.from({ length: 3 }, () => pick(random, SYLLABLES)).join("");
      if (!words.has(word)) {
        words.add(word);
        return word[0]!.toUpperCase() + word.slice(1);
      }
    }
  };

  const connect = (method: string, token: string, body: unknown) =>
    request(`${settings.edgeUrl}/boxoffice.catalog.v1.CatalogService/${method}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) }, settings.requestTimeoutMs);

  async function adminToken(until: number): Promise<string> {
    for (;;) {
      const answer = await request(`${settings.edgeUrl}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: ORGANISER, roles: ["admin"] }) }, settings.requestTimeoutMs);
      if (answer.status === 200 && typeof answer.body?.token === "string") return answer.body.token;
      if (Date.now() > until) throw new Error(`no admin token for the organiser: ${answer.status} ${answer.error}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async function announce(token: string, random: Random, index: number): Promise<void> {
    const word = uniqueWord(random);
    const name = `${word} ${pick(random, ["Quartet", "Revue", "Sessions", "Orchestra", "Trio"])} Live`;
    const startsAt = new Date(Date.now() + (20 + index) * 86_400_000);
    const input = {
      name,
      description: "Announced while the nemesis was at work.",
      type: "EVENT_TYPE_CONCERT",
      venueId: settings.organiserVenueId,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      priceTiers: [{ section: "GA", price: { amountMinor: "2500", currency: "EUR" } }],
    };
    const invokeAt = Date.now();
    const answer = await connect("CreateEvent", token, { event: input });
    const id = (answer.body?.event as { id?: string } | undefined)?.id;
    record(ORGANISER, "create-event", invokeAt, answer, { name, ...(id ? { eventId: id } : {}) });
    // An announcement whose answer was lost may exist all the same: the index check covers it,
    // but nobody knows its id to search for it.
    if (answer.status === 200 && id) announced.push({ id, word, name, input });
  }

  async function rename(token: string, random: Random): Promise<void> {
    const event = pick(random, announced);
    const word = uniqueWord(random);
    const name = `${word} ${event.name.split(" ").slice(1).join(" ")}`;
    const input = { ...event.input, name };
    const invokeAt = Date.now();
    // Buyers stop searching for the old word once the rename is sent: after it, either name may be current.
    const wasWord = event.word;
    event.word = "";
    const answer = await connect("UpdateEvent", token, { eventId: event.id, event: input });
    record(ORGANISER, "update-event", invokeAt, answer, { eventId: event.id, name });
    if (answer.status === 200) Object.assign(event, { word, name, input });
    else if (answer.status >= 400 && answer.status < 500) event.word = wasWord;
    // No answer: the rename may or may not have happened; that event is no longer searched for.
  }

  /** A buyer looks an event up by name: mostly the one on sale, sometimes one the organiser announced. */
  async function search(user: string, random: Random): Promise<void> {
    const searchable = announced.filter((event) => event.word !== "");
    const target = searchable.length > 0 && random() < 0.3 ? pick(random, searchable) : undefined;
    const term = target ? target.word : settings.eventName;
    const expect = target ? target.id : settings.eventId;
    const invokeAt = Date.now();
    const answer = await request(`${settings.edgeUrl}/events/search?${new URLSearchParams({ term })}`, { method: "GET" }, settings.requestTimeoutMs);
    const events = (answer.body?.events as Array<{ id: string }> | undefined) ?? [];
    record(user, "search", invokeAt, answer, {
      term,
      expect,
      ...(answer.status === 200 ? { backend: String(answer.body?.backend ?? ""), found: events.map((event) => event.id) } : {}),
    });
  }

  return {
    /** The organiser: announces an event every second or two and renames one now and then, until `until`. */
    async organiser(until: number): Promise<void> {
      const random = streamFor(settings.seed, 10_000);
      const token = await adminToken(until);
      for (let index = 0; Date.now() < until; index += 1) {
        if (announced.length < 3 || random() < 0.6) await announce(token, random, index);
        else await rename(token, random);
        await new Promise((resolve) => setTimeout(resolve, 1_000 + random() * 1_500));
      }
    },

    /** Someone who only looks: a search every half second or so, until `until`. */
    async browser(index: number, until: number): Promise<void> {
      const random = streamFor(settings.seed, 20_000 + index);
      while (Date.now() < until) {
        await search(`browser-${index}`, random);
        await new Promise((resolve) => setTimeout(resolve, 300 + random() * 500));
      }
    },

    search,
  };
}
