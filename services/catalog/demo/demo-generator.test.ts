import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../shared/db/tables.js';
import { seatMapCapacity } from '../domain/seat-map.js';
import { createDemoGenerator, type DemoEvent } from './demo-generator.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;
const CURRENCY_BY_COUNTRY: Record<string, string> = {
  GB: 'GBP', US: 'USD', CA: 'CAD', AU: 'AUD', NZ: 'NZD', CH: 'CHF', SE: 'SEK', DK: 'DKK', NO: 'NOK',
  DE: 'EUR', FR: 'EUR', IE: 'EUR', BE: 'EUR', AT: 'EUR', NL: 'EUR', ES: 'EUR', PT: 'EUR', IT: 'EUR',
};

describe('demo generator', () => {
  it('produces identical data, ids included, for the same seed and day', () => {
    const a = createDemoGenerator({ seed: 7, now: NOW });
    const b = createDemoGenerator({ seed: 7, now: new Date('2025-06-01T23:59:00Z') });
    expect([...b.events()]).toEqual([...a.events()]);
    expect(b.venues).toEqual(a.venues);
    expect(b.performers).toEqual(a.performers);
    const event = a.event(42);
    expect([...b.tickets(b.event(42))]).toEqual([...a.tickets(event)]);
  });

  it('produces different events for a different seed', () => {
    const a = [...createDemoGenerator({ seed: 1, now: NOW }).events()];
    const b = [...createDemoGenerator({ seed: 2, now: NOW }).events()];
    expect(b.map((e) => e.id)).not.toEqual(a.map((e) => e.id));
    expect(b.map((e) => e.name)).not.toEqual(a.map((e) => e.name));
  });

  it('gives the same event whether generated alone, in a batch or in sequence', () => {
    const demo = createDemoGenerator({ now: NOW });
    const all = [...demo.events()];
    expect(demo.event(123)).toEqual(all[123]);
    expect([...demo.events(100, 110)]).toEqual(all.slice(100, 110));
  });

  it('gives every venue a valid seat map whose capacity is the sum of its seats', () => {
    const demo = createDemoGenerator({ now: NOW, stadium: true, world: true });
    expect(new Set(demo.venues.map((v) => v.id)).size).toBe(demo.venues.length);
    for (const venue of demo.venues) {
      const codes = venue.seatMap.sections.map((s) => s.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const section of venue.seatMap.sections) {
        if (section.kind === 'seated') {
          expect(section.rows.length).toBeGreaterThan(0);
          const labels = section.rows.map((r) => r.label);
          expect(new Set(labels).size).toBe(labels.length);
          for (const row of section.rows) expect(row.seats).toBeGreaterThan(0);
        } else {
          expect(section.capacity).toBeGreaterThan(0);
        }
      }
      expect(venue.capacity).toBe(seatMapCapacity(venue.seatMap));
      expect(venue.currency).toBe(CURRENCY_BY_COUNTRY[venue.country]);
      expect(Math.abs(venue.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(venue.longitude)).toBeLessThanOrEqual(180);
    }
    expect(Math.max(...demo.venues.map((v) => v.capacity))).toBe(50_000);
  });

  it("generates exactly one ticket per seat of the event's venue, each with its section's price", () => {
    const demo = createDemoGenerator({ now: NOW });
    for (const event of demo.events(0, 40)) {
      const venue = demo.venue(event.venueId);
      const tickets = [...demo.tickets(event)];
      expect(tickets).toHaveLength(venue.capacity);
      expect(demo.ticketCount(event)).toBe(venue.capacity);
      expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
      expect(new Set(tickets.map((t) => `${t.section}/${t.row}/${t.seat}`)).size).toBe(tickets.length);
      const tierPrice = new Map(event.priceTiers.map((tier) => [tier.section, tier.priceMinor]));
      expect([...tierPrice.keys()].sort()).toEqual(venue.seatMap.sections.map((s) => s.code).sort());
      for (const ticket of tickets) {
        expect(ticket.priceMinor).toBe(tierPrice.get(ticket.section));
        expect(ticket.priceMinor).toBeGreaterThan(0);
        expect(Number.isInteger(ticket.priceMinor)).toBe(true);
        expect(ticket.currency).toBe(venue.currency);
      }
      for (const section of venue.seatMap.sections) {
        const inSection = tickets.filter((t) => t.section === section.code);
        if (section.kind === 'general_admission') {
          expect(inSection.every((t) => t.row === null)).toBe(true);
          expect(inSection.map((t) => t.seat)).toEqual(Array.from({ length: section.capacity }, (_, i) => i + 1));
        } else {
          expect(inSection.every((t) => t.row !== null)).toBe(true);
        }
      }
    }
  });

  it("numbers an event's tickets with ids in ascending order, so seeding writes them side by side", () => {
    const demo = createDemoGenerator({ now: NOW });
    const [first, second] = [demo.event(3), demo.event(4)];
    const ids = [...demo.tickets(first)].map((t) => t.id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids.map((id) => id.slice(0, 18))).size).toBe(1);
    const [other] = [...demo.tickets(second)];
    expect(other!.id.slice(0, 18)).not.toBe(ids[0]!.slice(0, 18));
  });

  it('makes a default demo of 300 events over 8 real cities, 60 performers and at most 60,000 tickets', () => {
    const demo = createDemoGenerator({ now: NOW });
    const events = [...demo.events()];
    expect(events).toHaveLength(300);
    expect(demo.venues).toHaveLength(8);
    expect(new Set(demo.venues.map((v) => v.city)).size).toBe(8);
    expect(demo.performers).toHaveLength(60);
    expect(demo.performers.some((p) => p.name.toLowerCase().startsWith('tayl'))).toBe(true);
    const tickets = events.reduce((sum, e) => sum + demo.ticketCount(e), 0);
    expect(tickets).toBeGreaterThan(30_000);
    expect(tickets).toBeLessThanOrEqual(60_000);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    expect(new Set(events.map((e) => e.id)).size).toBe(300);
  });

  it('has exactly one high-demand event, a Taylor concert at the arena', () => {
    const demo = createDemoGenerator({ now: NOW });
    const hot = [...demo.events()].filter((e) => e.highDemand);
    expect(hot).toHaveLength(1);
    const [event] = hot as [DemoEvent];
    const venue = demo.venue(event.venueId);
    expect(venue.capacity).toBe(Math.max(...demo.venues.map((v) => v.capacity)));
    expect(venue.seatMap.sections.some((s) => s.kind === 'general_admission')).toBe(true);
    const headliner = demo.performers.find((p) => p.id === event.performerIds[0]);
    expect(headliner?.name).toMatch(/^Taylor /);
    expect(event.onSaleAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it('schedules events over the next six months with a few in the past, each ending after it starts', () => {
    const demo = createDemoGenerator({ now: NOW });
    const events = [...demo.events()];
    const past = events.filter((e) => e.startsAt < NOW);
    expect(past.length).toBeGreaterThan(0);
    expect(past.length).toBeLessThan(30);
    for (const event of events) {
      expect(event.startsAt.getTime()).toBeGreaterThan(NOW.getTime() - 32 * DAY);
      expect(event.startsAt.getTime()).toBeLessThan(NOW.getTime() + 184 * DAY);
      expect(event.endsAt.getTime()).toBeGreaterThan(event.startsAt.getTime());
      expect(event.onSaleAt.getTime()).toBeLessThan(event.startsAt.getTime());
      expect(event.performerIds.length).toBeGreaterThan(0);
      expect(new Set(event.performerIds).size).toBe(event.performerIds.length);
      expect(event.currency).toBe(demo.venue(event.venueId).currency);
    }
    expect(events.filter((e) => e.startsAt > new Date(NOW.getTime() + 150 * DAY)).length).toBeGreaterThan(0);
  });

  it('starts events at local evening times in the venue time zone', () => {
    const demo = createDemoGenerator({ now: NOW });
    const concert = [...demo.events()].find(
      (e) => e.type === 'concert' && demo.venue(e.venueId).timezone === 'America/New_York',
    )!;
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(concert.startsAt);
    expect(Number(local)).toBeGreaterThanOrEqual(19);
  });

  it('with the world option, spreads a large demo over 52 real cities so that no venue hosts more than 1% of it', () => {
    const demo = createDemoGenerator({ events: 20_000, world: true, now: NOW });
    const perVenue = new Map<string, number>();
    let tickets = 0;
    for (const event of demo.events()) {
      perVenue.set(event.venueId, (perVenue.get(event.venueId) ?? 0) + 1);
      tickets += demo.ticketCount(event);
    }
    expect(new Set(demo.venues.map((v) => v.city)).size).toBe(52);
    expect(Math.max(...perVenue.values())).toBeLessThan(200);
    // About the hand-written demo's density, so 100,000 events stay under 20 million tickets.
    expect(tickets / 20_000).toBeLessThan(200);
    const names = demo.performers.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => name.toLowerCase().startsWith('tayl'))).toEqual(['Taylor Quinn']);
    // The same venues and performers for every demo seed, as with the hand-written ones.
    const other = createDemoGenerator({ events: 1, seed: 9, world: true, now: NOW });
    expect(other.venues).toEqual(demo.venues);
    expect(other.performers).toEqual(demo.performers);
  });

  it('scales to 100,000 events lazily: any event is reachable without generating those before it', () => {
    const demo = createDemoGenerator({ events: 100_000, stadium: true, now: NOW });
    const started = performance.now();
    const last = demo.event(99_999);
    expect(performance.now() - started).toBeLessThan(50);
    expect(last.index).toBe(99_999);
    expect(() => demo.event(100_000)).toThrow(RangeError);
    const iterator = demo.events();
    expect(iterator.next().value?.index).toBe(0);
  });
});
