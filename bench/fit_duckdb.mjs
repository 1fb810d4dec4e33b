// The peer of `spotgen fit` for bench/fit.sh: DuckDB computing, from the
// same CSV files, what fit computes from them: per category and over the
// whole, 257 quantiles of each of the ten features and the Pearson r of
// their 45 pairs. Prints the seconds it took (the CSV's reading included).
//
// usage: node bench/fit_duckdb.mjs DIR
const { DuckDBInstance } = await import(new URL('../tests/node/node_modules/@duckdb/node-api/lib/index.js', import.meta.url));

const dir = process.argv[2];
const F = ['energy', 'loudness', 'danceability', 'valence', 'tempo', 'acousticness', 'instrumentalness',
  'speechiness', 'liveness', 'duration_ms'];
const p = Array.from({ length: 257 }, (_, i) => (i === 0 ? 0 : i === 256 ? 1 : null));
const phi = (z) => 0.5 * (1 + Math.sign(z) * Math.sqrt(1 - Math.exp(-2 * z * z / Math.PI))); // close enough for a bench
for (let i = 1; i < 256; i++) p[i] = Math.min(1, Math.max(0, phi(-4 + 8 * i / 256)));
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE TABLE t AS SELECT playlist_category, ${F.join(', ')} FROM read_csv('${dir}/part-*.csv')`);
const pairs = [];
for (let i = 0; i < F.length; i++) for (let j = i + 1; j < F.length; j++) pairs.push(`corr(${F[i]}, ${F[j]})`);
const q = F.map((f) => `quantile_cont(${f}, [${p.join(', ')}])`).join(', ');
await (await con.run(`SELECT playlist_category, ${q}, ${pairs.join(', ')} FROM t GROUP BY ROLLUP (playlist_category)`)).getRows();
console.log(((performance.now() - t0) / 1000).toFixed(2));
