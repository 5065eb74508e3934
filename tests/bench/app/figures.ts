// What the app section has measured so far, and its printout. Kept apart from index.ts (which
// loads Vite, Playwright and Lighthouse) so tests/bench/run.ts can hold and print the figures
// without loading any of that unless the app section runs.
import type { ColdStartResult } from './cold-start';
import type { LighthouseResult } from './lighthouse';
import { printColdStart, printLighthouse, printShipped } from './report';
import type { ScreenBytes, ShippedResult } from './shipped';

export interface AppFigures {
  shipped: ShippedResult | null;
  /** Per screen (sign-in, lock, list, editor) from Lighthouse's runs, gzipped from the build. */
  screens: ScreenBytes[];
  lighthouse: LighthouseResult | null;
  coldStart: ColdStartResult | null;
  shippedErrors: string[];
  lighthouseErrors: string[];
  coldStartErrors: string[];
}

export function emptyAppFigures(): AppFigures {
  return { shipped: null, screens: [], lighthouse: null, coldStart: null, shippedErrors: [], lighthouseErrors: [], coldStartErrors: [] };
}

export function printAppFigures(figures: AppFigures): void {
  printShipped(figures.shipped, figures.screens, figures.shippedErrors);
  printLighthouse(figures.lighthouse, figures.lighthouseErrors);
  printColdStart(figures.coldStart, figures.coldStartErrors);
}
