// map_multipoint: any number of locations, sent as `[[lat, lng], …]`. The control is shared: mapInput.ts.
import { registerInput } from '../registry';
import { createMapInput } from './mapInput';

registerInput({
  type: 'map_multipoint',
  create: (spec, ctx) => createMapInput('multipoint', spec, ctx),
});
