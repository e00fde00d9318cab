import type { Page } from 'playwright-core';
import { type BrowserRig, SIZES } from './web-harness.ts';

/** What a paired TV is granted (the mg-tv client). */
export const TV_SCOPES = ['catalog:read', 'watchlist:read', 'watchlist:write', 'devices', 'recommendations'] as const;

/** The person's TV, already paired: a grant of its own (mg-tv), minted instead of waiting on the device flow. */
export async function openTv(
  rig: BrowserRig,
  person: { userId: string },
): Promise<{ tv: Page; token: string; close(): Promise<void> }> {
  const context = await rig.browser.newContext({ viewport: SIZES.tv });
  const { token, expiresIn } = await rig.gw.ctx.tokens.issueAccessToken({
    userId: person.userId,
    clientId: 'mg-tv',
    scopes: [...TV_SCOPES],
  });
  await context.addInitScript(
    ([t, ms]) =>
      localStorage.setItem(
        'mg.tv.tokens',
        JSON.stringify({ accessToken: t, refreshToken: null, expiresAt: Date.now() + ms, scopes: [] }),
      ),
    [token, expiresIn * 1000] as const,
  );
  const tv = await context.newPage();
  await tv.goto(`${rig.gw.url}/tv`);
  return { tv, token, close: () => context.close() };
}
