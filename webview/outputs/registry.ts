// Output modules, one per output type, looked up by `type`. A module turns one output value into DOM; a module
// that can follow a streamed value (stream_text, log, progress) also implements `update`. New types (issue 7:
// charts, maps, media, diff, tree, …) are new modules registered in renderers/index.ts.
import type { JsonValue, OutputSpec, OutputSpecOf, OutputType, RequestMethod, RequestParams, RequestResult } from '../../src/protocol';

export type RequestFn = <M extends RequestMethod>(method: M, params: RequestParams<M>) => Promise<RequestResult<M>>;

export interface OutputContext {
  locale: string;
  /** Asks the host (open or reveal an artefact, save a CSV, open a link in the browser). */
  request: RequestFn;
  /** Reports a failed host request to the user. */
  notify(message: string): void;
}

export interface OutputView {
  element: HTMLElement;
  /** Show a newer value of the same output (streaming). false: could not, render afresh. */
  update?(value: JsonValue): boolean;
}

export interface OutputModule<T extends OutputType = OutputType> {
  type: T;
  render(value: JsonValue, spec: OutputSpecOf<T>, ctx: OutputContext): OutputView;
}

type AnyOutputModule = { type: OutputType; render(value: JsonValue, spec: OutputSpec, ctx: OutputContext): OutputView };

const modules = new Map<string, AnyOutputModule>();

export function registerOutput<T extends OutputType>(module: OutputModule<T>): void {
  // Lookups go by spec.type, so a module only ever receives specs of its own type.
  modules.set(module.type, module as unknown as AnyOutputModule);
}

export function outputModuleFor(type: string): AnyOutputModule | undefined {
  return modules.get(type);
}

export function registeredOutputTypes(): string[] {
  return [...modules.keys()];
}
