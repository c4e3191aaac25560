import type { EventType, SeatMap, SeatMapSection } from '../../shared/db/tables.js';
import { DEMO_PERFORMERS, type DemoPerformerSpec, type PerformerRole } from './demo-performers.js';
import type { DemoVenueSpec } from './demo-venues.js';
import { intBetween, mulberry32, pick, pickWeighted, type Random } from './seeded-random.js';

// The "world" demo: hundreds of venues in real cities and hundreds of performers, so that a
// large demo (100,000 events) spreads over a realistic map instead of eight rooms hosting a
// dozen events a night each. Generated from a fixed seed, so they are the same for every demo
// seed, like the hand-written ones.

const WORLD_SEED = 0x5eed_c17e;

interface Country {
  currency: string;
  streets: readonly string[];
  // "12 High Street" or "Hauptstraße 12".
  numberFirst: boolean;
}

const UK_STREETS = ['High Street', 'Market Street', 'Station Road', 'King Street', 'Queen Street', 'Church Street', 'Mill Lane', 'Bridge Street', 'Victoria Road', 'Union Street'];
const US_STREETS = ['Main Street', 'Broadway', 'Market Street', 'Park Avenue', 'Washington Avenue', 'Elm Street', 'Grand Avenue', 'Water Street', 'Lake Street', 'Union Street'];

const COUNTRIES: Record<string, Country> = {
  GB: { currency: 'GBP', streets: UK_STREETS, numberFirst: true },
  IE: { currency: 'EUR', streets: UK_STREETS, numberFirst: true },
  US: { currency: 'USD', streets: US_STREETS, numberFirst: true },
  CA: { currency: 'CAD', streets: US_STREETS, numberFirst: true },
  AU: { currency: 'AUD', streets: UK_STREETS, numberFirst: true },
  NZ: { currency: 'NZD', streets: UK_STREETS, numberFirst: true },
  FR: { currency: 'EUR', streets: ['Rue de la République', 'Rue Saint-Antoine', 'Boulevard Voltaire', 'Avenue Jean Jaurès', 'Rue de la Gare', 'Quai des Arts'], numberFirst: true },
  BE: { currency: 'EUR', streets: ['Rue Royale', 'Boulevard Anspach', 'Rue Haute', 'Avenue Louise'], numberFirst: true },
  DE: { currency: 'EUR', streets: ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Gartenstraße', 'Friedrichstraße', 'Kirchstraße'], numberFirst: false },
  AT: { currency: 'EUR', streets: ['Mariahilfer Straße', 'Kärntner Straße', 'Landstraßer Hauptstraße', 'Praterstraße'], numberFirst: false },
  CH: { currency: 'CHF', streets: ['Bahnhofstrasse', 'Langstrasse', 'Seefeldstrasse', 'Limmatquai'], numberFirst: false },
  NL: { currency: 'EUR', streets: ['Kerkstraat', 'Stationsweg', 'Prinsengracht', 'Havenstraat', 'Marktplein'], numberFirst: false },
  ES: { currency: 'EUR', streets: ['Calle Mayor', 'Calle Real', 'Calle del Carmen', 'Avenida de la Constitución'], numberFirst: false },
  PT: { currency: 'EUR', streets: ['Rua Augusta', 'Avenida da Liberdade', 'Rua do Carmo', 'Rua da Prata'], numberFirst: false },
  IT: { currency: 'EUR', streets: ['Via Roma', 'Via Garibaldi', 'Corso Vittorio Emanuele', 'Via Dante'], numberFirst: false },
  SE: { currency: 'SEK', streets: ['Drottninggatan', 'Storgatan', 'Kungsgatan', 'Götgatan'], numberFirst: false },
  DK: { currency: 'DKK', streets: ['Vesterbrogade', 'Nørrebrogade', 'Istedgade', 'Gothersgade'], numberFirst: false },
  NO: { currency: 'NOK', streets: ['Karl Johans gate', 'Storgata', 'Grensen', 'Thorvald Meyers gate'], numberFirst: false },
};

// City centres (WGS84) and their time zones.
const CITIES: ReadonlyArray<readonly [city: string, country: string, latitude: number, longitude: number, timezone: string]> = [
  ['London', 'GB', 51.5074, -0.1278, 'Europe/London'],
  ['Manchester', 'GB', 53.4808, -2.2426, 'Europe/London'],
  ['Birmingham', 'GB', 52.4862, -1.8904, 'Europe/London'],
  ['Glasgow', 'GB', 55.8642, -4.2518, 'Europe/London'],
  ['Edinburgh', 'GB', 55.9533, -3.1883, 'Europe/London'],
  ['Bristol', 'GB', 51.4545, -2.5879, 'Europe/London'],
  ['Leeds', 'GB', 53.8008, -1.5491, 'Europe/London'],
  ['Liverpool', 'GB', 53.4084, -2.9916, 'Europe/London'],
  ['Dublin', 'IE', 53.3498, -6.2603, 'Europe/Dublin'],
  ['Paris', 'FR', 48.8566, 2.3522, 'Europe/Paris'],
  ['Lyon', 'FR', 45.764, 4.8357, 'Europe/Paris'],
  ['Marseille', 'FR', 43.2965, 5.3698, 'Europe/Paris'],
  ['Lille', 'FR', 50.6292, 3.0573, 'Europe/Paris'],
  ['Brussels', 'BE', 50.8503, 4.3517, 'Europe/Brussels'],
  ['Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin'],
  ['Hamburg', 'DE', 53.5511, 9.9937, 'Europe/Berlin'],
  ['Munich', 'DE', 48.1351, 11.582, 'Europe/Berlin'],
  ['Cologne', 'DE', 50.9375, 6.9603, 'Europe/Berlin'],
  ['Vienna', 'AT', 48.2082, 16.3738, 'Europe/Vienna'],
  ['Zurich', 'CH', 47.3769, 8.5417, 'Europe/Zurich'],
  ['Amsterdam', 'NL', 52.3676, 4.9041, 'Europe/Amsterdam'],
  ['Rotterdam', 'NL', 51.9244, 4.4777, 'Europe/Amsterdam'],
  ['Madrid', 'ES', 40.4168, -3.7038, 'Europe/Madrid'],
  ['Barcelona', 'ES', 41.3874, 2.1686, 'Europe/Madrid'],
  ['Lisbon', 'PT', 38.7223, -9.1393, 'Europe/Lisbon'],
  ['Rome', 'IT', 41.9028, 12.4964, 'Europe/Rome'],
  ['Milan', 'IT', 45.4642, 9.19, 'Europe/Rome'],
  ['Stockholm', 'SE', 59.3293, 18.0686, 'Europe/Stockholm'],
  ['Copenhagen', 'DK', 55.6761, 12.5683, 'Europe/Copenhagen'],
  ['Oslo', 'NO', 59.9139, 10.7522, 'Europe/Oslo'],
  ['New York', 'US', 40.7128, -74.006, 'America/New_York'],
  ['Los Angeles', 'US', 34.0522, -118.2437, 'America/Los_Angeles'],
  ['Chicago', 'US', 41.8781, -87.6298, 'America/Chicago'],
  ['Houston', 'US', 29.7604, -95.3698, 'America/Chicago'],
  ['Philadelphia', 'US', 39.9526, -75.1652, 'America/New_York'],
  ['Phoenix', 'US', 33.4484, -112.074, 'America/Phoenix'],
  ['San Francisco', 'US', 37.7749, -122.4194, 'America/Los_Angeles'],
  ['Seattle', 'US', 47.6062, -122.3321, 'America/Los_Angeles'],
  ['Boston', 'US', 42.3601, -71.0589, 'America/New_York'],
  ['Austin', 'US', 30.2672, -97.7431, 'America/Chicago'],
  ['Nashville', 'US', 36.1627, -86.7816, 'America/Chicago'],
  ['Atlanta', 'US', 33.749, -84.388, 'America/New_York'],
  ['Miami', 'US', 25.7617, -80.1918, 'America/New_York'],
  ['Denver', 'US', 39.7392, -104.9903, 'America/Denver'],
  ['New Orleans', 'US', 29.9511, -90.0715, 'America/Chicago'],
  ['Las Vegas', 'US', 36.1699, -115.1398, 'America/Los_Angeles'],
  ['Toronto', 'CA', 43.6532, -79.3832, 'America/Toronto'],
  ['Montreal', 'CA', 45.5017, -73.5673, 'America/Toronto'],
  ['Vancouver', 'CA', 49.2827, -123.1207, 'America/Vancouver'],
  ['Sydney', 'AU', -33.8688, 151.2093, 'Australia/Sydney'],
  ['Melbourne', 'AU', -37.8136, 144.9631, 'Australia/Melbourne'],
  ['Auckland', 'NZ', -36.8485, 174.7633, 'Pacific/Auckland'],
];

const VENUES_PER_CITY = 7;

const ADJECTIVES = ['Velvet', 'Copper', 'Blue', 'Crimson', 'Electric', 'Golden', 'Hidden', 'Lantern', 'Marble', 'Neon', 'Silver', 'Union', 'Wild', 'Amber', 'Echo', 'Harbour', 'Iron', 'Juniper'];
const ROOMS = ['Room', 'Lounge', 'Cellar', 'Attic', 'Loft', 'Parlour', 'Den'];
const PLACES = ['Royal', 'Riverside', 'Garden', 'Kings', 'Queens', 'Victoria', 'Palace', 'Empire', 'Grand', 'Lyric', 'Alhambra', 'Majestic', 'Regent', 'Orpheum'];

const rows = (count: number, seats: number) => Array.from({ length: count }, (_, i) => ({ label: String.fromCharCode(65 + i), seats }));
const seated = (code: string, name: string, sectionRows: Array<{ label: string; seats: number }>): SeatMapSection => ({ code, name, kind: 'seated', rows: sectionRows });
const standing = (code: string, name: string, capacity: number): SeatMapSection => ({ code, name, kind: 'general_admission', capacity });

interface Template {
  // Relative share of events: most listings are small rooms, as in real ticketing.
  weight: number;
  hosts: ReadonlyArray<readonly [EventType, number]>;
  name(random: Random, city: string): string;
  seatMap(random: Random): { seatMap: SeatMap; priceFactor: Record<string, number> };
}

const BOWL = ['101', '102', '103', '104', '201', '202', '203', '204'];

const TEMPLATES: readonly Template[] = [
  {
    weight: 1,
    hosts: [['comedy', 0.45], ['concert', 0.45], ['theater', 0.1]],
    name: (random) => (random() < 0.5 ? `The ${pick(random, ADJECTIVES)} ${pick(random, ROOMS)}` : `${pick(random, ADJECTIVES)} ${pick(random, ROOMS)}`),
    seatMap: (random) => {
      const section =
        random() < 0.5
          ? seated('MAIN', 'Main Room', rows(intBetween(random, 6, 10), intBetween(random, 10, 14)))
          : standing('FLOOR', 'Floor', 10 * intBetween(random, 8, 16));
      return { seatMap: { sections: [section] }, priceFactor: { [section.code]: 1 } };
    },
  },
  {
    weight: 0.4,
    hosts: [['concert', 0.7], ['comedy', 0.15], ['festival', 0.15]],
    name: (random) => `${pick(random, ADJECTIVES)} ${pick(random, ['Club', 'Warehouse', 'Ballroom', 'Social'])}`,
    seatMap: (random) => ({
      seatMap: { sections: [standing('FLOOR', 'Floor', 50 * intBetween(random, 4, 8)), seated('BALCONY', 'Balcony', rows(2, intBetween(random, 8, 14)))] },
      priceFactor: { FLOOR: 1, BALCONY: 1.25 },
    }),
  },
  {
    weight: 0.12,
    hosts: [['theater', 0.5], ['comedy', 0.15], ['concert', 0.15], ['family', 0.15], ['conference', 0.05]],
    name: (random) => `${pick(random, PLACES)} ${pick(random, ['Theatre', 'Playhouse', 'Opera House'])}`,
    seatMap: (random) => ({
      seatMap: {
        sections: [
          seated('STALLS', 'Stalls', rows(intBetween(random, 10, 16), intBetween(random, 16, 22))),
          seated('CIRCLE', 'Circle', rows(intBetween(random, 4, 7), intBetween(random, 16, 20))),
        ],
      },
      priceFactor: { STALLS: 1.3, CIRCLE: 0.85 },
    }),
  },
  {
    weight: 0.03,
    hosts: [['sports', 0.5], ['concert', 0.3], ['family', 0.1], ['festival', 0.1]],
    name: (random, city) => `${city} ${pick(random, ['Arena', 'Coliseum', 'Sports Centre'])}`,
    seatMap: () => ({
      seatMap: {
        sections: [
          standing('FLOOR', 'Floor (standing)', 400),
          ...BOWL.map((code) => seated(code, `${code < '200' ? 'Lower' : 'Upper'} Bowl ${code}`, rows(10, 25))),
        ],
      },
      priceFactor: Object.fromEntries([['FLOOR', 1.5], ...BOWL.map((code) => [code, code < '200' ? 1.3 : 0.8] as const)]),
    }),
  },
  {
    weight: 0.04,
    hosts: [['concert', 0.6], ['festival', 0.2], ['conference', 0.2]],
    name: (random, city) => `${random() < 0.5 ? city : pick(random, PLACES)} ${pick(random, ['Hall', 'Forum', 'Exhibition Centre'])}`,
    seatMap: (random) => ({
      seatMap: { sections: [standing('FLOOR', 'Floor', 100 * intBetween(random, 6, 10)), seated('GALLERY', 'Gallery', rows(intBetween(random, 4, 6), intBetween(random, 20, 30)))] },
      priceFactor: { FLOOR: 1, GALLERY: 1.3 },
    }),
  },
];

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Seven venues in each of 52 real cities, one of each kind and more small rooms and clubs; their weights add up to `totalWeight`. */
export function worldVenueSpecs(totalWeight: number): DemoVenueSpec[] {
  const random = mulberry32(WORLD_SEED);
  const specs: DemoVenueSpec[] = [];
  for (const [city, country, latitude, longitude, timezone] of CITIES) {
    const { currency, streets, numberFirst } = COUNTRIES[country]!;
    const names = new Set<string>();
    for (let n = 0; n < VENUES_PER_CITY; n++) {
      // Every city gets one of each kind, the rest are small rooms and clubs.
      const template = n < TEMPLATES.length ? TEMPLATES[TEMPLATES.length - 1 - n]! : pickWeighted(random, TEMPLATES.slice(0, 2).map((t) => [t, t.weight] as const));
      let name = template.name(random, city);
      while (names.has(name)) name = template.name(random, city);
      names.add(name);
      const { seatMap, priceFactor } = template.seatMap(random);
      const number = intBetween(random, 1, 240);
      const street = pick(random, streets);
      specs.push({
        key: `world-${slug(city)}-${slug(name)}`,
        name,
        address: `${numberFirst ? `${number} ${street}` : `${street} ${number}`}, ${city}`,
        city,
        country,
        // Within a few kilometres of the centre.
        latitude: Math.round((latitude + (random() - 0.5) * 0.06) * 1e4) / 1e4,
        longitude: Math.round((longitude + (random() - 0.5) * 0.09) * 1e4) / 1e4,
        timezone,
        currency,
        seatMap,
        sectionPriceFactor: priceFactor,
        weight: template.weight,
        hosts: template.hosts,
      });
    }
  }
  const sum = specs.reduce((total, spec) => total + spec.weight, 0);
  return specs.map((spec) => ({ ...spec, weight: (spec.weight / sum) * totalWeight }));
}

const FIRST_NAMES = ['Ada', 'Bruno', 'Clara', 'Dev', 'Elena', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonah', 'Kira', 'Luca', 'Maya', 'Nico', 'Olive', 'Pablo', 'Quinn', 'Rosa', 'Silas', 'Tess', 'Umar', 'Vera', 'Wes', 'Ximena', 'Yara', 'Zane', 'Anika', 'Bea', 'Cyrus', 'Dina'];
const LAST_NAMES = ['Abbott', 'Barros', 'Chen', 'Dufresne', 'Eriksen', 'Fontaine', 'Garcia', 'Holloway', 'Ibarra', 'Jansen', 'Kowalski', 'Lindgren', 'Moreau', 'Nakamura', 'Okoro', 'Petrov', 'Quintero', 'Rossi', 'Sato', 'Thorne', 'Ulrich', 'Varga', 'Whitfield', 'Xu', 'Yilmaz', 'Zeller', 'Adler', 'Brennan', 'Castro', 'Doyle'];
const BAND_WORDS = ['Foxes', 'Satellites', 'Harbours', 'Lanterns', 'Comets', 'Ravens', 'Tides', 'Wolves', 'Embers', 'Signals', 'Orchards', 'Rivers', 'Stations', 'Pilots', 'Sparrows'];
const GENRES = ['indie rock', 'pop', 'folk', 'jazz', 'electronic', 'soul', 'hip-hop', 'country', 'punk', 'classical', 'r&b', 'metal', 'blues', 'reggae', 'house'];

/** Generated acts, unique by name among all demo performers; none shares the hot headliner's first name. */
export function worldPerformerSpecs(): DemoPerformerSpec[] {
  const random = mulberry32(WORLD_SEED + 1);
  const taken = new Set<string>(DEMO_PERFORMERS.map((spec) => spec.name));
  const specs: DemoPerformerSpec[] = [];
  const add = (role: PerformerRole, count: number, make: () => { name: string; genre: string; description: string }) => {
    for (let made = 0; made < count; ) {
      const { name, genre, description } = make();
      if (taken.has(name)) continue;
      taken.add(name);
      specs.push({ key: `world-${role}-${slug(name)}`, name, genre, role, description });
      made++;
    }
  };
  const person = () => `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
  add('music', 400, () => {
    const genre = pick(random, GENRES);
    const band = random() < 0.45;
    const name = band ? `The ${pick(random, ADJECTIVES)} ${pick(random, BAND_WORDS)}` : person();
    return { name, genre, description: band ? `A ${genre} band on the road.` : `A ${genre} artist on the road.` };
  });
  add('comedy', 120, () => ({ name: person(), genre: 'stand-up', description: 'Stand-up from the club circuit.' }));
  add('theater', 40, () => {
    const place = pick(random, PLACES);
    return { name: `${place} ${pick(random, ['Repertory Company', 'Stage Company', 'Theatre Ensemble', 'Ballet'])}`, genre: 'theatre', description: `The ${place} company on tour.` };
  });
  add('family', 30, () => ({ name: `${pick(random, ADJECTIVES)} ${pick(random, ['Circus', 'Puppet Theatre', 'Science Show', 'Magic Show'])}`, genre: 'family', description: 'A show for all ages.' }));
  add('speaker', 100, () => ({ name: `Dr. ${person()}`, genre: 'speaker', description: 'Researcher and keynote speaker.' }));
  return specs;
}
