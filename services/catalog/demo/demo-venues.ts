import type { EventType, SeatMap, SeatMapSection } from '../../shared/db/tables.js';

export interface DemoVenueSpec {
  key: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  currency: string;
  seatMap: SeatMap;
  // Price multiplier per section code: a tier over the event's base price.
  sectionPriceFactor: Readonly<Record<string, number>>;
  // Share of the demo's events held here. Small rooms host most of them, as in real listings,
  // which also keeps the default demo's ticket count small enough for a fast embedded start.
  weight: number;
  hosts: ReadonlyArray<readonly [EventType, number]>;
}

function rows(labels: string, seats: number): Array<{ label: string; seats: number }> {
  return [...labels].map((label) => ({ label, seats }));
}

function numberedRows(count: number, seats: number): Array<{ label: string; seats: number }> {
  return Array.from({ length: count }, (_, i) => ({ label: String(i + 1), seats }));
}

function seated(code: string, name: string, sectionRows: Array<{ label: string; seats: number }>): SeatMapSection {
  return { code, name, kind: 'seated', rows: sectionRows };
}

function standing(code: string, name: string, capacity: number): SeatMapSection {
  return { code, name, kind: 'general_admission', capacity };
}

export const ARENA_KEY = 'hudson-yards-arena';
export const STADIUM_KEY = 'pacific-crest-stadium';

export const DEMO_VENUES: readonly DemoVenueSpec[] = [
  {
    key: 'laughing-cellar',
    name: 'The Laughing Cellar',
    address: '27 Greek Street, Soho, London W1D 5DF',
    city: 'London',
    country: 'GB',
    latitude: 51.5136,
    longitude: -0.1318,
    timezone: 'Europe/London',
    currency: 'GBP',
    seatMap: { sections: [seated('MAIN', 'Main Room', rows('ABCDEFGHIJ', 15))] },
    sectionPriceFactor: { MAIN: 1 },
    weight: 0.3,
    hosts: [['comedy', 0.75], ['concert', 0.25]],
  },
  {
    key: 'northern-quarter-playhouse',
    name: 'Northern Quarter Playhouse',
    address: '42 Oldham Street, Manchester M1 1JN',
    city: 'Manchester',
    country: 'GB',
    latitude: 53.4831,
    longitude: -2.2341,
    timezone: 'Europe/London',
    currency: 'GBP',
    seatMap: {
      sections: [
        seated('STALLS', 'Stalls', rows('ABCDEFGHIJKLMNOP', 20)),
        seated('DRESS', 'Dress Circle', rows('ABCDEFGHIJ', 18)),
        seated('UPPER', 'Upper Circle', rows('ABCDE', 20)),
      ],
    },
    sectionPriceFactor: { STALLS: 1.4, DRESS: 1.15, UPPER: 0.75 },
    weight: 0.03,
    hosts: [['theater', 0.5], ['family', 0.2], ['comedy', 0.15], ['concert', 0.15]],
  },
  {
    key: ARENA_KEY,
    name: 'Hudson Yards Arena',
    address: '550 West 33rd Street, New York, NY 10001',
    city: 'New York',
    country: 'US',
    latitude: 40.7536,
    longitude: -74.0009,
    timezone: 'America/New_York',
    currency: 'USD',
    seatMap: {
      sections: [
        standing('FLOOR', 'Floor (standing)', 400),
        ...['101', '102', '103', '104'].map((code) => seated(code, `Lower Bowl ${code}`, numberedRows(10, 25))),
        ...['201', '202', '203', '204'].map((code) => seated(code, `Upper Bowl ${code}`, numberedRows(10, 25))),
      ],
    },
    sectionPriceFactor: {
      FLOOR: 1.6,
      '101': 1.5,
      '102': 1.5,
      '103': 1.3,
      '104': 1.3,
      '201': 0.8,
      '202': 0.8,
      '203': 0.7,
      '204': 0.7,
    },
    weight: 0.004,
    hosts: [['sports', 0.45], ['concert', 0.35], ['family', 0.1], ['festival', 0.1]],
  },
  {
    key: 'lincoln-park-jazz-lounge',
    name: 'Lincoln Park Jazz Lounge',
    address: '2140 N Lincoln Avenue, Chicago, IL 60614',
    city: 'Chicago',
    country: 'US',
    latitude: 41.9214,
    longitude: -87.6488,
    timezone: 'America/Chicago',
    currency: 'USD',
    seatMap: {
      sections: [seated('TABLES', 'Table Seating', rows('ABCDEFGH', 12)), standing('BAR', 'Bar Standing', 24)],
    },
    sectionPriceFactor: { TABLES: 1.2, BAR: 0.8 },
    weight: 0.24,
    hosts: [['concert', 0.8], ['comedy', 0.2]],
  },
  {
    key: 'sunset-crest-theatre',
    name: 'Sunset Crest Theatre',
    address: '6233 Hollywood Boulevard, Los Angeles, CA 90028',
    city: 'Los Angeles',
    country: 'US',
    latitude: 34.1017,
    longitude: -118.3257,
    timezone: 'America/Los_Angeles',
    currency: 'USD',
    seatMap: {
      sections: [seated('ORCH', 'Orchestra', rows('ABCDEFGHIJ', 20)), seated('BALC', 'Balcony', rows('ABCDE', 20))],
    },
    sectionPriceFactor: { ORCH: 1.3, BALC: 0.85 },
    weight: 0.07,
    hosts: [['theater', 0.3], ['concert', 0.3], ['comedy', 0.2], ['conference', 0.2]],
  },
  {
    key: 'spreeufer-halle',
    name: 'Spreeufer Halle',
    address: 'Holzmarktstraße 25, 10243 Berlin',
    city: 'Berlin',
    country: 'DE',
    latitude: 52.5117,
    longitude: 13.4249,
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    seatMap: {
      sections: [standing('FLOOR', 'Dancefloor', 180), seated('GALLERY', 'Gallery', rows('AB', 10))],
    },
    sectionPriceFactor: { FLOOR: 1, GALLERY: 1.4 },
    weight: 0.12,
    hosts: [['concert', 0.6], ['festival', 0.3], ['conference', 0.1]],
  },
  {
    key: 'theatre-du-canal',
    name: 'Théâtre du Canal',
    address: '52 Quai de Valmy, 75010 Paris',
    city: 'Paris',
    country: 'FR',
    latitude: 48.8716,
    longitude: 2.3655,
    timezone: 'Europe/Paris',
    currency: 'EUR',
    seatMap: {
      sections: [seated('PARTERRE', 'Parterre', rows('ABCDEFGHIJ', 12)), seated('BALCON', 'Balcon', rows('ABCD', 10))],
    },
    sectionPriceFactor: { PARTERRE: 1.25, BALCON: 0.8 },
    weight: 0.14,
    hosts: [['theater', 0.5], ['comedy', 0.2], ['concert', 0.2], ['family', 0.1]],
  },
  {
    key: 'harbourfront-forum',
    name: 'Harbourfront Forum',
    address: '235 Queens Quay West, Toronto, ON M5J 2G8',
    city: 'Toronto',
    country: 'CA',
    latitude: 43.6388,
    longitude: -79.3826,
    timezone: 'America/Toronto',
    currency: 'CAD',
    seatMap: {
      sections: [seated('MAIN', 'Main Floor', rows('ABCDEFGH', 18)), standing('STANDING', 'Standing Room', 60)],
    },
    sectionPriceFactor: { MAIN: 1.1, STANDING: 0.75 },
    weight: 0.1,
    hosts: [['conference', 0.35], ['family', 0.25], ['concert', 0.2], ['comedy', 0.2]],
  },
];

// Only with the stadium option: one venue whose events alone make tens of thousands of tickets,
// for load tests of large seat maps.
export const DEMO_STADIUM: DemoVenueSpec = {
  key: STADIUM_KEY,
  name: 'Pacific Crest Stadium',
  address: '1001 Stadium Drive, Inglewood, CA 90301',
  city: 'Los Angeles',
  country: 'US',
  latitude: 33.9535,
  longitude: -118.3392,
  timezone: 'America/Los_Angeles',
  currency: 'USD',
  seatMap: {
    sections: [
      ...Array.from({ length: 20 }, (_, i) =>
        seated(String(101 + i), `Lower Level ${101 + i}`, numberedRows(25, 50)),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        seated(String(301 + i), `Upper Level ${301 + i}`, numberedRows(25, 50)),
      ),
    ],
  },
  sectionPriceFactor: Object.fromEntries([
    ...Array.from({ length: 20 }, (_, i) => [String(101 + i), 1.4] as const),
    ...Array.from({ length: 20 }, (_, i) => [String(301 + i), 0.7] as const),
  ]),
  weight: 0.002,
  hosts: [['sports', 0.6], ['concert', 0.3], ['festival', 0.1]],
};
