// icebird reads an Iceberg table on S3 (moto): its fetch of an s3:// path
// (which icebird turns into https://BUCKET.s3.amazonaws.com/KEY) goes to the
// S3 endpoint given, path-style; the table must hold ROWS rows.
//
// usage: node iceberg_s3_read.mjs ENDPOINT s3://BUCKET/PREFIX ROWS
import { icebergRead } from 'icebird';

const [endpoint, table, want] = process.argv.slice(2);
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => {
  const m = /^https:\/\/([^./]+)\.s3\.amazonaws\.com\/(.*)$/.exec(String(url));
  return realFetch(m ? `${endpoint}/${m[1]}/${m[2]}` : url, init);
};
const rows = await icebergRead({ tableUrl: table });
if (rows.length !== Number(want)) {
  console.error(`FAIL: icebird read ${rows.length} rows of ${table}; the table holds ${want}`);
  process.exit(1);
}
console.log(`ok: icebird read ${rows.length} rows of ${table} through ${endpoint}`);
