import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS packages whose typings declare an ES default export: under NodeNext it is `.default`.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

/** The schemas are vendored unmodified beside this file (see README.md) so a plain clone can validate. */
const dir = new URL('./', import.meta.url);
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>;

export interface Validator {
  validate: ValidateFunction;
  /** the errors of the last validation, one per line, or '' */
  errors(): string;
}

function wrap(validate: ValidateFunction): Validator {
  return {
    validate,
    errors: () =>
      (validate.errors ?? [])
        .slice(0, 20)
        .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
        .join('\n'),
  };
}

let oscal: Validator | undefined;
/** NIST OSCAL v1.2.2 complete schema (draft-07, ECMA-262 Unicode property escapes in patterns). */
export function oscalValidator(): Validator {
  if (!oscal) {
    const ajv = new Ajv({ strict: false, unicodeRegExp: true, allErrors: true });
    addFormats(ajv);
    oscal = wrap(ajv.compile(load('oscal_complete_schema.json')));
  }
  return oscal;
}

let sarif: Validator | undefined;
/** OASIS SARIF 2.1.0 (Errata 01), the normative draft-04 schema. */
export function sarifValidator(): Validator {
  if (!sarif) {
    // The SARIF schema's language pattern has a stray `]` that is only legal without the `u` flag.
    const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    sarif = wrap(ajv.compile(load('sarif-schema-2.1.0.json')));
  }
  return sarif;
}

const oscal106 = new Map<string, Validator>();
/** NIST OSCAL v1.0.6 per-model schemas: what tools that have not moved to 1.1+ validate against. */
export function oscal106Validator(model: 'assessment-results' | 'poam'): Validator {
  let v = oscal106.get(model);
  if (!v) {
    const ajv = new Ajv({ strict: false, unicodeRegExp: true, allErrors: true });
    addFormats(ajv);
    v = wrap(ajv.compile(load(`oscal_${model}_schema_1.0.6.json`)));
    oscal106.set(model, v);
  }
  return v;
}
