/**
 * Comments and docstrings: dropped except license headers, TODO/FIXME/SAFETY (configurable) and
 * directives; docstrings and doc comments follow FULL / FIRST_LINE / REMOVE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { compressCodeSync } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig, type CodeConfig } from '../../engine/transforms/code/config.js';
import { firstLineOfBlockDoc, firstLineOfDocstring, summaryOf } from '../../engine/transforms/code/comments.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { problemsOf, recordingSink, wordCounter } from './helpers.js';

beforeAll(async () => {
  await ensureLanguages(['python', 'typescript', 'javascript', 'go', 'rust', 'c']);
}, 60_000);

function run(text: string, language: CodeLanguage, config: CodeConfig = {}) {
  const r = compressCodeSync(text, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true, targetRatio: 1, ...config }), { language });
  if (r.changed) expect(problemsOf(r.output, language)).toEqual([]);
  return r;
}

const PY = `#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright 2024 Example. Licensed under the MIT license.
"""Tools for frobnicating widgets.

Longer description of the module that goes on
for a few lines.
"""
import os  # the os module

# A plain comment about the constant.
LIMIT = 10  # type: int


class Widget:
    """A widget.

    Attributes:
        name: the widget's name.
    """

    # TODO: make this configurable
    size = 3

    def frob(self, amount: int) -> int:
        """Frobnicate the widget by
        the given amount, returning the new size.

        Args:
            amount: how much.
        """
        # explain the maths
        return self.size * amount  # noqa: E501

    def abstract(self):
        """Only a docstring."""
`;

describe('python comments and docstrings', () => {
  it('first_line (default): summaries kept, plain comments dropped, directives/license/TODO kept', () => {
    const r = run(PY, 'python');
    expect(r.changed).toBe(true);
    const out = r.output;
    expect(out.startsWith('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# Copyright 2024 Example. Licensed under the MIT license.\n"""Tools for frobnicating widgets."""\n')).toBe(true);
    expect(out).toContain('import os\n');
    expect(out).not.toContain('the os module');
    expect(out).not.toContain('A plain comment');
    expect(out).toContain('LIMIT = 10  # type: int');
    expect(out).toContain('    """A widget."""\n');
    expect(out).toContain('# TODO: make this configurable');
    // The summary runs to the end of its sentence across lines.
    expect(out).toContain('"""Frobnicate the widget by the given amount, returning the new size."""');
    expect(out).not.toContain('explain the maths');
    expect(out).toContain('# noqa: E501');
    // Only comments and docstrings changed: one marker at the end names the original.
    const markers = parseMarkers(out);
    expect(markers).toHaveLength(1);
    expect(markers[0].note).toBe('comments and docstrings');
    expect(out.trimEnd().split('\n').pop()).toMatch(/^# \[headroom: \d+ lines omitted \(comments and docstrings\)\. Retrieve: hash=[0-9a-f]{24}\]$/);
  });

  it('full keeps docstrings whole', () => {
    const r = run(PY, 'python', { docstrings: 'full' });
    expect(r.output).toContain('Longer description of the module');
    expect(r.output).toContain('amount: how much.');
  });

  it('remove drops docstrings, and a docstring-only body becomes `...`', () => {
    const r = run(PY, 'python', { docstrings: 'remove' });
    expect(r.output).not.toContain('Tools for frobnicating');
    expect(r.output).not.toContain('A widget.');
    expect(r.output).toContain('    def abstract(self):\n        ...\n');
  });

  it('keepCommentWords and keepLicenseHeader are configurable', () => {
    const r = run(PY, 'python', { keepCommentWords: [], keepLicenseHeader: false });
    expect(r.output).not.toContain('TODO');
    expect(r.output).not.toContain('Copyright');
    expect(r.output).toContain('#!/usr/bin/env python3'); // directives always stay
  });
});

describe('c-like comments', () => {
  it('typescript: JSDoc first line, directives kept, inline comments removed without gluing tokens', () => {
    const src = `/// <reference types="node" />
// @ts-check
/**
 * Adds numbers.
 *
 * @param a first
 */
export function add(a: number, /* second */ b: number): number {
  // FIXME: overflow
  return a + b; // sum
}

// eslint-disable-next-line no-console
console.log(add(1, /* two */2));
const x = /*#__PURE__*/ make();
`;
    const r = run(src, 'typescript');
    expect(r.output).toContain('/// <reference types="node" />\n// @ts-check\n/** Adds numbers. */\nexport function add(a: number, b: number): number {\n  // FIXME: overflow\n  return a + b;\n}\n');
    expect(r.output).toContain('// eslint-disable-next-line no-console\nconsole.log(add(1, 2));');
    expect(r.output).toContain('/*#__PURE__*/ make()');
  });

  it('go: doc comments above declarations are docs; cgo preambles and //go: directives stay', () => {
    const src = `//go:build linux

// Package p does things.
// It does them well.
package p

/*
#include <stdlib.h>
*/
import "C"

// Run starts the thing.
// More detail here.
func Run() {
	// step one
	start()
}
`;
    const r = run(src, 'go');
    expect(r.output).toContain('//go:build linux\n');
    expect(r.output).toContain('// Package p does things.\npackage p');
    expect(r.output).toContain('/*\n#include <stdlib.h>\n*/\nimport "C"');
    expect(r.output).toContain('// Run starts the thing.\nfunc Run() {\n\tstart()\n}');
    expect(run(src, 'go', { docstrings: 'remove' }).output).not.toContain('Run starts');
  });

  it('rust: /// docs cut to their first line, SAFETY comments kept whole', () => {
    const src = `//! Crate docs.
//! More crate docs, spread over a few lines so that
//! removing them is worth a marker.

/// Does a thing.
/// In detail, with enough words to matter.
/// And a third line of explanation.
pub fn f(p: *const u8) -> u8 {
    // SAFETY: the caller guarantees \`p\` is valid
    // for reads of one byte.
    unsafe { *p }
}
`;
    const r = run(src, 'rust');
    expect(r.output).toContain('//! Crate docs.\n\n/// Does a thing.\npub fn f');
    expect(r.output).toContain('    // SAFETY: the caller guarantees `p` is valid\n    // for reads of one byte.\n');
  });

  it('c: comments inside macros stay (line continuations)', () => {
    const src = `/* Header comment that is long enough to matter for compression. */
#define CHECK(x) \\
  do { if (!(x)) abort(); } while (0) // trailing

int f(int a) {
  /* comment */
  return a;
}
`;
    const r = run(src, 'c');
    expect(r.output).toContain('#define CHECK(x) \\\n  do { if (!(x)) abort(); } while (0)');
    expect(r.output).not.toContain('/* comment */');
  });
});

describe('doc text helpers', () => {
  it('summaryOf continues a sentence onto the next lines, stops at a blank line or a tag', () => {
    expect(summaryOf(['Frobnicate the widget by', 'the given amount.', 'More.'])).toBe('Frobnicate the widget by the given amount.');
    expect(summaryOf(['', 'Summary line', '', 'Body.'])).toBe('Summary line');
    expect(summaryOf(['Summary line', '@param a'])).toBe('Summary line');
    expect(summaryOf(['', ''])).toBeUndefined();
  });

  it('firstLineOfDocstring keeps prefix and quotes, avoids merging quotes or escaping them', () => {
    expect(firstLineOfDocstring('r"""Raw \\d+.\n\nMore."""')).toBe('r"""Raw \\d+."""');
    expect(firstLineOfDocstring("'''Says \"hi\".\n'''")).toBe("'''Says \"hi\".'''");
    expect(firstLineOfDocstring('"""Ends with "quote"\n"""')).toBe('"""Ends with "quote" """');
    expect(firstLineOfDocstring('"""Ends with a backslash \\\n"""')).toBe('"""Ends with a backslash"""');
    expect(firstLineOfDocstring('"""One line."""')).toBeUndefined();
    expect(firstLineOfDocstring('"single"')).toBeUndefined();
  });

  it('firstLineOfBlockDoc', () => {
    expect(firstLineOfBlockDoc('/**\n * Adds.\n * @param a x\n */')).toBe('/** Adds. */');
    expect(firstLineOfBlockDoc('/*! Crate.\n more */')).toBe('/*! Crate. */');
    expect(firstLineOfBlockDoc('/** one */')).toBe('/** one */');
  });
});
