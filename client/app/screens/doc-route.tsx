// The screens of one document (/document/:id, its Voorbeeld, Meelezen) read the id from the route
// the same way: lower-cased, and a link that is not a UUID shows "niet gevonden" instead of
// opening (and so creating) a local document the server would refuse.
import type { ComponentType } from 'preact';
import { useRoute } from 'preact-iso';
import { isUuid } from '../../../shared/protocol/rooms';
import { NotFound } from './NotFound';

export function documentRoute(Screen: ComponentType<{ docId: string }>): ComponentType {
  return function DocumentRoute() {
    const { params } = useRoute();
    const docId = (params.id ?? '').toLowerCase();
    return isUuid(docId) ? <Screen docId={docId} /> : <NotFound />;
  };
}
