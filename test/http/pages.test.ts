import { describe, expect, it } from 'vitest';
import { startTestBridge } from '../helpers/bridge.js';

describe('the pages the Teams manifest links to', () => {
  it.each(['/privacy', '/terms'])('serves %s as a self-contained HTML page', async (path) => {
    const bridge = await startTestBridge();
    const response = await fetch(`${bridge.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('ClickSend');
  });

  it('says in the privacy statement what the bridge keeps', async () => {
    const bridge = await startTestBridge();
    const html = await (await fetch(`${bridge.url}/privacy`)).text();
    for (const kept of ['inbound SMS', 'opted out', 'audit log']) expect(html).toContain(kept);
  });
});
