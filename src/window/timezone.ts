// Timezone names are IANA names, checked against the runtime's time zone database.

import { IANAZone } from 'luxon';

export function isValidTimezone(name: string): boolean {
  return IANAZone.isValidZone(name);
}
