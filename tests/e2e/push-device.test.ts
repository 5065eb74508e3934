// Web Push on the device in Chromium (Y14, Y15): the browser's permission is asked only when the
// user presses the button, never on load; a push (delivered through DevTools, as headless
// Chromium has no push service) shows a neutral notification that names nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoticesPage } from './pages/notices-page';
import { reloadAndUnlock } from './pages/lock-page';
import { waitForServiceWorker } from './support/app';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('web push on the device', () => {
  it('[Y14] no permission prompt on load or navigation; the button asks once and says what came of it', async () => {
    const context = await world.newPhone();
    // Counts every permission request the page makes, whoever makes it.
    await context.addInitScript(() => {
      const w = window as unknown as { __ktAsked: number };
      w.__ktAsked = 0;
      const original = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => {
        w.__ktAsked++;
        return original(...args);
      };
    });
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    const notices = new NoticesPage(page);
    await waitForServiceWorker(page);
    await reloadAndUnlock(page);
    await notices.open();
    await expect.poll(() => notices.pushState.getAttribute('data-state')).toBe('off');
    expect(await page.evaluate(() => (window as unknown as { __ktAsked: number }).__ktAsked)).toBe(0);

    await page.getByTestId('push-toggle').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __ktAsked: number }).__ktAsked)).toBe(1);
    // Headless Chromium denies (or cannot subscribe): a plain Dutch sentence, the list stays.
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/toestemming|lukte niet|kan geen meldingen/);
  });

  it('[Y15] a push shows a neutral notification that opens /meldingen', async () => {
    const context = await world.newPhone();
    await context.grantPermissions(['notifications'], { origin: world.baseUrl });
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }: { registrations: { registrationId: string; isDeleted: boolean }[] }) => {
        const live = registrations.find((r) => !r.isDeleted);
        if (live !== undefined) resolve(live.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: world.baseUrl, registrationId: await registrationId, data: '{"kind":"notice"}' });
    const shown = async () =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown })),
      );
    await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBe(1);
    const [notification] = await shown();
    expect(notification).toEqual({
      title: 'Keukentafel',
      body: 'Er is een nieuwe melding. Open de app om te zien wat er is.',
      tag: 'keukentafel-notice',
      data: { url: '/meldingen' },
    });
  });
});
