// map_polygon: an area outlined by at least three corners, sent as `[[lat, lng], …]` (not closed: the first corner is not repeated). The control is shared: mapInput.ts.
import { registerInput } from '../registry';
import { createMapInput } from './mapInput';

registerInput({
  type: 'map_polygon',
  create: (spec, ctx) => createMapInput('polygon', spec, ctx),
});
