// A screen's h1: sets the page title and, after a navigation inside the app, takes focus so a
// screen reader announces the new screen and keyboard users start at its top.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let firstScreen = true;

export function ScreenHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Keukentafel`;
  }, [title]);
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
