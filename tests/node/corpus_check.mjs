// score's Parquet reader (tests/pq_dump) over a folder of Parquet files
// others wrote, such as the Apache Parquet project's compatibility corpus
// (apache/parquet-testing: data/, bad_data/, shredded_variant/, ...), or
// tests/pq_others' files, against DuckDB, and hyparquet where DuckDB does
// not read a file (LZ4 in Hadoop's framing, BYTE_STREAM_SPLIT integers).
// Every flat file DuckDB reads must be read with the same
// values (pq_compare.mjs), unless a page's CRC-32 is wrong (DuckDB does not
// check them); a nested one (a STRUCT, LIST, MAP or VARIANT column in
// DuckDB's reading) refused in one line; any other file read or
// refused in one line, never crashing pq_dump. tests/e2e_parquet.sh runs it
// on pq_others' files; the corpus is not in the repository (nor can CI
// fetch it): run it by hand against a checkout when the reader changes
// (docs/verify.md).
//
// usage: node corpus_check.mjs PQ_DUMP DIR WORKDIR
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { compareDump, quote } from './pq_compare.mjs';

const [dump, dir, work] = process.argv.slice(2);
const files = [];
const walk = (d) => readdirSync(d).sort().forEach((n) => {
  const p = `${d}/${n}`;
  if (statSync(p).isDirectory()) walk(p);
  else if (n.endsWith('.parquet')) files.push(p);
});
walk(dir);
// hyparquet's rows of a file (the reader when DuckDB has none for its
// codec or encoding), or undefined when it does not read it either.
async function hyparquetRows(file) {
  try {
    const b = readFileSync(file);
    return await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.length), compressors });
  } catch (e) {
    return undefined;
  }
}

// pq_dump's output (`tsv`) against hyparquet's rows: a number the same
// number (inf, nan spelt so; hyparquet makes a decimal a double, so to
// within its rounding), a big integer the same digits, a boolean true or false, bytes in hex, a null
// empty, text the same. @return: the first difference, or undefined.
function sameAsHyparquet(tsv, rows) {
  const lines = tsv.split('\n').slice(0, -1).map((l) => l.split('\t'));
  const names = lines[0];
  if (lines.length - 1 !== rows.length) return `${lines.length - 1} rows, hyparquet ${rows.length}`;
  const num = (t) => (t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : Number(t));
  for (let r = 0; r < rows.length; r++) {
    for (const [c, name] of names.entries()) {
      const ours = lines[r + 1][c], v = rows[r][name];
      const same = v === null || v === undefined ? ours === ''
        : typeof v === 'bigint' ? ours === String(v)
        : typeof v === 'number' ? Object.is(num(ours), v) || Math.abs(num(ours) - v) <= 1e-12 * Math.abs(v) // decimals: doubles
        : typeof v === 'boolean' ? ours === String(v)
        : v instanceof Uint8Array ? ours === Buffer.from(v).toString('hex')
        : ours === String(v) || ours === Buffer.from(String(v)).toString('hex'); // hyparquet reads bytes as text
      if (!same) return `row ${r} ${name}: ${ours}, hyparquet ${v}`;
    }
  }
  return undefined;
}

let con; // a fresh database per file: a fatal error in DuckDB invalidates its database
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
const tally = { same: 0, hyparquet: 0, nested: 0, damaged: 0, unreadable: 0 }, fails = [];
const unread = [];
for (const file of files) {
  const name = file.slice(dir.length + 1);
  con = await (await DuckDBInstance.create(':memory:')).connect();
  const run = spawnSync(dump, [file], { maxBuffer: 1 << 30 }); // its output as bytes, for DuckDB to read
  if (run.signal || (run.status !== 0 && run.status !== 1)) {
    fails.push(`${name}: pq_dump ended by ${run.signal ?? `exit ${run.status}`}`);
    continue;
  }
  const lines = run.stderr.toString().trim().split('\n').filter(Boolean);
  if (run.status === 1 && lines.length !== 1) fails.push(`${name}: refused in ${lines.length} lines`);
  let types;
  try {
    types = (await rows(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`)).map((r) => r.column_type);
    await rows(`SELECT * FROM read_parquet(${quote(file)})`); // every value, not the footer's count
  } catch (e) {
    const why = String(e.message).split('\n')[0];
    // hyparquet, for a codec or an encoding DuckDB does not read
    const theirs = /compression codec|BYTE_STREAM_SPLIT/.test(why) ? await hyparquetRows(file) : undefined;
    if (!theirs || run.status === 1) { // neither reads it (or pq_dump refused what only hyparquet reads)
      if (theirs && !/CRC-32|nested/.test(lines[0])) fails.push(`${name}: refused, hyparquet reads it: ${lines[0]}`);
      else if (theirs && /CRC-32/.test(lines[0])) tally.damaged++;
      else if (theirs) tally.nested++;
      else {
        tally.unreadable++; // nor does hyparquet: pq_dump only must not crash
        unread.push(`${name}: ${why}`);
      }
      continue;
    }
    const wrong = sameAsHyparquet(run.stdout.toString(), theirs);
    if (wrong) fails.push(`${name}: unlike hyparquet's reading (DuckDB does not read it: ${why}): ${wrong}`);
    else tally.hyparquet++;
    continue;
  }
  const nested = types.some((t) => /STRUCT|MAP|VARIANT|\[\]/.test(t));
  if (run.status === 1) {
    if (/CRC-32/.test(lines[0])) tally.damaged++; // DuckDB does not check page CRCs
    else if (nested) tally.nested++;
    else fails.push(`${name}: refused, DuckDB reads it: ${lines[0]}`);
    continue;
  }
  if (nested) {
    fails.push(`${name}: read, but DuckDB reads nested columns (${types.join(', ')})`);
    continue;
  }
  try {
    const bad = await compareDump(con, run.stdout, file, `${work}/corpus.tsv`); // the run above's output
    if (bad.ours !== bad.theirs || bad.wrong.length)
      fails.push(`${name}: ${bad.ours} rows read of ${bad.theirs}; cells unlike DuckDB's: ${bad.wrong.join(', ') || 'none'}`);
    else tally.same++;
  } catch (e) {
    fails.push(`${name}: not compared: ${String(e.message).split('\n')[0]}`);
  }
}
if (process.env.VERBOSE) unread.forEach((u) => console.log(`DuckDB does not read ${u}`));
for (const f of fails) console.error(`FAIL: ${f}`);
console.log(`${files.length} files: ${tally.same} flat files read as DuckDB reads them, ${tally.hyparquet} as hyparquet ` +
  `reads them (DuckDB does not), ${tally.nested} nested ones refused in one line, ${tally.damaged} refused for a page ` +
  `whose CRC-32 is wrong, ${tally.unreadable} neither reads (pq_dump did not crash), ${fails.length} failures`);
process.exit(fails.length ? 1 : 0);
