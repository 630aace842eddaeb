// A paper session's events become notifications on a local webhook receiver: one per fill with its facts, and
// at the configured time a daily summary with the session's equity and the fills since the previous summary.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionView } from '../../../src/engine/live/sessionView.js';
import { MemorySessionStore } from '../../../src/engine/live/sessionStore.js';
import { createLogger } from '../../../src/core/log.js';
import { notificationsConfigSchema } from '../../../src/notify/config.js';
import { openNotifications } from '../../../src/node/notifications.js';
import { openSession } from '../../helpers/tradingSession.js';
import { startFakeHttp, type FakeHttp } from '../../helpers/fakeReceivers.js';

let http: FakeHttp;
beforeAll(async () => {
  http = await startFakeHttp();
});
afterAll(async () => {
  await http.close();
});

interface Hook {
  kind: string;
  title: string;
  data: Record<string, unknown>;
}

describe('session notifications', () => {
  it('sends every fill, then a daily summary at its time with the day\'s counts', async () => {
    const session = await openSession(new MemorySessionStore());
    const view = sessionView(session);
    let now = Date.UTC(2026, 11, 7, 15); // 10:00 in New York
    const config = notificationsConfigSchema.parse({
      dailySummary: { at: '16:30', timeZone: 'America/New_York' },
      channels: [{ type: 'webhook', url: `${http.url}/hook`, ratePerMin: 6000 }],
    });
    const n = openNotifications(config, view, {}, createLogger('silent'), () => now);
    try {
      let fills = 0;
      view.events.subscribe('fill', () => fills++);
      await session.advance(10_000);
      expect(fills).toBeGreaterThan(0);
      await n.notifier.idle();
      const sent = () => http.requests.map((r) => r.body as Hook);
      const fillHooks = sent().filter((h) => h.kind === 'fill');
      expect(fillHooks.length).toBe(fills);
      expect(fillHooks[0]?.data).toMatchObject({ symbol: expect.stringMatching(/^(AAA|BBB)$/), side: expect.stringMatching(/^(buy|sell)$/), strategy: 'sma' });

      expect(n.dailySummary?.tick()).toBe(false);
      now = Date.UTC(2026, 11, 7, 21, 31);
      expect(n.dailySummary?.tick()).toBe(true);
      await n.notifier.idle();
      const summary = sent().find((h) => h.kind === 'daily_summary');
      expect(summary?.data).toMatchObject({ session: 's1', equity: view.account().equity, fills, rejections: 0 });
      expect(summary?.title).toMatch(/^Daily summary: s1 [+-]/);
    } finally {
      await n.stop();
    }
  });
});
