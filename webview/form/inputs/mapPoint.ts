// map_point: one location, sent as `[lat, lng]`. The control is shared: mapInput.ts.
import { registerInput } from '../registry';
import { createMapInput } from './mapInput';

registerInput({
  type: 'map_point',
  create: (spec, ctx) => createMapInput('point', spec, ctx),
});
