// F26: every refusal of an attachment as a plain Dutch sentence on that attachment, naming it,
// so nothing is lost silently. Pure.
import { AttachmentRefusal, type AttachmentPolicy } from '../../shared/protocol/attachments';
import { formatBytes } from './naming';

export function refusalMessage(reason: string, name: string, policy: Pick<AttachmentPolicy, 'maxBytes' | 'maxPerDocument'>): string {
  const n = `‘${name}’`;
  switch (reason) {
    case AttachmentRefusal.tooLarge:
      return `${n} is te groot: de server neemt bijlagen tot ${formatBytes(policy.maxBytes)}.`;
    case AttachmentRefusal.tooMany:
      return `${n} past niet meer: een document heeft hoogstens ${policy.maxPerDocument} bijlagen.`;
    case AttachmentRefusal.wrongType:
      return `${n} is geen foto (JPEG, PNG) of PDF volgens de server.`;
    case AttachmentRefusal.hashMismatch:
      return `${n} kwam beschadigd aan op de server. Verwijder de bijlage en voeg hem opnieuw toe.`;
    case AttachmentRefusal.conflict:
      return `De server kent al een andere bijlage onder deze naam-code als ${n}. Verwijder hem en voeg hem opnieuw toe.`;
    case AttachmentRefusal.frozen:
      return `${n} is niet meer meegestuurd: het document was al ingediend.`;
    case AttachmentRefusal.notFound:
      return `De server kent de bijlage ${n} niet.`;
    case 'missing-on-device':
      return `De inhoud van ${n} staat niet meer op dit apparaat. Voeg de bijlage opnieuw toe.`;
    default:
      return `De server weigerde ${n}.`;
  }
}

/** Checks on the device before anything is kept (F23); the server checks the same again. */
export const deviceMessages = {
  notSupported: (name: string): string => `‘${name}’ is geen foto of PDF. Kies een JPEG-, PNG- of PDF-bestand.`,
  heicUnsupported: (name: string): string =>
    `‘${name}’ is een HEIC-foto die deze browser niet kan omzetten. Stel de camera in op ‘Meest compatibel’ (JPEG), of kies een JPEG-bestand.`,
  unreadable: (name: string): string => `‘${name}’ kon niet als afbeelding worden gelezen. Is het bestand beschadigd?`,
  tooLarge: (name: string, size: number, max: number): string =>
    `‘${name}’ is te groot (${formatBytes(size)}); het maximum is ${formatBytes(max)}.`,
  tooMany: (max: number): string => `Dit document heeft al ${max === 1 ? '1 bijlage' : `${max} bijlagen`}, het maximum.`,
  empty: (name: string): string => `‘${name}’ is leeg.`,
  storage: (name: string): string => `‘${name}’ kon niet op dit apparaat worden bewaard. Is de opslag vol?`,
};
