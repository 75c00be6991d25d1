/** File headers in compressed diffs. */

/**
 * Header lines of a file section [start, end) that compactHeaders leaves out, when the section
 * has a `--- ` / `+++ ` pair: `index` lines (blob ids; a mode there is the unchanged one), and the `diff --git a/p b/p` line when the only
 * other headers are `index`, `--- ` and `+++ ` (the `--- a/p` / `+++ b/p` pair names both
 * sides, and what remains is a plain unified diff that patch and git apply both take). Sections
 * with mode, rename, copy, new/deleted-file or binary headers keep their `diff --git` line: git
 * reads those headers only after it.
 */
export function compactHeader(lines: readonly string[], start: number, end: number): Uint8Array {
  const drop = new Uint8Array(end - start);
  let minus = false;
  let plus = false;
  let plain = true;
  for (let i = start; i < end; i++) {
    const l = lines[i];
    if (l.startsWith('--- ')) minus = true;
    else if (l.startsWith('+++ ')) plus = true;
    else if (!l.startsWith('index ') && (i !== start || !l.startsWith('diff --git '))) plain = false;
  }
  // Without a ---/+++ pair (mode-only, pure renames, "Binary files … differ") the index line
  // is all that identifies the content: it stays.
  if (!minus || !plus) return drop;
  for (let i = start; i < end; i++) if (lines[i].startsWith('index ')) drop[i - start] = 1;
  if (plain && lines[start].startsWith('diff --git ')) drop[0] = 1;
  return drop;
}
