// GET /api/templates (outside contract): the templates a signed-in user may start a document
// from, as the device caches them for offline use. Every user may use every template today;
// per-team templates would filter here.
import type { FastifyInstance } from 'fastify';
import type { Template } from '../../shared/templates/schema';
import type { AuthService } from '../auth/auth-service';
import type { TemplateRegistry } from '../templates/registry';
import { authorize, jsonAnswer, send } from './replies';

export interface TemplateRoutesDeps {
  auth: AuthService;
  templates: Pick<TemplateRegistry, 'available'>;
}

/** The wire shape: explicit nulls for what a template leaves out, so clients see every key. */
export function templateView(t: Template): Record<string, unknown> {
  return {
    id: t.id,
    version: t.version,
    kind: t.kind,
    title: t.title,
    description: t.description ?? null,
    titleField: t.titleField ?? null,
    zaakField: t.zaakField ?? null,
    fields: t.fields.map((f) => ({
      key: f.key,
      type: f.type,
      label: f.label,
      required: f.required,
      ...(f.hint === undefined ? {} : { hint: f.hint }),
      ...(f.options === undefined ? {} : { options: f.options }),
    })),
    sections: t.sections.map((s) => ({
      key: s.key,
      kind: s.kind,
      label: s.label,
      required: s.required,
      ...(s.hint === undefined ? {} : { hint: s.hint }),
      ...(s.initial === undefined ? {} : { initial: s.initial }),
    })),
    dms: t.dms ?? null,
  };
}

export function registerTemplateRoutes(app: FastifyInstance, deps: TemplateRoutesDeps): void {
  app.get('/api/templates', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    return send(reply, jsonAnswer(200, deps.templates.available().map(templateView)));
  });
}
