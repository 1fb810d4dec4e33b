// Opens a `spotgen report` page in headless Chromium (Debian's), with no
// network: renders it to a PNG, fails on any console error or warning,
// page error or request that is not the file itself, and reads every chart
// back from the rendered SVG (marks' positions through each plot's stated
// axis mapping, not only their data-* attributes), comparing it with the
// manifest.
//
//   node report_check.mjs REPORT.html MANIFEST.json OUT.png [VERIFY.json]
//
// With VERIFY.json (`spotgen verify --json`), the target table must be
// verify's; otherwise the manifest's.
import { chromium } from 'playwright-core';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const [html, manifestPath, pngPath, verifyPath] = process.argv.slice(2);
const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
const checks = verifyPath ? JSON.parse(readFileSync(verifyPath, 'utf8')).results : m.targets;
const stats = m.stats;
const rows = stats.rows;
const cats = Object.keys(stats.categories);

let failures = 0;
function fail(msg) {
  failures++;
  if (failures <= 30) console.error(`FAIL: ${msg}`);
}
function near(got, want, tol, what) {
  if (!(Math.abs(got - want) <= tol)) fail(`${what}: the chart shows ${got}, the manifest has ${want} (tolerance ${tol})`);
}

// ---- render ---------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const url = 'file://' + resolve(html);
page.on('console', (msg) => {
  if (msg.type() === 'error' || msg.type() === 'warning') fail(`console ${msg.type()}: ${msg.text()}`);
});
page.on('pageerror', (e) => fail(`page error: ${e.message}`));
page.on('request', (req) => {
  if (req.url() !== url) fail(`the page fetched ${req.url()}: it must be self-contained`);
});
await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
await page.goto(url, { waitUntil: 'load' });
await page.screenshot({ path: pngPath, fullPage: true });

// Everything drawn, as the browser parsed it.
const seen = await page.evaluate(() => {
  const num = (el, a) => parseFloat(el.getAttribute(a));
  const plotOf = (g) => g && {
    x: { scale: g.dataset.xScale, min: +g.dataset.xMin, max: +g.dataset.xMax, p0: +g.dataset.xPx0, p1: +g.dataset.xPx1 },
    y: { scale: g.dataset.yScale, min: +g.dataset.yMin, max: +g.dataset.yMax, p0: +g.dataset.yPx0, p1: +g.dataset.yPx1 },
  };
  const charts = {};
  for (const f of document.querySelectorAll('figure[data-chart]')) {
    const id = f.dataset.chart;
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    charts[id] = charts[id] || [];
    charts[id].push({
      missing: f.dataset.missing === '1',
      width: box.width, height: box.height,
      texts: svg ? svg.querySelectorAll('text').length : 0,
      plots: [...f.querySelectorAll('g.plot')].map(plotOf),
      bars: [...f.querySelectorAll('rect.bar')].map((r) => ({
        bin: num(r, 'data-bin'), count: num(r, 'data-count'), year: r.dataset.year, rows: num(r, 'data-rows'),
        x: num(r, 'x'), y: num(r, 'y'), w: num(r, 'width'), h: num(r, 'height'),
        plot: plotOf(r.closest('g.plot')),
      })),
      lines: [...f.querySelectorAll('polyline.cat')].map((p) => ({
        category: p.dataset.category,
        stroke: p.getAttribute('stroke'),
        points: p.getAttribute('points').trim().split(/\s+/).map((s) => s.split(',').map(Number)),
      })),
      bands: [...f.querySelectorAll('rect.band')].map((r) => ({ lo: num(r, 'data-lo'), hi: num(r, 'data-hi'), share: num(r, 'data-share') })),
      cells: [...f.querySelectorAll('rect.cell')].map((r) => ({
        row: r.dataset.row, col: r.dataset.col, r: num(r, 'data-r'), fill: r.getAttribute('fill'),
        text: r.nextElementSibling && r.nextElementSibling.textContent,
        category: r.closest('g.within')?.dataset.category, own: r.classList.contains('own'),
      })),
      targets: [...f.querySelectorAll('rect.target')].map((r) => ({
        row: r.dataset.row, col: r.dataset.col, cls: r.getAttribute('class'), min: num(r, 'data-min'), max: num(r, 'data-max'),
      })),
      profiles: [...f.querySelectorAll('rect.profile')].map((r) => ({
        feature: r.dataset.feature, category: r.dataset.category, mean: num(r, 'data-mean'),
        x: num(r, 'x'), w: num(r, 'width'), plot: plotOf(r.closest('g.plot')),
        want: r.nextElementSibling && r.nextElementSibling.matches('line.want') ? num(r.nextElementSibling, 'data-want') : null,
      })),
      points: [...f.querySelectorAll('circle.point')].map((c) => ({
        rank: num(c, 'data-rank'), rows: num(c, 'data-rows'), cx: num(c, 'cx'), cy: num(c, 'cy'),
      })),
    });
  }
  const facts = Object.fromEntries([...document.querySelectorAll('tr[data-fact]')].map((tr) => [tr.dataset.fact, tr.querySelector('td').textContent]));
  const table = [...document.querySelectorAll('section[data-item="targets"] tr[data-target]')].map((tr) => ({
    target: tr.dataset.target, result: tr.dataset.result,
  }));
  const items = [...document.querySelectorAll('section[data-item]')].map((s) => s.dataset.item);
  return { charts, facts, table, items, height: document.documentElement.scrollHeight };
});
await browser.close();

// ---- the picture --------------------------------------------------------
const png = readFileSync(pngPath);
if (png.subarray(1, 4).toString() !== 'PNG') fail(`${pngPath} is not a PNG`);
const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
if (pw !== 1280 || ph < 3000) fail(`the screenshot is ${pw}x${ph}: the page did not lay out as a long report`);
if (statSync(pngPath).size < 100000) fail('the screenshot is nearly blank');

// ---- one chart per item ---------------------------------------------------
const FEATURES = ['energy', 'danceability', 'valence', 'acousticness', 'instrumentalness', 'speechiness',
  'liveness', 'loudness', 'tempo', 'key', 'mode', 'time_signature'];
const expected = [...FEATURES.map((f) => `feature-${f}`), 'correlation', 'within', 'profiles', 'popularity',
  'release-years', 'duration', 'followers', 'artist-rank', 'track-rank'];
for (const id of expected) {
  const c = seen.charts[id];
  if (!c) { fail(`no chart '${id}'`); continue; }
  if (c.length !== 1) fail(`chart '${id}' appears ${c.length} times`);
  if (c[0].missing) fail(`chart '${id}' says its data is missing`);
  if (!(c[0].width > 300 && c[0].height > 150)) fail(`chart '${id}' renders at ${c[0].width}x${c[0].height}`);
  if (c[0].texts < 5) fail(`chart '${id}' has ${c[0].texts} labels: its axes are not labelled`);
}
for (const id of Object.keys(seen.charts)) if (!expected.includes(id)) fail(`unexpected chart '${id}'`);
for (const item of ['facts', 'targets']) if (!seen.items.includes(item)) fail(`no '${item}' section`);

// ---- reading marks back through their plot's axes ---------------------------
const f = (s, v) => (s === 'log10' ? Math.log10(v) : s === 'log1p' ? Math.log10(1 + v) : v);
const finv = (s, u) => (s === 'log10' ? 10 ** u : s === 'log1p' ? 10 ** u - 1 : u);
const invert = (a, px) => finv(a.scale, f(a.scale, a.min) + ((px - a.p0) / (a.p1 - a.p0)) * (f(a.scale, a.max) - f(a.scale, a.min)));
const perPx = (a) => Math.abs((a.max - a.min) / (a.p1 - a.p0)); // data units per pixel, linear axes
// what 0.02 px (coordinates are written to 0.01) is worth at value v on axis a
const tol = (a, v) => (a.scale === 'linear' ? perPx(a) * 0.02 : (1 + Math.abs(v)) * 2e-3);

function edge(h, b) {
  const n = h.counts.length;
  if (h.scale === 'log10(1+x)') return 10 ** ((Math.log10(1 + h.hi) * b) / n) - 1;
  if (h.hi - h.lo + 1 === n) return h.lo - 0.5 + b;
  return h.lo + ((h.hi - h.lo) * b) / n;
}

function checkHistogram(id, col, perCategory) {
  const c = seen.charts[id]?.[0];
  if (!c) return;
  const h = stats.columns[col].histogram;
  const plot = c.plots[0];
  const integer = h.scale === 'linear' && h.hi - h.lo + 1 === h.counts.length;
  const shown = new Set();
  for (const bar of c.bars) {
    const b = bar.bin;
    shown.add(b);
    near(bar.count, h.counts[b], 0, `${id} bin ${b} count`);
    near(invert(plot.y, bar.y), h.counts[b] / rows, perPx(plot.y) * 0.02, `${id} bin ${b} height`);
    near(bar.y + bar.h, plot.y.p0, 0.02, `${id} bin ${b} base`);
    const x = integer ? invert(plot.x, bar.x + bar.w / 2) : invert(plot.x, bar.x);
    const want = integer ? h.lo + b : edge(h, b);
    near(x, want, tol(plot.x, want), `${id} bin ${b} position`);
  }
  h.counts.forEach((n, b) => {
    if (n > 0 && !shown.has(b)) fail(`${id}: bin ${b} holds ${n} rows but has no bar`);
  });
  if (!perCategory) return;
  // the categories' histograms add up to the overall one
  h.counts.forEach((n, b) => {
    const sum = cats.reduce((s, k) => s + stats.categories[k].histograms[col][b], 0);
    if (sum !== n) fail(`${col} bin ${b}: the categories' histograms sum to ${sum}, the column's is ${n}`);
  });
  for (const k of cats) {
    const line = c.lines.find((l) => l.category === k);
    if (!line) { fail(`${id}: no line for category ${k}`); continue; }
    const counts = stats.categories[k].histograms[col];
    if (line.points.length !== counts.length) fail(`${id} ${k}: ${line.points.length} points for ${counts.length} bins`);
    line.points.forEach(([x, y], b) => {
      near(invert(plot.y, y), counts[b] / stats.categories[k].rows, perPx(plot.y) * 0.02, `${id} ${k} bin ${b}`);
      const centre = (edge(h, b) + edge(h, b + 1)) / 2;
      near(invert(plot.x, x), centre, tol(plot.x, centre), `${id} ${k} bin ${b} position`);
    });
  }
  const strokes = new Set(c.lines.map((l) => l.stroke));
  if (strokes.size !== cats.length) fail(`${id}: ${strokes.size} colours for ${cats.length} categories`);
}

for (const col of FEATURES) checkHistogram(`feature-${col}`, col, true);
checkHistogram('duration', 'duration_ms', true);
checkHistogram('popularity', 'popularity_score', false);
checkHistogram('followers', 'num_followers', false);

// popularity bands: their shares from the exact histogram
for (const band of seen.charts.popularity?.[0].bands ?? []) {
  let n = 0;
  for (let v = band.lo; v <= band.hi; v++) n += stats.columns.popularity_score.histogram.counts[v];
  near(band.share, n / rows, 1e-6, `popularity band ${band.lo}-${band.hi}`);
}

// the followers axis is logarithmic
if (seen.charts.followers?.[0].plots[0].x.scale !== 'log1p') fail('the followers chart is not on a log axis');

// ---- correlation heatmap ------------------------------------------------
{
  const c = seen.charts.correlation?.[0];
  const names = stats.correlation.columns;
  if (c) {
    if (c.cells.length !== names.length ** 2) fail(`heatmap: ${c.cells.length} cells for ${names.length} columns`);
    for (const cell of c.cells) {
      const r = stats.correlation.matrix[names.indexOf(cell.row)][names.indexOf(cell.col)];
      near(cell.r, r, 1e-12, `r(${cell.row}, ${cell.col})`);
      const shown = Math.abs(r) < 0.005 ? '0.00' : r.toFixed(2);
      if (cell.text !== shown) fail(`r(${cell.row}, ${cell.col}) is labelled ${cell.text}, not ${shown}`);
      const [R, , B] = [1, 3, 5].map((i) => parseInt(cell.fill.slice(i, i + 2), 16));
      if (r > 0.2 && !(R > B)) fail(`r(${cell.row}, ${cell.col}) = ${r} is not coloured as positive (${cell.fill})`);
      if (r < -0.2 && !(B > R)) fail(`r(${cell.row}, ${cell.col}) = ${r} is not coloured as negative (${cell.fill})`);
    }
    const corrTargets = checks.filter((t) => t.columns);
    if (corrTargets.length < 10) fail(`only ${corrTargets.length} correlation targets carry their columns`);
    for (const t of corrTargets) {
      const mark = c.targets.find((x) => x.row === t.columns[0] && x.col === t.columns[1]);
      if (!mark) { fail(`heatmap: target '${t.target}' is not marked`); continue; }
      if (!mark.cls.includes(t.result)) fail(`heatmap: target '${t.target}' is marked '${mark.cls}', its result is ${t.result}`);
      if ('min' in t) near(mark.min, t.min, 1e-12, `${t.target} min`);
      if ('max' in t) near(mark.max, t.max, 1e-12, `${t.target} max`);
    }
  }
}

// ---- correlations within each category: the manifest's matrices, the
// pairs each category sets itself outlined ----------------------------------
{
  const c = seen.charts.within?.[0];
  if (c) {
    const names = stats.categories[cats[0]].correlation.columns;
    if (c.cells.length !== cats.length * names.length ** 2)
      fail(`within: ${c.cells.length} cells for ${cats.length} categories of ${names.length} features`);
    let own = 0;
    for (const cell of c.cells) {
      const r = stats.categories[cell.category].correlation.matrix[names.indexOf(cell.row)][names.indexOf(cell.col)];
      near(cell.r, r, 1e-12, `within ${cell.category}: r(${cell.row}, ${cell.col})`);
      const set = m.config.categories[cell.category].correlations ?? {};
      const want = typeof set[cell.row]?.[cell.col] === 'number' || typeof set[cell.col]?.[cell.row] === 'number';
      if (cell.own !== want) fail(`within ${cell.category}: r(${cell.row}, ${cell.col}) outlined ${cell.own}, set by the category ${want}`);
      own += cell.own;
      const [R, , B] = [1, 3, 5].map((i) => parseInt(cell.fill.slice(i, i + 2), 16));
      if (r > 0.2 && !(R > B)) fail(`within ${cell.category}: r(${cell.row}, ${cell.col}) = ${r} is not coloured as positive`);
    }
    if (own < 10) fail(`within: only ${own} cells outlined; the defaults set six pairs`);
    const sleep = stats.categories.sleep.correlation, ai = [names.indexOf('acousticness'), names.indexOf('instrumentalness')];
    const pooled = stats.correlation.matrix[stats.correlation.columns.indexOf('acousticness')][stats.correlation.columns.indexOf('instrumentalness')];
    if (!(sleep.matrix[ai[0]][ai[1]] > 0.4)) fail(`within sleep: r(acousticness, instrumentalness) = ${sleep.matrix[ai[0]][ai[1]]}, the default sets 0.5`);
    if (!(pooled > 0.3)) fail(`r(acousticness, instrumentalness) over all rows = ${pooled}`);
  }
}

// ---- category profiles --------------------------------------------------
{
  const c = seen.charts.profiles?.[0];
  const PROFILE = ['energy', 'tempo', 'acousticness', 'danceability', 'valence'];
  if (c && c.profiles.length !== PROFILE.length * cats.length)
    fail(`profiles: ${c.profiles.length} bars for ${PROFILE.length} features x ${cats.length} categories`);
  for (const p of c?.profiles ?? []) {
    const mean = stats.categories[p.category].means[p.feature];
    near(p.mean, mean, 1e-12, `profile ${p.category} ${p.feature}`);
    near(invert(p.plot.x, p.x + p.w), mean, perPx(p.plot.x) * 0.02, `profile bar ${p.category} ${p.feature}`);
    near(p.want, m.config.categories[p.category][p.feature].mean, 1e-12, `profile target ${p.category} ${p.feature}`);
  }
}

// ---- release years --------------------------------------------------------
{
  const c = seen.charts['release-years']?.[0];
  const years = Object.entries(stats.release_years);
  if (c && c.bars.length !== years.length) fail(`release years: ${c.bars.length} bars for ${years.length} years`);
  for (const bar of c?.bars ?? []) {
    near(bar.rows, stats.release_years[bar.year], 0, `release year ${bar.year}`);
    near(invert(bar.plot.y, bar.y), stats.release_years[bar.year], perPx(bar.plot.y) * 0.02, `release year ${bar.year} height`);
  }
}

// ---- artists' and tracks' rank-frequency on log-log axes ------------------
for (const [id, section] of [['artist-rank', 'artists'], ['track-rank', 'tracks']]) {
  const c = seen.charts[id]?.[0];
  const a = stats[section];
  if (c) {
    const plot = c.plots[0];
    if (plot.x.scale !== 'log10' || plot.y.scale !== 'log10') fail(`${id} is not on log-log axes`);
    if (c.points.length !== a.rank.length) fail(`${id}: ${c.points.length} points for ${a.rank.length}`);
    c.points.forEach((p, i) => {
      near(p.rank, a.rank[i], 0, `${id} point ${i}`);
      near(p.rows, a.rows[i], 0, `${id} point ${i} rows`);
      near(Math.log10(invert(plot.x, p.cx)), Math.log10(a.rank[i]), 1e-3, `${id} rank ${a.rank[i]} position`);
      near(Math.log10(invert(plot.y, p.cy)), Math.log10(a.rows[i]), 1e-3, `${id} rank ${a.rank[i]} rows position`);
    });
    for (let i = 1; i < a.rows.length; i++)
      if (a.rows[i] > a.rows[i - 1]) fail(`${id}: rank ${a.rank[i]} has more rows than rank ${a.rank[i - 1]}`);
  }
}

// ---- facts and the target table ------------------------------------------
const group = (n) => n.toLocaleString('en-US');
if (seen.facts.rows !== group(m.dataset.rows)) fail(`rows fact '${seen.facts.rows}', manifest ${m.dataset.rows}`);
if (seen.facts.seed !== String(m.dataset.seed)) fail(`seed fact '${seen.facts.seed}'`);
if (!seen.facts.parts?.startsWith(group(m.dataset.parts))) fail(`parts fact '${seen.facts.parts}'`);
const bytes = m.parts.reduce((s, p) => s + p.bytes, 0);
if (!seen.facts.size?.includes(`${group(bytes)} bytes`)) fail(`size fact '${seen.facts.size}', ${bytes} bytes`);
if (m.run && !seen.facts.rate?.startsWith(group(Math.floor(m.run.rows_per_second)))) fail(`rows/s fact '${seen.facts.rate}'`);
for (const k of ['format', 'generated', 'time', 'targets']) if (!seen.facts[k]) fail(`no '${k}' fact`);
{
  const pe = stats.popularity_explained, f = seen.facts['popularity-explained'] ?? '';
  if (!f.includes(`R² ${pe.audio_r2.toFixed(3)}`) || !f.includes(`r² ${pe.artist_r2.toFixed(3)}`))
    fail(`popularity explained fact '${f}', manifest ${JSON.stringify(pe)}`);
  if (!(pe.artist_r2 > 3 * pe.audio_r2)) fail(`the artist explains ${pe.artist_r2} of popularity, the audio features ${pe.audio_r2}`);
}
if (seen.table.length !== checks.length) fail(`the target table has ${seen.table.length} rows, there are ${checks.length} checks`);
checks.forEach((t, i) => {
  const row = seen.table[i];
  if (!row || row.target !== t.target || row.result !== t.result)
    fail(`target row ${i}: ${JSON.stringify(row)}, expected ${t.target}: ${t.result}`);
});

if (failures) {
  console.error(`${failures} problem(s) in ${html}`);
  process.exit(1);
}
console.log(`ok - ${html}: ${expected.length} charts rendered by Chromium (${pw}x${ph} PNG), no console errors or requests, every mark matches the manifest`);
