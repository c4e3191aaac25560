import type { SearchRequest } from "../../../services/search/domain/search-query.js";
import { dayFromToday, today, type EventKey } from "./search-fixture.js";

/**
 * What a query must return over the fixture, on every backend:
 * - ordered: exactly these events in this order (filters with a defined sort);
 * - set: exactly these events, any order (relevance where their scores may tie);
 * - top: this event first (relevance with one clear winner), with `set` or `includes` for the rest.
 */
export interface LabelledQuery {
  name: string;
  request: Partial<SearchRequest>;
  ordered?: EventKey[];
  set?: EventKey[];
  top?: EventKey;
  includes?: EventKey[];
}

const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const CHICAGO = { latitude: 41.8781, longitude: -87.6298 };
const PARIS = { latitude: 48.8566, longitude: 2.3522 };
const at = (day: number) => new Date(today() + day * 86_400_000);

export const LABELLED_QUERIES: LabelledQuery[] = [
  // relevance over names, performers, venues and descriptions
  { name: "a performer's full name finds their upcoming, scheduled events", request: { term: "taylor quinn" }, set: ["E01", "E02"] },
  { name: "an event named after the performer ranks above one they only support", request: { term: "calloway" }, top: "E03", set: ["E03", "E04"] },
  { name: "a performer in several line-ups: their own show first", request: { term: "kojo" }, top: "E21", set: ["E21", "E06", "E10", "E30"] },
  { name: "a word in the event name beats the same word in a description", request: { term: "jazz" }, top: "E10", set: ["E10", "E09"] },
  { name: "a team playing at home ranks above its away game", request: { term: "toronto" }, top: "E14", includes: ["E15", "E02", "E19", "E26"] },
  { name: "a venue name finds the events held there", request: { term: "harbourfront" }, set: ["E02", "E14", "E19", "E26"] },
  { name: "words only in the description still find the event", request: { term: "hard bop" }, set: ["E09"] },
  { name: "a word in the title finds a theatre show", request: { term: "swan lake" }, set: ["E17"] },
  { name: "every word must match, in any field", request: { term: "comets blizzard" }, set: ["E14", "E15"] },
  { name: "a band name", request: { term: "velvet" }, set: ["E06"] },
  { name: "a surname shared by the name and line-ups of three events", request: { term: "hartmann" }, set: ["E07", "E08", "E30"] },
  { name: "a title word", request: { term: "coltrane" }, set: ["E09"] },
  // type-ahead: every word may be the start of a word
  { name: "a prefix finds Taylor (tayl)", request: { term: "tayl" }, set: ["E01", "E02"] },
  { name: "two prefixes at once", request: { term: "vel hou" }, set: ["E06"] },
  { name: "a prefix of a surname", request: { term: "hartm" }, set: ["E07", "E08", "E30"] },
  { name: "a prefix of a plural in a description and title", request: { term: "dino" }, set: ["E20"] },
  // one typo in a word of five letters or more
  { name: "a changed letter (tayler)", request: { term: "tayler" }, set: ["E01", "E02"] },
  { name: "two letters swapped at the end (taylro quinn)", request: { term: "taylro quinn" }, set: ["E01", "E02"] },
  { name: "a dropped letter (caloway)", request: { term: "caloway" }, top: "E03", set: ["E03", "E04"] },
  { name: "a dropped letter (hartmnn)", request: { term: "hartmnn" }, set: ["E07", "E08", "E30"] },
  { name: "a swap with a correct second word (velvte hours)", request: { term: "velvte hours" }, set: ["E06"] },
  { name: "a dropped letter next to a correct word (marisl vega)", request: { term: "marisl vega" }, set: ["E05"] },
  { name: "two letters swapped in the middle (dinosuar)", request: { term: "dinosuar" }, set: ["E20"] },
  { name: "a letter too many (tayloor)", request: { term: "tayloor" }, set: ["E01", "E02"] },
  { name: "no typo is forgiven in a four-letter word (vegq)", request: { term: "vegq" }, set: [] },
  { name: "nothing matches gibberish", request: { term: "zzqxv" }, set: [] },
  // filters, alone and with a term; empty term lists upcoming events by date
  { name: "a city lists its upcoming events by date", request: { city: "London" }, ordered: ["E11", "E12", "E27", "E28", "E03", "E29", "E21", "E06"] },
  { name: "a city in any case, with a type", request: { city: "LONDON", type: "comedy" }, ordered: ["E11", "E12", "E27", "E28", "E29"] },
  { name: "a term within a city", request: { term: "hartmann", city: "berlin" }, set: ["E07", "E08", "E30"] },
  { name: "a type alone", request: { type: "sports" }, ordered: ["E14", "E15"] },
  { name: "theatre by date", request: { type: "theater" }, ordered: ["E18", "E17"] },
  { name: "a term and a type that exclude each other", request: { term: "taylor", type: "sports" }, set: [] },
  { name: "a city typed without its accents finds it (Montreal for Montréal)", request: { city: "Montreal" }, ordered: ["E31"] },
  { name: "a city typed with its accents, in capitals (MONTRÉAL)", request: { city: "MONTRÉAL" }, ordered: ["E31"] },
  { name: "a city typed with an accent it is stored without (Zürich for Zurich)", request: { city: "Zürich" }, ordered: ["E32"] },
  // Words under five letters get no typo tolerance, so only folding accents can match these.
  { name: "a short search word typed without its accent finds it (noel for Noël)", request: { term: "noel" }, set: ["E31"] },
  { name: "a short search word typed with an accent it is stored without (gâla for Gala)", request: { term: "gâla" }, set: ["E31"] },
  // sort by date with a term: every match, earliest first, whatever its relevance
  { name: "a term sorted by date puts the earlier description match before the title match", request: { term: "jazz", sort: "date" }, ordered: ["E09", "E10"] },
  { name: "a surname sorted by date", request: { term: "hartmann", sort: "date" }, ordered: ["E07", "E08", "E30"] },
  { name: "a performer in several line-ups sorted by date", request: { term: "kojo", sort: "date" }, ordered: ["E21", "E06", "E30", "E10"] },
  // relevance without a term: all equally relevant, so by date, as the empty term lists them
  { name: "relevance without a term lists by date", request: { city: "London", sort: "relevance" }, ordered: ["E11", "E12", "E27", "E28", "E03", "E29", "E21", "E06"] },
  { name: "a single day", request: { date: dayFromToday(5) }, ordered: ["E12"] },
  { name: "a single day with two events, earliest first", request: { date: dayFromToday(10) }, ordered: ["E27", "E01"] },
  { name: "a date range (from inclusive, to exclusive)", request: { startsAfter: at(20), startsBefore: at(26) }, ordered: ["E04", "E16", "E06"] },
  // near a point
  { name: "within 20 km of central London, nearest venue first", request: { near: { ...LONDON, radiusKm: 20 }, sort: "distance" }, ordered: ["E11", "E12", "E27", "E28", "E29", "E03", "E21", "E06"] },
  { name: "within 100 km of London reaches Brighton", request: { near: { ...LONDON, radiusKm: 100 } }, set: ["E11", "E12", "E27", "E28", "E29", "E03", "E21", "E06", "E22", "E10"] },
  { name: "a term near a point", request: { term: "comets", near: { ...CHICAGO, radiusKm: 50 } }, set: ["E15"] },
  { name: "a small radius by date", request: { near: { ...PARIS, radiusKm: 5 } }, ordered: ["E09", "E18", "E16"] },
  // past and cancelled events
  { name: "past events only when asked", request: { term: "taylor quinn", includePast: true }, set: ["E01", "E02", "E23"] },
  { name: "cancelled events never", request: { term: "cancelled matinee" }, set: [] },
];
