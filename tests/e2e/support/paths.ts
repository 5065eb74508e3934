// Where the e2e run builds the app once (globalSetup) and where screenshots land. Outside dist/
// so a running `npm start` is never disturbed; .tmp/ is ignored by git. KT_E2E_DIST lets two
// runs on one checkout build apart instead of overwriting each other's app.
import { resolve } from 'node:path';

export const E2E_DIST = resolve(process.env['KT_E2E_DIST'] ?? '.tmp/e2e-dist');
export const E2E_SCREENSHOTS = resolve('.tmp/e2e-screenshots');
