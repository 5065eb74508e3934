// Page object: the device lock screens (K10–K16): "Kies een pincode" after a sign-in, "Keukentafel
// is vergrendeld" on every cold start (a reload, a typed URL) and after the idle time. Every e2e
// test uses E2E_PIN, so a reload in any test is followed by `unlockAfterLoad`.
import type { Locator, Page } from 'playwright-core';

export const E2E_PIN = '246810';

export class LockPage {
  readonly choosePinHeading: Locator;
  readonly lockedHeading: Locator;
  readonly graceExpiredHeading: Locator;
  readonly pinError: Locator;
  readonly lastAttemptWarning: Locator;

  constructor(readonly page: Page) {
    this.choosePinHeading = page.getByRole('heading', { level: 1, name: 'Kies een pincode' });
    this.lockedHeading = page.getByRole('heading', { level: 1, name: 'Keukentafel is vergrendeld' });
    this.graceExpiredHeading = page.getByRole('heading', { level: 1, name: 'Maak verbinding met internet' });
    this.pinError = page.getByTestId('problem-unlock-pin');
    this.lastAttemptWarning = page.getByTestId('last-attempt-warning');
  }

  /** "Kies een pincode": the PIN twice. Resolves once the screen is gone. */
  async choosePin(pin = E2E_PIN, repeat = pin): Promise<void> {
    await this.choosePinHeading.waitFor();
    await this.page.getByLabel('Nieuwe pincode').fill(pin);
    await this.page.getByLabel('Herhaal de pincode').fill(repeat);
    await this.page.getByRole('button', { name: 'Pincode instellen' }).click();
    await this.choosePinHeading.waitFor({ state: 'detached' });
  }

  /** The lock screen with the right PIN. Resolves once it is gone. */
  async unlock(pin = E2E_PIN): Promise<void> {
    await this.lockedHeading.waitFor();
    await this.enterPin(pin);
    await this.lockedHeading.waitFor({ state: 'detached' });
  }

  /** A wrong PIN: resolves with the message at the field. */
  async wrongPin(pin: string): Promise<string> {
    await this.lockedHeading.waitFor();
    await this.enterPin(pin);
    await this.page.waitForFunction(() => !document.querySelector('.kt-lock button[aria-disabled="true"]'));
    await this.pinError.waitFor();
    return (await this.pinError.innerText()).trim();
  }

  private async enterPin(pin: string): Promise<void> {
    await this.page.getByLabel('Pincode', { exact: true }).fill(pin);
    await this.page.getByRole('button', { name: 'Ontgrendelen' }).click();
  }
}

/** After a full page load of a signed-in app (reload, goto): the cold start locks it (K14). */
export async function unlockAfterLoad(page: Page, pin = E2E_PIN): Promise<void> {
  await new LockPage(page).unlock(pin);
}

export async function reloadAndUnlock(page: Page, pin = E2E_PIN): Promise<void> {
  await page.reload();
  await unlockAfterLoad(page, pin);
}

export async function gotoAndUnlock(page: Page, url: string, pin = E2E_PIN): Promise<void> {
  await page.goto(url);
  await unlockAfterLoad(page, pin);
}
