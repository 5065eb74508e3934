// Sign in (outside contract: username, password, device name). The device name is prefilled from
// the user agent and remembered. Signing in needs the network once; after that the app resumes
// this sign-in on every start, offline too. With OIDC_ISSUER set it offers "Aanmelden met de
// gemeente-account" (I1) and finishes that sign-in when the server sends the browser back with a
// ticket (I2) or a reason it failed; with LOCAL_LOGIN=off the password form is gone (I8).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { OIDC_FAILURES, type SignInOptions } from '../../../shared/protocol/sign-in-options';
import { fetchSignInOptions, takeTicketFromLocation } from '../../sync/oidc-client';
import type { SignedInDeviceLock } from '../../vault/device-lock';
import { browserWakeSource } from '../../sync/wake-source';
import { ScreenHeading } from '../components/ScreenHeading';
import { FormField } from '../components/FormField';
import { appVersion, municipalityName, serverUrl } from '../config';
import { deviceNameFromUserAgent } from '../logic/device-name';
import { waitMessage } from '../logic/wait-message';
import { signInToLock, ticketToLock, type LockSignInResult } from '../session/device-lock';
import { deviceProofFor, rememberDeviceName, rememberDeviceProof, rememberedDeviceName } from '../session/device-memory';

type Failure = Exclude<Extract<LockSignInResult, { ok: false }>['reason'], 'rate-limited'>;

const failureMessages: Record<Failure, string> = {
  'invalid-credentials': 'Gebruikersnaam of wachtwoord klopt niet.',
  network: 'Geen verbinding met de server. Voor aanmelden is één keer netwerk nodig; daarna werkt de app ook zonder.',
  'server-error': 'De server gaf een fout. Probeer het over een paar minuten opnieuw.',
  'storage-failed': 'Opslaan op dit apparaat lukt niet. Maak ruimte vrij of gebruik een andere browser.',
  'no-device-keys': 'De server kan de gegevens op dit apparaat nog niet beveiligen. Neem contact op met uw beheerder.',
};

interface Props {
  notice: string | null;
  /** K10: a sign-in hands its login to the device vault; the app asks for the PIN next. */
  onSignedIn: (lock: SignedInDeviceLock, roles: readonly string[]) => void;
}

export function SignIn({ notice, onSignedIn }: Props) {
  const { path, route } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [deviceName, setDeviceName] = useState(() => rememberedDeviceName() ?? deviceNameFromUserAgent(navigator.userAgent));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  // Null until the server answered (or when it cannot): the password form, as always.
  const [options, setOptions] = useState<SignInOptions | null>(null);

  const showError = (message: string): void => {
    setError(message);
    queueMicrotask(() => errorRef.current?.focus());
  };

  useEffect(() => {
    let cancelled = false;
    void fetchSignInOptions(serverUrl()).then((answer) => {
      if (!cancelled && answer !== null) setOptions(answer);
    });
    // Back from the municipal sign-in: a reason it failed, or a ticket to redeem once.
    const params = new URLSearchParams(window.location.search);
    const failure = params.get('aanmelden-fout');
    if (failure !== null) {
      window.history.replaceState(window.history.state, '', window.location.pathname);
      showError(failure in OIDC_FAILURES ? OIDC_FAILURES[failure as keyof typeof OIDC_FAILURES] : OIDC_FAILURES['oidc-failed']);
    }
    const ticket = takeTicketFromLocation(window.location, window.history);
    if (ticket !== null) {
      setBusy(true);
      void ticketToLock({ serverUrl: serverUrl(), ticket, wake: browserWakeSource() }).then((result) => {
        if (cancelled) return;
        setBusy(false);
        if (!result.ok) {
          showError(result.reason === 'invalid-credentials' ? OIDC_FAILURES['oidc-expired'] : result.reason === 'rate-limited' ? waitMessage(result.retryAfterSeconds) : failureMessages[result.reason]);
          return;
        }
        onSignedIn(result.lock, result.roles);
        if (result.roles.includes('office')) route('/kantoor');
      });
    }
    return () => {
      cancelled = true;
    };
    // Once, on arrival: the ticket is in the URL only then.
  }, []);

  const startMunicipal = (startUrl: string): void => {
    const name = deviceName.trim() || deviceNameFromUserAgent(navigator.userAgent);
    rememberDeviceName(name);
    setBusy(true);
    window.location.assign(`${startUrl}?deviceName=${encodeURIComponent(name)}`);
  };
  const local = options?.local ?? true;
  const municipal = options?.oidc ?? null;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setError('Vul uw gebruikersnaam en wachtwoord in.');
      queueMicrotask(() => errorRef.current?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    const name = deviceName.trim() || deviceNameFromUserAgent(navigator.userAgent);
    const account = username.trim();
    const result = await signInToLock({
      serverUrl: serverUrl(),
      username: account,
      password,
      deviceName: name,
      deviceProof: deviceProofFor(account),
      wake: browserWakeSource(),
      appVersion,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.reason === 'rate-limited' ? waitMessage(result.retryAfterSeconds) : failureMessages[result.reason]);
      queueMicrotask(() => errorRef.current?.focus());
      return;
    }
    rememberDeviceName(name);
    if (result.deviceProof !== null) rememberDeviceProof(account, result.deviceProof);
    const roles = result.roles;
    onSignedIn(result.lock, roles);
    if (path === '/' && roles.includes('office')) route('/kantoor');
    else if (path === '/' && roles.includes('admin') && !roles.includes('field')) route('/beheer');
  };

  return (
    <div class="kt-screen kt-signin">
      <p class="kt-signin__municipality">{municipalityName}</p>
      <ScreenHeading title="Aanmelden bij Keukentafel" page="Aanmelden" />
      <p class="utrecht-paragraph">Brieven opstellen aan de keukentafel, ook zonder netwerk.</p>
      {notice !== null && (
        <div class="utrecht-alert utrecht-alert--info kt-alert" role="status">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{notice}</p>
          </div>
        </div>
      )}
      {error !== null && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert" tabIndex={-1} ref={errorRef} data-testid="signin-error">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{error}</p>
          </div>
        </div>
      )}
      {/* With the municipal sign-in the device name comes first: both ways of signing in use it. */}
      {municipal !== null && (
        <FormField id="device-name" label="Naam van dit apparaat" description="Zo herkent u dit apparaat terug, bijvoorbeeld als het kwijtraakt.">
          <input
            id="device-name"
            name="device-name"
            class="utrecht-textbox utrecht-textbox--html-input"
            autocomplete="off"
            aria-describedby="device-name-description"
            value={deviceName}
            onInput={(e) => setDeviceName(e.currentTarget.value)}
          />
        </FormField>
      )}
      {municipal !== null && (
        <div class="kt-form">
          <button
            type="button"
            class="utrecht-button utrecht-button--primary-action kt-button-wide"
            aria-disabled={busy}
            onClick={() => !busy && startMunicipal(municipal.startUrl)}
          >
            Aanmelden met de gemeente-account
          </button>
          {local && <p class="utrecht-paragraph">Of meld u aan met een gebruikersnaam en wachtwoord van Keukentafel:</p>}
        </div>
      )}
      {local && (
        <form class="kt-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Aanmelden">
          <FormField id="username" label="Gebruikersnaam">
            <input
              id="username"
              name="username"
              class="utrecht-textbox utrecht-textbox--html-input"
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </FormField>
          <FormField id="password" label="Wachtwoord">
            <input
              id="password"
              name="password"
              type="password"
              class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </FormField>
          {municipal === null && (
            <FormField id="device-name" label="Naam van dit apparaat" description="Zo herkent u dit apparaat terug, bijvoorbeeld als het kwijtraakt.">
              <input
                id="device-name"
                name="device-name"
                class="utrecht-textbox utrecht-textbox--html-input"
                autocomplete="off"
                aria-describedby="device-name-description"
                value={deviceName}
                onInput={(e) => setDeviceName(e.currentTarget.value)}
              />
            </FormField>
          )}
          <button
            type="submit"
            // One primary action per screen: with the municipal sign-in on offer, that one.
            class={`utrecht-button ${municipal === null ? 'utrecht-button--primary-action' : 'utrecht-button--secondary-action'} kt-button-wide`}
            aria-disabled={busy}
          >
            {busy ? 'Bezig met aanmelden…' : 'Aanmelden'}
          </button>
        </form>
      )}
    </div>
  );
}
