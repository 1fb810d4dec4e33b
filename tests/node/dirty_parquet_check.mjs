// Checks a dirty Parquet dataset (generate --dirty --format parquet) against
// the clean one of the same seed and rows, with DuckDB, cell by cell:
// - every cell the ledger does not name holds the clean dataset's value;
// - every cell the ledger names holds its dirty_value, or is null when the
//   kind is missing (Parquet's missing value), and the ledger's clean_value
//   is the clean dataset's;
// - the nulls of the data are the ledger's missing cells, and no kind the
//   columns' types cannot hold (number_format, bad_date) appears.
// A row's position is recovered from the parts' order (a row's copies
// follow it), so this needs no inverse of the row keys.
//
// usage: node dirty_parquet_check.mjs CLEAN_DIR DIRTY_DIR
import { DuckDBInstance } from '@duckdb/node-api';

const [clean, dirty] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
const one = async (sql) => Object.values((await rows(sql))[0])[0];

await con.run(`
CREATE TABLE ledger AS SELECT * FROM read_parquet(${q(dirty + '/_dirty/*.parquet')});
CREATE TABLE data AS SELECT * FROM read_parquet(${q(dirty + '/part-*.parquet')}, filename = true, file_row_number = true);
CREATE TABLE orig AS
  SELECT * EXCLUDE (filename, file_row_number), row_number() OVER (ORDER BY filename, file_row_number) - 1 AS row
  FROM data WHERE row_key NOT IN (SELECT row_key FROM ledger WHERE kind IN ('duplicate', 'near_duplicate'));
CREATE TABLE cleanrows AS
  SELECT * EXCLUDE (filename, file_row_number), row_number() OVER (ORDER BY filename, file_row_number) - 1 AS row
  FROM read_parquet(${q(clean + '/part-*.parquet')}, filename = true, file_row_number = true);
-- every value as text, a null as a mark (UNPIVOT's short form leaves nulls out)
CREATE VIEW dtext AS SELECT row_key, row, coalesce(COLUMNS(* EXCLUDE (row_key, row))::VARCHAR, '<null>') FROM orig;
CREATE VIEW ctext AS SELECT row, coalesce(COLUMNS(* EXCLUDE (row))::VARCHAR, '<null>') FROM cleanrows;
CREATE TABLE dv AS SELECT row_key, row, col, nullif(v, '<null>') AS v
  FROM (UNPIVOT dtext ON COLUMNS(* EXCLUDE (row_key, row)) INTO NAME col VALUE v);
CREATE TABLE cv AS SELECT row, col, nullif(v, '<null>') AS v
  FROM (UNPIVOT ctext ON COLUMNS(* EXCLUDE (row)) INTO NAME col VALUE v);
CREATE MACRO same(a, b) AS a IS NOT DISTINCT FROM b OR TRY_CAST(a AS DOUBLE) = TRY_CAST(b AS DOUBLE);
CREATE TABLE cells AS
  SELECT dv.col, dv.v AS got, cv.v AS clean, l.kind, l.clean_value, l.dirty_value
  FROM dv JOIN cv USING (row, col) LEFT JOIN ledger l ON l.row_key = dv.row_key AND l."column" = dv.col;
`);
const fails = [];
const expect = async (what, sql, want) => {
  const got = await one(sql);
  if (String(got) !== String(want)) fails.push(`${what}: ${got}, not ${want}`);
  return got;
};
const n = await one(`SELECT count(*) FROM cleanrows`);
await expect('rows of the dataset among the dirty data', `SELECT count(*) FROM orig`, n);
const cells = await one(`SELECT count(*) FROM cells`);
await expect('clean cells changed', `SELECT count(*) FROM cells WHERE kind IS NULL AND NOT same(got, clean)`, 0);
await expect('missing cells not null', `SELECT count(*) FROM cells WHERE kind = 'missing' AND got IS NOT NULL`, 0);
await expect('dirty cells unlike the ledger', `SELECT count(*) FROM cells WHERE kind IS NOT NULL AND kind <> 'missing' AND NOT same(got, dirty_value)`, 0);
await expect('ledger clean values unlike the clean dataset', `SELECT count(*) FROM cells WHERE kind IS NOT NULL AND NOT same(clean_value, clean)`, 0);
const nulls = await one(`SELECT count(*) FROM cells WHERE got IS NULL`);
await expect('nulls that are not missing values', `SELECT count(*) FROM cells WHERE got IS NULL AND kind IS DISTINCT FROM 'missing'`, 0);
await expect('kinds a typed column cannot hold', `SELECT count(*) FROM ledger WHERE kind IN ('number_format', 'bad_date')`, 0);
const hit = await one(`SELECT count(*) FROM cells WHERE kind IS NOT NULL AND kind <> 'missing'`);
if (fails.length) {
  console.error('FAIL: ' + fails.join('; '));
  process.exit(1);
}
console.log(`ok: ${cells} cells of ${n} rows read by DuckDB: ${nulls} nulls, each a missing value of the ledger; ${hit} other dirty cells as the ledger says; the rest the clean dataset's`);
