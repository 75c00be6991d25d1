import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  addRetrieveTool,
  anthropicRetrieveTool,
  geminiRetrieveTool,
  hasRetrieveTool,
  isRetrieveToolName,
  openaiRetrieveTool,
  RETRIEVE_TOOL_DESCRIPTION,
  RETRIEVE_TOOL_NAME,
  retrieveToolDefinition,
  vercelRetrieveTool,
  type AnthropicRetrieveTool,
  type OpenAIRetrieveTool,
} from '../../engine/ccr/retrieve-tool.js';
import { ConfigurationError } from '../../engine/errors.js';

const jsonSchema = {
  type: 'object',
  properties: {
    hash: { type: 'string', description: expect.stringContaining('24-character hex') },
    query: { type: 'string', description: expect.stringContaining('Optional') },
  },
  required: ['hash'],
};

describe('headroom_retrieve tool definitions', () => {
  it('OpenAI: {type:"function", function:{name, description, parameters}}', () => {
    const t = openaiRetrieveTool();
    expect(Object.keys(t)).toEqual(['type', 'function']);
    expect(t).toEqual({ type: 'function', function: { name: 'headroom_retrieve', description: RETRIEVE_TOOL_DESCRIPTION, parameters: jsonSchema } });
  });

  it('Anthropic: {name, description, input_schema}', () => {
    const t = anthropicRetrieveTool();
    expect(Object.keys(t)).toEqual(['name', 'description', 'input_schema']);
    expect(t).toEqual({ name: 'headroom_retrieve', description: RETRIEVE_TOOL_DESCRIPTION, input_schema: jsonSchema });
  });

  it('Gemini: a function declaration {name, description, parameters} with upper-case Schema types', () => {
    const t = geminiRetrieveTool();
    expect(Object.keys(t)).toEqual(['name', 'description', 'parameters']);
    expect(t.parameters).toEqual({
      type: 'OBJECT',
      properties: { hash: { type: 'STRING', description: expect.any(String) }, query: { type: 'STRING', description: expect.any(String) } },
      required: ['hash'],
    });
    expect(JSON.stringify(t)).not.toMatch(/additionalProperties|\$schema/); // Gemini rejects unknown schema keys
  });

  it('Vercel: {description, inputSchema} as plain JSON Schema to wrap with jsonSchema()', () => {
    expect(vercelRetrieveTool()).toEqual({ description: RETRIEVE_TOOL_DESCRIPTION, inputSchema: jsonSchema });
  });

  it('the description tells the model when to call it and quotes both marker shapes', () => {
    expect(RETRIEVE_TOOL_DESCRIPTION).toMatch(/\[headroom: .* Retrieve: hash=/);
    expect(RETRIEVE_TOOL_DESCRIPTION).toContain('"_headroom"');
    expect(RETRIEVE_TOOL_DESCRIPTION).toMatch(/when you need/);
    expect(RETRIEVE_TOOL_DESCRIPTION).toMatch(/do not call it/);
  });

  it('builders return fresh, byte-identical objects (prompt-cache stable, safe to mutate)', () => {
    const a = openaiRetrieveTool();
    const b = openaiRetrieveTool();
    expect(a).not.toBe(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    a.function.parameters.required.pop();
    expect(openaiRetrieveTool().function.parameters.required).toEqual(['hash']);
    expect(retrieveToolDefinition('anthropic')).toEqual(anthropicRetrieveTool());
    expect(() => retrieveToolDefinition('cohere' as 'openai')).toThrow(ConfigurationError);
  });

  it('types', () => {
    expectTypeOf(retrieveToolDefinition('openai')).toEqualTypeOf<OpenAIRetrieveTool>();
    expectTypeOf(retrieveToolDefinition('anthropic')).toEqualTypeOf<AnthropicRetrieveTool>();
    expectTypeOf(addRetrieveTool({}, 'vercel')).toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf(addRetrieveTool([], 'openai')).toEqualTypeOf<unknown[]>();
  });
});

describe('isRetrieveToolName', () => {
  it.each(['headroom_retrieve', 'mcp__headroom__headroom_retrieve', 'headroom.headroom_retrieve', 'headroom/headroom_retrieve', 'headroom:headroom_retrieve', 'mcp__my-server__headroom_retrieve', 'a.b.headroom_retrieve'])('matches %s', (name) => {
    expect(isRetrieveToolName(name)).toBe(true);
  });

  it.each(['', 'headroom', 'retrieve', 'my_headroom_retrieve', 'headroom_retrieve_v2', 'Headroom_Retrieve', 'HEADROOM_RETRIEVE', 'headroom_retrieve ', ' headroom_retrieve', '__headroom_retrieve', '.headroom_retrieve', 'mcp__headroom__', 'headroom__retrieve', 'ccr_retrieve', 'mcp__headroom__headroom_retrieve__x'])('rejects %j', (name) => {
    expect(isRetrieveToolName(name)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const v of [undefined, null, 1, {}, ['headroom_retrieve']]) expect(isRetrieveToolName(v)).toBe(false);
  });
});

describe('addRetrieveTool', () => {
  const search = { type: 'function', function: { name: 'search', description: 's', parameters: { type: 'object', properties: {} } } };

  it('openai / anthropic: appends to a new array, never mutating the input', () => {
    const tools = [search];
    const out = addRetrieveTool(tools, 'openai');
    expect(out).toEqual([search, openaiRetrieveTool()]);
    expect(out).not.toBe(tools);
    expect(tools).toHaveLength(1);
    expect(addRetrieveTool(undefined, 'anthropic')).toEqual([anthropicRetrieveTool()]);
  });

  it('is idempotent: a second call returns the same array unchanged', () => {
    for (const format of ['openai', 'anthropic', 'gemini'] as const) {
      const once = addRetrieveTool([], format);
      expect(addRetrieveTool(once, format)).toBe(once);
    }
    const v = addRetrieveTool({}, 'vercel');
    expect(addRetrieveTool(v, 'vercel')).toBe(v);
  });

  it('leaves tools unchanged when an alias is already offered (e.g. via MCP), in any shape', () => {
    const mcpAnthropic = [{ name: 'mcp__headroom__headroom_retrieve', description: 'x', input_schema: {} }];
    expect(addRetrieveTool(mcpAnthropic, 'anthropic')).toBe(mcpAnthropic);
    const mcpOpenAI = [{ type: 'function', function: { name: 'headroom.headroom_retrieve' } }];
    expect(addRetrieveTool(mcpOpenAI, 'openai')).toBe(mcpOpenAI);
    const responses = [{ type: 'function', name: 'headroom_retrieve', parameters: {} }];
    expect(addRetrieveTool(responses, 'openai')).toBe(responses);
    const gem = [{ functionDeclarations: [{ name: 'headroom/headroom_retrieve' }] }];
    expect(addRetrieveTool(gem, 'gemini')).toBe(gem);
    const vercel = { 'mcp__headroom__headroom_retrieve': {} };
    expect(addRetrieveTool(vercel, 'vercel')).toBe(vercel);
    expect(hasRetrieveTool([search])).toBe(false);
  });

  it('gemini: appends into the first functionDeclarations entry (copied), or adds one', () => {
    const g = [{ googleSearch: {} }, { functionDeclarations: [{ name: 'lookup' }] }, { functionDeclarations: [{ name: 'other' }] }];
    const out = addRetrieveTool(g, 'gemini') as typeof g;
    expect(out[0]).toBe(g[0]);
    expect(out[1]).toEqual({ functionDeclarations: [{ name: 'lookup' }, geminiRetrieveTool()] });
    expect(out[2]).toBe(g[2]);
    expect(g[1].functionDeclarations).toHaveLength(1); // input untouched
    expect(addRetrieveTool([{ googleSearch: {} }], 'gemini')).toEqual([{ googleSearch: {} }, { functionDeclarations: [geminiRetrieveTool()] }]);
    expect(addRetrieveTool(undefined, 'gemini')).toEqual([{ functionDeclarations: [geminiRetrieveTool()] }]);
  });

  it('vercel: adds headroom_retrieve to the object map, wrapping the schema when given the SDK jsonSchema()', () => {
    const existing = { weather: { description: 'w' } };
    const out = addRetrieveTool(existing, 'vercel');
    expect(out).toEqual({ weather: existing.weather, headroom_retrieve: vercelRetrieveTool() });
    expect(Object.keys(existing)).toEqual(['weather']);
    const wrapped = addRetrieveTool(undefined, 'vercel', { wrapSchema: (schema) => ({ wrapped: schema }) });
    expect(wrapped[RETRIEVE_TOOL_NAME]).toEqual({ description: RETRIEVE_TOOL_DESCRIPTION, inputSchema: { wrapped: vercelRetrieveTool().inputSchema } });
  });

  it('rejects the wrong container shape (caller mistake)', () => {
    expect(() => addRetrieveTool([] as unknown as Record<string, unknown>, 'vercel')).toThrow(ConfigurationError);
    expect(() => addRetrieveTool({} as unknown as unknown[], 'openai')).toThrow(ConfigurationError);
  });

  it('parity: appends to tool lists as the reference did (tools kept, retrieve tool last, same provider shape, hash required)', () => {
    type Def = { name?: string; type?: string; function?: { name: string; parameters: Schema }; input_schema?: Schema };
    type Schema = { required: string[]; properties: object };
    const folder = join(__dirname, '..', 'fixtures', 'headroom-parity', 'ccr');
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const formats = new Set<string>();
    for (const f of files) {
      const fx = JSON.parse(readFileSync(join(folder, f), 'utf8')) as { input: Def[]; output: [Def[], boolean] };
      const [theirs] = fx.output;
      const last = theirs.at(-1) as Def;
      const format = last.type === 'function' ? 'openai' : 'anthropic';
      formats.add(format);
      const ours = addRetrieveTool(fx.input, format) as Def[];
      const nameOf = (t: Def) => t.function?.name ?? t.name;
      const schemaOf = (t: Def) => (t.function?.parameters ?? t.input_schema) as Schema;
      expect(ours.map(nameOf)).toEqual(theirs.map(nameOf));
      expect(ours.slice(0, -1)).toEqual(theirs.slice(0, -1));
      expect(Object.keys(ours.at(-1) as Def).sort()).toEqual(Object.keys(last).sort());
      expect(schemaOf(ours.at(-1) as Def).required).toEqual(schemaOf(last).required);
      expect(Object.keys(schemaOf(ours.at(-1) as Def).properties)).toEqual(Object.keys(schemaOf(last).properties));
    }
    expect([...formats].sort()).toEqual(['anthropic', 'openai']);
  });
});
