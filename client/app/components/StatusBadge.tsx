// A document's badge as an NL Design System status badge. The tone picks the colour; the text
// always says the state in words, so colour is never the only carrier (WCAG 1.4.1).
import type { Badge, BadgeTone } from '../logic/badge';

const toneClass: Record<BadgeTone, string> = {
  neutral: 'inactive',
  busy: 'inactive',
  warning: 'warning',
  success: 'success',
  info: 'neutral',
  error: 'error',
};

export function StatusBadge({ badge }: { badge: Badge }) {
  return (
    <span class={`utrecht-status-badge utrecht-status-badge--${toneClass[badge.tone]} kt-badge`} data-testid="badge" data-tone={badge.tone}>
      {badge.label}
    </span>
  );
}
