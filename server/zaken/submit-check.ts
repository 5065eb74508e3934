// X7: a submit names a zaak the DMS does not know, or one that is closed: refused with a Dutch
// problem at the zaak field (422, nothing frozen), when the server can know. A DMS that does not
// answer in time refuses nothing: the outbox's preflight (Z5, Z6) catches it before anything is
// filed, and the document is not held hostage by an outage.
import { dutchDateOf } from '../../shared/templates/fill';
import { ProblemRule } from '../../shared/validate/validate-document';
import type { SubmitProblem } from '../submit/prepare-submission';
import type { Asker, ZaakLookup } from './zaak-lookup';

export async function zaakProblem(lookup: ZaakLookup, zaak: string, asker: Asker, section: string): Promise<SubmitProblem | null> {
  const identificatie = zaak.trim();
  if (identificatie === '') return null;
  const checked = await lookup.check(identificatie, asker);
  switch (checked.kind) {
    case 'unknown':
      return {
        section,
        rule: ProblemRule.zaakUnknown,
        message: `Zaak ${identificatie} is niet gevonden in het zaaksysteem van de gemeente. Controleer het zaaknummer of kies de zaak uit de suggesties.`,
      };
    case 'closed':
      return {
        section,
        rule: ProblemRule.zaakClosed,
        message: `Zaak ${identificatie} is afgesloten${checked.zaak.einddatum === null ? '' : ` (sinds ${dutchDateOf(checked.zaak.einddatum)})`}: er kan niets meer aan worden toegevoegd. Kies een open zaak of vraag de zaakbehandelaar de zaak te heropenen.`,
      };
    default:
      return null;
  }
}
