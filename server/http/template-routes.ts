// GET /api/templates (outside contract): the templates a signed-in user may start a document
// from (the newest version of each), as the device caches them for offline use. GET
// /api/templates/:id/:version: one exact version, for a draft started on an older one (T3).
// Every user may use every template today; per-team templates would filter here.
import type { FastifyInstance } from 'fastify';
import type { Template } from '../../shared/templates/schema';
import type { AuthService } from '../auth/auth-service';
import type { TemplateRegistry } from '../templates/registry';
import { authorize, jsonAnswer, send } from './replies';

export interface TemplateRoutesDeps {
  auth: AuthService;
  templates: Pick<TemplateRegistry, 'available' | 'get'>;
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
      ...(f.role === undefined ? {} : { role: f.role }),
      // P5: devices print (preview) exactly what the server prints.
      ...(f.print === undefined ? {} : { print: f.print }),
    })),
    sections: t.sections.map((s) => ({
      key: s.key,
      kind: s.kind,
      label: s.label,
      required: s.required,
      ...(s.hint === undefined ? {} : { hint: s.hint }),
      ...(s.initial === undefined ? {} : { initial: s.initial }),
      ...(s.text === undefined ? {} : { text: s.text }),
      ...(s.role === undefined ? {} : { role: s.role }),
    })),
    rules: t.rules ?? [],
    approval: t.approval ?? 'never',
    dms: t.dms ?? null,
  };
}

export function registerTemplateRoutes(app: FastifyInstance, deps: TemplateRoutesDeps): void {
  app.get('/api/templates', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    return send(reply, jsonAnswer(200, deps.templates.available().map(templateView)));
  });
  app.get<{ Params: { id: string; version: string } }>('/api/templates/:id/:version', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const version = /^[1-9]\d{0,8}$/.test(request.params.version) ? Number(request.params.version) : null;
    const template = version === null ? null : deps.templates.get(request.params.id, version);
    if (template === null) return send(reply, jsonAnswer(404, { error: 'unknown-template' }));
    return send(reply, jsonAnswer(200, templateView(template)));
  });
}
