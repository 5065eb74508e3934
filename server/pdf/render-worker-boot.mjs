// Entry of the PDF worker thread (pdf-renderer.ts). The server runs TypeScript through tsx, whose
// loader hooks belong to one thread: register them in this one, then load the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
