// The app shell's entry. The screens (sign-in, Mijn documenten, editor, kantoor) arrive with
// the app issue; until then the shell shows whether the server is reachable.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

function Shell() {
  const [server, setServer] = useState<'onbekend' | 'bereikbaar' | 'niet bereikbaar'>('onbekend');
  useEffect(() => {
    fetch('/api/health')
      .then((r) => setServer(r.ok ? 'bereikbaar' : 'niet bereikbaar'))
      .catch(() => setServer('niet bereikbaar'));
  }, []);
  return (
    <main>
      <h1>Keukentafel</h1>
      <p>Brieven en besluiten opstellen aan de keukentafel, ook zonder netwerk.</p>
      <p role="status">Server: {server}</p>
    </main>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<Shell />, root);
