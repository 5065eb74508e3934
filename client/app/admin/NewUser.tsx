// /beheer/nieuw: a new local account (B2): username, name, team, function, roles and a first
// password the administrator hands over. Accounts of the municipality's IdP come by SCIM or
// their first sign-in, not from here.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { PASSWORD_MIN, UsernameSchema, type AdminRole, type AdminTeam } from '../../../shared/protocol/admin';
import { FormField } from '../components/FormField';
import { ScreenHeading } from '../components/ScreenHeading';
import { useSession } from '../session/context';
import { createUser, isAdmin, listTeams } from './admin-api';
import { NotAdmin } from './BeheerNav';
import { RolePicker } from './RolePicker';

export function NewUser() {
  const session = useSession();
  const { route } = useLocation();
  const [teams, setTeams] = useState<AdminTeam[]>([]);
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [teamId, setTeamId] = useState('');
  const [functionTitle, setFunctionTitle] = useState('');
  const [roles, setRoles] = useState<AdminRole[]>(['field']);
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void listTeams(session).then((result) => {
      if (result.ok) {
        setTeams(result.value);
        setTeamId((current) => current || (result.value[0]?.id ?? ''));
      } else setError(result.message);
    });
  }, [session]);

  if (!isAdmin(session)) return <NotAdmin />;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!UsernameSchema.safeParse(username).success) found['nieuw-gebruikersnaam'] = 'Gebruik 2 tot 100 kleine letters, cijfers, punt, streepje, liggend streepje of @.';
    if (name.trim() === '') found['nieuw-naam'] = 'Vul de naam in.';
    if (password.length < PASSWORD_MIN) found['nieuw-wachtwoord'] = `Een wachtwoord heeft ten minste ${PASSWORD_MIN} tekens.`;
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const result = await createUser(session, {
      username: username.trim().toLowerCase(),
      name: name.trim(),
      teamId,
      roles,
      functionTitle: functionTitle.trim() === '' ? null : functionTitle.trim(),
      password,
    });
    setBusy(false);
    if (result.ok) route(`/beheer/gebruiker/${result.value.id}`);
    else setError(result.message);
  };

  return (
    <div class="kt-screen kt-beheer">
      <p class="kt-back">
        <a class="utrecht-link" href="/beheer">
          Gebruikers
        </a>
      </p>
      <ScreenHeading title="Nieuwe gebruiker" page="Beheer: nieuwe gebruiker" />
      <p class="utrecht-paragraph">
        Maakt een account met een eigen wachtwoord in Keukentafel. Geef het wachtwoord persoonlijk door; de gebruiker meldt zich daarmee aan op een eigen apparaat.
      </p>
      {error !== null && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{error}</p>
          </div>
        </div>
      )}
      <form class="kt-form" noValidate onSubmit={(e) => void submit(e)} aria-label="Nieuwe gebruiker">
        <FormField id="nieuw-gebruikersnaam" label="Gebruikersnaam" errors={problems['nieuw-gebruikersnaam'] === undefined ? undefined : [problems['nieuw-gebruikersnaam']]}>
          <input
            id="nieuw-gebruikersnaam"
            class="utrecht-textbox utrecht-textbox--html-input"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            aria-invalid={problems['nieuw-gebruikersnaam'] !== undefined}
            aria-describedby={problems['nieuw-gebruikersnaam'] === undefined ? undefined : 'nieuw-gebruikersnaam-error'}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </FormField>
        <FormField id="nieuw-naam" label="Naam" errors={problems['nieuw-naam'] === undefined ? undefined : [problems['nieuw-naam']]}>
          <input
            id="nieuw-naam"
            class="utrecht-textbox utrecht-textbox--html-input"
            autocomplete="off"
            aria-invalid={problems['nieuw-naam'] !== undefined}
            aria-describedby={problems['nieuw-naam'] === undefined ? undefined : 'nieuw-naam-error'}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </FormField>
        <FormField id="nieuw-functie" label="Functie" description="Staat onder de naam als deze medewerker een brief ondertekent.">
          <input
            id="nieuw-functie"
            class="utrecht-textbox utrecht-textbox--html-input"
            autocomplete="off"
            aria-describedby="nieuw-functie-description"
            value={functionTitle}
            onInput={(e) => setFunctionTitle(e.currentTarget.value)}
          />
        </FormField>
        <FormField id="nieuw-team" label="Team">
          <select id="nieuw-team" class="utrecht-select utrecht-select--html-select" autocomplete="off" value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)}>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </FormField>
        <RolePicker value={roles} onChange={setRoles} />
        <FormField
          id="nieuw-wachtwoord"
          label="Eerste wachtwoord"
          description={`Ten minste ${PASSWORD_MIN} tekens.`}
          errors={problems['nieuw-wachtwoord'] === undefined ? undefined : [problems['nieuw-wachtwoord']]}
        >
          <input
            id="nieuw-wachtwoord"
            type="password"
            class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--password"
            autocomplete="new-password"
            aria-invalid={problems['nieuw-wachtwoord'] !== undefined}
            aria-describedby={problems['nieuw-wachtwoord'] === undefined ? 'nieuw-wachtwoord-description' : 'nieuw-wachtwoord-description nieuw-wachtwoord-error'}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </FormField>
        <p class="utrecht-paragraph kt-muted" id="nieuw-gevolg">
          "Gebruiker aanmaken" maakt het account direct actief: met de gebruikersnaam en dit wachtwoord kan de medewerker zich aanmelden.
        </p>
        <button type="submit" class="utrecht-button utrecht-button--primary-action kt-button-wide" aria-describedby="nieuw-gevolg" aria-disabled={busy}>
          {busy ? 'Bezig…' : 'Gebruiker aanmaken'}
        </button>
      </form>
    </div>
  );
}
