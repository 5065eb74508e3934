// A screen's h1: sets the page title and, after a navigation inside the app, takes focus so a
// screen reader announces the new screen and keyboard users start at its top.
// N1: the h1 may show what the screen is about (a document's title, a user's name); the page
// title (`document.title`, kept by the browser's history and session restore) is `page`, one of
// a fixed list of screen kinds, or just "Keukentafel" when a screen names none.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { pageTitle, type PageKind } from '../logic/page-title';

let firstScreen = true;

export function ScreenHeading({ title, page, children }: { title: string; page?: PageKind; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = pageTitle(page);
  }, [page]);
  useEffect(() => {
    if (firstScreen) firstScreen = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 class="utrecht-heading-1 kt-screen-heading" tabIndex={-1} ref={ref}>
      {children ?? title}
    </h1>
  );
}
