/**
 * Scratch allocator: a bump allocator over linear memory, reset once per kernel call.
 * Pattern: ChainSafe/ssz `packages/as-sha256` (kernels own their buffers; JS keeps
 * typed-array views at exported addresses) and AssemblyScript's stub runtime (bump, never frees).
 *
 * Memory layout:
 *   [0, __heap_base)            static data emitted by the compiler (lookup tables)
 *   [__heap_base ⌈16⌉, top)     scratch blocks handed out since the last scratchReset(), 16-byte aligned
 *   [top, memory.size · 64 KiB) free; memory.grow() is called when a request does not fit
 *
 * No managed objects (no `new`, no strings, no arrays) exist in this module, so the stub
 * runtime is never linked in and nothing needs collecting. Memory never shrinks (WebAssembly
 * cannot), so the high-water mark of the largest call stays reserved; calls reuse it.
 */

// @ts-ignore: decorator
@inline const ALIGN_MASK: usize = 15;

let top: usize = (__heap_base + ALIGN_MASK) & ~ALIGN_MASK;

/** Drops every block handed out so far. JS calls this at the start of each kernel call. */
export function scratchReset(): void {
  top = (__heap_base + ALIGN_MASK) & ~ALIGN_MASK;
}

/** Reserves `bytes` (rounded up to 16) and returns the block's address; grows memory when needed. Traps (unreachable) when memory cannot grow. */
export function scratchAlloc(bytes: usize): usize {
  const ptr = top;
  const end = (ptr + bytes + ALIGN_MASK) & ~ALIGN_MASK;
  if (end < ptr) unreachable(); // address-space overflow
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const need = <i32>((end - have + 0xffff) >>> 16);
    // Grow at least geometrically (×1.5 of current) to amortise repeated growth, but
    // fall back to the exact need if the larger request fails.
    const cur = memory.size();
    let want = cur >> 1;
    if (want < need) want = need;
    if (memory.grow(want) < 0) {
      if (memory.grow(need) < 0) unreachable();
    }
  }
  top = end;
  return ptr;
}

/** Current end of the scratch area (for tests of the reset discipline). */
export function scratchTop(): usize {
  return top;
}
