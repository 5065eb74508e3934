// N3: nothing for the task switcher. When the page is hidden (the user switches apps, locks the
// phone, opens another tab) the system takes a snapshot of the last frame for its app switcher,
// where anyone who picks the phone up sees it (a letter with a BSN). The cover is shown in the
// `visibilitychange` event itself, synchronously and before any other listener (window, capture
// phase), so the next frame the browser paints is the neutral screen, not the content. The app
// lock (issue 13) takes over from there; on return the cover goes and the lock screen, if the
// app locked meanwhile, is what shows.
import { useEffect, useRef } from 'preact/hooks';

/** The moments the page may be captured: hidden, or put into the back/forward cache. */
export function bindPrivacyCover(win: Window, cover: HTMLElement): () => void {
  const show = (covered: boolean): void => {
    // Straight on the element, not through a render: a state update would paint a frame later.
    cover.hidden = !covered;
  };
  const onVisibility = (): void => show(win.document.visibilityState === 'hidden');
  const onPageHide = (): void => show(true);
  const onPageShow = (): void => show(win.document.visibilityState === 'hidden');
  win.addEventListener('visibilitychange', onVisibility, { capture: true });
  win.addEventListener('pagehide', onPageHide, { capture: true });
  win.addEventListener('pageshow', onPageShow, { capture: true });
  onVisibility();
  return () => {
    win.removeEventListener('visibilitychange', onVisibility, { capture: true });
    win.removeEventListener('pagehide', onPageHide, { capture: true });
    win.removeEventListener('pageshow', onPageShow, { capture: true });
    show(false);
  };
}

export function PrivacyCover() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const cover = ref.current;
    return cover === null ? undefined : bindPrivacyCover(window, cover);
  }, []);
  return (
    <div class="kt-privacy-cover" ref={ref} hidden aria-hidden="true" data-testid="privacy-cover">
      <img class="kt-privacy-cover__icon" src="/icons/icon.svg" alt="" width={96} height={96} />
      <p class="kt-privacy-cover__name">Keukentafel</p>
    </div>
  );
}
