// toggle: true or false, drawn as a switch.
import { registerInput } from '../registry';
import { createCheckbox } from './checkboxLike';

registerInput({ type: 'toggle', create: (spec, ctx) => createCheckbox(spec, ctx, true) });
