// The templates every installation has; a municipality folder (TEMPLATES_DIR) adds its own.
// Not in the first screen's chunk: the app imports this list lazily (only `brief` version 1 is
// eager). Each template is listed in every version a draft may have been started on.
import type { Template } from '../schema';
import { adviesbriefBouwplanTemplate } from './adviesbrief-bouwplan';
import { afsprakenverslagTemplate } from './afsprakenverslag';
import { besluitBrandveiligheidTemplate } from './besluit-brandveiligheid';
import { besluitHorecaTemplate } from './besluit-horeca';
import { briefTemplate } from './brief';
import { briefBurgerinitiatiefTemplate } from './brief-burgerinitiatief';
import { briefSchuldhulpverlenerTemplate } from './brief-schuldhulpverlener';
import { maatwerkbesluitTemplate } from './maatwerkbesluit';
import { voorschotbesluitTemplate } from './voorschotbesluit';
import { withRichBody } from './rich-versions';

const firstVersions: readonly Template[] = [
  briefTemplate,
  afsprakenverslagTemplate,
  maatwerkbesluitTemplate,
  voorschotbesluitTemplate,
  adviesbriefBouwplanTemplate,
  besluitBrandveiligheidTemplate,
  briefBurgerinitiatiefTemplate,
  briefSchuldhulpverlenerTemplate,
  besluitHorecaTemplate,
];

/** Every built-in version: the first (plain sections, for drafts started on it) and the rich one. */
export const builtinTemplates: readonly Template[] = [...firstVersions, ...firstVersions.map(withRichBody)];
