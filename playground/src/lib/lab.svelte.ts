/**
 * The playground's state and its two workers, in one class (STYLE 13): inputs are `$state`,
 * everything computed from them is `$derived`, and what is posted to a worker is a snapshot.
 *
 * - Compression: the library's own `createCompressor({ worker: true })` — a module Web Worker
 *   that parses the payload and runs `simulate()` (same tokens as `compress()`, plus routing
 *   decisions, waste signals and cost). Originals go to IndexedDB in the worker; `retrieve`
 *   reads the same database from this thread (and asks the worker for anything it kept
 *   elsewhere), so markers resolve after a reload too.
 * - The side-by-side view: a second worker (view.worker.ts) renders and diffs both sides and
 *   keeps the rows; the page fetches only the rows on screen.
 */
import { wrap, type Remote } from 'comlink';
import {
  createCompressor,
  listModels,
  resolveModel,
  type CompressorSimulateResult,
  type CompressorStatus,
  type CompressOptions,
  type HeadroomConfig,
  type ModelInfo,
  type PayloadInfo,
} from 'headroom-wasm';
import { validateOptions } from 'headroom-wasm/engine/index.js';
import { samplePayloads, type SamplePayload } from 'headroom-wasm/sdk/cli/samples.js';
import type { ViewApi, ViewRow, ViewSummary } from './view.worker';

/** Pasted or dropped text longer than this is kept out of the editor (a 10 MB textarea is slow to lay out). */
export const LARGE_PAYLOAD = 256 * 1024;

/** Longest original shown in the panel, in characters (the copy button copies all of it). */
export const MAX_ORIGINAL_SHOWN = 1_000_000;

/** A switch the options panel offers, if the engine's config accepts it. */
export interface Switch {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  readonly group: 'transform' | 'compressor';
  set(config: Record<string, Record<string, unknown>>, on: boolean): void;
}

function section(config: Record<string, Record<string, unknown>>, name: string): Record<string, unknown> {
  config[name] ??= {};
  return config[name];
}

const ROUTER_COMPRESSORS: ReadonlyArray<[string, string]> = [
  ['json', 'JSON (SmartCrusher)'],
  ['log', 'Logs'],
  ['search', 'Search results'],
  ['diff', 'Diffs'],
  ['html', 'HTML'],
  ['text', 'Text'],
  ['code', 'Code'],
];

const CANDIDATES: ReadonlyArray<Switch> = [
  { id: 'cacheAligner', label: 'CacheAligner', hint: 'moves dynamic values out of system prompts so their prefix stays cacheable', group: 'transform', set: (c, on) => void (section(c, 'cacheAligner').enabled = on) },
  { id: 'smartCrusher', label: 'SmartCrusher', hint: 'statistical compression of JSON arrays in tool results', group: 'transform', set: (c, on) => void (section(c, 'smartCrusher').enabled = on) },
  { id: 'router', label: 'Content router', hint: 'sends each tool output to the compressor for its type', group: 'transform', set: (c, on) => void (section(c, 'router').enabled = on) },
  { id: 'intelligentContext', label: 'IntelligentContext', hint: 'over budget: drops the least important messages first', group: 'transform', set: (c, on) => void (section(c, 'intelligentContext').enabled = on) },
  { id: 'rollingWindow', label: 'RollingWindow', hint: 'over budget: drops the oldest messages first', group: 'transform', set: (c, on) => void (section(c, 'rollingWindow').enabled = on) },
  ...ROUTER_COMPRESSORS.map(
    ([type, label]): Switch => ({
      id: `router.${type}`,
      label,
      hint: `the router's ${type} compressor`,
      group: 'compressor',
      set: (c, on) => {
        const r = section(c, 'router');
        r.compressors = { ...(r.compressors as Record<string, boolean> | undefined), [type]: on };
      },
    }),
  ),
];

/** The switches this build's config accepts (the engine validates; unknown sections throw). */
function availableSwitches(): Switch[] {
  return CANDIDATES.filter((s) => {
    const config: Record<string, Record<string, unknown>> = {};
    s.set(config, false);
    try {
      validateOptions({ config });
      return true;
    } catch {
      return false;
    }
  });
}

function compactAvailable(): boolean {
  try {
    validateOptions({ config: { smartCrusher: { format: 'compact' } } });
    return true;
  } catch {
    return false;
  }
}

/** `pending`: the input changed and its run has not started (debounce); `done`/`error` refer to the current input only. */
export type Phase = 'idle' | 'pending' | 'working' | 'done' | 'error';

/** What a run is doing while the phase is `working`: compressing (the library's worker) or building the side-by-side view (the view worker). */
export type Stage = 'compress' | 'view';

/** The library's timing of a call its worker answered (`status.lastCall`). */
export type WorkerCall = NonNullable<CompressorStatus['lastCall']>;

export interface OriginalView {
  readonly hash: string;
  readonly status: 'loading' | 'found' | 'missing';
  /** The original, pretty-printed when it is JSON (display only; `raw` is byte-exact). */
  readonly text?: string;
  readonly raw?: string;
  readonly message?: string;
}

export interface Figures {
  readonly before: number;
  readonly after: number;
  readonly saved: number;
  readonly percent: number;
  /** Input dollars saved per 1,000 such requests at the model's list input price. */
  readonly usdPer1k: number;
  /** The same with the stable prefix at the cached-input price. */
  readonly usdPer1kCached: number;
  readonly pricePerM: number;
  readonly counting: 'exact' | 'estimate';
  readonly budget: number;
  readonly fits: boolean;
  readonly model: string;
}

function pretty(text: string): string {
  const t = text.trimStart();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export class Lab {
  // --- inputs ---
  text = $state('');
  origin = $state<{ kind: 'typed' | 'pasted' | 'file' | 'sample'; name?: string }>({ kind: 'typed' });
  model = $state('gpt-4o');
  /** The token budget field as typed; empty means the model's default. */
  budget = $state('');
  switches = $state<Record<string, boolean>>({});
  compact = $state(false);

  // --- outputs ---
  error = $state<string | null>(null);
  /** Runs in flight (a new run supersedes, but the old one may still be settling). */
  #inFlight = $state(0);
  /** The input the shown result (or error) belongs to. */
  #lastRun = $state.raw<{ text: string; optionsKey: string; ok: boolean } | null>(null);
  input = $state.raw<PayloadInfo | null>(null);
  result = $state.raw<CompressorSimulateResult<unknown> | null>(null);
  view = $state.raw<ViewSummary | null>(null);
  runMs = $state(0);
  startedAt = $state(0);
  mode = $state<'worker' | 'in-thread'>('worker');
  /** The current run's stage, or null when no run is in progress. */
  stage = $state<Stage | null>(null);
  /** The shown result's worker call (the library's `status.lastCall`), or null when it ran in-thread. */
  workerCall = $state.raw<WorkerCall | null>(null);
  original = $state<OriginalView | null>(null);
  warnings = $state<string[]>([]);

  readonly models: ReadonlyArray<ModelInfo> = listModels().filter((m) => !m.id.startsWith('text-embedding'));
  readonly samples: ReadonlyArray<SamplePayload> = samplePayloads();
  readonly switchList: ReadonlyArray<Switch> = availableSwitches();
  readonly compactAvailable = compactAvailable();

  // --- derived ---
  readonly isLarge = $derived(this.text.length > LARGE_PAYLOAD);
  readonly modelInfo = $derived(resolveModel(this.model).info);
  readonly budgetError = $derived.by(() => {
    const b = this.budget.trim();
    if (b === '') return null;
    const n = Number(b.replace(/[_,\s]/g, ''));
    return Number.isInteger(n) && n > 0 ? null : 'a positive whole number of tokens';
  });
  readonly options = $derived.by((): CompressOptions => {
    const config: Record<string, Record<string, unknown>> = {};
    for (const s of this.switchList) if (this.switches[s.id] === false) s.set(config, false);
    if (this.compact) section(config, 'smartCrusher').format = 'compact';
    const b = this.budget.trim();
    const tokenBudget = b !== '' && this.budgetError === null ? Number(b.replace(/[_,\s]/g, '')) : undefined;
    return {
      model: this.model,
      ...(tokenBudget !== undefined ? { tokenBudget } : {}),
      ...(Object.keys(config).length > 0 ? { config: config as HeadroomConfig } : {}),
    };
  });
  readonly optionsKey = $derived(JSON.stringify(this.options));
  /** Where the current input stands; derived, so a change of input is 'pending' at once (tests and the UI wait on it). */
  readonly phase = $derived.by((): Phase => {
    if (this.text.trim() === '' || this.budgetError !== null) return 'idle';
    const last = this.#lastRun;
    if (last && last.text === this.text && last.optionsKey === this.optionsKey) return last.ok ? 'done' : 'error';
    return this.#inFlight > 0 ? 'working' : 'pending';
  });
  readonly figures = $derived.by((): Figures | null => {
    const r = this.result;
    if (!r) return null;
    return {
      before: r.tokensBefore,
      after: r.tokensAfter,
      saved: r.tokensSaved,
      percent: r.savingsPercent,
      usdPer1k: (r.cost.before.listUSD - r.cost.after.listUSD) * 1000,
      usdPer1kCached: r.cost.savedUSD * 1000,
      pricePerM: r.cost.pricing.input,
      counting: r.tokenCounting,
      budget: r.tokenBudget,
      fits: r.fitsBudget,
      model: r.model.canonical,
    };
  });

  readonly #compressor = createCompressor({ worker: true, onWarning: (w) => console.warn(`headroom-wasm: ${w}`) });
  readonly #view: Remote<ViewApi> = wrap<ViewApi>(new Worker(new URL('./view.worker.ts', import.meta.url), { type: 'module', name: 'playground-view' }));
  #abort: AbortController | null = null;
  #seq = 0;

  constructor() {
    for (const s of this.switchList) this.switches[s.id] = true;
  }

  /** Put a payload in (typed, pasted, dropped, opened, or a sample). */
  setPayload(text: string, origin: Lab['origin']): void {
    this.text = text;
    this.origin = origin;
  }

  pickSample(name: string): void {
    const s = this.samples.find((x) => x.name === name);
    if (!s) return;
    this.model = s.model;
    this.budget = s.tokenBudget !== undefined ? String(s.tokenBudget) : '';
    this.setPayload(s.text(), { kind: 'sample', name });
  }

  clear(): void {
    this.#abort?.abort();
    this.#seq++;
    this.stage = null;
    this.text = '';
    this.origin = { kind: 'typed' };
    this.#lastRun = null;
    this.result = null;
    this.view = null;
    this.input = null;
    this.error = null;
  }

  /** Compress the current payload with the current options (cancels a run in progress). */
  async run(): Promise<void> {
    const text = this.text;
    const optionsKey = this.optionsKey;
    const seq = ++this.#seq;
    this.#abort?.abort();
    this.stage = null; // a superseded run no longer speaks for the page
    if (text.trim() === '' || this.budgetError !== null) return;
    const last = this.#lastRun;
    if (last && last.text === text && last.optionsKey === optionsKey) return; // already shown
    const ctl = new AbortController();
    this.#abort = ctl;
    this.error = null;
    this.startedAt = performance.now();
    const options = $state.snapshot(this.options) as CompressOptions; // plain data: $state proxies do not clone
    this.#inFlight++;
    this.stage = 'compress';
    try {
      const callBefore = this.#compressor.status.lastCall;
      const { input, result } = await this.#compressor.simulatePayload(text, { ...options, signal: ctl.signal });
      if (seq !== this.#seq) return;
      // A worker that answered records a new lastCall; an in-thread fallback leaves it as it was.
      const call = this.#compressor.status.lastCall;
      this.stage = 'view';
      const view = await this.#view.build({ original: text, compressed: result.messages });
      if (seq !== this.#seq) return;
      this.input = input;
      this.result = result;
      this.view = view;
      this.warnings = result.warnings;
      this.mode = this.#compressor.status.mode;
      this.workerCall = call !== undefined && call !== callBefore ? call : null;
      this.runMs = performance.now() - this.startedAt;
      this.#lastRun = { text, optionsKey, ok: true };
    } catch (err) {
      if (seq !== this.#seq || ctl.signal.aborted) return;
      this.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.#lastRun = { text, optionsKey, ok: false };
    } finally {
      this.#inFlight--;
      if (seq === this.#seq) this.stage = null;
    }
  }

  rows(start: number, count: number): Promise<ViewRow[]> {
    const v = this.view;
    return v ? this.#view.rows(v.id, start, count) : Promise.resolve([]);
  }

  /** Show the original behind a marker, from IndexedDB (through the compressor's retrieve). */
  async openMarker(hash: string): Promise<void> {
    const h = hash.trim().replace(/^hash=/i, '').toLowerCase();
    this.original = { hash: h, status: 'loading' };
    const out = await this.#compressor.retrieveWithReason(h);
    if (this.original?.hash !== h) return;
    if (out.ok && 'content' in out.result && typeof out.result.content === 'string') {
      const raw = out.result.content;
      this.original = { hash: h, status: 'found', raw, text: pretty(raw.length > MAX_ORIGINAL_SHOWN * 2 ? raw.slice(0, MAX_ORIGINAL_SHOWN) : raw) };
    } else {
      this.original = { hash: h, status: 'missing', message: out.ok ? 'no content' : out.message };
    }
  }

  closeOriginal(): void {
    this.original = null;
  }
}
