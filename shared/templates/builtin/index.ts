// The templates every installation has; a municipality folder (TEMPLATES_DIR) adds its own.
import type { Template } from '../schema';
import { briefTemplate } from './brief';

export const builtinTemplates: readonly Template[] = [briefTemplate];
