/** The router through the public compress(): real compressors, CCR round trips, stability across turns. */
import { describe, expect, it } from 'vitest';
import { compressPrepared, DEFAULT_TRANSFORMS, validateOptions } from '../../engine/compress.js';
import type { CompressOptions, CompressResult } from '../../engine/options.js';
import { cacheAligner } from '../../engine/transforms/cache-aligner.js';
import { intelligentContext } from '../../engine/transforms/intelligent-context/transform.js';
import { contentRouter, registeredCompressor } from '../../engine/transforms/router/index.js';
import { prepareModel } from '../../sdk/compress.js';
import { compress as sdkCompress, MemoryStore, parseMarkers, retrieve } from '../../sdk/index.js';
import * as S from './samples.js';

const ROUTER_IS_DEFAULT = DEFAULT_TRANSFORMS.includes(contentRouter);

/**
 * compress() from sdk/index.ts once the router is in DEFAULT_TRANSFORMS; until then the same
 * steps (validate, prepare the model, run, persist the originals) over the pipeline it will have.
 */
async function compress(messages: any[], options: CompressOptions & { store: MemoryStore }): Promise<CompressResult<any>> {
  if (ROUTER_IS_DEFAULT) return sdkCompress(messages, options);
  const opts = validateOptions(options);
  const warnings: string[] = [];
  const prepared = await prepareModel(opts, warnings);
  const run = compressPrepared(messages, opts, prepared, warnings, [cacheAligner, contentRouter, intelligentContext]);
  for (const e of run.ccrEntries) await options.store.put(e);
  return run.result;
}

function agent(outputs: Array<[string, unknown, string]>, question = 'why do the checkout tests fail?') {
  const messages: any[] = [
    { role: 'system', content: 'You are a coding agent. Use the tools.' },
    { role: 'user', content: question },
  ];
  outputs.forEach(([name, args, text], i) => {
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] });
    messages.push({ role: 'tool', tool_call_id: `call_${i}`, content: text });
  });
  return messages;
}

async function expectRetrievable(out: string, original: string, store: MemoryStore) {
  const hashes = parseMarkers(out).map((m) => m.hash);
  expect(hashes.length).toBeGreaterThan(0);
  const got = await retrieve(hashes[hashes.length - 1], { store });
  expect(got && 'content' in got ? got.content : null).toBe(original);
}

describe('compress() routes tool outputs by type', () => {
  it('a 2,000-test pytest run keeps both failures, their assertions and tracebacks, and the summary; original retrievable byte-exact', async () => {
    const log = S.pytestLog(2000);
    const store = new MemoryStore();
    const r = await compress(agent([['bash', { command: 'pytest -q' }, log]]), { model: 'gpt-4o', store });
    const out = r.messages[3].content as string;
    expect(r.transformsApplied.some((t) => /^router:log=\d+->\d+$/.test(t))).toBe(true);
    expect(r.tokensAfter).toBeLessThan(r.tokensBefore * 0.1);
    for (const keep of [
      'tests/test_orders.py::test_checkout_total FAILED',
      'tests/test_orders.py::test_refund_rounding FAILED',
      'E       AssertionError: assert 97 == 100',
      'E       AssertionError: assert 98 == 101',
      'tests/test_orders.py:42: AssertionError',
      'tests/test_orders.py:52: AssertionError',
      '2 failed, 2000 passed in 41.27s',
    ])
      expect(out).toContain(keep);
    await expectRetrievable(out, log, store);
    expect(r.ccrHashes).toEqual(parseMarkers(out).map((m) => m.hash).filter((h, i, a) => a.indexOf(h) === i));
  });

  it('search results, diffs and JSON each go to their compressor, all retrievable', async () => {
    const search = S.searchResults();
    const diff = S.gitDiff();
    const json = S.jsonRows(500);
    const store = new MemoryStore();
    const r = await compress(
      agent([
        ['grep', { pattern: 'processPayment' }, search],
        ['bash', { command: 'git diff HEAD~3' }, diff],
        ['db_query', { sql: 'select *' }, json],
      ]),
      { model: 'gpt-4o', store },
    );
    for (const prefix of ['router:search=', 'router:diff=', 'router:json=', 'search:', 'diff:', 'smart_crusher:items=']) expect(r.transformsApplied.some((t) => t.startsWith(prefix)), prefix).toBe(true);
    const [s, d, j] = [3, 5, 7].map((i) => r.messages[i].content as string);
    expect(s).toContain('refund failed for'); // the error hit survives
    expect(d.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length).toBe(diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length);
    expect((JSON.parse(j) as Array<Record<string, unknown>>).some((x) => x.status === 'error')).toBe(true);
    await expectRetrievable(s, search, store);
    await expectRetrievable(d, diff, store);
    await expectRetrievable(j, json, store);
  });

  it('code passes through; small outputs pass through; the retrieve tool is never compressed (Anthropic format)', async () => {
    const log = S.timestampedLog(800);
    const messages = [
      { role: 'user', content: 'check the service' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'tu_1', name: 'read_file', input: { path: 'orders.py' } },
          { type: 'tool_use', id: 'tu_2', name: 'bash', input: { command: 'ls' } },
          { type: 'tool_use', id: 'tu_3', name: 'mcp__headroom__headroom_retrieve', input: { hash: 'x' } },
          { type: 'tool_use', id: 'tu_4', name: 'bash', input: { command: 'kubectl logs payment' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'tu_1', content: S.pythonCode.repeat(8) },
          { type: 'tool_result', tool_use_id: 'tu_2', content: 'a.txt\nb.txt' },
          { type: 'tool_result', tool_use_id: 'tu_3', content: log },
          { type: 'tool_result', tool_use_id: 'tu_4', content: log },
        ],
      },
    ];
    const r = await compress(messages, { model: 'claude-sonnet-4-5', store: new MemoryStore() });
    const blocks = (r.messages[2] as { content: Array<{ content: string }> }).content;
    expect(blocks[0].content).toBe(S.pythonCode.repeat(8));
    expect(blocks[1].content).toBe('a.txt\nb.txt');
    expect(blocks[2].content).toBe(log);
    expect(blocks[3].content).not.toBe(log);
    expect(blocks[3].content).toContain('card_declined');
  });

  it('stable across turns: earlier outputs stay byte-identical as the conversation grows, and compressing the result changes nothing', async () => {
    const outputs: Array<[string, unknown, string]> = [
      ['bash', { command: 'pytest -q' }, S.pytestLog(800)],
      ['rg', { pattern: 'processPayment' }, S.searchResults(20, 10)],
      ['bash', { command: 'git diff' }, S.gitDiff(6, 4)],
      ['db_query', {}, S.jsonRows(400)],
      ['web_fetch', { url: 'https://example.com/guide' }, S.htmlPage(40)],
      ['read_file', { path: 'NOTES.md' }, S.markdownWithFences()],
      ['read_file', { path: 'notes.txt' }, S.prose(30)],
    ];
    const first = agent(outputs);
    const a = await compress(first, { model: 'gpt-4o', store: new MemoryStore() });
    const grown = [...first, { role: 'assistant', content: 'The totals are off by 3.' }, { role: 'user', content: 'fix the error in payment-svc and review the refund handler' }];
    const b = await compress(grown, { model: 'gpt-4o', store: new MemoryStore() });
    for (let i = 0; i < first.length; i++) expect(JSON.stringify(b.messages[i])).toBe(JSON.stringify(a.messages[i]));
    const c = await compress(b.messages, { model: 'gpt-4o', store: new MemoryStore() });
    expect(c.transformsApplied.filter((t) => t.startsWith('router:'))).toEqual([]);
    for (let i = 0; i < b.messages.length; i++) expect(JSON.stringify(c.messages[i])).toBe(JSON.stringify(b.messages[i]));
  });

  it.skipIf(!registeredCompressor('html'))('HTML pages go to the HTML extractor', async () => {
    const page = S.htmlPage(60);
    const r = await compress(agent([['web_fetch', { url: 'https://example.com/rate-limits' }, page]]), { model: 'gpt-4o', store: new MemoryStore() });
    expect(r.transformsApplied.some((t) => t.startsWith('router:html='))).toBe(true);
    expect(r.messages[3].content).toContain('Rate limiting');
  });

  it.skipIf(!registeredCompressor('text'))('prose goes to the text compressor', async () => {
    const r = await compress(agent([['read_file', { path: 'notes.txt' }, S.prose(60)]], 'what did incident 1042 decide?'), { model: 'gpt-4o', store: new MemoryStore() });
    expect(r.transformsApplied.some((t) => t.startsWith('router:text='))).toBe(true);
    expect(r.messages[3].content).toContain('1042');
  });
});
