// The Dutch words of the lock screens (K10–K16): attempts left, the warning before the last
// attempt, the grace period, and why a chosen PIN is refused. Pure, so the wording is tested once.
import type { GraceWarning, PinProblem } from '../../vault/types';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function attemptsLeftText(attemptsLeft: number): string {
  return `U kunt het nog ${count(attemptsLeft, 'keer', 'keer')} proberen.`;
}

/** K12: shown while exactly one attempt is left, before the user types it. */
export function isLastAttempt(attemptsLeft: number): boolean {
  return attemptsLeft === 1;
}

export const LAST_ATTEMPT_WARNING =
  'Let op: dit is uw laatste poging. Bij nog een verkeerde pincode worden de gegevens van Keukentafel op dit apparaat gewist. Wat nog niet op de server staat, gaat dan verloren.';

export function wrongPinText(attemptsLeft: number): string {
  return `Deze pincode klopt niet. ${attemptsLeftText(attemptsLeft)}`;
}

/** K15: the warning days before the grace period ends. */
export function graceWarningText(warning: GraceWarning): string {
  const when = warning.daysLeft <= 0 ? 'vandaag' : warning.daysLeft === 1 ? 'morgen' : `over ${warning.daysLeft} dagen`;
  return `Dit apparaat heeft al een tijd geen verbinding gehad met de server. Maak verbinding met internet: ${when} kunt u de app anders niet meer ontgrendelen.`;
}

/** K15: the date of the last contact, in Dutch, for the grace-expired screen. */
export function lastContactText(lastContactAt: number, timeZone?: string): string {
  const date = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(lastContactAt);
  return `Dit apparaat had voor het laatst verbinding met de server op ${date}.`;
}

export function pinProblemText(problem: PinProblem | 'pins-differ' | 'pin-empty', minPinDigits: number): string {
  switch (problem) {
    case 'pin-empty':
      return 'Vul een pincode in.';
    case 'pin-too-short':
      return `De pincode moet minstens ${minPinDigits} cijfers hebben.`;
    case 'pin-not-digits':
      return 'Gebruik alleen cijfers.';
    case 'pin-too-simple':
      return 'Deze pincode is te makkelijk te raden. Kies een andere, bijvoorbeeld niet 000000 of 123456.';
    case 'pins-differ':
      return 'De twee pincodes zijn niet gelijk. Typ dezelfde pincode twee keer.';
  }
}

/** K10: what the screen can say before asking the vault; the vault decides "too simple". */
export function checkPinEntry(pin: string, repeat: string, minPinDigits: number): 'pin-empty' | 'pin-not-digits' | 'pin-too-short' | 'pins-differ' | null {
  if (pin === '') return 'pin-empty';
  if (!/^[0-9]+$/.test(pin)) return 'pin-not-digits';
  if (pin.length < minPinDigits) return 'pin-too-short';
  if (pin !== repeat) return 'pins-differ';
  return null;
}
