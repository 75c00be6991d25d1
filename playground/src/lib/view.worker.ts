/**
 * The playground's view worker: turns the pasted payload and the compressed messages into the
 * side-by-side rows (render, diff, markers) off the main thread, and keeps them here; the page
 * asks only for the rows it shows (a 10 MB payload is hundreds of thousands of rows).
 */
import { expose } from 'comlink';
import { parsePayload } from 'headroom-wasm';
import { buildRows, KIND_NAMES, matchLines, type RowKind, type Rows } from './diff';
import { lastFullHash, markerSpans, type MarkerSpan } from './markers';
import { MAX_LINE, renderMessages, type Rendered } from './render';

export interface ViewRequest {
  /** The payload text as pasted (parsed here again, as the compressor did). */
  readonly original: string;
  /** The compressed messages from the result. */
  readonly compressed: unknown[];
}

export interface ViewSummary {
  readonly id: number;
  readonly rows: number;
  readonly same: number;
  readonly changed: number;
  readonly deleted: number;
  readonly added: number;
  readonly leftLines: number;
  readonly rightLines: number;
  /** Rows that carry a marker (first 1,000). */
  readonly markerRows: number[];
  /** First row of each run of differences (first 2,000). */
  readonly changeRows: number[];
  readonly elapsedMs: number;
}

export interface ViewRow {
  readonly index: number;
  readonly kind: RowKind;
  readonly left: string | null;
  readonly right: string | null;
  /** 1-based line numbers, 0 when the side is empty. */
  readonly leftNo: number;
  readonly rightNo: number;
  /** Characters of `right`/`left` beyond what is shown (long lines are cut). */
  readonly leftHidden: number;
  readonly rightHidden: number;
  /** Markers in the right-hand line (positions in the full line). */
  readonly markers: MarkerSpan[];
}

export interface ViewApi {
  build(req: ViewRequest): Promise<ViewSummary>;
  rows(id: number, start: number, count: number): Promise<ViewRow[]>;
}

interface View {
  readonly a: Rendered;
  readonly b: Rendered;
  readonly rows: Rows;
  /** Per compressed line: the full marker that refs on it resolve to (lastFullHash of the lines above). */
  readonly inherited: ReadonlyArray<string | undefined>;
}

const views = new Map<number, View>();
let nextId = 1;

const cut = (s: string) => (s.length > MAX_LINE ? s.slice(0, MAX_LINE) : s);

const api: ViewApi = {
  async build(req) {
    const t0 = performance.now();
    const a = renderMessages(parsePayload(req.original).messages);
    const b = renderMessages(req.compressed);
    const rows = buildRows(a.lines.length, b.lines.length, matchLines(a.lines, b.lines));
    const inherited: Array<string | undefined> = new Array(b.lines.length);
    let carry: string | undefined;
    for (let j = 0; j < b.lines.length; j++) {
      inherited[j] = carry;
      carry = lastFullHash(b.lines[j], carry);
    }
    const id = nextId++;
    views.clear(); // only the latest view is kept
    views.set(id, { a, b, rows, inherited });
    const counts = [0, 0, 0, 0];
    const markerRows: number[] = [];
    const changeRows: number[] = [];
    for (let r = 0; r < rows.length; r++) {
      const k = rows.kind[r];
      counts[k]++;
      if (k !== 0 && (r === 0 || rows.kind[r - 1] === 0) && changeRows.length < 2000) changeRows.push(r);
      const j = rows.right[r];
      if (j >= 0 && markerRows.length < 1000 && b.lines[j].includes('headroom') && markerSpans(b.lines[j], inherited[j]).length > 0) markerRows.push(r);
    }
    return {
      id,
      rows: rows.length,
      same: counts[0],
      changed: counts[1],
      deleted: counts[2],
      added: counts[3],
      leftLines: a.lines.length,
      rightLines: b.lines.length,
      markerRows,
      changeRows,
      elapsedMs: performance.now() - t0,
    };
  },

  async rows(id, start, count) {
    const v = views.get(id);
    if (!v) return [];
    const out: ViewRow[] = [];
    const end = Math.min(v.rows.length, start + count);
    for (let r = Math.max(0, start); r < end; r++) {
      const i = v.rows.left[r];
      const j = v.rows.right[r];
      const left = i >= 0 ? v.a.lines[i] : null;
      const right = j >= 0 ? v.b.lines[j] : null;
      out.push({
        index: r,
        kind: KIND_NAMES[v.rows.kind[r]],
        left: left === null ? null : cut(left),
        right: right === null ? null : cut(right),
        leftNo: i + 1,
        rightNo: j + 1,
        leftHidden: left === null ? 0 : Math.max(0, left.length - MAX_LINE),
        rightHidden: right === null ? 0 : Math.max(0, right.length - MAX_LINE),
        markers: right === null ? [] : markerSpans(right, v.inherited[j]),
      });
    }
    return out;
  },
};

expose(api);
