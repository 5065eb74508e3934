// Where the e2e run builds the app once (globalSetup) and where screenshots land. Outside dist/
// so a running `npm start` is never disturbed; .tmp/ is ignored by git.
import { resolve } from 'node:path';

export const E2E_DIST = resolve('.tmp/e2e-dist');
export const E2E_SCREENSHOTS = resolve('.tmp/e2e-screenshots');
