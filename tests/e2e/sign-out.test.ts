// D1: each user has their own database on the device; signing out deletes it. With unsent work
// the app warns, lists what would be lost, and deletes only when the user insists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { SignInPage } from './pages/sign-in-page';
import { SignOutPage } from './pages/sign-out-page';
import { databaseNames, rememberedUserId, waitForServiceWorker } from './support/app';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('sign-out', () => {
  it('[D1] signing out removes the local database', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const userId = await rememberedUserId(page);
    expect(userId).not.toBeNull();
    expect(await databaseNames(page)).toContain(`keukentafel-${userId}`);

    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.fillSection('kern', 'Een korte brief.');
    await editor.waitForBadge('Opgeslagen op server');

    const signOut = new SignOutPage(page);
    await signOut.open();
    await signOut.signOut();
    await new SignInPage(page).heading.waitFor();
    expect(await databaseNames(page)).not.toContain(`keukentafel-${userId}`);
    expect(await rememberedUserId(page)).toBeNull();

    // A reload does not bring the session back.
    await page.reload();
    await new SignInPage(page).heading.waitFor();
  });

  it('[D1] with unsent documents sign-out warns, lists them, and wipes only when forced', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    const userId = await rememberedUserId(page);
    await waitForServiceWorker(page);
    await setNetwork(context, world.field, false);

    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.field('Onderwerp').fill('Brief zonder netwerk');
    await editor.waitForBadge('Alleen op dit apparaat');

    const signOut = new SignOutPage(page);
    await signOut.open();
    await signOut.signOut();
    await signOut.blocked.waitFor();
    expect(await signOut.blocked.textContent()).toContain('Brief zonder netwerk');
    expect(await databaseNames(page)).toContain(`keukentafel-${userId}`);

    await signOut.forceSignOut();
    await new SignInPage(page).heading.waitFor();
    expect(await databaseNames(page)).not.toContain(`keukentafel-${userId}`);
    await setNetwork(context, world.field, true);
  });
});
