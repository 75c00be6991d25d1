/**
 * A tiny static file server for the browser tests: serves a built folder on 127.0.0.1 (a random
 * port), under an optional sub-path (to prove the build's URLs are relative), with optional
 * extra headers (a Content-Security-Policy). GET/HEAD only; nothing outside the folder.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export interface StaticServer {
  /** Base URL, ending in '/'. */
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function serveStatic(dir: string, options: { prefix?: string; headers?: Record<string, string> } = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const prefix = `/${(options.prefix ?? '').replace(/^\/+|\/+$/g, '')}${options.prefix ? '/' : ''}`;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-store', ...options.headers });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
