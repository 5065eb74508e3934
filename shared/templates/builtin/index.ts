// The templates every installation has; a municipality folder (TEMPLATES_DIR) adds its own.
// Not in the first screen's chunk: the app imports this list lazily (only `brief` is eager).
import type { Template } from '../schema';
import { adviesbriefBouwplanTemplate } from './adviesbrief-bouwplan';
import { afsprakenverslagTemplate } from './afsprakenverslag';
import { besluitBrandveiligheidTemplate } from './besluit-brandveiligheid';
import { briefTemplate } from './brief';
import { briefBurgerinitiatiefTemplate } from './brief-burgerinitiatief';
import { briefSchuldhulpverlenerTemplate } from './brief-schuldhulpverlener';
import { maatwerkbesluitTemplate } from './maatwerkbesluit';
import { voorschotbesluitTemplate } from './voorschotbesluit';

export const builtinTemplates: readonly Template[] = [
  briefTemplate,
  afsprakenverslagTemplate,
  maatwerkbesluitTemplate,
  voorschotbesluitTemplate,
  adviesbriefBouwplanTemplate,
  besluitBrandveiligheidTemplate,
  briefBurgerinitiatiefTemplate,
  briefSchuldhulpverlenerTemplate,
];
