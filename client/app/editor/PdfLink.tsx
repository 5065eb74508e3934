// N8: a link to one submission's PDF that opens in a new tab or the phone's PDF viewer. Its URL
// carries a one-use ticket from the server, never the access token: the browser's History and
// session files (synced to a private account on a personal phone) keep only a spent ticket.
// Every click spends the ticket, so a fresh one is fetched right after. Online only, like the PDF.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { PdfLinkResponse, pdfLinkPath } from '../../../shared/protocol/pdf-link';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';
import { authorizedFetch } from '../session/authorized-fetch';

interface PdfLinkProps {
  session: Session;
  docId: string;
  version: number;
  testId: string;
  children: ComponentChildren;
}

export function PdfLink({ session, docId, version, testId, children }: PdfLinkProps) {
  const [href, setHref] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const online = session.sync.connectivity === 'online';
  useEffect(() => {
    setHref(null);
    if (!online) return undefined;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await authorizedFetch(session, pdfLinkPath(docId, version), { method: 'POST', signal: controller.signal });
        if (!res.ok) return;
        const parsed = PdfLinkResponse.safeParse(await res.json());
        if (parsed.success && !controller.signal.aborted) setHref(new URL(parsed.data.href, serverUrl()).href);
      } catch {
        // Offline or aborted: no link; the PDF cannot be opened without the server anyway.
      }
    })();
    return () => controller.abort();
  }, [session, docId, version, online, round]);
  if (href === null) return null;
  return (
    <a
      class="utrecht-link utrecht-link--html-a"
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      data-testid={testId}
      // After the browser has taken this URL; the next click needs a ticket of its own.
      onClick={() => setTimeout(() => setRound((r) => r + 1), 0)}
    >
      {children}
    </a>
  );
}
