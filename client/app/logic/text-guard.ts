// P9, P10 as the official types: what a field or section says under itself. The characters no
// embedded font has, in the words of the server's refusal (one coverage table for both), and from
// 80 % of the limit a counter ("1.850 / 2.000 tekens"), marked once the text is over it.
import { characterCount, dutchNumber, unprintableCharacters, unprintableMessage } from '../../../shared/validate/printable';

/** The counter shows from this share of the limit on. */
export const COUNTER_FROM = 0.8;

export interface TextGuard {
  /** The unprintable-character message, or null. */
  unprintable: string | null;
  /** "1.850 / 2.000 tekens", or null below COUNTER_FROM of the limit. */
  counter: string | null;
  over: boolean;
}

export function textGuard(text: string, label: string, max: number): TextGuard {
  const count = characterCount(text);
  const bad = unprintableCharacters(text);
  return {
    unprintable: bad.length > 0 ? unprintableMessage(label, bad) : null,
    counter: count >= COUNTER_FROM * max ? `${dutchNumber(count)} / ${dutchNumber(max)} tekens` : null,
    over: count > max,
  };
}
