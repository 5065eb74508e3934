// /beheer/gebruiker/:id: one user (B2–B7): name, function, team and roles; a new password for a
// local account; deactivate or reactivate; and the devices that signed in, each with "Apparaat
// intrekken". Every action that changes something says what it does first (ConfirmButton).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { PASSWORD_MIN, type AdminDevice, type AdminRole, type AdminTeam, type AdminUser } from '../../../shared/protocol/admin';
import { FormField } from '../components/FormField';
import { ScreenHeading } from '../components/ScreenHeading';
import { formatDateTime } from '../logic/format';
import { useSession } from '../session/context';
import { getUser, isAdmin, listDevices, listTeams, resetPassword, revokeDevice, updateUser } from './admin-api';
import type { WipeMode } from '../../vault/types';
import { NotAdmin } from './BeheerNav';
import { ConfirmButton } from './ConfirmButton';
import { RolePicker } from './RolePicker';

type Notice = { tone: 'ok' | 'error'; text: string } | null;

export function User() {
  const session = useSession();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [user, setUser] = useState<AdminUser | null>(null);
  const [teams, setTeams] = useState<AdminTeam[]>([]);
  const [devices, setDevices] = useState<AdminDevice[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [name, setName] = useState('');
  const [functionTitle, setFunctionTitle] = useState('');
  const [teamId, setTeamId] = useState('');
  const [roles, setRoles] = useState<AdminRole[]>([]);
  const [password, setPassword] = useState('');

  const show = (u: AdminUser): void => {
    setUser(u);
    setName(u.name);
    setFunctionTitle(u.functionTitle ?? '');
    setTeamId(u.teamId);
    setRoles(u.roles);
  };
  const reloadDevices = useCallback(async () => {
    const result = await listDevices(session, id);
    if (result.ok) setDevices(result.value);
  }, [session, id]);

  useEffect(() => {
    void (async () => {
      const [u, t] = await Promise.all([getUser(session, id), listTeams(session)]);
      if (!u.ok) return setLoadError(u.message);
      show(u.value);
      if (t.ok) setTeams(t.value);
      await reloadDevices();
    })();
  }, [session, id, reloadDevices]);

  if (!isAdmin(session)) return <NotAdmin />;
  if (loadError !== null || user === null) {
    return (
      <div class="kt-screen kt-beheer">
        <ScreenHeading title="Gebruiker" page="Beheer: gebruiker" />
        <p class="utrecht-paragraph">{loadError ?? 'De gebruiker wordt opgehaald…'}</p>
      </div>
    );
  }

  const outcome = (ok: boolean, text: string): void => setNotice({ tone: ok ? 'ok' : 'error', text });
  const save = async (): Promise<void> => {
    const result = await updateUser(session, id, { name: name.trim(), functionTitle: functionTitle.trim() === '' ? null : functionTitle.trim(), teamId, roles });
    if (result.ok) show(result.value);
    outcome(result.ok, result.ok ? 'De wijzigingen zijn opgeslagen.' : result.message);
  };
  const setActive = async (active: boolean): Promise<void> => {
    const result = await updateUser(session, id, { active });
    if (result.ok) show(result.value);
    outcome(result.ok, result.ok ? (active ? 'Het account is weer ingeschakeld.' : 'Het account is uitgeschakeld en alle apparaten zijn ingetrokken.') : result.message);
    await reloadDevices();
  };
  const reset = async (): Promise<void> => {
    const result = await resetPassword(session, id, password);
    if (result.ok) setPassword('');
    outcome(result.ok, result.ok ? 'Het nieuwe wachtwoord geldt nu. Alle apparaten van deze gebruiker zijn afgemeld.' : result.message);
    await reloadDevices();
  };
  const revoke = async (device: AdminDevice, wipe: WipeMode): Promise<void> => {
    const result = await revokeDevice(session, device.id, wipe);
    const done = wipe === 'wipe-now' ? 'wordt gewist zodra het contact maakt' : 'verstuurt eerst wat nog niet op de server staat en wordt daarna gewist';
    outcome(result.ok, result.ok ? `Apparaat "${device.name}" is ingetrokken en ${done}.` : result.message);
    await reloadDevices();
  };
  const changed =
    name.trim() !== user.name || (functionTitle.trim() || null) !== user.functionTitle || teamId !== user.teamId || roles.slice().sort().join() !== user.roles.slice().sort().join();
  const activeDevices = (devices ?? []).filter((d) => d.revokedAt === null).length;
  const self = user.id === session.user.id;

  return (
    <div class="kt-screen kt-beheer">
      <p class="kt-back">
        <a class="utrecht-link" href="/beheer">
          Gebruikers
        </a>
      </p>
      <ScreenHeading title={user.name} page="Beheer: gebruiker" />
      <p class="utrecht-paragraph kt-muted">
        Gebruikersnaam <strong>{user.username}</strong> · {user.active ? 'actief' : 'uitgeschakeld'}
      </p>
      {notice !== null && (
        <div class={`utrecht-alert utrecht-alert--${notice.tone === 'ok' ? 'ok' : 'error'} kt-alert`} role={notice.tone === 'ok' ? 'status' : 'alert'} data-testid="admin-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{notice.text}</p>
          </div>
        </div>
      )}

      <section class="kt-beheer__section" aria-labelledby="gegevens">
        <h2 class="utrecht-heading-2" id="gegevens">
          Gegevens en rollen
        </h2>
        <form class="kt-form" noValidate onSubmit={(e) => e.preventDefault()} aria-labelledby="gegevens">
          <FormField id="gebruiker-naam" label="Naam">
            <input id="gebruiker-naam" class="utrecht-textbox utrecht-textbox--html-input" autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </FormField>
          <FormField id="gebruiker-functie" label="Functie" description="Staat onder de naam als deze medewerker een brief ondertekent.">
            <input
              id="gebruiker-functie"
              class="utrecht-textbox utrecht-textbox--html-input"
              autocomplete="off"
              aria-describedby="gebruiker-functie-description"
              value={functionTitle}
              onInput={(e) => setFunctionTitle(e.currentTarget.value)}
            />
          </FormField>
          <FormField id="gebruiker-team" label="Team">
            <select id="gebruiker-team" class="utrecht-select utrecht-select--html-select" autocomplete="off" value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)}>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </FormField>
          <RolePicker value={roles} onChange={setRoles} />
          <ConfirmButton label="Wijzigingen opslaan" confirmLabel="Ja, opslaan" disabled={!changed || name.trim() === ''} onConfirm={save}>
            <p class="utrecht-paragraph">
              Naam, functie, team en rollen gelden direct. Is het team of een rol veranderd, dan worden de open verbindingen van {user.name} verbroken; de app
              verbindt vanzelf opnieuw, met de nieuwe rechten. Documenten van het oude team zijn dan niet meer te zien.
            </p>
          </ConfirmButton>
        </form>
      </section>

      <section class="kt-beheer__section" aria-labelledby="wachtwoord">
        <h2 class="utrecht-heading-2" id="wachtwoord">
          Wachtwoord
        </h2>
        {user.localPassword ? (
          <div class="kt-form">
            <FormField id="gebruiker-wachtwoord" label="Nieuw wachtwoord" description={`Ten minste ${PASSWORD_MIN} tekens. Geef het persoonlijk door.`}>
              <input
                id="gebruiker-wachtwoord"
                type="password"
                class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--password"
                autocomplete="new-password"
                aria-describedby="gebruiker-wachtwoord-description"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </FormField>
            <ConfirmButton label="Wachtwoord opnieuw instellen" confirmLabel="Ja, nieuw wachtwoord instellen" disabled={password.length < PASSWORD_MIN} onConfirm={reset}>
              <p class="utrecht-paragraph">
                Het oude wachtwoord werkt daarna niet meer. Alle apparaten van {user.name} worden afgemeld ({activeDevices === 1 ? '1 apparaat' : `${activeDevices} apparaten`}
                ): zij melden zich opnieuw aan met het nieuwe wachtwoord.
              </p>
            </ConfirmButton>
          </div>
        ) : (
          <p class="utrecht-paragraph">Dit account meldt zich aan via de gemeente-account en heeft geen eigen wachtwoord in Keukentafel.</p>
        )}
      </section>

      <section class="kt-beheer__section" aria-labelledby="account">
        <h2 class="utrecht-heading-2" id="account">
          Account
        </h2>
        {self ? (
          <p class="utrecht-paragraph">Dit is uw eigen account. Een andere beheerder kan het uitschakelen.</p>
        ) : user.active ? (
          <ConfirmButton label="Account uitschakelen" confirmLabel="Ja, uitschakelen" danger onConfirm={() => setActive(false)}>
            <p class="utrecht-paragraph">
              {user.name} kan zich daarna niet meer aanmelden. Alle apparaten worden meteen ingetrokken ({activeDevices === 1 ? '1 apparaat' : `${activeDevices} apparaten`}):
              open verbindingen worden verbroken en de app kan de aanmelding niet meer verlengen. Documenten en ingediende versies blijven bewaard.
            </p>
          </ConfirmButton>
        ) : (
          <ConfirmButton label="Account weer inschakelen" confirmLabel="Ja, inschakelen" onConfirm={() => setActive(true)}>
            <p class="utrecht-paragraph">{user.name} kan zich weer aanmelden. Ingetrokken apparaten blijven ingetrokken: er is een nieuwe aanmelding nodig.</p>
          </ConfirmButton>
        )}
      </section>

      <section class="kt-beheer__section" aria-labelledby="apparaten">
        <h2 class="utrecht-heading-2" id="apparaten">
          Apparaten
        </h2>
        <p class="utrecht-paragraph kt-muted">Elke aanmelding op een apparaat, met wat de app over zichzelf meldde bij de laatste verlenging.</p>
        {devices === null ? (
          <p class="utrecht-paragraph kt-muted">De apparaten worden opgehaald…</p>
        ) : devices.length === 0 ? (
          <p class="utrecht-paragraph kt-muted">Deze gebruiker heeft zich nog op geen enkel apparaat aangemeld.</p>
        ) : (
          <ul class="kt-doc-list" aria-labelledby="apparaten">
            {devices.map((device) => (
              <li key={device.id} class="kt-doc kt-device" data-testid="admin-device" data-revoked={device.revokedAt !== null}>
                <span class="kt-doc__title kt-device__name">{device.name}</span>
                {device.revokedAt !== null && (
                  <span class="utrecht-status-badge utrecht-status-badge--inactive kt-badge">Ingetrokken {formatDateTime(device.revokedAt)}</span>
                )}
                {device.revokedAt !== null && device.wipe != null && (
                  <span class="utrecht-status-badge utrecht-status-badge--inactive kt-badge" data-testid="admin-device-wipe">
                    {device.wipe === 'wipe-now' ? 'Wordt meteen gewist' : 'Verstuurt eerst, wordt dan gewist'}
                  </span>
                )}
                <dl class="kt-outbox__facts">
                  <dt>Eerst gezien</dt>
                  <dd>{formatDateTime(device.firstSeenAt)}</dd>
                  <dt>Laatst gezien</dt>
                  <dd>{formatDateTime(device.lastSeenAt)}</dd>
                  <dt>App-versie</dt>
                  <dd>{device.appVersion ?? 'onbekend'}</dd>
                  <dt>Opslag</dt>
                  <dd>{device.storagePersisted === null ? 'onbekend' : device.storagePersisted ? 'blijvend (de browser wist niets)' : 'tijdelijk (de browser kan gegevens wissen)'}</dd>
                </dl>
                {device.revokedAt === null && (
                  <div class="kt-outbox__actions">
                    <ConfirmButton
                      label="Kwijt of gestolen: meteen wissen"
                      context={device.name}
                      confirmLabel="Ja, intrekken en meteen wissen"
                      danger
                      onConfirm={() => revoke(device, 'wipe-now')}
                    >
                      <p class="utrecht-paragraph">
                        Dit apparaat kan daarna niet meer verbinden: open verbindingen worden meteen verbroken en de aanmelding kan niet meer worden verlengd.
                      </p>
                      <p class="utrecht-paragraph">
                        Zodra de app weer contact heeft met de server, wist hij alles op het apparaat, ook wat nog niet naar de server is verstuurd: dat
                        gaat verloren. Een apparaat dat nooit meer verbinding maakt, wordt niet gewist, maar gaat na de ingestelde termijn zonder contact
                        niet meer open.
                      </p>
                    </ConfirmButton>
                    <ConfirmButton
                      label="Vertrekt: eerst versturen, dan wissen"
                      context={device.name}
                      confirmLabel="Ja, intrekken na versturen"
                      onConfirm={() => revoke(device, 'send-then-wipe')}
                    >
                      <p class="utrecht-paragraph">
                        Voor een medewerker die vertrekt. Het apparaat ziet geen lijsten en geen documenten van anderen meer, maar mag nog versturen wat
                        het zelf nog niet naar de server had gestuurd. Daarna wist de app alles op het apparaat.
                      </p>
                      <p class="utrecht-paragraph">Maakt het apparaat binnen de ingestelde termijn geen contact, dan wordt het daarna meteen gewist.</p>
                    </ConfirmButton>
                  </div>
                )}
                {device.revokedAt !== null && device.wipe === 'send-then-wipe' && (
                  <div class="kt-outbox__actions">
                    <ConfirmButton
                      label="Toch meteen wissen"
                      context={device.name}
                      confirmLabel="Ja, meteen wissen"
                      danger
                      onConfirm={() => revoke(device, 'wipe-now')}
                    >
                      <p class="utrecht-paragraph">
                        Het apparaat mag dan niets meer versturen. Wat er nog niet op de server staat, gaat verloren zodra het contact maakt.
                      </p>
                    </ConfirmButton>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
