/**
 * Realistic generated tool outputs (deterministic, seeded) for the end-to-end tests and the
 * bench: search results, API responses, DB rows, log lines (strings) and metrics (numbers).
 * Each payload says which items are important (planted errors and anomalies): those must
 * survive any crush.
 */
import { rng } from './helpers.js';

export interface Payload {
  readonly name: string;
  /** The JSON document a tool would return. */
  readonly doc: unknown;
  /** The array inside `doc` that carries the items. */
  readonly items: unknown[];
  /** Indices into `items` that must be kept (planted errors and anomalies). */
  readonly important: number[];
}

const TOPICS = ['caching', 'webassembly', 'tokenizers', 'service workers', 'streams', 'indexeddb', 'retries', 'schedulers', 'rate limits', 'observability', 'feature flags', 'migrations'];
const VERBS = ['explains', 'covers', 'walks through', 'compares', 'benchmarks', 'introduces', 'summarises'];
const ADJ = ['practical', 'complete', 'short', 'advanced', 'hands-on', 'updated', 'annotated'];
const WORDS = 'the a of for with in and on to how why when using your from this that into via across between'.split(' ');

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function sentence(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(i % 3 === 2 ? pick(r, TOPICS) : pick(r, WORDS));
  return out.join(' ');
}

function iso(base: number, i: number, stepMs: number): string {
  return new Date(base + i * stepMs).toISOString();
}

function spacedIndices(n: number, every: number, offset: number): number[] {
  const out: number[] = [];
  for (let i = offset; i < n; i += every) out.push(i);
  return out;
}

/** Search results with decreasing relevance scores. Planted: an error report every ~250 results, one giant snippet. */
export function searchResults(n: number, seed = 7): Payload {
  const r = rng(seed);
  const items = Array.from({ length: n }, (_, i) => {
    const topic = pick(r, TOPICS);
    return {
      id: i + 1,
      title: `A ${pick(r, ADJ)} guide to ${topic} (${i + 1})`,
      url: `https://docs.example.com/${topic.replace(/ /g, '-')}/${(i * 7919) % 100_000}`,
      snippet: `This ${pick(r, ADJ)} article ${pick(r, VERBS)} ${topic} ${sentence(r, 4)}.`,
      score: Number(Math.max(0.05, 0.97 - (0.85 * i) / Math.max(1, n) + (r() - 0.5) * 0.01).toFixed(4)),
      source: pick(r, ['docs', 'blog', 'forum', 'changelog']),
    };
  });
  const important: number[] = [];
  for (const i of spacedIndices(n, 250, 173)) {
    items[i].snippet = `Build failed: TimeoutError while fetching ${items[i].title} from the origin.`;
    important.push(i);
  }
  if (n >= 50) {
    const at = Math.floor(n * 0.61);
    items[at].snippet = `${items[at].snippet} ${sentence(r, 600)}`;
    important.push(at);
  }
  return { name: 'search results', doc: { query: 'guides', total: n, results: items }, items, important: [...new Set(important)].sort((a, b) => a - b) };
}

/** API access records. Planted: 5xx responses (~1%), latency spikes. */
export function apiResponses(n: number, seed = 11): Payload {
  const r = rng(seed);
  const paths = ['/v1/orders', '/v1/orders/{id}', '/v1/users/{id}', '/v1/cart', '/v1/search', '/v1/payments'];
  const items = Array.from({ length: n }, (_, i) => {
    const hex = (k: number) => Math.floor(r() * 16 ** k).toString(16).padStart(k, '0');
    return {
      request_id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      method: r() < 0.7 ? 'GET' : 'POST',
      path: pick(r, paths),
      status: r() < 0.9 ? 200 : 201,
      latency_ms: Math.round(40 + r() * 60),
      region: pick(r, ['eu-west-1', 'us-east-1', 'ap-south-1']),
      timestamp: iso(Date.UTC(2026, 10, 20, 9), i, 250),
    };
  });
  const important: number[] = [];
  for (const i of spacedIndices(n, 97, 41)) {
    items[i].status = 503;
    important.push(i);
  }
  for (const i of spacedIndices(n, 331, 200)) {
    items[i].latency_ms = 9_000 + Math.round(r() * 1000);
    important.push(i);
  }
  return {
    name: 'API responses',
    doc: { object: 'list', has_more: true, next_cursor: 'cur_9f2c', data: items },
    items,
    important: [...new Set(important)].sort((a, b) => a - b),
  };
}

/** Database rows. Planted: balance outliers, one row with an error column set. */
export function dbRows(n: number, seed = 13): Payload {
  const r = rng(seed);
  const first = ['ana', 'bo', 'chen', 'dara', 'eli', 'fatou', 'gus', 'hana', 'ivan', 'jo'];
  const items = Array.from({ length: n }, (_, i) => ({
    id: 10_000 + i,
    email: `${pick(r, first)}.${i}@example.org`,
    plan: pick(r, ['free', 'pro', 'team']),
    country: pick(r, ['FR', 'DE', 'US', 'IN', 'BR', 'JP']),
    balance: Math.round((200 + r() * 100) * 100) / 100,
    active: r() < 0.8,
    created_at: iso(Date.UTC(2025, 0, 1), i, 3_600_000),
    last_error: null as string | null,
  }));
  const important: number[] = [];
  for (const i of spacedIndices(n, 400, 123)) {
    items[i].balance = 250_000;
    important.push(i);
  }
  if (n >= 20) {
    const at = Math.floor(n / 3);
    items[at].last_error = 'payment declined: card expired';
    important.push(at);
  }
  return { name: 'DB rows', doc: items, items, important: [...new Set(important)].sort((a, b) => a - b) };
}

/** Log lines (an array of strings). Planted: ERROR / exception lines. */
export function logLines(n: number, seed = 17): Payload {
  const r = rng(seed);
  const routes = ['/api/cart', '/api/orders', '/healthz', '/api/search', '/api/user'];
  const items: string[] = Array.from({ length: n }, (_, i) => {
    const route = pick(r, routes);
    return route === '/healthz'
      ? `${iso(Date.UTC(2026, 10, 20), i, 1000)} INFO GET /healthz 200`
      : `${iso(Date.UTC(2026, 10, 20), i, 1000)} INFO ${r() < 0.7 ? 'GET' : 'POST'} ${route} 200 in ${Math.round(5 + r() * 40)}ms user=${Math.floor(r() * 500)}`;
  });
  const important: number[] = [];
  for (const i of spacedIndices(n, 150, 66)) {
    items[i] = `${iso(Date.UTC(2026, 10, 20), i, 1000)} ERROR POST /api/orders 500 java.lang.IllegalStateException: inventory lock timeout`;
    important.push(i);
  }
  return { name: 'log lines (strings)', doc: items, items, important };
}

/** A metrics series (numbers): a level shift half-way and planted spikes. */
export function metricSeries(n: number, seed = 19): Payload {
  const r = rng(seed);
  const items: number[] = Array.from({ length: n }, (_, i) => Math.round(((i < n / 2 ? 40 : 55) + r() * 6) * 10) / 10);
  const important: number[] = [];
  for (const i of spacedIndices(n, 500, 250)) {
    items[i] = 400;
    important.push(i);
  }
  return { name: 'metrics (numbers)', doc: items, items, important };
}

/** A time series of objects, for the end-to-end test. Planted: a CPU spike. */
export function hostMetrics(n: number, seed = 23): Payload {
  const r = rng(seed);
  const items = Array.from({ length: n }, (_, i) => ({
    ts: iso(Date.UTC(2026, 10, 20), i, 60_000),
    host: `web-${i % 4}`,
    cpu: Math.round((30 + r() * 10) * 10) / 10,
    mem_mb: 2000 + Math.round(r() * 200),
  }));
  const at = Math.floor(n * 0.7);
  items[at].cpu = 99.9;
  return { name: 'host metrics', doc: { series: items }, items, important: [at] };
}

export const PAYLOADS: ReadonlyArray<(n: number) => Payload> = [searchResults, apiResponses, dbRows, logLines, metricSeries];
