/** GET /api/brief: the brief over HTTP (Markdown, HTML, JSON) and its errors, through `app.request()`. */

import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { storeWith, type TestStore } from './store.js';

describe('GET /api/brief', () => {
  let t: TestStore;
  let app: OpenAPIHono;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
    ({ app } = await createApp(t.store, { log: () => {} }));
  }, 300_000);
  afterAll(async () => t?.close());

  it('answers Markdown by default, with the published headline', async () => {
    const r = await app.request('/api/brief?reporter=CHN&period=ytd:2025-06');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = await r.text();
    expect(md).toContain("China's exports reached CNY 13.00 trillion in January–June 2025, up 7.2% year on year");
    expect(md).toMatch(/^\[\^1\]: `\{"reporter":"CHN"/m);
  });

  it('answers self-contained HTML in Chinese, and JSON', async () => {
    const html = await app.request('/api/brief?reporter=CHN&period=ytd:2025-06&lang=zh&format=html');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await html.text();
    expect(body).toContain('<html lang="zh-CN">');
    expect(body).toContain('中国出口13.00万亿元，同比增长7.2%');
    expect(body).toMatch(/<figure data-chart="monthly-trade"[^>]*>\n<svg /);
    const json = (await (await app.request('/api/brief?reporter=CHN&period=ytd:2025-06&format=json')).json()) as {
      points: { id: string; nums: Record<string, { value: string }> }[];
    };
    expect(json.points[0]!.id).toBe('headline.exports');
    expect(json.points[0]!.nums.x!.value).toBe('13000388810000');
  });

  it('rejects bad requests naming the parameter', async () => {
    const bad = await app.request('/api/brief?reporter=CHN&period=2025-13');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/period/);
    const lang = await app.request('/api/brief?reporter=CHN&period=ytd:2025-06&lang=fr');
    expect(lang.status).toBe(400);
    expect(await lang.text()).toMatch(/lang/);
  });
});
