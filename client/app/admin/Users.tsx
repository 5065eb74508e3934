// /beheer: the users, searchable by name, username, function or team (B2). Each row opens the
// user's page; "Nieuwe gebruiker" adds a local account.
import { useEffect, useState } from 'preact/hooks';
import type { AdminUser } from '../../../shared/protocol/admin';
import { ScreenHeading } from '../components/ScreenHeading';
import { useSession } from '../session/context';
import { isAdmin, listUsers, roleLabels } from './admin-api';
import { BeheerNav, NotAdmin } from './BeheerNav';

type Load = { kind: 'loading' } | { kind: 'loaded'; users: AdminUser[] } | { kind: 'failed'; message: string };

export function Users() {
  const session = useSession();
  const [query, setQuery] = useState('');
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const admin = isAdmin(session);

  useEffect(() => {
    if (!admin) return undefined;
    let cancelled = false;
    // A short pause while typing, so each keystroke does not ask the server.
    const timer = setTimeout(() => {
      void listUsers(session, query).then((result) => {
        if (cancelled) return;
        setLoad(result.ok ? { kind: 'loaded', users: result.value } : { kind: 'failed', message: result.message });
      });
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [session, query, admin]);

  if (!admin) return <NotAdmin />;
  return (
    <div class="kt-screen kt-beheer">
      <ScreenHeading title="Beheer: gebruikers" page="Beheer: gebruikers" />
      <BeheerNav />
      <p class="utrecht-paragraph">Wie Keukentafel gebruikt, in welk team, met welke rollen, en op welke apparaten.</p>
      <a class="utrecht-button utrecht-button--primary-action kt-button-link" href="/beheer/nieuw">
        Nieuwe gebruiker
      </a>
      <form class="kt-form" role="search" aria-label="Gebruikers zoeken" onSubmit={(e) => e.preventDefault()}>
        <div class="utrecht-form-field utrecht-form-field--text">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="zoek-gebruiker">
              Zoeken
            </label>
          </div>
          <div class="utrecht-form-field__description utrecht-form-field-description" id="zoek-gebruiker-description">
            Naam, gebruikersnaam, functie of team
          </div>
          <div class="utrecht-form-field__input">
            <input
              id="zoek-gebruiker"
              type="search"
              class="utrecht-textbox utrecht-textbox--html-input"
              aria-describedby="zoek-gebruiker-description"
              autocomplete="off"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </div>
        </div>
      </form>
      {load.kind === 'loading' && <p class="utrecht-paragraph kt-muted">De gebruikers worden opgehaald…</p>}
      {load.kind === 'failed' && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{load.message}</p>
          </div>
        </div>
      )}
      {load.kind === 'loaded' && (
        <>
          <p class="utrecht-paragraph kt-muted" role="status">
            {load.users.length === 1 ? '1 gebruiker' : `${load.users.length} gebruikers`}
            {query.trim() !== '' && ` gevonden voor "${query.trim()}"`}
          </p>
          <ul class="kt-doc-list" aria-label="Gebruikers">
            {load.users.map((user) => (
              <li key={user.id} class="kt-doc" data-testid="admin-user" data-username={user.username}>
                <a class="kt-doc__link" href={`/beheer/gebruiker/${user.id}`}>
                  <span class="kt-doc__title">{user.name}</span>
                  <span class="kt-doc__meta">
                    {user.username} · {user.teamName ?? user.teamId}
                    {user.functionTitle !== null && ` · ${user.functionTitle}`}
                  </span>
                  <span class="kt-doc__meta">{user.roles.length === 0 ? 'Geen rollen' : user.roles.map((r) => roleLabels[r] ?? r).join(', ')}</span>
                </a>
                {!user.active && (
                  <span class="utrecht-status-badge utrecht-status-badge--inactive kt-badge" data-testid="admin-user-inactive">
                    Uitgeschakeld
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
