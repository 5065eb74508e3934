// G1 on the screen: after too many wrong passwords from this device's address the sign-in screen
// says in Dutch how long to wait (from the server's 429 and its retry-after), not "De server gaf
// een fout".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInPage } from './pages/sign-in-page';
import { startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('sign-in throttling on the screen', () => {
  it('[G1] the sixth wrong password says "Te veel pogingen. Probeer het over 15 minuten opnieuw."', async () => {
    const page = await (await world.newPhone()).newPage();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    for (let i = 0; i < 5; i++) expect(await signIn.failedAttempt('veldwerker', `fout-${i}`)).toBe('Gebruikersnaam of wachtwoord klopt niet.');
    expect(await signIn.failedAttempt('veldwerker', 'fout-6')).toBe('Te veel pogingen. Probeer het over 15 minuten opnieuw.');
    expect(world.cspViolations()).toEqual([]);
  });
});
