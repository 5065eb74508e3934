// Z22, Z23: at start, the DMS checks the archive types every known template (every version: a
// draft may be on an older one) relies on; what it logs goes to the start log, and the templates
// it refuses are kept by `id@version` with their Dutch reason for the submit (prepare-submission).
// A check that throws refuses nothing: the delivery checks again (Z27).
import type { FastifyBaseLogger } from 'fastify';
import type { DmsAdapter } from '../dms/types';
import type { TemplateRegistry } from './registry';

export async function checkTemplatesAtStart(
  app: { log: Pick<FastifyBaseLogger, 'info' | 'warn'> },
  dms: Pick<DmsAdapter, 'checkTemplates'>,
  templates: Pick<TemplateRegistry, 'available' | 'versions'>,
  today: string,
): Promise<ReadonlyMap<string, string>> {
  if (dms.checkTemplates === undefined) return new Map();
  const all = templates.available().flatMap((t) => templates.versions(t.id));
  try {
    const checked = await dms.checkTemplates(all, today);
    for (const line of checked.lines) {
      const fields = { ...(line.url === undefined ? {} : { url: line.url }), ...(line.templates === undefined ? {} : { templates: line.templates }) };
      app.log[line.level](fields, line.message);
    }
    return checked.refused;
  } catch (error) {
    app.log.warn({ err: error }, 'De controle van de sjablonen tegen de Catalogi API is mislukt; de levering controleert de typen opnieuw');
    return new Map();
  }
}
