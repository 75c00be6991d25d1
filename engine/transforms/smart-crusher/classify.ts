/**
 * Array classification (spec ALGORITHMS.md §1.2) and recognition of arrays this library has
 * already processed (idempotence: an array holding a `_headroom…` marker object is left alone).
 */
import type { JArray, JNode, JObject } from './parse.js';

export type ArrayKind = 'dict' | 'string' | 'number' | 'bool' | 'nested' | 'mixed' | 'empty';

/** Only objects → dict; only strings → string; only numbers → number; only bools → bool; only arrays → nested; anything else (nulls, mixes) → mixed. */
export function classifyArray(arr: JArray): ArrayKind {
  const items = arr.items;
  if (items.length === 0) return 'empty';
  const first = items[0].kind;
  for (let i = 1; i < items.length; i++) if (items[i].kind !== first) return 'mixed';
  switch (first) {
    case 'object':
      return 'dict';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'array':
      return 'nested';
    default:
      return 'mixed';
  }
}

/** Prefix of every key this library writes into JSON (`_headroom`, `_headroom_repeat`, `_headroom_constant`). */
export const MARKER_KEY_PREFIX = '_headroom';

/** A one-key object whose key starts with `_headroom`: a sentinel or a lossless-encoding marker. */
export function isMarkerObject(node: JNode): boolean {
  return node.kind === 'object' && node.keys.length === 1 && node.keys[0].startsWith(MARKER_KEY_PREFIX);
}

/** True when the array was written by this library (or carries keys it would write): leave it alone. */
export function carriesMarkers(arr: JArray): boolean {
  for (const it of arr.items) {
    if (it.kind !== 'object') continue;
    for (const k of it.keys) if (k.charCodeAt(0) === 0x5f && k.startsWith(MARKER_KEY_PREFIX)) return true;
  }
  return false;
}
