// V4, V6, V7: what changed between two frozen versions, per field and section, word by word
// (removed words struck through, added ones underlined, both also said in words for screen
// readers). Reads each version's text from the server; online only.
import { useEffect, useState } from 'preact/hooks';
import { diffVersions, type PartDiff } from '../../../shared/model/version-diff';
import { VersionTextAnswer } from '../../../shared/protocol/version-text';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';

type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; parts: PartDiff[] };

async function fetchVersion(session: Session, docId: string, version: number, signal: AbortSignal): Promise<VersionTextAnswer> {
  const res = await fetch(apiUrl(serverUrl(), `/api/documents/${encodeURIComponent(docId)}/submissions/${version}/text`), {
    headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
    signal,
  });
  if (!res.ok) throw new Error(`version ${version}: ${res.status}`);
  return VersionTextAnswer.parse(await res.json());
}

export function VersionDiff({ session, docId, from, to }: { session: Session; docId: string; from: number; to: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    void Promise.all([fetchVersion(session, docId, from, controller.signal), fetchVersion(session, docId, to, controller.signal)]).then(
      ([a, b]) => setLoaded({ state: 'ready', parts: diffVersions(a.parts, b.parts) }),
      () => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed' });
      },
    );
    return () => controller.abort();
  }, [session, docId, from, to]);

  if (loaded.state === 'loading') return <p class="utrecht-paragraph kt-muted" aria-busy="true">Verschillen worden geladen…</p>;
  if (loaded.state === 'failed') return <p class="utrecht-paragraph kt-error-text">De verschillen konden niet worden geladen (verbinding nodig).</p>;
  const changed = loaded.parts.filter((p) => p.change !== 'unchanged');
  return (
    <div class="kt-diff" data-testid="version-diff">
      <p class="utrecht-paragraph">
        Versie {from} → versie {to}: {changed.length === 0 ? 'geen wijzigingen.' : `${changed.length} ${changed.length === 1 ? 'onderdeel' : 'onderdelen'} gewijzigd.`}
      </p>
      {changed.map((part) => (
        <section key={part.key} class="kt-diff__part" data-testid={`diff-${part.key}`}>
          <h4 class="utrecht-heading-4">{part.label}</h4>
          <p class="utrecht-paragraph kt-diff__text">
            {part.ops.map((op, i) =>
              op.op === 'same' ? (
                <span key={i}>{op.text}</span>
              ) : op.op === 'removed' ? (
                <del key={i} class="kt-diff__removed">
                  <span class="kt-visually-hidden">[weg: </span>
                  {op.text}
                  <span class="kt-visually-hidden">]</span>
                </del>
              ) : (
                <ins key={i} class="kt-diff__added">
                  <span class="kt-visually-hidden">[nieuw: </span>
                  {op.text}
                  <span class="kt-visually-hidden">]</span>
                </ins>
              ),
            )}
          </p>
        </section>
      ))}
    </div>
  );
}
