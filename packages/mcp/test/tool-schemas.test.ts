import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { TOOLS, toolByName } from '../src/index.ts';

const TITLE = 'mg_abcdefgh2345';

/** For each tool: one valid call, and bad ones with the field and the words the caller should see. */
const CASES: Record<
  string,
  { valid: Record<string, unknown>; invalid: Array<[Record<string, unknown>, string, RegExp]> }
> = {
  semantic_search: {
    valid: { query: 'scary movies on Netflix', region: 'us', type: 'movie', limit: 5 },
    invalid: [
      [{ query: '   ' }, 'query', /at least 1|>=1|too small/i],
      [{ query: 'x', limit: 51 }, 'limit', /50|too big/i],
      [{ query: 'x', type: 'podcast' }, 'type', /movie|series|invalid option/i],
      [{ query: 'x', region: 'USA' }, 'region', /two-letter country code/],
    ],
  },
  get_recommendations: {
    valid: { limit: 3, mood: 'funny', device: 'tv' },
    invalid: [
      [{ mood: 'angry' }, 'mood', /light|funny|invalid option/i],
      [{ device: 'fridge' }, 'device', /tv|invalid option/i],
      [{ limit: 0 }, 'limit', /1|too small/i],
    ],
  },
  get_content_details: {
    valid: { title_id: TITLE, region: 'GB' },
    invalid: [
      [{ title_id: 'tt0111161' }, 'title_id', /a title id: mg_/],
      [{}, 'title_id', /expected string|required/i],
    ],
  },
  check_availability: {
    valid: { title_id: TITLE, monetization: ['subscription', 'free'] },
    invalid: [
      [{ title_id: TITLE, monetization: [] }, 'monetization', /1|too small/i],
      [{ title_id: TITLE, monetization: ['stolen'] }, 'monetization.0', /subscription|invalid option/i],
    ],
  },
  get_streaming_links: {
    valid: { title_id: TITLE, platform: 'netflix' },
    invalid: [[{ title_id: TITLE, platform: '' }, 'platform', /1|too small/i]],
  },
  list_user_watchlist: {
    valid: { limit: 100 },
    invalid: [[{ limit: 101 }, 'limit', /100|too big/i]],
  },
  add_to_watchlist: {
    valid: { title_id: TITLE },
    invalid: [[{ title_id: 'mg_short' }, 'title_id', /a title id: mg_/]],
  },
  remove_from_watchlist: {
    valid: { title_id: TITLE },
    invalid: [[{ title_id: 42 }, 'title_id', /expected string/i]],
  },
  list_user_devices: {
    valid: {},
    invalid: [[{ all: true }, '', /unrecognized key|all/i]],
  },
  send_to_device: {
    valid: { device_id: 'living-room_tv', title_id: TITLE, position_seconds: 754.5, platform: 'max' },
    invalid: [
      [{ device_id: 'living room', title_id: TITLE }, 'device_id', /a device id from list_user_devices/],
      [{ device_id: 'tv', title_id: TITLE, position_seconds: -1 }, 'position_seconds', /0|too small/i],
    ],
  },
};

describe('MCP tool registry', () => {
  test('exactly the ten tools, with unique names, in tools/list order', () => {
    assert.deepEqual(
      TOOLS.map((t) => t.name),
      [
        'semantic_search',
        'get_recommendations',
        'get_content_details',
        'check_availability',
        'get_streaming_links',
        'list_user_watchlist',
        'add_to_watchlist',
        'remove_from_watchlist',
        'list_user_devices',
        'send_to_device',
      ],
    );
    assert.equal(new Set(TOOLS.map((t) => t.name)).size, 10);
    for (const t of TOOLS) {
      assert.match(t.name, /^[a-z][a-z_]{2,40}$/);
      assert.equal(toolByName(t.name), t);
      assert.ok(t.title && t.description.length >= 40, `${t.name} is described`);
      assert.match(t.route.path, /^\/api\//, `${t.name} wraps a REST route`);
    }
    assert.equal(toolByName('delete_everything'), undefined);
  });

  test('tools that act for a person need a scope; public catalog reads need none', () => {
    const userTools = ['get_recommendations', 'list_user_watchlist', 'add_to_watchlist', 'remove_from_watchlist'];
    for (const name of [...userTools, 'list_user_devices', 'send_to_device'])
      assert.ok(toolByName(name)!.scope, `${name} has a scope`);
    for (const name of ['semantic_search', 'get_content_details', 'check_availability', 'get_streaming_links'])
      assert.equal(toolByName(name)!.scope, null, name);
    for (const t of TOOLS)
      if (t.annotations.readOnlyHint === false) assert.notEqual(t.scope, null, `${t.name} writes, so it needs a scope`);
  });
});

describe('MCP tool input schemas', () => {
  test('every tool has cases here (a new tool needs its own)', () => {
    assert.deepEqual(Object.keys(CASES).sort(), TOOLS.map((t) => t.name).sort());
  });

  for (const tool of TOOLS) {
    const cases = CASES[tool.name];
    if (!cases) continue;
    test(`${tool.name}: accepts a valid call, refuses bad ones with a clear message`, () => {
      const ok = tool.input.safeParse(cases.valid);
      assert.ok(ok.success, `valid example refused: ${ok.success ? '' : z.prettifyError(ok.error)}`);
      for (const [input, path, message] of cases.invalid) {
        const r = tool.input.safeParse(input);
        assert.ok(!r.success, `${JSON.stringify(input)} was accepted`);
        const issue = r.error.issues.find((i) => i.path.join('.') === path);
        assert.ok(issue, `no issue at "${path}": ${JSON.stringify(r.error.issues)}`);
        assert.match(issue.message, message, `message at ${path}`);
      }
    });

    test(`${tool.name}: unknown arguments (a user_id, say) are refused, never dropped`, () => {
      const r = tool.input.safeParse({ ...cases.valid, user_id: 'usr_someone_else' });
      assert.ok(!r.success);
      assert.match(z.prettifyError(r.error), /user_id/);
    });
  }

  test('defaults and normalisation the tools rely on', () => {
    const search = toolByName('semantic_search')!.input.parse({ query: '  heist  ', region: 'de' });
    assert.deepEqual(search, { query: 'heist', region: 'DE', limit: 10 });
    assert.equal(toolByName('list_user_watchlist')!.input.parse({}).limit, 20);
    assert.equal(toolByName('get_recommendations')!.input.parse({}).limit, 10);
  });
});
