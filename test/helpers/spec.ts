/**
 * JSON-schema validation against Thalex's own machine-readable spec (test/fixtures/thalex-api/,
 * see SOURCE.md there). Every test that builds or answers a Thalex message checks it here.
 *
 * Where the schemas live:
 * - openapi.json `paths["<method>"].rpc`: the JSON-RPC methods (the keys WITHOUT a leading `/`;
 *   those with one are the REST twins). Request = `requestBody…schema` = allOf[{method const},
 *   RpcRequest, {params}]; response = `responses.default…schema` = oneOf[Success{result}, Error].
 * - ws_spec.json `paths["/ticker/{instrument}/{delay}"].get.responses.200` → `<X>Notification`
 *   = {channel_name, notification}; the path spells the channel template `ticker.<instrument>.<delay>`.
 *   Its refs to `./openapi.json` and `./rpc_spec_generated.json` both mean openapi.json.
 *
 * Both are OpenAPI 3.1 documents, i.e. JSON Schema 2020-12 (`prefixItems`), hence Ajv2020.
 *
 * Strictness: required fields, enums, types, tuple shapes are enforced exactly as written. The
 * places where this file departs from the literal schemas are all in `patchSpec` below and in
 * `TIGHTENED`, each with its reason:
 *   RELAXED  `RpcRequest.id` / `RpcResponse.id` are declared `type: object`; every client sends an
 *            integer and replies echo it (fixtures README). Request id: integer or absent; reply id:
 *            integer or null ("or null if not supplied", RpcResponse description).
 *   RELAXED  numbers whose description says "`null` if …" (Ticker best_bid_price, best_bid_amount,
 *            best_ask_price, best_ask_amount, last_price, change_24h; AccountSummary
 *            collateral_index_price; lwt last-price tuple slots) are declared `type: number` only;
 *            the venue sends `null` there, so they accept `null` too.
 *   TIGHTENED `private/mass_quote` `quotes`: "List of quotes (maximum 100)" is prose only; enforced
 *            as `maxItems: 100`.
 *   TIGHTENED error replies: `ErrorResponse.error` is not in `required`, so the spec's oneOf would
 *            let `{id, result}` match the Error branch too (oneOf then fails on a valid success).
 *            `validateErrorReply` requires `error`; `validateReply` picks the branch by `error`.
 * NOT relaxed (spec examples that fail their own schema, see spec-validator.test.ts):
 *   - the session.orders/OrderStatus example in thalex-protocol.md omits required `create_time`
 *     and `persistent`; a simulator must send them.
 *   - `private/set_mm_protection` params example `{product, amount}` uses the deprecated `amount`
 *     and omits required `trade_amount`/`quote_amount`.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

const FIXTURES = new URL('../fixtures/thalex-api/', import.meta.url);
const BASE = 'https://thalex.spec.test/';
const OPENAPI_ID = `${BASE}openapi.json`;
const RPC_GENERATED_ID = `${BASE}rpc_spec_generated.json`;
const WS_ID = `${BASE}ws_spec.json`;

function load(name: string): Json {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
}

function obj(v: unknown, where: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`spec: ${where} is not an object`);
  return v as Json;
}

/** Apply the documented relaxations (see header) to a freshly parsed document, in place. */
function patchSpec(doc: Json): void {
  const schemas = obj(obj(doc.components, 'components').schemas, 'components.schemas');
  const req = schemas.RpcRequest as Json | undefined;
  if (req !== undefined) obj(obj(req.properties, 'RpcRequest.properties').id, 'RpcRequest.id').type = 'integer';
  const res = schemas.RpcResponse as Json | undefined;
  if (res !== undefined) obj(obj(res.properties, 'RpcResponse.properties').id, 'RpcResponse.id').type = ['integer', 'null'];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as Json;
    if (typeof n.type === 'string' && n.type !== 'null' && typeof n.description === 'string' && n.description.includes('`null`')) {
      n.type = [n.type, 'null'];
    }
    for (const k of Object.keys(n)) walk(n[k]);
  };
  walk(doc.components);
}

/**
 * Keywords Ajv must let through: the OpenAPI document-level members (the whole document is
 * registered as one schema resource so `#/components/...` refs resolve) and the spec's
 * annotation-only keywords. None of them constrains a value.
 */
const ANNOTATIONS = [
  'openapi',
  'info',
  'servers',
  'tags',
  'paths',
  'components',
  'example',
  'summary',
  'x-displayName',
  'x-additionalPropertiesName',
  'x-rust-type',
  'x-logo',
  'x-tagGroups',
];

const openapi = load('openapi.json');
const wsSpec = load('ws_spec.json');
patchSpec(openapi);
patchSpec(wsSpec);

// `strictSchema` stays on (an unknown keyword is an error, so a misspelt constraint cannot pass
// silently); `strictTypes`/`strictTuples` are authoring lints about how a schema is written (e.g.
// `properties` without `type: object` in an allOf branch), not about the values validated.
const ajv = new Ajv2020({
  allErrors: true,
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allowUnionTypes: true,
  validateSchema: false,
});
ajv.addVocabulary(ANNOTATIONS);
// ajv-formats is CommonJS: under Node ESM its default import is `module.exports` (the plugin
// itself), while TypeScript's nodenext view types it as the module record; accept both.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (a: Ajv2020) => void;
addFormats(ajv);
ajv.addSchema(openapi, OPENAPI_ID);
// Same document under the second name ws_spec.json uses for it (fixtures README).
ajv.addSchema(structuredClone(openapi), RPC_GENERATED_ID);
ajv.addSchema(wsSpec, WS_ID);

/** JSON pointer escaping (RFC 6901) then URI-fragment escaping. */
function ptr(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + encodeURIComponent(String(s).replaceAll('~', '~0').replaceAll('/', '~1'))).join('');
}

const compiled = new Map<string, ValidateFunction>();
function compileRef(ref: string, extra?: Json): ValidateFunction {
  const key = extra === undefined ? ref : `${ref} ${JSON.stringify(extra)}`;
  let v = compiled.get(key);
  if (v === undefined) {
    v = ajv.compile(extra === undefined ? { $ref: ref } : { allOf: [{ $ref: ref }, extra] });
    compiled.set(key, v);
  }
  return v;
}

/** `application/json` schema of the JSON-RPC method `method` (openapi.json paths, `rpc` operation). */
function rpcOperation(method: string): Json {
  const paths = obj(openapi.paths, 'paths');
  const item = paths[method];
  if (item === undefined) throw new Error(`spec: unknown JSON-RPC method '${method}' (not a key of openapi.json paths)`);
  return obj(obj(item, method).rpc, `${method}.rpc`);
}

interface MethodPointers {
  request: string;
  params: string;
  result: string;
  response: string;
}

const methodPointers = new Map<string, MethodPointers>();
function pointersFor(method: string): MethodPointers {
  const cached = methodPointers.get(method);
  if (cached !== undefined) return cached;
  const op = rpcOperation(method);
  const reqPath = ['paths', method, 'rpc', 'requestBody', 'content', 'application/json', 'schema'];
  const reqSchema = obj(obj(obj(obj(op.requestBody, 'requestBody').content, 'content')['application/json'], 'json').schema, 'schema');
  const allOf = reqSchema.allOf as Json[];
  const paramsIdx = allOf.findIndex((s) => (s.properties as Json | undefined)?.params !== undefined);
  if (paramsIdx < 0) throw new Error(`spec: no params schema for ${method}`);
  const resPath = ['paths', method, 'rpc', 'responses', 'default', 'content', 'application/json', 'schema'];
  const resSchema = obj(obj(obj(obj(op.responses, 'responses').default, 'default').content, 'content')['application/json'], 'json');
  const oneOf = obj(resSchema.schema, 'schema').oneOf as Json[];
  const okIdx = oneOf.findIndex((s) => s.title === 'Success');
  const okAllOf = oneOf[okIdx]?.allOf as Json[] | undefined;
  const resultIdx = okAllOf?.findIndex((s) => (s.properties as Json | undefined)?.result !== undefined) ?? -1;
  if (okIdx < 0 || resultIdx < 0) throw new Error(`spec: no result schema for ${method}`);
  const p: MethodPointers = {
    request: OPENAPI_ID + '#' + ptr(...reqPath),
    params: OPENAPI_ID + '#' + ptr(...reqPath, 'allOf', paramsIdx, 'properties', 'params'),
    result: OPENAPI_ID + '#' + ptr(...resPath, 'oneOf', okIdx, 'allOf', resultIdx, 'properties', 'result'),
    response: OPENAPI_ID + '#' + ptr(...resPath, 'oneOf', okIdx),
  };
  methodPointers.set(method, p);
  return p;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  if (!errors) return [];
  return errors.map((e) => {
    const at = e.instancePath === '' ? '/' : e.instancePath;
    const allowed = e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}` : '';
    return `${at} ${e.message ?? e.keyword}${allowed} (${e.schemaPath})`;
  });
}

function run(v: ValidateFunction, value: unknown): string[] {
  return v(value) ? [] : formatErrors(v.errors);
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC requests and replies

/** Per-method tightenings taken from the spec's prose (see header). */
const TIGHTENED: Record<string, Json> = {
  'private/mass_quote': { properties: { quotes: { maxItems: 100 } } },
};

/** Errors of `params` against the params schema of `method` ([] when valid). */
export function validateRequest(method: string, params: unknown): string[] {
  return run(compileRef(pointersFor(method).params, TIGHTENED[method]), params);
}

/**
 * Errors of a whole request frame `{jsonrpc?, id?, method, params}`: the method is read from the
 * frame; `id` must be an integer or absent (RpcRequest quirk, see header).
 */
export function validateRequestFrame(frame: unknown): string[] {
  const method = (frame as { method?: unknown } | null)?.method;
  if (typeof method !== 'string') return ['/method must be a string naming a JSON-RPC method'];
  if (!hasMethod(method)) return [`/method unknown JSON-RPC method '${method}'`];
  const tight = TIGHTENED[method];
  return run(compileRef(pointersFor(method).request, tight && { properties: { params: tight } }), frame);
}

/** Errors of `result` against the success `result` schema of `method` ([] when valid). */
export function validateResult(method: string, result: unknown): string[] {
  return run(compileRef(pointersFor(method).result), result);
}

const ERROR_REPLY_REF = OPENAPI_ID + '#' + ptr('components', 'schemas', 'RpcErrorResponse');

/** Errors of an error reply `{id, error: {code: integer, message: string}}`. */
export function validateErrorReply(reply: unknown): string[] {
  return run(compileRef(ERROR_REPLY_REF, { required: ['error'] }), reply);
}

/** Errors of a whole reply frame to `method`: `{id, result}` or `{id, error}`. */
export function validateReply(method: string, reply: unknown): string[] {
  if (reply !== null && typeof reply === 'object' && 'error' in reply) return validateErrorReply(reply);
  return run(compileRef(pointersFor(method).response), reply);
}

/** True if `method` is a JSON-RPC method of the spec. */
export function hasMethod(method: string): boolean {
  const item = (openapi.paths as Json)[method];
  return item !== undefined && !method.startsWith('/') && (item as Json).rpc !== undefined;
}

/** Errors of `value` against `components.schemas[name]` of openapi.json (e.g. 'Instrument'). */
export function validateComponent(name: string, value: unknown): string[] {
  if ((openapi.components as { schemas: Json }).schemas[name] === undefined) throw new Error(`spec: no component schema '${name}'`);
  return run(compileRef(OPENAPI_ID + '#' + ptr('components', 'schemas', name)), value);
}

// ---------------------------------------------------------------------------------------------
// Subscription notifications

interface ChannelTemplate {
  /** e.g. `ticker.<instrument>.<delay>` */
  template: string;
  pattern: RegExp;
  /** ref of the `<X>Notification` envelope schema */
  envelope: string;
}

const DELAYS = ((wsSpec.components as { schemas: Json }).schemas.Delay as { enum: string[] }).enum;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const channelTemplates: ChannelTemplate[] = Object.entries(obj(wsSpec.paths, 'ws paths')).map(([path, item]) => {
  // `/ticker/{instrument}/{delay}` is how ws_spec.json spells channel `ticker.<instrument>.<delay>`.
  const segments = path.slice(1).split('/');
  const template = segments.map((s) => s.replace(/^\{(.+)\}$/, '<$1>')).join('.');
  const re = segments
    .map((s) => {
      const m = /^\{(.+)\}$/.exec(s);
      if (!m) return escapeRe(s);
      // Placeholders may hold dots (e.g. a decimal book grouping), so any non-empty text; the delay is an enum.
      return m[1] === 'delay' ? `(?:${DELAYS.map(escapeRe).join('|')})` : '.+?';
    })
    .join('\\.');
  const schema = obj(obj(obj(obj(obj(item, path).get, 'get').responses, 'responses')['200'], '200').content, 'content');
  const ref = obj(obj(schema['application/json'], 'json').schema, 'schema').$ref as string;
  return { template, pattern: new RegExp(`^${re}$`), envelope: WS_ID + ref };
});
// Literal channels first, so a fixed name never falls to a template.
channelTemplates.sort((a, b) => Number(a.template.includes('<')) - Number(b.template.includes('<')));

/** The ws_spec.json template a concrete channel name belongs to, e.g. `ticker.<instrument>.<delay>`. */
export function channelTemplate(channel: string): string | undefined {
  return channelTemplates.find((t) => t.pattern.test(channel))?.template;
}

function templateFor(channel: string): ChannelTemplate {
  const t = channelTemplates.find((x) => x.pattern.test(channel));
  if (t === undefined) throw new Error(`spec: channel '${channel}' matches no ws_spec.json channel`);
  return t;
}

/** Errors of a notification payload (the `notification` member) for `channel` ([] when valid). */
export function validateNotification(channel: string, notification: unknown): string[] {
  return run(compileRef(templateFor(channel).envelope + ptr('properties', 'notification')), notification);
}

/**
 * Errors of a whole notification frame `{channel_name, notification}`; a channel name that is
 * no ws_spec.json channel is an error of the frame (whereas `validateNotification` throws: there
 * the channel is the caller's argument).
 */
export function validateNotificationFrame(frame: unknown): string[] {
  const channel = (frame as { channel_name?: unknown } | null)?.channel_name;
  if (typeof channel !== 'string') return ['/channel_name must be a string'];
  const t = channelTemplates.find((x) => x.pattern.test(channel));
  if (t === undefined) return [`/channel_name '${channel}' matches no ws_spec.json channel`];
  return run(compileRef(t.envelope), frame);
}

/** Every channel template of ws_spec.json, for tests that enumerate them. */
export const CHANNEL_TEMPLATES: readonly string[] = channelTemplates.map((t) => t.template);
/** The spec's subscription delays (ws_spec.json `Delay`). */
export const SPEC_DELAYS: readonly string[] = DELAYS;

/** The parsed (patched) documents, read-only by convention, for tests that read examples. */
export const specDocs: { readonly openapi: Json; readonly ws: Json } = { openapi, ws: wsSpec };

/** Throw with all errors if `errors` is non-empty: `assertValid(validateRequest(m, p))`. */
export function assertValid(errors: string[], what = 'value'): void {
  if (errors.length > 0) throw new Error(`${what} does not match the Thalex spec:\n  ${errors.join('\n  ')}`);
}
