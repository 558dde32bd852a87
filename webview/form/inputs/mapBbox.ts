// map_bbox: a box, sent as `[south, west, north, east]` (the original's `[lat-0.01, lng-0.01, lat+0.01, lng+0.01]` order). The control is shared: mapInput.ts.
import { registerInput } from '../registry';
import { createMapInput } from './mapInput';

registerInput({
  type: 'map_bbox',
  create: (spec, ctx) => createMapInput('bbox', spec, ctx),
});
