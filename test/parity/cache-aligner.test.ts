import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheAligner } from '../../engine/transforms/cache-aligner.js';
import { toInternal } from '../../engine/messages/index.js';
import { testContext } from '../helpers/fake-counter.js';

const dir = new URL('../fixtures/headroom-parity/cache_aligner/', import.meta.url).pathname;
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { input: unknown[]; output: { cache_metrics: { stable_prefix_hash: string } } });

describe('CacheAligner against the reference fixtures', () => {
  it('finds the fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(20));

  it('gives one stable prefix for prompts that differ only in date and request id (the reference gives one per request)', () => {
    const ours = new Set<string>();
    const theirs = new Set<string>();
    for (const f of fixtures) {
      const { ctx } = testContext();
      const out = cacheAligner.apply(toInternal(f.input).messages, ctx);
      ours.add(out.report.details?.prefixHash as string);
      theirs.add(f.output.cache_metrics.stable_prefix_hash);
    }
    expect(ours.size).toBe(1);
    expect(theirs.size).toBeGreaterThan(1);
  });

  it('keeps every sentence: dynamic ones move verbatim, nothing is cut mid-sentence', () => {
    for (const f of fixtures) {
      const { ctx } = testContext();
      const input = toInternal(f.input).messages;
      const out = cacheAligner.apply(input, ctx);
      const before = (input[0].blocks[0] as { text: string }).text;
      const after = (out.messages[0].blocks[0] as { text: string }).text;
      for (const sentence of before.split(/(?<=\.)\s+/)) expect(after).toContain(sentence);
    }
  });
});
