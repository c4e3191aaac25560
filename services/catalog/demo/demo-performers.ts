// Fictional acts. Keys give each a stable id; the role decides which events it can appear in.
export type PerformerRole = 'music' | 'comedy' | 'basketball' | 'hockey' | 'theater' | 'family' | 'speaker';

export interface DemoPerformerSpec {
  key: string;
  name: string;
  genre: string;
  role: PerformerRole;
  description: string;
}

function act(role: PerformerRole, name: string, genre: string, description: string): DemoPerformerSpec {
  const key = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return { key, name, genre, role, description };
}

export const HOT_HEADLINER_KEY = 'taylor-quinn';

export const DEMO_PERFORMERS: readonly DemoPerformerSpec[] = [
  act('music', 'Taylor Quinn', 'pop', 'Stadium-sized pop choruses and confessional bridges.'),
  act('music', 'The Velvet Hours', 'indie rock', 'Four-piece guitar band with a taste for late-night anthems.'),
  act('music', 'Marisol Vega', 'latin pop', 'Reggaeton rhythms and bolero heartbreak.'),
  act('music', 'Northbound Static', 'alternative rock', 'Fuzz pedals, big drums, bigger singalongs.'),
  act('music', 'Kojo Mensah', 'afrobeats', 'Highlife guitars over modern Lagos and Accra grooves.'),
  act('music', 'Lena Hartmann', 'electronic', 'Hypnotic techno sets built live from modular synths.'),
  act('music', 'The Copper Saints', 'folk', 'Three-part harmonies, fiddle and banjo.'),
  act('music', 'DJ Hexagon', 'house', 'Warm, soulful house from dusk until close.'),
  act('music', 'Ruby Calloway', 'soul', 'A voice made for Sunday mornings and Saturday nights.'),
  act('music', 'Midnight Parade', 'pop punk', 'Fast, loud and made for jumping.'),
  act('music', 'Elias Brandt Quartet', 'jazz', 'Modern jazz quartet rooted in hard bop.'),
  act('music', 'Sienna Okafor', 'r&b', 'Silky R&B with a neo-soul band.'),
  act('music', 'Gravel & Pine', 'country', 'Honky-tonk storytelling from the open road.'),
  act('music', 'The Paper Lanterns', 'indie pop', 'Bright synths and bittersweet lyrics.'),
  act('music', 'Oscar Delacroix', 'classical', 'Concert pianist playing Chopin, Ravel and Satie.'),
  act('music', 'Blue Harbor', 'rock', 'Classic rock revival with twin lead guitars.'),
  act('music', 'Nova Reyes', 'hip-hop', 'Sharp verses over boom-bap and trap.'),
  act('music', 'Juniper Vale', 'singer-songwriter', 'Quiet songs that fill a room.'),
  act('music', 'Iron Meridian', 'metal', 'Progressive metal with a symphonic streak.'),
  act('music', 'Camille Roussel', 'chanson', 'Parisian chanson for the twenty-first century.'),
  act('music', 'Atlas Drive', 'synthwave', 'Neon-lit synthwave with a live drummer.'),
  act('music', 'Hollow Pines', 'folk rock', 'Campfire songs turned up loud.'),
  act('music', 'Priya Raman', 'indie', 'Dreamy guitar pop sung in English and Tamil.'),
  act('music', 'The Wild Tides', 'surf rock', 'Reverb-drenched instrumentals.'),
  act('music', 'Mateo Silva Trio', 'jazz', 'Latin jazz piano trio.'),
  act('music', 'Echo Fairground', 'electronic', 'Festival-ready electronic live show.'),
  act('music', 'Amara Lewis', 'gospel', 'Gospel choir leader turned solo star.'),
  act('music', 'Static Bloom', 'shoegaze', 'Walls of guitar and whispered vocals.'),
  act('music', 'King Ravel', 'hip-hop', 'Chart-topping rapper and producer.'),
  act('music', 'Stella Marchetti', 'opera', 'Soprano with the great arias of Puccini and Verdi.'),
  act('comedy', 'Dana Whitlock', 'stand-up', 'Observational stand-up about the absurdity of adult life.'),
  act('comedy', 'Raj Chaudhry', 'stand-up', 'Family chaos, told at full speed.'),
  act('comedy', "Maggie O'Rourke", 'stand-up', 'Dry Irish wit and long, winding stories.'),
  act('comedy', 'Theo Lindqvist', 'stand-up', 'Deadpan one-liners from a Swede abroad.'),
  act('comedy', 'Brenda Castillo', 'stand-up', 'Loud, fearless and always on the road.'),
  act('comedy', 'Sam Adeyemi', 'stand-up', 'Crowd work king of the late-night circuit.'),
  act('comedy', 'Hugo Fairbanks', 'sketch', 'Character comedy with a cast of dozens, all played by Hugo.'),
  act('comedy', 'Nina Petrov', 'improv', 'Improvised comedy built from audience suggestions.'),
  act('basketball', 'London Foxes', 'basketball', 'Professional basketball club from east London.'),
  act('basketball', 'Manchester Comets', 'basketball', 'Northern basketball powerhouse.'),
  act('basketball', 'New York Harbor Hawks', 'basketball', 'Basketball from the banks of the Hudson.'),
  act('basketball', 'Los Angeles Sunrays', 'basketball', 'Fast-breaking West Coast basketball.'),
  act('basketball', 'Paris Étoiles', 'basketball', 'Champions of the French league.'),
  act('hockey', 'Chicago Lakeshore Kings', 'ice hockey', 'Ice hockey from the Windy City.'),
  act('hockey', 'Berlin Bären', 'ice hockey', 'Berlin ice hockey with a loud home crowd.'),
  act('hockey', 'Toronto Northern Lights', 'ice hockey', 'Hockey town favourites.'),
  act('hockey', 'Brooklyn Ironworks', 'ice hockey', 'Gritty, hard-checking hockey.'),
  act('theater', 'The Lamplight Theatre Company', 'theatre', 'Touring company known for bold revivals.'),
  act('theater', 'Open Circle Players', 'theatre', 'New writing from emerging playwrights.'),
  act('theater', 'Mercury Stage Collective', 'musical theatre', 'Big-band musicals with a modern twist.'),
  act('theater', 'Riverside Ballet', 'dance', 'Classical and contemporary ballet.'),
  act('family', 'Bubbles the Science Clown', 'family', 'Explosive experiments for curious kids.'),
  act('family', 'The Puppet Caravan', 'family', 'Handmade puppets and folk tales.'),
  act('family', 'Circus Lumière', 'circus', 'Acrobats, jugglers and aerial silks.'),
  act('family', 'Dino Explorers Live', 'family', 'Life-size dinosaurs roam the stage.'),
  act('speaker', 'Dr. Ada Ncube', 'technology', 'Researcher in distributed systems and resilience.'),
  act('speaker', 'Marcus Feld', 'business', 'Founder and author on scaling companies.'),
  act('speaker', 'Yuki Tanaka', 'design', 'Product designer and typographer.'),
  act('speaker', 'Prof. Helen Marsh', 'science', 'Climate scientist and science communicator.'),
  act('speaker', 'Omar Haddad', 'product', 'Product leader on building for billions.'),
];
