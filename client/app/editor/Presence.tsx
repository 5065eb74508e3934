// Who else has this document open (Yjs awareness): each device sets {name, colour} while the
// document is on screen; the list shows the others, live.
import { useEffect, useState } from 'preact/hooks';
import type { Awareness } from 'y-protocols/awareness';

const colours = ['#5115ef', '#105f26', '#863d15', '#a01d23', '#00568b', '#615117'];

export function colourFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return colours[hash % colours.length]!;
}

interface PresentUser {
  clientId: number;
  name: string;
  colour: string;
}

function readOthers(awareness: Awareness): PresentUser[] {
  const others: PresentUser[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user: unknown = (state as { user?: unknown }).user;
    if (typeof user !== 'object' || user === null) continue;
    const { name, colour } = user as { name?: unknown; colour?: unknown };
    if (typeof name !== 'string' || name.length === 0) continue;
    others.push({ clientId, name: name.slice(0, 80), colour: typeof colour === 'string' && /^#[0-9a-f]{6}$/i.test(colour) ? colour : '#3d5374' });
  }
  return others;
}

export function Presence({ awareness, name, userId }: { awareness: Awareness | null; name: string; userId: string }) {
  const [others, setOthers] = useState<PresentUser[]>([]);
  useEffect(() => {
    if (awareness === null) return undefined;
    awareness.setLocalStateField('user', { name, colour: colourFor(userId) });
    const update = (): void => setOthers(readOthers(awareness));
    awareness.on('change', update);
    update();
    return () => awareness.off('change', update);
  }, [awareness, name, userId]);
  if (others.length === 0) return null;
  return (
    <section class="kt-presence" aria-label="Ook in dit document" data-testid="presence">
      <p class="kt-presence__label">Ook in dit document:</p>
      <ul class="kt-presence__list">
        {others.map((user) => (
          <li key={user.clientId} class="kt-presence__user">
            <span class="kt-presence__dot" style={{ backgroundColor: user.colour }} aria-hidden="true" />
            {user.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
