// Dutch dates and times for lists ("28 nov. 2026, 21:15"), in the Netherlands' time zone.

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Amsterdam',
});

export const formatDateTime = (ms: number): string => dateTime.format(ms);
