/** Bit flags the extractor keeps on parsed elements (`El.flags`). */

/** Subtree left out of the output. */
export const F_DROP = 1;
/** Block-level element (starts a new paragraph). */
export const F_BLOCK = 2;
/** Has a live block-level descendant. */
export const F_HAS_BLOCK = 4;
/** Scored as a container candidate. */
export const F_SCORED = 8;
/** Dropped while cleaning the chosen content (link-dense block). */
export const F_CLEANED = 16;

/** How links are written: their text, or `[text](href)`. */
export type LinkMode = 'text' | 'inline';
