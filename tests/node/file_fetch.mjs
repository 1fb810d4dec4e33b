// icebird fetches every path it is given: file:// URLs are served from
// disk here (GET with a byte range, HEAD), as an object store would serve
// them. Importing this module installs it.
import { statSync, openSync, readSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init = {}) => {
  const u = String(url);
  if (!u.startsWith('file://')) return realFetch(url, init);
  const path = fileURLToPath(u);
  let size;
  try { size = statSync(path).size; } catch { return new Response(null, { status: 404, statusText: 'Not Found' }); }
  if ((init.method ?? 'GET') === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(size) } });
  const range = new Headers(init.headers).get('range');
  const m = range && /^bytes=(\d+)-(\d*)$/.exec(range);
  const start = m ? Number(m[1]) : 0;
  const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  const buf = Buffer.alloc(end - start + 1);
  const fd = openSync(path, 'r');
  readSync(fd, buf, 0, buf.length, start);
  closeSync(fd);
  return new Response(buf, { status: m ? 206 : 200, headers: { 'content-length': String(buf.length) } });
};
