import { EVENT_TYPES, type EventType, type SeatMap } from '../../shared/db/tables.js';
import { seatMapCapacity, seatsOf } from '../domain/seat-map.js';
import { demoTicketIds, demoUuid } from './demo-ids.js';
import { DEMO_PERFORMERS, HOT_HEADLINER_KEY, type DemoPerformerSpec, type PerformerRole } from './demo-performers.js';
import { worldPerformerSpecs, worldVenueSpecs } from './demo-world.js';
import { ARENA_KEY, DEMO_STADIUM, DEMO_VENUES, type DemoVenueSpec } from './demo-venues.js';
import { intBetween, pick, pickDistinct, pickWeighted, streamFor, type Random } from './seeded-random.js';
import { zonedTimeToUtc } from './zoned-time.js';

// Pure and deterministic: the same options give the same venues, performers, events and
// tickets, ids included. Venues and performers are the same for every seed, so demos of several
// seeds loaded into one database share them; events depend on seed and index only. Events and
// tickets are produced lazily so that 100,000 events with stadium-sized seat maps never sit in
// memory at once.

export const DEFAULT_DEMO_SEED = 1;
export const DEFAULT_DEMO_EVENTS = 300;

export interface DemoOptions {
  events?: number;
  seed?: number;
  // Event dates are relative to the UTC day of this instant, so runs on the same day agree.
  now?: Date;
  // Adds a 50,000-seat stadium for load tests.
  stadium?: boolean;
  // Adds 364 venues in 52 real cities and 690 performers, which then host nearly every event (no venue more than 1% of them):
  // what a large demo needs to look like a real catalogue (see demo-world.ts).
  world?: boolean;
}

export interface DemoVenue {
  id: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  currency: string;
  capacity: number;
  seatMap: SeatMap;
}

export interface DemoPerformer {
  id: string;
  name: string;
  genre: string;
  description: string;
}

export interface DemoPriceTier {
  section: string;
  priceMinor: number;
}

export interface DemoEvent {
  index: number;
  id: string;
  name: string;
  description: string;
  type: EventType;
  venueId: string;
  startsAt: Date;
  endsAt: Date;
  onSaleAt: Date;
  highDemand: boolean;
  currency: string;
  // In billing order: headliner first.
  performerIds: string[];
  // One per section of the venue's seat map.
  priceTiers: DemoPriceTier[];
}

export interface DemoTicket {
  id: string;
  eventId: string;
  section: string;
  // Null for general admission, where seat is the running number within the area.
  row: string | null;
  seat: number;
  priceMinor: number;
  currency: string;
}

export interface DemoGenerator {
  readonly seed: number;
  readonly eventCount: number;
  readonly venues: readonly DemoVenue[];
  readonly performers: readonly DemoPerformer[];
  venue(id: string): DemoVenue;
  event(index: number): DemoEvent;
  events(from?: number, to?: number): Generator<DemoEvent>;
  tickets(event: DemoEvent): Generator<DemoTicket>;
  ticketCount(event: DemoEvent): number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const DURATION_HOURS: Record<EventType, number> = {
  concert: 3,
  sports: 2.5,
  theater: 2.5,
  comedy: 1.5,
  festival: 10,
  family: 2,
  conference: 8,
};

// Local start times people expect for each kind of event, as [hour, minute].
const START_TIMES: Record<EventType, ReadonlyArray<readonly [number, number]>> = {
  concert: [[19, 0], [19, 30], [20, 0], [20, 30]],
  sports: [[13, 0], [15, 0], [17, 30], [19, 0], [19, 30]],
  theater: [[14, 30], [19, 30], [19, 45]],
  comedy: [[19, 0], [20, 0], [21, 30]],
  festival: [[12, 0], [13, 0]],
  family: [[11, 0], [13, 0], [15, 0]],
  conference: [[9, 0], [9, 30]],
};

// Major units of the venue's currency, before section tier and jitter.
const BASE_PRICE: Record<EventType, number> = {
  concert: 45,
  sports: 60,
  theater: 40,
  comedy: 22,
  festival: 85,
  family: 25,
  conference: 220,
};

const TOUR_NAMES = [
  'Neon Rivers', 'Midnight Arcs', 'Golden Hour', 'Paper Planes', 'Open Roads', 'Wildfire',
  'Glass Houses', 'Electric Dreams', 'Slow Burn', 'Northern Skies', 'Satellite Hearts', 'Tidelines',
] as const;
const PLAY_TITLES = [
  'The Glass Orchard', 'A Winter in Lisbon', 'The Lighthouse Keeper', 'Hamlet', 'Twelfth Night',
  "The Cartographer's Daughter", 'Borrowed Time', 'An Inspector Calls', 'The Seagull',
  'Swan Lake', 'The Nutcracker', 'Company of Strangers', 'Starlight Express Reimagined',
] as const;
const COMEDY_SHOWS = [
  'Work in Progress', 'No Notes', 'Overthinking It', 'Live and Unfiltered', 'Late Again',
  'Mostly Harmless', 'The Long Way Round', 'Growing Pains',
] as const;
const FAMILY_SHOWS = [
  'The Big Bang Show', 'Tales from the Forest', 'Under the Big Top', 'Dinosaur Discovery',
  'The Magic Lantern', 'Splash!',
] as const;
const FESTIVAL_THEMES = [
  'Summer Sound', 'Night Bloom', 'Riverside', 'Northern Lights', 'Electric Garden',
  'Harvest Moon',
] as const;
const CONFERENCE_TOPICS = [
  'Future of Cities', 'Distributed Systems', 'Design Systems', 'Climate Tech', 'Product Leadership',
  'Data & AI', 'Developer Experience',
] as const;

function toDemoVenue(spec: DemoVenueSpec): DemoVenue {
  return {
    id: demoUuid(`venue:${spec.key}`),
    name: spec.name,
    address: spec.address,
    city: spec.city,
    country: spec.country,
    latitude: spec.latitude,
    longitude: spec.longitude,
    timezone: spec.timezone,
    currency: spec.currency,
    capacity: seatMapCapacity(spec.seatMap),
    seatMap: spec.seatMap,
  };
}

function toDemoPerformer(spec: DemoPerformerSpec): DemoPerformer {
  return { id: demoUuid(`performer:${spec.key}`), name: spec.name, genre: spec.genre, description: spec.description };
}

function startOfUtcDay(instant: Date): number {
  return Math.floor(instant.getTime() / DAY) * DAY;
}

function roundPrice(majorUnits: number): number {
  // Prices people see on real listings: whole or half units.
  return Math.max(50, Math.round(majorUnits * 2) * 50);
}

export function createDemoGenerator(options: DemoOptions = {}): DemoGenerator {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const eventCount = options.events ?? DEFAULT_DEMO_EVENTS;
  if (!Number.isInteger(eventCount) || eventCount < 0) {
    throw new RangeError(`events must be a non-negative integer, got ${eventCount}`);
  }
  const today = startOfUtcDay(options.now ?? new Date());

  const handWritten = options.stadium ? [...DEMO_VENUES, DEMO_STADIUM] : [...DEMO_VENUES];
  const handWrittenWeight = handWritten.reduce((sum, spec) => sum + spec.weight, 0);
  const venueSpecs = options.world ? [...handWritten, ...worldVenueSpecs(40 * handWrittenWeight)] : handWritten;
  const venues = venueSpecs.map(toDemoVenue);
  const venueById = new Map(venues.map((venue) => [venue.id, venue]));
  const specByVenueId = new Map(venueSpecs.map((spec, i) => [venues[i]!.id, spec]));
  const venueWeights = venueSpecs.map((spec, i) => [venues[i]!, spec.weight] as const);
  const arena = venues[venueSpecs.findIndex((spec) => spec.key === ARENA_KEY)]!;

  const performerSpecs = options.world ? [...DEMO_PERFORMERS, ...worldPerformerSpecs()] : DEMO_PERFORMERS;
  const performers = performerSpecs.map(toDemoPerformer);
  const byRole = new Map<PerformerRole, Array<{ performer: DemoPerformer; spec: DemoPerformerSpec }>>();
  performerSpecs.forEach((spec, i) => {
    const list = byRole.get(spec.role) ?? [];
    list.push({ performer: performers[i]!, spec });
    byRole.set(spec.role, list);
  });
  const cast = (role: PerformerRole) => byRole.get(role)!;
  const hotHeadliner = performers[DEMO_PERFORMERS.findIndex((spec) => spec.key === HOT_HEADLINER_KEY)]!;
  // The headliner of the hot on-sale plays nowhere else, so searching for her finds that event.
  const music = cast('music').filter(({ performer }) => performer.id !== hotHeadliner.id);

  function hosts(venue: DemoVenue, type: EventType): boolean {
    return specByVenueId.get(venue.id)!.hosts.some(([hosted]) => hosted === type);
  }

  function lineUp(random: Random, type: EventType, venue: DemoVenue): { name: string; description: string; performers: DemoPerformer[] } {
    switch (type) {
      case 'concert': {
        const [headliner, support] = pickDistinct(random, music, 2).map((m) => m.performer);
        const withSupport = random() < 0.5;
        const name =
          random() < 0.5
            ? `${headliner!.name}: ${pick(random, TOUR_NAMES)} Tour`
            : withSupport
              ? `${headliner!.name} with ${support!.name}`
              : `${headliner!.name} Live`;
        return {
          name,
          description: `${headliner!.name} plays ${venue.name} in ${venue.city}.`,
          performers: withSupport ? [headliner!, support!] : [headliner!],
        };
      }
      case 'sports': {
        const league = random() < 0.5 ? cast('basketball') : cast('hockey');
        const [home, away] = pickDistinct(random, league, 2).map((m) => m.performer);
        return {
          name: `${home!.name} vs ${away!.name}`,
          description: `Regular season ${home!.genre}: ${home!.name} host ${away!.name}.`,
          performers: [home!, away!],
        };
      }
      case 'theater': {
        const company = pick(random, cast('theater')).performer;
        const title = pick(random, PLAY_TITLES);
        return { name: title, description: `${company.name} present ${title}.`, performers: [company] };
      }
      case 'comedy': {
        const comedian = pick(random, cast('comedy')).performer;
        return {
          name: `${comedian.name}: ${pick(random, COMEDY_SHOWS)}`,
          description: `An evening of ${comedian.genre} comedy with ${comedian.name}.`,
          performers: [comedian],
        };
      }
      case 'festival': {
        const acts = pickDistinct(random, music, intBetween(random, 3, 5)).map((m) => m.performer);
        return {
          name: `${venue.city} ${pick(random, FESTIVAL_THEMES)} Festival`,
          description: `A day of live music with ${acts.map((a) => a.name).join(', ')}.`,
          performers: acts,
        };
      }
      case 'family': {
        const act = pick(random, cast('family')).performer;
        return {
          name: `${act.name}: ${pick(random, FAMILY_SHOWS)}`,
          description: `Fun for all ages with ${act.name}.`,
          performers: [act],
        };
      }
      case 'conference': {
        const speakers = pickDistinct(random, cast('speaker'), intBetween(random, 2, 3)).map((m) => m.performer);
        const topic = pick(random, CONFERENCE_TOPICS);
        return {
          name: `${topic} Summit ${venue.city}`,
          description: `Talks and workshops on ${topic.toLowerCase()} with ${speakers.map((s) => s.name).join(', ')}.`,
          performers: speakers,
        };
      }
    }
  }

  function priceTiers(random: Random, type: EventType, venue: DemoVenue, factor: number): DemoPriceTier[] {
    const spec = specByVenueId.get(venue.id)!;
    const jitter = 0.8 + random() * 0.4;
    return venue.seatMap.sections.map((section) => ({
      section: section.code,
      priceMinor: roundPrice(BASE_PRICE[type] * jitter * factor * (spec.sectionPriceFactor[section.code] ?? 1)),
    }));
  }

  function eventAt(index: number): DemoEvent {
    if (!Number.isInteger(index) || index < 0 || index >= eventCount) {
      throw new RangeError(`event index ${index} outside 0..${eventCount - 1}`);
    }
    const random = streamFor(seed, index);
    const hot = index === 0;

    // Right after the hot event comes one event of every type, so even a small demo shows them
    // all; after that venue and type are drawn by weight.
    const forcedType = EVENT_TYPES[index - 1];
    let venue: DemoVenue;
    let type: EventType;
    if (hot) {
      venue = arena;
      type = 'concert';
    } else if (forcedType !== undefined) {
      type = forcedType;
      venue = pickWeighted(random, venueWeights.filter(([v]) => hosts(v, forcedType)));
    } else {
      venue = pickWeighted(random, venueWeights);
      type = pickWeighted(random, specByVenueId.get(venue.id)!.hosts);
    }

    // A few events have already happened: history for "my bookings" and for date filters.
    const dayOffset = hot ? 45 : random() < 0.03 ? -intBetween(random, 1, 30) : intBetween(random, 1, 182);
    const day = new Date(today + dayOffset * DAY);
    const [hour, minute] = hot ? ([19, 30] as const) : pick(random, START_TIMES[type]);
    const startsAt = zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute, venue.timezone);
    const endsAt = new Date(startsAt.getTime() + DURATION_HOURS[type] * HOUR);

    // Most events are on sale already; about one in ten goes on sale later, before it starts.
    let onSaleAt: Date;
    if (hot) {
      onSaleAt = new Date(today);
    } else if (dayOffset > 3 && random() < 0.1) {
      onSaleAt = new Date(today + intBetween(random, 1, dayOffset - 2) * DAY + 10 * HOUR);
    } else {
      onSaleAt = new Date(Math.min(today, startsAt.getTime()) - intBetween(random, 1, 60) * DAY);
    }

    const line = hot
      ? {
          name: `${hotHeadliner.name}: The Midnight Arcs Tour`,
          description: `${hotHeadliner.name} brings the Midnight Arcs Tour to ${venue.name}. One night only.`,
          performers: [hotHeadliner, pick(random, music).performer],
        }
      : lineUp(random, type, venue);

    return {
      index,
      id: demoUuid(`event:${seed}:${index}`),
      name: line.name,
      description: line.description,
      type,
      venueId: venue.id,
      startsAt,
      endsAt,
      onSaleAt,
      highDemand: hot,
      currency: venue.currency,
      performerIds: line.performers.map((p) => p.id),
      priceTiers: priceTiers(random, type, venue, hot ? 2.5 : 1),
    };
  }

  function venue(id: string): DemoVenue {
    const found = venueById.get(id);
    if (!found) throw new Error(`no demo venue ${id}`);
    return found;
  }

  function* tickets(event: DemoEvent): Generator<DemoTicket> {
    const price = new Map(event.priceTiers.map((tier) => [tier.section, tier.priceMinor]));
    const ticketId = demoTicketIds(event.id);
    let ordinal = 0;
    for (const { section, row, seat } of seatsOf(venue(event.venueId).seatMap)) {
      yield { id: ticketId(ordinal++), eventId: event.id, section, row, seat, priceMinor: price.get(section)!, currency: event.currency };
    }
  }

  return {
    seed,
    eventCount,
    venues,
    performers,
    venue,
    event: eventAt,
    *events(from = 0, to = eventCount) {
      for (let index = Math.max(0, from); index < Math.min(to, eventCount); index++) yield eventAt(index);
    },
    tickets,
    ticketCount: (event) => venue(event.venueId).capacity,
  };
}
