/* words.c - the word lists and name templates (data only).
 *
 * Some entries carry the characters a CSV writer must handle: commas, double
 * quotes, apostrophes and non-ASCII letters. Adding a word changes the bytes
 * generated for a seed; append with care and note it in the changelog. */
#include "spotgen/model/words.h"

#define LIST(name, arr) {name, arr, (unsigned)(sizeof arr / sizeof arr[0])}

static const char *const ADJ[] = {
  "Electric", "Golden", "Broken", "Silent", "Midnight", "Neon", "Lonely", "Wild",
  "Endless", "Crimson", "Velvet", "Hollow", "Burning", "Frozen", "Restless", "Sweet",
  "Dark", "Bright", "Lost", "Faded", "Little", "Blue", "Heavy", "Gentle", "Savage",
  "Secret", "Starry", "Wicked", "Paper", "Glass", "Silver", "Cosmic", "Lazy", "Rapid",
  "Hazy", "Tender", "Fearless", "Naïve", "Dreamy", "Lucid", "Sunny", "Stormy", "Sacred",
  "Radiant", "Quiet", "Loud", "Fragile", "Infinite", "Mellow", "Bitter", "Crystal",
  "Emerald", "Falling", "Rising", "Hidden", "Northern", "Southern", "Ancient", "Modern",
  "Plastic", "Magnetic", "Liquid", "Secondhand", "Borrowed", "Reckless", "Tropical",
  "Dusty", "Rusty", "Smoky", "Salty", "Flawless", "Bulletproof", "Weightless", "Brand New",
};

static const char *const NOUN[] = {
  "Heart", "Fire", "Rain", "Night", "Dream", "Ocean", "River", "Shadow", "Light", "Summer",
  "Winter", "Highway", "City", "Moon", "Sun", "Star", "Mirror", "Thunder", "Storm", "Kiss",
  "Love", "Ghost", "Angel", "Paradise", "Horizon", "Echo", "Memory", "Flame", "Wave",
  "Gravity", "Signal", "Satellite", "Garden", "Machine", "Kingdom", "Daydream", "Lullaby",
  "Fever", "Silence", "Heartbeat", "Rhythm", "Melody", "Sky", "Island", "Desert", "Forest",
  "Rose", "Diamond", "Butterfly", "Tiger", "Wolf", "Phoenix", "Compass", "Window", "Train",
  "Telephone", "Radio", "Carousel", "Lighthouse", "Sunset", "Sunrise", "Tide", "Harbor",
  "Café", "Fiesta", "Señorita", "Déjà Vu", "Über", "Mañana", "Jalapeño", "Smörgåsbord",
  "Piñata", "Fiancée", "Soirée", "Rendezvous", "Mélange", "Crème Brûlée", "Götterdämmerung",
  "Saudade", "Hygge", "Fernweh", "Wanderlust", "Serendipity", "Nostalgia", "Euphoria",
};

static const char *const NOUNS[] = {
  "Hearts", "Lights", "Dreams", "Shadows", "Stars", "Wolves", "Kings", "Queens", "Ghosts",
  "Angels", "Strangers", "Lovers", "Rebels", "Machines", "Satellites", "Echoes", "Waves",
  "Tigers", "Foxes", "Ravens", "Sparrows", "Giants", "Pilots", "Sailors", "Dreamers",
  "Robots", "Comets", "Monsters", "Saints", "Sinners", "Outlaws", "Astronauts", "Thieves",
  "Kids", "Daughters", "Brothers", "Sisters", "Neighbours", "Parades", "Mountains",
};

static const char *const VERB[] = {
  "Run", "Dance", "Fall", "Shine", "Burn", "Hold", "Chase", "Break", "Fly", "Wait",
  "Stay", "Breathe", "Ride", "Dream", "Wake", "Move", "Shake", "Feel", "Remember",
  "Forget", "Believe", "Lose", "Save", "Follow", "Rise", "Drift", "Hide", "Call",
  "Touch", "Light", "Jump", "Sing", "Scream", "Whisper", "Ignite", "Surrender",
};

static const char *const FIRST[] = {
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Ethan",
  "Amara", "Kai", "Zoë", "José", "Björn", "Renée", "Chloé", "Łukasz", "Håkon", "Sigrún",
  "Jürgen", "Ana", "Marco", "Yuki", "Hana", "Ravi", "Priya", "Omar", "Leila", "Tomás",
  "Inés", "Dmitri", "Nadia", "Kwame", "Ayo", "Freya", "Astrid", "Elif", "Mehmet", "Aroha",
  "Malik", "Jade", "Ruby", "Finn", "Oscar", "Isla", "Felix", "Luna", "Nico", "Clara",
  "Sam", "Alex", "Jordan", "Taylor", "Riley", "Quinn", "Billie", "Frankie", "Remy", "Cass",
};

static const char *const LAST[] = {
  "Smith", "Johnson", "Rivera", "Nguyen", "García", "Müller", "Rossi", "Kowalski",
  "O'Connor", "O'Brien", "D'Angelo", "Dvořák", "Núñez", "Sørensen", "Andersson",
  "Lindqvist", "Fernández", "Moreau", "Dubois", "Tanaka", "Kim", "Park", "Chen", "Singh",
  "Okafor", "Mensah", "Haddad", "Costa", "Silva", "Petrov", "Novak", "Horváth", "Jansen",
  "de Vries", "MacLeod", "Fitzgerald", "Hart", "Stone", "Rhodes", "Knight", "Fox", "Wilde",
  "Blake", "Hayes", "Monroe", "Vance", "Sterling", "Lennox", "Reyes", "Castillo",
};

static const char *const PLACE[] = {
  "Paris", "Berlin", "Tokyo", "Brooklyn", "Memphis", "Nashville", "Lagos", "Seoul",
  "Reykjavík", "São Paulo", "Zürich", "Kraków", "Montréal", "Malmö", "Tromsø", "Bogotá",
  "Marseille", "Istanbul", "Lisbon", "Havana", "Kingston", "Detroit", "Manchester",
  "Glasgow", "Dublin", "Sydney", "Auckland", "Cape Town", "Mumbai", "Osaka",
  "the Roxy", "the Fillmore", "Red Rocks", "Wembley", "the Apollo", "Budokan",
};

static const char *const NUM[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "II", "III", "IV"};

const sg_wordlist sg_word_lists[] = {
  LIST("adj", ADJ),     LIST("noun", NOUN),   LIST("nouns", NOUNS), LIST("verb", VERB),
  LIST("first", FIRST), LIST("last", LAST),   LIST("place", PLACE), LIST("num", NUM),
};
const unsigned sg_word_lists_n = sizeof sg_word_lists / sizeof sg_word_lists[0];

/* Templates: more entries of a shape make it more frequent. */
static const char *const TRACK_T[] = {
  "{adj} {noun}", "{adj} {noun}", "{adj} {noun}", "{noun}", "{noun}", "{verb} Me",
  "{verb} With Me", "{verb} Tonight", "{noun} of {noun}", "{noun} in the {noun}",
  "Don't {verb}", "I Can't {verb}", "We'll {verb} Again", "{noun}, {noun}",
  "{verb}, {verb}, {verb}", "\"{noun}\"", "{adj} {noun} (feat. {first} {last})",
  "{noun} ({adj} Mix)", "{noun} - Live in {place}", "{adj} {noun}, Pt. {num}",
  "Rock 'n' {noun}", "{first}'s {noun}", "{verb} Like It's {adj}", "The {adj} {noun}",
  "{noun} ({first} {last} Remix)", "Letters to {first}", "{adj}", "{verb}",
};

static const char *const ARTIST_T[] = {
  "{first} {last}", "{first} {last}", "{first} {last}", "{first}", "The {nouns}",
  "The {adj} {nouns}", "{adj} {nouns}", "{noun}", "DJ {first}", "Lil {first}",
  "{first} & The {nouns}", "{first} {last} Trio", "{noun} Collective", "MC {last}",
  "{first} \"{adj}\" {last}", "{last}, {last} & {last}", "{noun} Club",
};

/* Album templates produce pairwise disjoint sets of names (a unit test
 * enumerates them), so an artist's albums, which take distinct templates,
 * never share a name. No template may appear twice here. */
static const char *const ALBUM_T[] = {
  "{adj} {noun}", "{noun}", "{nouns}", "{noun} of {nouns}", "Songs for {first}",
  "{adj} {noun}, Vol. {num}", "{noun} (Deluxe Edition)", "Live at {place}", "{place} Sessions",
  "{adj}", "The {noun} EP", "{noun} & {noun}", "{first}'s {noun}", "{adj} {nouns} (Remastered)",
  "Letters from {place}", "The {adj} Tapes",
};

const sg_wordlist sg_track_templates = LIST("track", TRACK_T);
const sg_wordlist sg_artist_templates = LIST("artist", ARTIST_T);
const sg_wordlist sg_album_templates = LIST("album", ALBUM_T);
