/** Realistic tool outputs per content type, generated deterministically (large and small). */

export function pytestLog(passing = 2000, failures: string[] = ['test_checkout_total', 'test_refund_rounding']): string {
  const out: string[] = [
    '============================= test session starts ==============================',
    'platform linux -- Python 3.12.2, pytest-8.1.1, pluggy-1.4.0',
    'rootdir: /home/ci/shop',
    'configfile: pyproject.toml',
    `collected ${passing + failures.length} items`,
    '',
  ];
  const failAt = new Set(failures.map((_, i) => Math.floor(((i + 1) * passing) / (failures.length + 1))));
  let f = 0;
  for (let i = 0; i < passing; i++) {
    out.push(`tests/test_module_${Math.floor(i / 50)}.py::test_case_${i} PASSED${' '.repeat(8)}[${String(Math.floor((i * 100) / passing)).padStart(3)}%]`);
    if (failAt.has(i)) out.push(`tests/test_orders.py::${failures[f++]} FAILED${' '.repeat(8)}[${String(Math.floor((i * 100) / passing)).padStart(3)}%]`);
  }
  out.push('', '=================================== FAILURES ===================================');
  failures.forEach((name, i) => {
    out.push(
      `_________________________________ ${name} _________________________________`,
      '',
      '    def ' + name + '():',
      '        order = make_order(items=3)',
      `>       assert order.total() == ${100 + i}`,
      `E       AssertionError: assert ${97 + i} == ${100 + i}`,
      `E        +  where ${97 + i} = <bound method Order.total of <Order id=${4000 + i}>>()`,
      '',
      `tests/test_orders.py:${42 + i * 10}: AssertionError`,
    );
  });
  out.push(
    '=========================== short test summary info ============================',
    ...failures.map((n) => `FAILED tests/test_orders.py::${n} - AssertionError`),
    `======================= ${failures.length} failed, ${passing} passed in 41.27s ========================`,
  );
  return out.join('\n');
}

export function jestLog(suites = 60): string {
  const out: string[] = [];
  for (let i = 0; i < suites; i++) out.push(`PASS src/components/Widget${i}.test.tsx (${(1 + (i % 5) * 0.3).toFixed(2)} s)`);
  out.push(
    'FAIL src/api/client.test.ts',
    '  ● ApiClient › retries on 503',
    '',
    '    expect(received).toBe(expected) // Object.is equality',
    '',
    '    Expected: 3',
    '    Received: 1',
    '',
    '      at Object.<anonymous> (src/api/client.test.ts:48:23)',
    '',
    `Test Suites: 1 failed, ${suites} passed, ${suites + 1} total`,
    `Tests:       1 failed, ${suites * 4} passed, ${suites * 4 + 1} total`,
    'Snapshots:   0 total',
    'Time:        12.804 s',
  );
  return out.join('\n');
}

export function vitestLog(files = 80): string {
  const out = [' RUN  v4.1.12 /home/ci/app', ''];
  for (let i = 0; i < files; i++) out.push(` ✓ test/unit/module${i}.test.ts (${3 + (i % 7)} tests) ${10 + i}ms`);
  out.push(
    ' × test/unit/parser.test.ts > parses nested arrays 4ms',
    '   → expected [ 1, 2 ] to deeply equal [ 1, 2, 3 ]',
    '',
    ' Test Files  1 failed | ' + files + ' passed (' + (files + 1) + ')',
    '      Tests  1 failed | ' + files * 5 + ' passed (' + (files * 5 + 1) + ')',
    '   Start at  10:42:17',
    '   Duration  3.21s (transform 410ms, setup 0ms, collect 1.2s, tests 880ms)',
  );
  return out.join('\n');
}

export function npmLog(): string {
  const out = ['> shop@1.4.0 build', '> tsc -p tsconfig.build.json && vite build', ''];
  for (let i = 0; i < 120; i++) out.push(`npm WARN deprecated package-${i}@1.${i}.0: this package is no longer supported`);
  out.push(
    'npm ERR! code ELIFECYCLE',
    'npm ERR! errno 2',
    'npm ERR! shop@1.4.0 build: `tsc -p tsconfig.build.json && vite build`',
    'npm ERR! Exit status 2',
    'npm ERR! A complete log of this run can be found in: /root/.npm/_logs/2026-01-01T10_00_00_000Z-debug-0.log',
  );
  return out.join('\n');
}

export function cargoLog(crates = 150): string {
  const out: string[] = [];
  for (let i = 0; i < crates; i++) out.push(`   Compiling crate-${i} v0.${i % 9}.${i % 13}`);
  out.push(
    'error[E0308]: mismatched types',
    '  --> src/main.rs:12:18',
    '   |',
    '12 |     let n: u32 = "five";',
    '   |            ---   ^^^^^^ expected `u32`, found `&str`',
    '   |            |',
    '   |            expected due to this',
    '',
    'For more information about this error, try `rustc --explain E0308`.',
    "error: could not compile `app` (bin \"app\") due to 1 previous error",
  );
  return out.join('\n');
}

export function goTestLog(tests = 200): string {
  const out: string[] = [];
  for (let i = 0; i < tests; i++) out.push(`=== RUN   TestHandler${i}`, `--- PASS: TestHandler${i} (0.0${i % 10}s)`);
  out.push('=== RUN   TestCheckout', '    checkout_test.go:88: total = 97, want 100', '--- FAIL: TestCheckout (0.01s)', 'FAIL', 'FAIL\tgithub.com/acme/shop/api\t1.234s', 'ok  \tgithub.com/acme/shop/db\t0.412s');
  return out.join('\n');
}

export function mavenLog(modules = 80): string {
  const out = ['[INFO] Scanning for projects...', '[INFO] ------------------------------------------------------------------------', '[INFO] Reactor Build Order:'];
  for (let i = 0; i < modules; i++) out.push(`[INFO] Building module-${i} 1.0.${i} [${i + 1}/${modules}]`, `[INFO] Tests run: ${10 + i}, Failures: 0, Errors: 0, Skipped: 0`);
  out.push('[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0 <<< FAILURE! - in com.acme.CheckoutTest', '[ERROR] com.acme.CheckoutTest.total  Time elapsed: 0.01 s  <<< FAILURE!', '[INFO] BUILD FAILURE');
  return out.join('\n');
}

export function gradleLog(tasks = 120): string {
  const out: string[] = [];
  for (let i = 0; i < tasks; i++) out.push(`> Task :module${i % 12}:compile${['Java', 'Kotlin', 'TestJava'][i % 3]}${i > 60 ? ' UP-TO-DATE' : ''}`);
  out.push('> Task :app:test FAILED', '', 'CheckoutTest > total() FAILED', '    java.lang.AssertionError at CheckoutTest.java:42', '', 'FAILURE: Build failed with an exception.', 'BUILD FAILED in 14s', `${tasks} actionable tasks: 40 executed, ${tasks - 40} up-to-date`);
  return out.join('\n');
}

export function timestampedLog(lines = 1500): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = `2026-03-04T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`;
    if (i === 777) out.push(`${t} ERROR payment-svc charge failed for order=ord_${i} err="card_declined" latency_ms=812`);
    else if (i % 97 === 0) out.push(`${t} WARN  payment-svc slow upstream latency_ms=${400 + i}`);
    else out.push(`${t} INFO  payment-svc request id=req_${1000 + i} path=/v1/charge status=200 latency_ms=${20 + (i % 40)}`);
  }
  return out.join('\n');
}

export function searchResults(files = 40, perFile = 12): string {
  const out: string[] = [];
  for (let f = 0; f < files; f++) {
    for (let k = 0; k < perFile; k++) {
      const line = 10 + k * 7;
      out.push(`src/services/module${f}/handler${f % 5}.ts:${line}:  const result = await processPayment(order${k}, { retries: ${k % 3} });`);
    }
  }
  out.splice(97, 0, 'src/services/checkout/refund.ts:212:  throw new Error(`refund failed for ${orderId}`);');
  return out.join('\n');
}

export function gitDiff(files = 12, hunks = 4): string {
  const out: string[] = [];
  for (let f = 0; f < files; f++) {
    out.push(`diff --git a/src/mod${f}.py b/src/mod${f}.py`, `index ${(1000000 + f).toString(16)}..${(2000000 + f).toString(16)} 100644`, `--- a/src/mod${f}.py`, `+++ b/src/mod${f}.py`);
    for (let h = 0; h < hunks; h++) {
      const start = 10 + h * 40;
      out.push(`@@ -${start},10 +${start},11 @@ def handler_${h}(request):`);
      for (let c = 0; c < 5; c++) out.push(`     value_${c} = compute(request, ${c})`);
      out.push(`-    return value_0 + value_1`, `+    total = value_0 + value_1`, `+    return round(total, 2)`);
      for (let c = 5; c < 9; c++) out.push(`     log.debug("step ${c}", value_${c % 5})`);
    }
  }
  return out.join('\n');
}

export function combinedDiff(): string {
  const out = ['diff --cc src/merged.py', 'index 1111111,2222222..3333333', '--- a/src/merged.py', '+++ b/src/merged.py'];
  for (let h = 0; h < 30; h++) {
    out.push(`@@@ -${h * 20 + 1},6 -${h * 20 + 1},6 +${h * 20 + 1},7 @@@`, '  unchanged_line()', '- branch_a_only()', ' -branch_b_only()', '++merge_result()', '  another_unchanged()');
  }
  return out.join('\n');
}

export function htmlPage(paragraphs = 30): string {
  const nav = Array.from({ length: 25 }, (_, i) => `<li><a href="/section/${i}">Section ${i}</a></li>`).join('\n');
  const body = Array.from({ length: paragraphs }, (_, i) => `<p>Paragraph ${i} explains how the rate limiter handles burst traffic for tenant ${i} and why tokens refill at a fixed rate.</p>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Rate limiting guide</title>',
    '<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag("js", new Date());</script>',
    '<style>body { font-family: sans-serif } .nav { display: flex }</style>',
    '</head>',
    '<body>',
    `<nav class="nav"><ul>\n${nav}\n</ul></nav>`,
    '<main><article><h1>Rate limiting</h1>',
    body,
    '</article></main>',
    '<footer><div class="cookie">We use cookies.</div><span>© 2026 Example</span></footer>',
    '</body></html>',
  ].join('\n');
}

export function prose(paragraphs = 25): string {
  const topics = ['authentication', 'billing', 'caching', 'deployment', 'monitoring'];
  return Array.from(
    { length: paragraphs },
    (_, i) =>
      `The ${topics[i % 5]} service handles request number ${i} by validating the session token first. ` +
      `It then consults the regional cache, which usually answers within a few milliseconds. ` +
      `When the cache misses, the service falls back to the primary database and records the latency. ` +
      `Operators reviewed this behaviour in incident ${1000 + i} and agreed to keep it.`,
  ).join('\n\n');
}

export const pythonCode = `import os
from dataclasses import dataclass
from typing import Optional


@dataclass
class Order:
    id: str
    total: float
    currency: str = "EUR"

    def with_tax(self, rate: float) -> float:
        return round(self.total * (1 + rate), 2)


def load_order(path: str) -> Optional[Order]:
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        data = fh.read()
    return Order(id=data.split(",")[0], total=float(data.split(",")[1]))


class OrderRepository:
    def __init__(self, root: str):
        self.root = root

    def get(self, order_id: str) -> Optional[Order]:
        try:
            return load_order(os.path.join(self.root, order_id))
        except ValueError:
            return None


if __name__ == "__main__":
    print(load_order("orders/1.csv"))
`;

export const typescriptCode = `import type { Request, Response } from 'express';
import { z } from 'zod';

export interface Order {
  id: string;
  total: number;
}

type Handler = (req: Request, res: Response) => Promise<void>;

export enum Status {
  Open,
  Closed,
}

const schema = z.object({ id: z.string(), total: z.number() });

export const getOrder: Handler = async (req, res) => {
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: parsed.error.message });
    return;
  }
  res.json(parsed.data);
};
`;

export const goCode = `package orders

import (
\t"errors"
\t"fmt"
)

type Order struct {
\tID    string
\tTotal float64
}

var ErrNotFound = errors.New("order not found")

func (o *Order) WithTax(rate float64) float64 {
\treturn o.Total * (1 + rate)
}

func Find(id string) (*Order, error) {
\tif id == "" {
\t\treturn nil, ErrNotFound
\t}
\treturn &Order{ID: id}, nil
}

func Describe(o *Order) string {
\treturn fmt.Sprintf("%s: %.2f", o.ID, o.Total)
}
`;

export const rustCode = `use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub total: f64,
}

pub enum Status {
    Open,
    Closed,
}

impl Order {
    pub fn with_tax(&self, rate: f64) -> f64 {
        self.total * (1.0 + rate)
    }
}

pub fn index(orders: &[Order]) -> HashMap<String, Order> {
    let mut map = HashMap::new();
    for o in orders {
        map.insert(o.id.clone(), o.clone());
    }
    map
}
`;

export const javaCode = `package com.acme.orders;

import java.util.List;
import java.util.Optional;

public class OrderService {
    private final OrderRepository repository;

    public OrderService(OrderRepository repository) {
        this.repository = repository;
    }

    @Override
    public String toString() {
        return "OrderService";
    }

    public Optional<Order> find(String id) {
        return repository.findById(id);
    }

    public List<Order> all() {
        return repository.findAll();
    }
}
`;

export function jsonRows(n = 300): string {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ id: i, name: `customer ${i}`, city: ['Lyon', 'Oslo', 'Kyiv', 'Lima'][i % 4], status: i === 150 ? 'error' : 'ok', balance: 100 + (i % 17) })),
    null,
    2,
  );
}

export function markdownWithFences(): string {
  return [
    '# Investigation notes',
    '',
    prose(4),
    '',
    'The failing run printed this:',
    '',
    '```log',
    timestampedLog(400),
    '```',
    '',
    'And the handler looks like this:',
    '',
    '```python',
    pythonCode.trimEnd(),
    '```',
    '',
    'The API returned the following records:',
    '',
    '```json',
    jsonRows(200),
    '```',
    '',
    prose(3),
    '',
  ].join('\n');
}

export function proseWithJson(): string {
  return `Found ${300} customers matching the filter. Here they are:\n${JSON.stringify(JSON.parse(jsonRows(300)))}\nLet me know if you need the full export in a different format.`;
}
