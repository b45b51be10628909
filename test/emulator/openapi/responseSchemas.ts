/**
 * Validates emulator responses against the response schemas of Discord's OpenAPI 3.1
 * description (JSON Schema 2020-12). Uses ../shared/discord-openapi/openapi.json when
 * present, else the subset vendored beside this file (made by trimSpec.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

const SHARED_SPEC = path.resolve(__dirname, '../../../../shared/discord-openapi/openapi.json');
const VENDORED_SPEC = path.join(__dirname, 'discord-openapi.subset.json');

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, ResponseObject> };
}

/** GUILD_VAULT_OPENAPI names another copy of the description (e.g. the vendored subset, to test it). */
export function loadSpec(): OpenApiDoc {
  const file = process.env.GUILD_VAULT_OPENAPI ?? (existsSync(SHARED_SPEC) ? SHARED_SPEC : VENDORED_SPEC);
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDoc;
}

export class ResponseValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly spec: OpenApiDoc = loadSpec()) {
    patchKnownGaps(spec);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    this.ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    this.ajv.addFormat('date-time', { validate: (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) });
    this.ajv.addFormat('uri', { validate: (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) });
    for (const f of ['int32', 'int64', 'double', 'nonce']) this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: 'discord', components: spec.components });
  }

  /** The response schema for a route template, method and status (errors fall back to `4XX`), if the description has one. */
  schemaFor(method: string, template: string, status: number): unknown {
    const op = this.spec.paths[template]?.[method.toLowerCase()];
    let response = op?.responses?.[String(status)] ?? (status >= 400 && status < 500 ? op?.responses?.['4XX'] : undefined);
    if (response?.$ref) response = this.spec.components.responses?.[response.$ref.replace('#/components/responses/', '')];
    return response?.content?.['application/json']?.schema;
  }

  hasRoute(method: string, template: string): boolean {
    return !!this.spec.paths[template]?.[method.toLowerCase()];
  }

  /** Validation errors as readable lines (empty when valid). Throws when the route has no schema. */
  errors(method: string, template: string, status: number, body: unknown): string[] {
    const key = `${method} ${template} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      const schema = this.schemaFor(method, template, status);
      if (!schema) throw new Error(`no response schema for ${key}`);
      // Re-root the operation's schema inside the spec so its #/components refs resolve.
      validate = this.ajv.compile(rebase(schema) as object);
      this.cache.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/** Rewrites `#/components/...` refs to point into the registered spec document. */
function rebase(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"discord#/components/'));
}

/**
 * Where Discord's description lags behind Discord's documented behaviour, the
 * emulator follows the behaviour and the validator is widened, here and only here:
 * - GUILD_MEDIA channels (type 16) are missing from GuildChannelResponse's type enum;
 * - forwarded messages (message_reference.type 1, FORWARD) are missing from MessageReferenceType;
 * - field errors in a 50035 body carry string codes ("BASE_TYPE_REQUIRED", as Discord's error
 *   documentation shows), where InnerErrors reuses Error and its integer code.
 */
export const KNOWN_SPEC_GAPS = [
  'GuildChannelResponse.type lacks 16 (GUILD_MEDIA)',
  'MessageReferenceType lacks 1 (FORWARD)',
  'InnerErrors._errors[].code is a string in Discord, an integer in the description',
];

function patchKnownGaps(spec: OpenApiDoc): void {
  const schemas = spec.components.schemas as Record<string, any>;
  const type = schemas.GuildChannelResponse?.properties?.type;
  if (Array.isArray(type?.enum) && !type.enum.includes(16)) type.enum.push(16);
  const types = schemas.ChannelTypes;
  if (Array.isArray(types?.oneOf) && !types.oneOf.some((o: { const?: number }) => o.const === 16)) types.oneOf.push({ title: 'GUILD_MEDIA', const: 16 });
  const ref = schemas.MessageReferenceType;
  if (Array.isArray(ref?.oneOf) && !ref.oneOf.some((o: { const?: number }) => o.const === 1)) ref.oneOf.push({ title: 'FORWARD', const: 1 });
  const inner = schemas.InnerErrors?.properties?._errors;
  if (inner) inner.items = { type: 'object', required: ['code', 'message'], properties: { code: { type: ['string', 'integer'] }, message: { type: 'string' } } };
}
