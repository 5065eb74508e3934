// /beheer/teams: the teams with their number of members; a new team, and renaming one (B2). A
// team's id never changes: documents and index rooms are keyed by it.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminTeam } from '../../../shared/protocol/admin';
import { FormField } from '../components/FormField';
import { ScreenHeading } from '../components/ScreenHeading';
import { useSession } from '../session/context';
import { createTeam, isAdmin, listTeams, renameTeam } from './admin-api';
import { BeheerNav, NotAdmin } from './BeheerNav';
import { ConfirmButton } from './ConfirmButton';

export function Teams() {
  const session = useSession();
  const [teams, setTeams] = useState<AdminTeam[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [newName, setNewName] = useState('');

  const reload = useCallback(async () => {
    const result = await listTeams(session);
    if (result.ok) setTeams(result.value);
    else setMessage({ ok: false, text: result.message });
  }, [session]);
  useEffect(() => {
    void reload();
  }, [reload]);

  if (!isAdmin(session)) return <NotAdmin />;

  const create = async (): Promise<void> => {
    const result = await createTeam(session, newName.trim());
    setMessage(result.ok ? { ok: true, text: `Team "${result.value.name}" is aangemaakt.` } : { ok: false, text: result.message });
    if (result.ok) setNewName('');
    await reload();
  };

  return (
    <div class="kt-screen kt-beheer">
      <ScreenHeading title="Beheer: teams" page="Beheer: teams" />
      <BeheerNav />
      {message !== null && (
        <div class={`utrecht-alert utrecht-alert--${message.ok ? 'ok' : 'error'} kt-alert`} role={message.ok ? 'status' : 'alert'} data-testid="admin-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{message.text}</p>
          </div>
        </div>
      )}
      <section class="kt-beheer__section" aria-labelledby="nieuw-team-kop">
        <h2 class="utrecht-heading-2" id="nieuw-team-kop">
          Nieuw team
        </h2>
        <div class="kt-form">
          <FormField id="nieuw-team-naam" label="Naam van het team">
            <input id="nieuw-team-naam" class="utrecht-textbox utrecht-textbox--html-input" autocomplete="off" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          </FormField>
          <ConfirmButton label="Team aanmaken" confirmLabel="Ja, aanmaken" disabled={newName.trim() === ''} onConfirm={create}>
            <p class="utrecht-paragraph">
              Maakt het team "{newName.trim()}" aan, nog zonder leden. Leden voegt u toe door bij een gebruiker dit team te kiezen.
            </p>
          </ConfirmButton>
        </div>
      </section>
      <section class="kt-beheer__section" aria-labelledby="teams-kop">
        <h2 class="utrecht-heading-2" id="teams-kop">
          Teams
        </h2>
        {teams === null ? (
          <p class="utrecht-paragraph kt-muted">De teams worden opgehaald…</p>
        ) : (
          <ul class="kt-doc-list" aria-labelledby="teams-kop">
            {teams.map((team) => (
              <TeamRow key={team.id} team={team} onRename={async (name) => {
                const result = await renameTeam(session, team.id, name);
                setMessage(result.ok ? { ok: true, text: `Het team heet nu "${result.value.name}".` } : { ok: false, text: result.message });
                await reload();
              }} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function TeamRow({ team, onRename }: { team: AdminTeam; onRename: (name: string) => Promise<void> }) {
  const [name, setName] = useState(team.name);
  const fieldId = `team-${team.id}`;
  return (
    <li class="kt-doc kt-team" data-testid="admin-team">
      <span class="kt-doc__title">{team.name}</span>
      <span class="kt-doc__meta">{team.members === 1 ? '1 lid' : `${team.members} leden`}</span>
      <div class="kt-form kt-team__rename">
        <FormField id={fieldId} label={`Nieuwe naam voor ${team.name}`}>
          <input id={fieldId} class="utrecht-textbox utrecht-textbox--html-input" autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </FormField>
        <ConfirmButton label="Naam wijzigen" context={team.name} confirmLabel="Ja, naam wijzigen" disabled={name.trim() === '' || name.trim() === team.name} onConfirm={() => onRename(name.trim())}>
          <p class="utrecht-paragraph">
            Het team "{team.name}" heet daarna "{name.trim()}". Leden, documenten en lijsten blijven bij het team; alleen de naam verandert.
          </p>
        </ConfirmButton>
      </div>
    </li>
  );
}
