-- catalog.sql - demo genres and films. Idempotent: run by `cinetty seed`
-- every time; existing rows (same name or title, any case) are kept.

INSERT INTO genres (name) VALUES
    ('Action'), ('Adventure'), ('Animation'), ('Biography'), ('Comedy'),
    ('Crime'), ('Documentary'), ('Drama'), ('Family'), ('Horror'),
    ('Mystery'), ('Romance'), ('Sci-Fi'), ('Thriller'), ('Western')
ON CONFLICT (lower(name)) DO NOTHING;

INSERT INTO movies (title, description, runtime_min, rating, poster_url) VALUES
('The Lighthouse Keeper''s Daughter',
 'On a storm-bound island off the Breton coast, a girl who has never left the rock inherits her father''s lamp - and the logbook he kept of every ship he failed to warn.',
 118, 'PG-13', 'https://posters.example/lighthouse-keepers-daughter.jpg'),
('Quantum Heist',
 'Four specialists break into the one vault that exists in two places at once. The plan is perfect in every timeline but theirs.',
 132, 'PG-13', 'https://posters.example/quantum-heist.jpg'),
('Paper Moons',
 'A greeting-card writer who cannot say what she feels and a printer who only says what he thinks share a cramped Brooklyn studio for one chaotic holiday season.',
 104, 'PG', 'https://posters.example/paper-moons.jpg'),
('The Last Orchard',
 'Three generations of a family of apple growers spend one final harvest deciding whether to sell the land their grandmother planted after the war.',
 126, 'PG', 'https://posters.example/the-last-orchard.jpg'),
('Night Shift at Saint Agnes',
 'A newly qualified nurse takes the graveyard shift at a hospital scheduled for demolition, where the call buttons keep ringing in a ward that was closed in 1974.',
 97, 'R', 'https://posters.example/night-shift-saint-agnes.jpg'),
('Copper & Steam',
 'A clockwork fox and a runaway apprentice race across a city of canals and airships to return a stolen heart to the machine that keeps the tides.',
 92, 'G', 'https://posters.example/copper-and-steam.jpg'),
('Salt Road',
 'In 1871 a widowed salt trader hires a disgraced army scout to guide her wagons across the flats before the rains - and before the men who killed her husband.',
 141, 'PG-13', 'https://posters.example/salt-road.jpg'),
('A Quiet Frequency',
 'A radio astronomer in the Atacama picks up a signal that repeats her own voice, recorded tomorrow.',
 115, 'PG-13', 'https://posters.example/a-quiet-frequency.jpg'),
('Grandmaster of Vilnius',
 'The true story of a schoolteacher who played chess by post with prisoners across occupied Europe, and the game that lasted eleven years.',
 128, 'PG-13', 'https://posters.example/grandmaster-of-vilnius.jpg'),
('Tidewater',
 'A year on the mudflats of the Wadden Sea, where twice a day the ocean leaves and a whole world comes out to feed.',
 88, 'NR', 'https://posters.example/tidewater.jpg'),
('The Marigold Affair',
 'A retired forger, her estranged nephew and a very nervous florist attempt to return a painting to the museum it was stolen from forty years ago.',
 109, 'PG-13', 'https://posters.example/the-marigold-affair.jpg'),
('Beneath the Glacier',
 'When a research station''s ice cores start to melt from the inside, the winter crew has six days until the last plane and one reason not to be on it.',
 121, 'R', 'https://posters.example/beneath-the-glacier.jpg'),
('Little Comet',
 'The smallest comet in the Kuiper belt sets out to see the Sun once before she is old enough to be told it is dangerous.',
 85, 'G', 'https://posters.example/little-comet.jpg'),
('Midnight in Lisbon',
 'Two strangers miss the last tram up the hill and walk the city until dawn, trading the stories they have never told anyone.',
 112, 'PG-13', 'https://posters.example/midnight-in-lisbon.jpg')
ON CONFLICT (lower(title)) DO NOTHING;

INSERT INTO movie_genres (movie_id, genre_id)
SELECT m.id, g.id
FROM (VALUES
    ('The Lighthouse Keeper''s Daughter', 'Drama'),
    ('The Lighthouse Keeper''s Daughter', 'Mystery'),
    ('Quantum Heist', 'Action'), ('Quantum Heist', 'Sci-Fi'),
    ('Quantum Heist', 'Crime'),
    ('Paper Moons', 'Romance'), ('Paper Moons', 'Comedy'),
    ('The Last Orchard', 'Drama'), ('The Last Orchard', 'Family'),
    ('Night Shift at Saint Agnes', 'Horror'),
    ('Night Shift at Saint Agnes', 'Thriller'),
    ('Copper & Steam', 'Animation'), ('Copper & Steam', 'Family'),
    ('Copper & Steam', 'Adventure'),
    ('Salt Road', 'Western'), ('Salt Road', 'Adventure'),
    ('Salt Road', 'Drama'),
    ('A Quiet Frequency', 'Sci-Fi'), ('A Quiet Frequency', 'Mystery'),
    ('Grandmaster of Vilnius', 'Biography'),
    ('Grandmaster of Vilnius', 'Drama'),
    ('Tidewater', 'Documentary'),
    ('The Marigold Affair', 'Crime'), ('The Marigold Affair', 'Comedy'),
    ('Beneath the Glacier', 'Thriller'),
    ('Beneath the Glacier', 'Adventure'),
    ('Little Comet', 'Animation'), ('Little Comet', 'Family'),
    ('Midnight in Lisbon', 'Romance'), ('Midnight in Lisbon', 'Drama')
) AS v (title, genre)
JOIN movies m ON lower(m.title) = lower(v.title)
JOIN genres g ON lower(g.name) = lower(v.genre)
ON CONFLICT DO NOTHING;
