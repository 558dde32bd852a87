// Checks a json input's value against the input's `schema` with @cfworker/json-schema (an interpreter: no eval or
// new Function, so it runs under the panel's CSP). Its report lists every failing keyword, containers included;
// the form shows the few that say what to fix.
import { Validator, type OutputUnit, type Schema, type SchemaDraft } from '@cfworker/json-schema';
import type { JsonObject, JsonValue } from '../../../src/protocol';

/** Keywords whose failure only says "something inside failed": the inner error is the useful one. */
const CONTAINER_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'additionalItems', '$ref', '$recursiveRef', 'allOf', 'patternProperties', 'dependentSchemas', 'if', 'then', 'else', 'false']);
const MAX_SHOWN = 3;

export type SchemaCheck = { ok: true } | { ok: false; message: string } | { unusable: string };

function draftOf(schema: JsonObject): SchemaDraft {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('draft-04')) return '4';
  if (declared.includes('draft-06') || declared.includes('draft-07')) return '7';
  if (declared.includes('2019-09')) return '2019-09';
  return '2020-12';
}

function where(unit: OutputUnit): string {
  const pointer = unit.instanceLocation.replace(/^#/, '');
  return pointer === '' ? '' : `At ${pointer}: `;
}

export function describeSchemaErrors(errors: readonly OutputUnit[]): string {
  const useful = errors.filter((e) => !CONTAINER_KEYWORDS.has(e.keyword));
  const shown = (useful.length > 0 ? useful : errors).slice(0, MAX_SHOWN).map((e) => `${where(e)}${e.error}`);
  const more = (useful.length > 0 ? useful : errors).length - shown.length;
  return `Does not match the input's schema: ${shown.join(' ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

export class SchemaChecker {
  private readonly validator: Validator | undefined;
  private broken: string | undefined;

  constructor(schema: JsonObject) {
    try {
      this.validator = new Validator(schema as Schema, draftOf(schema), false);
    } catch (error) {
      this.broken = (error as Error).message;
    }
  }

  check(value: JsonValue): SchemaCheck {
    if (this.broken !== undefined || !this.validator) return { unusable: this.broken ?? 'unknown error' };
    try {
      const result = this.validator.validate(value);
      return result.valid ? { ok: true } : { ok: false, message: describeSchemaErrors(result.errors) };
    } catch (error) {
      // A schema the validator cannot use (bad pattern, unresolved $ref) is the tool's problem: noted, not blocking.
      this.broken = (error as Error).message.split('\n')[0];
      return { unusable: this.broken };
    }
  }
}
