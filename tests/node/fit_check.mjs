// The round trip of `spotgen fit`, measured by DuckDB alone: dataset A was
// generated with a config, the model was fitted from A, and dataset B was
// generated with the model (another seed). B must reproduce A's structure,
// within the tolerances docs/fit.md states:
//   each category's share of rows                    within 0.02
//   each category's and the whole's feature
//     mean                                           within 0.06 of A's sd
//     quantiles at 0.1, 0.5, 0.9                     within 0.10 of A's sd
//     sd                                             within 5% of A's
//   instrumentalness' share exactly 0, per category  within 0.02
//   Pearson r of each of the 45 pairs, per category  within 0.05
//   and over the whole                               within 0.03
//   popularity's median and 90th percentile          within 2 points
// Two seeds of A's own config differ by about as much as A and B (300,000
// rows each, docs/fit.md), so these are about twice what sampling alone
// gives. It prints the largest gap of each kind.
//
// usage: node fit_check.mjs A_DIR B_DIR
import { connect, fail, manifestOf, readSql } from './dataset_read.mjs';

const [dirA, dirB] = process.argv.slice(2);
const con = await connect();
const rows = async (sql) => (await (await con.run(sql)).getRowObjects()).map((r) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' || typeof v === 'number' ? Number(v) : v])));

const FEATURES = ['energy', 'loudness', 'danceability', 'valence', 'tempo', 'acousticness', 'instrumentalness',
  'speechiness', 'liveness', 'duration_ms'];
for (const [name, dir] of [['a', dirA], ['b', dirB]]) {
  const m = manifestOf(dir);
  await con.run(`CREATE TABLE ${name} AS SELECT * FROM ${readSql(`${dir}/part-*.csv`, 'csv', m.schema.spark.fields)}`);
}

const worst = {};
const check = (kind, what, gap, tol) => {
  if (!(gap <= tol)) fail(`${kind}: ${what}: A and B differ by ${gap.toFixed(4)} (tolerance ${tol})`);
  if (!(kind in worst) || gap > worst[kind].gap) worst[kind] = { gap, what, tol };
};

// shares
const share = async (t) => Object.fromEntries((await rows(`SELECT playlist_category c,
  count(*) / (SELECT count(*) FROM ${t}) s FROM ${t} GROUP BY 1`)).map((r) => [r.c, r.s]));
const [sa, sb] = [await share('a'), await share('b')];
const cats = Object.keys(sa).sort();
for (const c of cats) check('share', c, Math.abs(sa[c] - (sb[c] ?? 0)), 0.02);

// marginals, per category and over the whole
const groups = [['all', 'true'], ...cats.map((c) => [c, `playlist_category = '${c}'`])];
for (const [g, where] of groups) {
  for (const f of FEATURES) {
    const stat = async (t) => (await rows(`SELECT avg(${f}) m, stddev_pop(${f}) s,
      quantile_cont(${f}, 0.1) q1, quantile_cont(${f}, 0.5) q5, quantile_cont(${f}, 0.9) q9,
      avg((${f} = 0)::INT) z FROM ${t} WHERE ${where}`))[0];
    const [a, b] = [await stat('a'), await stat('b')];
    check('mean', `${g} ${f}`, Math.abs(a.m - b.m) / a.s, 0.06);
    check('sd', `${g} ${f}`, Math.abs(b.s / a.s - 1), 0.05);
    for (const q of ['q1', 'q5', 'q9']) check('quantile', `${g} ${f} ${q}`, Math.abs(a[q] - b[q]) / a.s, 0.10);
    if (f === 'instrumentalness') check('zero share', g, Math.abs(a.z - b.z), 0.02);
  }
  const pairs = [];
  for (let i = 0; i < FEATURES.length; i++)
    for (let j = i + 1; j < FEATURES.length; j++) pairs.push([FEATURES[i], FEATURES[j]]);
  const corr = async (t) => (await rows(`SELECT ${pairs.map(([x, y], k) => `corr(${x}, ${y}) r${k}`).join(', ')}
    FROM ${t} WHERE ${where}`))[0];
  const [ca, cb] = [await corr('a'), await corr('b')];
  pairs.forEach(([x, y], k) => check(g === 'all' ? 'r (whole)' : 'r (category)', `${g} ${x}-${y} ` +
    `(${ca[`r${k}`].toFixed(3)} vs ${cb[`r${k}`].toFixed(3)})`, Math.abs(ca[`r${k}`] - cb[`r${k}`]),
  g === 'all' ? 0.03 : 0.05));
}

// popularity
const pop = async (t) => (await rows(`SELECT quantile_cont(popularity_score, 0.5) p5,
  quantile_cont(popularity_score, 0.9) p9 FROM ${t}`))[0];
const [pa, pb] = [await pop('a'), await pop('b')];
check('popularity', 'median', Math.abs(pa.p5 - pb.p5), 2);
check('popularity', '90th percentile', Math.abs(pa.p9 - pb.p9), 2);

for (const [kind, w] of Object.entries(worst))
  console.log(`ok - ${kind}: largest gap ${w.gap.toFixed(4)} (${w.what}), tolerance ${w.tol}`);
