/**
 * Deterministic text corpus for tokenizer tests, the estimator calibration and the tokenizer
 * bench. Everything is generated from a seed, so counts and calibration figures reproduce.
 *
 * Classes (matching the estimator's `ContentClass`):
 * - prose: English sentences from several registers (docs, narrative, email, support chat),
 *   shuffled and recombined into paragraphs.
 * - code:  TypeScript / Python / Go / Rust / shell snippets with renamed identifiers.
 * - json:  API-like payloads (issues, logs, search hits, metrics), compact and pretty-printed.
 * - cjk:   Chinese, Japanese and Korean sentences.
 * Extra generators (identity checks only): emoji, whitespace runs, random unicode, logs,
 * special-token strings, long single-character runs.
 */

export type CorpusClass = 'prose' | 'code' | 'json' | 'cjk';

/** mulberry32 — small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: ReadonlyArray<T>): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

// ---------------------------------------------------------------------------------------------
// Prose

const PROSE: ReadonlyArray<string> = [
  // documentation
  'The client retries failed requests with exponential backoff, starting at 250 milliseconds and doubling after each attempt.',
  'If the server responds with a 429 status code, the retry delay is taken from the Retry-After header instead.',
  'Configuration is read from environment variables first; values passed to the constructor take precedence.',
  'Each worker processes one batch at a time, so increasing the batch size reduces overhead but raises latency.',
  'You can disable telemetry entirely by setting the option to false before the first call is made.',
  'Note that the cache is keyed by the normalized path, which means symbolic links resolve to the same entry.',
  'When the queue is full, new jobs are rejected immediately rather than blocking the caller.',
  'The migration runs inside a single transaction and rolls back automatically if any statement fails.',
  "Older versions of the library accepted a callback as the last argument; that form is deprecated and will be removed in the next major release.",
  'To verify the installation, run the health check and confirm that every dependency reports a green status.',
  'Timestamps are stored in UTC and converted to the user\'s local time zone only when they are displayed.',
  'The parser is streaming: it emits events as soon as a complete element is available, without buffering the whole document.',
  // narrative
  'The rain had stopped by the time she reached the station, but the platform was still slick and empty.',
  'He folded the letter twice, slipped it into his coat pocket, and did not mention it again for several weeks.',
  'Somewhere below the window a dog barked, and the sound carried across the quiet valley like a bell.',
  'Nobody in the village remembered who had planted the old orchard, only that it had always been there.',
  'They walked along the river until the lights of the town disappeared behind the hills.',
  'It was the kind of morning that made everything seem possible, even the things they had given up on years ago.',
  'Her grandmother kept a notebook of every recipe she had ever cooked, written in a small and careful hand.',
  'The meeting lasted three hours, and when it was over nobody could say exactly what had been decided.',
  // email / business
  'Thanks for sending over the draft; I have left a few comments on the pricing section and the timeline.',
  'Could we move Thursday\'s call to Friday afternoon? I will be traveling and may not have a reliable connection.',
  'As discussed, the budget for the third quarter has been approved, pending a final review by the finance team.',
  'Please find attached the signed contract, along with the invoice for the first milestone.',
  'We noticed an unusual spike in sign-ups over the weekend and are still investigating where the traffic came from.',
  'Let me know if you have any questions, and feel free to loop in anyone else who should be involved.',
  'Our revenue grew by 18 percent year over year, driven mostly by renewals from existing customers.',
  'The launch has been postponed by two weeks so that the support team has time to prepare.',
  // support / chat
  'I tried restarting the application, but the error still appears whenever I open the settings page.',
  'Sure! First, check which version you are running by opening the About dialog from the Help menu.',
  'That sounds frustrating. Can you share the exact error message and the steps that lead to it?',
  'It worked after clearing the cache, thank you so much for the quick help!',
  'Unfortunately that feature is not available on the free plan, but you can try it during the trial period.',
  'My order was supposed to arrive on Monday, and the tracking page has not been updated since last Wednesday.',
  // science / explanation
  'Photosynthesis converts light energy into chemical energy, storing it in the bonds of glucose molecules.',
  'The experiment was repeated five times, and the average measurement differed from the prediction by less than two percent.',
  'In statistics, the median is often preferred over the mean when the data contain extreme outliers.',
  'Glaciers move slowly under their own weight, carving valleys and carrying rocks over great distances.',
  'A compiler translates source code into machine instructions, usually after several stages of analysis and optimization.',
  'The committee concluded that further research would be needed before any recommendation could be made.',
  // richer vocabulary, names, numbers, inline markup (real text is less regular than the lines above)
  'Notwithstanding the arbitration clause in Section 14(b), either party may seek injunctive relief in the courts of Delaware.',
  'Kubernetes reschedules the pod onto another node when the kubelet stops reporting, typically after 40 seconds.',
  'Revenue for FY2024 reached $1.37 billion (up 12.4% from $1.22 billion), while operating margin narrowed to 8.9%.',
  'According to the Bureau of Labor Statistics, unemployment in Johannesburg-adjacent municipalities is measured differently.',
  'Set `maxRetries` to 0 to disable retries, or pass `retryDelay: (n) => 2 ** n * 100` for a custom schedule.',
  'See https://docs.example.org/guides/authentication#refresh-tokens for the full OAuth 2.0 refresh flow.',
  'Dr. Okonkwo-Hartley presented preliminary findings at the 2023 symposium in Reykjavík, emphasizing reproducibility.',
  'The pharmacokinetic profile suggests a half-life of approximately 6–8 hours in adults with normal hepatic function.',
  '**Breaking change:** the `--legacy-peer-deps` flag is no longer honored; use `overrides` in package.json instead.',
  '- Fixed a race condition in the websocket reconnect logic (#4821)\n- Improved memory usage of the incremental parser by ~30%',
  '## Installation\n\nRun `npm install --save-dev @acme/toolkit@^3.2.0` and restart your editor.',
  'Photovoltaic efficiency in commercially available monocrystalline panels hovers around 22–23 percent.',
  'Mitochondrial dysfunction has been implicated in several neurodegenerative disorders, including Parkinson\'s disease.',
  'The quarterly reconciliation flagged 317 discrepancies, most of which traced back to duplicated invoices from March 3rd.',
  'Her dissertation, "Epistemic Humility in Algorithmic Governance," won the Hollingsworth Prize in 2019.',
  'Error: ENOENT: no such file or directory, open \'/var/lib/app/config/settings.production.yaml\'',
  'Inflation-adjusted wages in Guangzhou, Monterrey and Wrocław grew faster than the OECD average between 2015 and 2022.',
  'Q: Does the plan include SSO? A: Yes — SAML and OIDC are available on Business and Enterprise tiers.',
  'Preheat the oven to 220°C, score the sourdough diagonally, and bake for 35–40 minutes until deeply caramelized.',
  'The archipelago\'s biodiversity—over 2,300 endemic species—has made it a priority for UNESCO conservation funding.',
  // technical prose with inline code (the most common prose in agent contexts)
  'Call `client.close()` before the process exits; otherwise pending writes in the `WriteBuffer` may be lost.',
  'If `NODE_ENV` is `production`, source maps are omitted and `console.debug` calls are stripped by the minifier.',
  'The `useEffect` hook re-runs whenever `userId` changes, so memoize `fetchProfile` with `useCallback` to avoid loops.',
  'In PostgreSQL 15, `MERGE` lets you upsert rows without `ON CONFLICT`, but triggers fire differently (see the docs).',
  'Use `git rebase -i HEAD~3` to squash the last three commits, then `git push --force-with-lease` to update the PR.',
  'The handler returns `413 Payload Too Large` when `Content-Length` exceeds `MAX_BODY_BYTES` (default: 1 MiB).',
  'We migrated from `moment` to `date-fns`, which cut ~67 KB from the bundle and fixed the DST edge case in `formatRange()`.',
  'Pass `{ signal: controller.signal }` to `fetch()` so the request is aborted when the component unmounts.',
  'The test `should_reject_expired_tokens` is flaky on CI because it depends on `SystemTime::now()` rather than a mock clock.',
  'Deprecated: `config.plugins[].options.legacyMode` will be removed in v5; migrate to `compat: "v3"` instead.',
  'Stack traces point at `dist/index.mjs:1:48213`, so enable `sourcemap: true` in `vite.config.ts` to see the original lines.',
  'Each shard holds roughly 2^20 keys; rebalancing starts when one shard exceeds 1.5x the median size.',
];

export function genProse(targetChars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const n = int(r, 2, 6);
    const para: string[] = [];
    for (let i = 0; i < n; i++) para.push(pick(r, PROSE));
    const p = para.join(' ');
    out.push(p);
    len += p.length + 2;
  }
  return out.join('\n\n').slice(0, Math.max(targetChars, 1));
}

// ---------------------------------------------------------------------------------------------
// Code

const IDENTS = [
  'user', 'order', 'item', 'config', 'result', 'buffer', 'session', 'request', 'response', 'payload',
  'index', 'count', 'total', 'value', 'entry', 'record', 'handler', 'client', 'queue', 'cache',
  'token', 'limit', 'offset', 'path', 'file', 'node', 'tree', 'parent', 'child', 'state',
];

const IDENT_PARTS = [
  ...IDENTS,
  'previous', 'separator', 'unchecked', 'numeric', 'diagnostics', 'element', 'listener', 'transform',
  'property', 'descriptor', 'position', 'boundary', 'container', 'registry', 'resolver', 'callback',
  'is', 'has', 'get', 'set', 'to', 'from', 'by', 'max', 'min', 'html', 'input', 'event', 'source',
  'target', 'async', 'pending', 'normalized', 'options', 'context', 'factory', 'builder', 'visitor',
];

function ident(r: () => number, style: 'camel' | 'snake' | 'pascal'): string {
  const n = int(r, 1, 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pick(r, IDENT_PARTS));
  if (style === 'snake') return parts.join('_');
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  return parts.map((p, i) => (i === 0 && style === 'camel' ? p : cap(p))).join('');
}

type Snip = (r: () => number) => string;

const CODE: ReadonlyArray<Snip> = [
  (r) => {
    const f = ident(r, 'camel');
    const a = ident(r, 'camel');
    const b = ident(r, 'camel');
    return `/**
 * Fetches the ${pick(r, IDENTS)} for \`${a}\`, retrying up to \`${b}\` times with exponential backoff.
 * Results are cached until they expire; a stale entry is never returned.
 */
export async function ${f}(${a}: string, ${b}: number = ${int(r, 1, 100)}): Promise<${ident(r, 'pascal')} | undefined> {
  // fast path: serve from the cache while the entry is fresh
  const cached = cache.get(${a});
  if (cached !== undefined && cached.expiresAt > Date.now()) {
    return cached.value;
  }
  for (let i = 0; i < ${b}; i++) {
    try {
      const res = await fetch(\`\${BASE_URL}/api/v${int(r, 1, 3)}/${pick(r, IDENTS)}s/\${encodeURIComponent(${a})}\`);
      if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
      const data = (await res.json()) as ${ident(r, 'pascal')};
      cache.set(${a}, { value: data, expiresAt: Date.now() + ${int(r, 1, 60)} * 1000 });
      return data;
    } catch (err) {
      logger.warn('retrying', { attempt: i, err });
      await sleep(2 ** i * 100);
    }
  }
  return undefined;
}
`;
  },
  (r) => {
    const cls = ident(r, 'pascal');
    const fld = ident(r, 'snake');
    return `class ${cls}:
    """Keeps track of ${pick(r, IDENTS)} objects and their ${pick(r, IDENTS)} counts."""

    def __init__(self, ${fld}: int = ${int(r, 0, 64)}, name: str | None = None) -> None:
        self.${fld} = ${fld}
        self.name = name or "${pick(r, IDENTS)}"
        self._items: dict[str, list[int]] = {}

    def add(self, key: str, value: int) -> None:
        # Negative values would corrupt the running averages, so reject them early.
        if value < 0:
            raise ValueError(f"negative value for {key!r}: {value}")
        self._items.setdefault(key, []).append(value)

    def summary(self) -> dict[str, float]:
        return {
            key: sum(values) / len(values)
            for key, values in self._items.items()
            if values
        }
`;
  },
  (r) => {
    const s = ident(r, 'pascal');
    return `type ${s} struct {
	ID        int64     \`json:"id"\`
	Name      string    \`json:"name"\`
	CreatedAt time.Time \`json:"created_at"\`
	Tags      []string  \`json:"tags,omitempty"\`
}

// Get${s} loads one row by primary key. It returns ErrNotFound when the row does not exist,
// and wraps every other database error with the id for easier debugging.
func (s *Store) Get${s}(ctx context.Context, id int64) (*${s}, error) {
	row := s.db.QueryRowContext(ctx, "SELECT id, name, created_at FROM ${pick(r, IDENTS)}s WHERE id = $1", id)
	var out ${s}
	if err := row.Scan(&out.ID, &out.Name, &out.CreatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("get ${pick(r, IDENTS)} %d: %w", id, err)
	}
	return &out, nil
}
`;
  },
  (r) => {
    const f = ident(r, 'snake');
    return `/// Parses ASCII digits from \`input\`, skipping whitespace.
///
/// Returns the number of values written, or \`Error::Unexpected\` at the first other byte.
pub fn ${f}(input: &[u8], out: &mut Vec<u32>) -> Result<usize, Error> {
    let mut pos = 0usize;
    while pos < input.len() {
        let b = input[pos];
        match b {
            b'0'..=b'9' => out.push((b - b'0') as u32),
            b' ' | b'\\t' | b'\\n' => {}
            _ => return Err(Error::Unexpected { byte: b, at: pos }),
        }
        pos += 1;
    }
    Ok(out.len())
}
`;
  },
  (r) => `#!/usr/bin/env bash
set -euo pipefail

DIR="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
for f in "$DIR"/${pick(r, IDENTS)}/*.log; do
  if grep -q "ERROR" "$f"; then
    echo "found errors in $f" >&2
    tail -n ${int(r, 5, 50)} "$f" | awk '{ print $1, $2, $NF }'
  fi
done
`,
  (r) => {
    const c = ident(r, 'pascal');
    return `import React, { useEffect, useState } from 'react';

export function ${c}({ id, onSelect }: { id: string; onSelect: (v: string) => void }) {
  const [items, setItems] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    load${c}(id).then((rows) => {
      if (!cancelled) {
        setItems(rows.map((row) => row.${pick(r, IDENTS)}));
        setLoading(false);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (loading) return <Spinner size="small" />;
  return (
    <ul className="${pick(r, IDENTS)}-list">
      {items.map((item) => (
        <li key={item} onClick={() => onSelect(item)}>
          {item}
        </li>
      ))}
    </ul>
  );
}
`;
  },
  (r) => `-- Active users ranked by revenue over the last period; inactive accounts are excluded.
SELECT u.id, u.email, COUNT(o.id) AS order_count, SUM(o.total_cents) / 100.0 AS revenue
FROM users u
LEFT JOIN orders o ON o.user_id = u.id AND o.created_at >= NOW() - INTERVAL '${int(r, 7, 90)} days'
WHERE u.status = 'active'
GROUP BY u.id, u.email
HAVING COUNT(o.id) > ${int(r, 0, 5)}
ORDER BY revenue DESC
LIMIT ${int(r, 10, 500)};
`,
];

export function genCode(targetChars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const s = pick(r, CODE)(r);
    out.push(s);
    len += s.length + 1;
  }
  return out.join('\n').slice(0, Math.max(targetChars, 1));
}

// ---------------------------------------------------------------------------------------------
// JSON

const WORDS = ['alpha', 'beta', 'gamma', 'error', 'timeout', 'deploy', 'build', 'release', 'fix', 'crash', 'login', 'payment', 'search', 'export'];
const NAMES = ['Alice Johnson', 'Bob Smith', 'Carol White', 'Dan Brown', 'Eve Davis', 'Frank Miller', 'Grace Lee'];

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
}

function isoDate(r: () => number): string {
  const d = new Date(Date.UTC(2024, int(r, 0, 11), int(r, 1, 28), int(r, 0, 23), int(r, 0, 59), int(r, 0, 59)));
  return d.toISOString();
}

const JSON_RECORDS: ReadonlyArray<(r: () => number, i: number) => unknown> = [
  (r, i) => ({
    id: 100000 + i,
    number: int(r, 1, 9000),
    title: `${pick(r, WORDS)} ${pick(r, WORDS)} fails when ${pick(r, WORDS)} is enabled`,
    state: pick(r, ['open', 'closed']),
    user: { login: pick(r, NAMES).toLowerCase().replace(' ', '-'), id: int(r, 1000, 999999), site_admin: false },
    labels: [{ name: pick(r, ['bug', 'enhancement', 'question']), color: hex(r, 6) }],
    comments: int(r, 0, 40),
    created_at: isoDate(r),
    updated_at: isoDate(r),
    body: pick(r, PROSE),
  }),
  (r) => ({
    timestamp: isoDate(r),
    level: pick(r, ['INFO', 'WARN', 'ERROR', 'DEBUG']),
    service: `${pick(r, WORDS)}-service`,
    trace_id: hex(r, 32),
    span_id: hex(r, 16),
    message: `request ${pick(r, ['completed', 'failed', 'retried'])} in ${int(r, 1, 5000)}ms`,
    http: { method: pick(r, ['GET', 'POST', 'PUT']), path: `/api/v1/${pick(r, IDENTS)}s/${int(r, 1, 99999)}`, status: pick(r, [200, 201, 404, 500, 503]) },
  }),
  (r, i) => ({
    rank: i + 1,
    url: `https://example.com/${pick(r, WORDS)}/${pick(r, IDENTS)}-${int(r, 1, 999)}.html`,
    title: `${pick(r, NAMES)} on ${pick(r, WORDS)} and ${pick(r, WORDS)}`,
    snippet: pick(r, PROSE),
    score: Math.round(r() * 10000) / 10000,
  }),
  (r) => ({
    metric: `${pick(r, IDENTS)}.${pick(r, ['latency_ms', 'count', 'bytes', 'errors'])}`,
    tags: { region: pick(r, ['us-east-1', 'eu-west-1', 'ap-south-1']), host: `ip-10-0-${int(r, 0, 255)}-${int(r, 0, 255)}` },
    points: Array.from({ length: int(r, 3, 8) }, () => [1700000000 + int(r, 0, 86400), Math.round(r() * 100000) / 100]),
  }),
  (r, i) => ({
    id: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
    sku: `SKU-${int(r, 10000, 99999)}`,
    name: `${pick(r, IDENTS)} ${pick(r, WORDS)}`,
    price: Math.round(r() * 100000) / 100,
    in_stock: r() > 0.3,
    quantity: int(r, 0, 500),
    position: i,
    attributes: { color: pick(r, ['red', 'blue', 'black']), size: pick(r, ['S', 'M', 'L', 'XL']), weight_kg: Math.round(r() * 1000) / 100 },
  }),
];

export function genJson(targetChars: number, seed: number): string {
  const r = rng(seed);
  const parts: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const gen = pick(r, JSON_RECORDS);
    const n = int(r, 3, 20);
    const arr = Array.from({ length: n }, (_, i) => gen(r, i));
    const doc = r() < 0.5 ? JSON.stringify(arr) : JSON.stringify({ data: arr, total: n, page: int(r, 1, 9) }, null, 2);
    parts.push(doc);
    len += doc.length + 1;
  }
  return parts.join('\n').slice(0, Math.max(targetChars, 1));
}

// ---------------------------------------------------------------------------------------------
// CJK

const ZH = [
  '今天的天气非常好，我们决定去公园散步。',
  '这个函数在输入为空时会返回一个错误。',
  '请在明天下午五点之前提交你的报告。',
  '由于网络问题，服务器暂时无法访问，请稍后再试。',
  '他花了三年时间才完成这本关于中国历史的书。',
  '我们的团队正在开发一个新的数据分析平台。',
  '如果你有任何问题，请随时联系客服。',
  '这家餐厅的菜很好吃，但是价格有点贵。',
  '研究人员发现，睡眠不足会影响记忆力和注意力。',
  '系统会在每天凌晨自动备份所有的数据库。',
];
const JA = [
  '東京は日本の首都で、世界でも有数の大都市です。',
  'この関数は入力が空の場合にエラーを返します。',
  '明日の会議は午後三時から始まる予定です。',
  'ご不明な点がございましたら、お気軽にお問い合わせください。',
  '彼女は毎朝コーヒーを飲みながら新聞を読んでいます。',
  '新しいバージョンでは、パフォーマンスが大幅に改善されました。',
  '桜の季節になると、多くの人が公園に集まります。',
  'このアプリケーションは、スマートフォンでも利用できます。',
];
const KO = [
  '오늘은 날씨가 좋아서 친구들과 함께 산책을 했습니다.',
  '이 함수는 입력이 비어 있으면 오류를 반환합니다.',
  '회의는 내일 오후 세 시에 시작할 예정입니다.',
  '서버에 일시적인 문제가 발생했습니다. 잠시 후 다시 시도해 주세요.',
  '한국어는 한글이라는 고유한 문자를 사용합니다.',
  '새로운 버전에서는 성능이 크게 향상되었습니다.',
];

export function genCjk(targetChars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const lang = r();
    const pool = lang < 0.5 ? ZH : lang < 0.8 ? JA : KO;
    const n = int(r, 2, 5);
    const para: string[] = [];
    for (let i = 0; i < n; i++) para.push(pick(r, pool));
    const p = para.join(pool === KO ? ' ' : '');
    out.push(p);
    len += p.length + 1;
  }
  return out.join('\n').slice(0, Math.max(targetChars, 1));
}

export function genClass(cls: CorpusClass, targetChars: number, seed: number): string {
  switch (cls) {
    case 'prose':
      return genProse(targetChars, seed);
    case 'code':
      return genCode(targetChars, seed);
    case 'json':
      return genJson(targetChars, seed);
    case 'cjk':
      return genCjk(targetChars, seed);
  }
}

// ---------------------------------------------------------------------------------------------
// Other scripts (calibrates the estimator's rate for non-ASCII, non-CJK characters)

const OTHER_LANG = [
  'Сегодня хорошая погода, и мы решили прогуляться по парку.',
  'Эта функция возвращает ошибку, если входные данные пустые.',
  'Пожалуйста, отправьте отчёт до пяти часов вечера.',
  'Η συνάντηση θα ξεκινήσει στις τρεις το απόγευμα.',
  'Ο διακομιστής δεν είναι διαθέσιμος αυτή τη στιγμή.',
  'الطقس جميل اليوم، لذلك قررنا أن نتمشى في الحديقة.',
  'هذه الدالة تعيد خطأ إذا كان الإدخال فارغًا.',
  'आज मौसम बहुत अच्छा है, इसलिए हम पार्क में टहलने गए।',
  'यह फ़ंक्शन खाली इनपुट पर त्रुटि लौटाता है।',
  'วันนี้อากาศดีมาก เราจึงไปเดินเล่นที่สวนสาธารณะ',
  'השרת אינו זמין כרגע, אנא נסו שוב מאוחר יותר.',
  'Die Größe der Datei überschreitet das zulässige Maximum für Übertragungen.',
  'Le système sauvegarde automatiquement toutes les données chaque nuit à minuit.',
  'El análisis mostró que la mayoría de los usuarios prefieren la versión móvil.',
  'Dziękujemy za zgłoszenie — nasz zespół odpowie w ciągu dwóch dni roboczych.',
  'Build passed ✅ deploy started 🚀 — all checks green 🎉',
  'Η ενημέρωση εγκαταστάθηκε με επιτυχία και η εφαρμογή επανεκκινήθηκε.',
  'המערכת שומרת גיבוי של כל הנתונים בכל לילה בחצות.',
  'ระบบจะสำรองข้อมูลทั้งหมดโดยอัตโนมัติทุกคืน',
  'सर्वर अस्थायी रूप से उपलब्ध नहीं है, कृपया बाद में पुनः प्रयास करें।',
  'تم تحديث النظام بنجاح، ويرجى إعادة تشغيل التطبيق.',
  'Бэкап базы данных выполняется автоматически каждую ночь.',
  'Status: 🟢 api • 🟡 worker • 🔴 cron → see dashboard ↗',
];

export function genOtherLang(targetChars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const p = pick(r, OTHER_LANG);
    out.push(p);
    len += p.length + 1;
  }
  return out.join(' ').slice(0, Math.max(targetChars, 1));
}

// ---------------------------------------------------------------------------------------------
// Machine strings: base64, hashes, UUIDs, JWTs, URLs, minified JS (dense, unword-like)

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function b64(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += B64[Math.floor(r() * 64)];
  return s;
}

export function genMachine(targetChars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const k = r();
    let s: string;
    if (k < 0.2) s = `"integrity": "sha512-${b64(r, 86)}=="`;
    else if (k < 0.35) s = `commit ${hex(r, 40)}\nAuthor: ${pick(r, NAMES)} <${pick(r, IDENTS)}@example.com>`;
    else if (k < 0.5) s = `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`;
    else if (k < 0.6) s = `eyJ${b64(r, int(r, 20, 40))}.eyJ${b64(r, int(r, 60, 120))}.${b64(r, 43)}`;
    else if (k < 0.75)
      s = `https://cdn.example.com/${pick(r, IDENTS)}/${hex(r, 12)}?utm_source=${pick(r, WORDS)}&sig=${b64(r, 24)}&t=${int(r, 1e9, 2e9)}`;
    else if (k < 0.9)
      s = `function ${pick(r, IDENTS)[0]}(${'abc'[int(r, 0, 2)]},e){return ${'xyz'[int(r, 0, 2)]}.${pick(r, IDENTS)}(e)||void 0!==e&&${pick(r, IDENTS)}[e]}`;
    else s = `data:image/png;base64,${b64(r, int(r, 100, 400))}`;
    out.push(s);
    len += s.length + 1;
  }
  return out.join('\n').slice(0, Math.max(targetChars, 1));
}

// ---------------------------------------------------------------------------------------------
// Extras for identity checks (not calibration)

const EMOJI = ['😀', '🚀', '👍🏽', '🇯🇵', '👨‍👩‍👧‍👦', '❤️', '🔥', '✅', '🤖', '🎉', '🧑🏻‍💻'];

export function genEmoji(targetChars: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  while (s.length < targetChars) {
    s += r() < 0.5 ? pick(r, EMOJI) : ' ' + pick(r, PROSE).slice(0, int(r, 5, 40)) + ' ';
  }
  return s;
}

export function genWhitespace(targetChars: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  while (s.length < targetChars) {
    const k = r();
    if (k < 0.25) s += ' '.repeat(int(r, 1, 300));
    else if (k < 0.4) s += '\n'.repeat(int(r, 1, 20));
    else if (k < 0.5) s += '\t'.repeat(int(r, 1, 12));
    else if (k < 0.6) s += ' \r\n'.repeat(int(r, 1, 10));
    else if (k < 0.65) s += '\u00a0\u3000\u2003'.repeat(int(r, 1, 5));
    else s += pick(r, IDENTS);
  }
  return s;
}

export function genLogs(targetChars: number, seed: number): string {
  const r = rng(seed);
  const lines: string[] = [];
  let len = 0;
  while (len < targetChars) {
    const l = `${isoDate(r)} ${pick(r, ['INFO ', 'WARN ', 'ERROR', 'DEBUG'])} [${pick(r, WORDS)}-${int(r, 1, 9)}] ${pick(r, ['GET', 'POST'])} /api/${pick(r, IDENTS)}/${int(r, 1, 9999)} ${pick(r, [200, 404, 500])} ${int(r, 1, 999)}ms user=${hex(r, 8)}`;
    lines.push(l);
    len += l.length + 1;
  }
  return lines.join('\n');
}

/** Random unicode: BMP letters from many scripts, astral chars, combining marks, lone surrogates, controls. */
export function genRandomUnicode(targetChars: number, seed: number): string {
  const r = rng(seed);
  const ranges: Array<[number, number]> = [
    [0x20, 0x7e], [0xa0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x590, 0x5ff], [0x600, 0x6ff],
    [0x900, 0x97f], [0xe00, 0xe7f], [0x1100, 0x11ff], [0x2000, 0x206f], [0x3040, 0x30ff],
    [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0x300, 0x36f], [0x1f300, 0x1faff], [0x10000, 0x1007f], [0x0, 0x1f],
  ];
  let s = '';
  while (s.length < targetChars) {
    const k = r();
    if (k < 0.01) s += String.fromCharCode(int(r, 0xd800, 0xdfff)); // lone surrogate
    else {
      const [lo, hi] = pick(r, ranges);
      s += String.fromCodePoint(int(r, lo, hi));
    }
  }
  return s;
}

export function genSpecialTokens(seed: number): string {
  const r = rng(seed);
  const specials = ['<|endoftext|>', '<|endofprompt|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|im_start|>', '<|im_end|>', '<|start|>', '<|message|>'];
  let s = '';
  for (let i = 0; i < 30; i++) s += pick(r, PROSE).slice(0, int(r, 0, 30)) + pick(r, specials);
  return s;
}

/** A varied set of strings (all generators, several sizes) for exact-count identity checks. */
export function varietyStrings(seed = 1): string[] {
  const out: string[] = [];
  const sizes = [0, 1, 7, 40, 300, 2000];
  let k = seed;
  for (const size of sizes) {
    for (const cls of ['prose', 'code', 'json', 'cjk'] as const) out.push(genClass(cls, size, k++));
    out.push(genEmoji(size, k++), genWhitespace(size, k++), genLogs(size, k++), genRandomUnicode(size, k++), genOtherLang(size, k++), genMachine(size, k++));
  }
  out.push(genSpecialTokens(k++));
  out.push('a'.repeat(3000), ' '.repeat(2500), '-'.repeat(1200) + 'x', '\n'.repeat(700), '🙂'.repeat(400), '0'.repeat(1000));
  out.push("it's they're we've I'm you'll he'd IT'S THEY'RE", 'ａｂｃ　ｄｅｆ', 'x\u0301\u0302 e\u0301', '\u200b\u200d\ufeff');
  return out;
}

/** ~`targetChars` of mixed content (equal shares of every generator) — the bench input. */
export function mixedCorpus(targetChars: number, seed = 42): string {
  const share = Math.ceil(targetChars / 8);
  return [
    genProse(share, seed),
    genCode(share, seed + 1),
    genJson(share, seed + 2),
    genCjk(share, seed + 3),
    genLogs(share, seed + 4),
    genEmoji(share, seed + 5),
    genWhitespace(share, seed + 6),
    genRandomUnicode(share, seed + 7),
  ].join('\n');
}
