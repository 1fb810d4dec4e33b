// score's Parquet reader (tests/pq_dump) against DuckDB's reading of the
// same file, cell by cell: the same text, or the same number (as a double
// or as a float), or the same instant (a timestamp's fraction may be
// spelt with more digits); bytes (BLOB, GEOMETRY's WKB) in hex. Used by pq_types_check.mjs and corpus_check.mjs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// pq_dump's reading of `file`: its output, as bytes.
export const dumpOf = (dump, file) =>
  execFileSync(dump, [file], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });

// Compares `output`, pq_dump's for `file` (bytes or a string) (written to `tsv` for DuckDB
// to read), with DuckDB's read_parquet of it on connection `con`.
// @return: { ours, theirs, wrong }, the row counts and "column count" of
// each column whose cells differ.
export async function compareDump(con, output, file, tsv) {
  writeFileSync(tsv, output);
  const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
  const desc = await rows(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`);
  const cols = desc.map((r) => r.column_name);
  const id = (c) => `"${c.replaceAll('"', '""')}"`;
  // bytes as pq_dump prints them, in hex (a geometry's are its WKB)
  const text = (c, i) => (desc[i].column_type === 'BLOB' ? `lower(hex(d.${id(c)}))`
    : desc[i].column_type.startsWith('GEOMETRY') ? `lower(hex(ST_AsWKB(d.${id(c)})))` : `d.${id(c)}::VARCHAR`);
  // (a cast that fails is NULL: coalesce makes its cell unlike, not unknown)
  const same = cols.map((c, i) => `coalesce(o.${id(c)} IS NOT DISTINCT FROM ${text(c, i)}
      OR TRY_CAST(o.${id(c)} AS DOUBLE) = TRY_CAST(d.${id(c)} AS DOUBLE)
      OR TRY_CAST(o.${id(c)} AS FLOAT) = TRY_CAST(d.${id(c)} AS FLOAT)
      OR TRY_CAST(o.${id(c)} AS TIMESTAMP_NS) = TRY_CAST(d.${id(c)} AS TIMESTAMP_NS), false) AS c${i}`).join(', ');
  const [bad] = await rows(`
    WITH o AS (SELECT *, row_number() OVER () AS n FROM read_csv(${quote(tsv)}, delim = '\t', quote = '', escape = '',
                                                               header = true, all_varchar = true)),
         d AS (SELECT *, row_number() OVER () AS n FROM read_parquet(${quote(file)})),
         s AS (SELECT ${same} FROM o JOIN d USING (n))
    SELECT (SELECT count(*) FROM o) AS ours, (SELECT count(*) FROM d) AS theirs,
           ${cols.map((c, i) => `count(*) FILTER (WHERE NOT c${i}) AS c${i}`).join(', ')} FROM s`);
  const wrong = cols.map((c, i) => [c, bad[`c${i}`]]).filter(([, n]) => n > 0n).map(([c, n]) => `${c} ${n}`);
  return { ours: bad.ours, theirs: bad.theirs, wrong };
}
