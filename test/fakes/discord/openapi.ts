import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Checks the JSON bodies the fake Discord receives against Discord's published OpenAPI description
 * (openapi/subset.json: the request schemas of the routes the bot uses, extracted by openapi/extract.py
 * from github.com/discord/discord-api-spec, MIT licence). A body the spec rejects is what real
 * Discord would answer with 50035 Invalid Form Body.
 */
export type SpecRoute = 'createMessage' | 'interactionCallback' | 'followUp' | 'editOriginal' | 'createThread' | 'putCommands';

interface Subset {
  source: string;
  routes: Record<SpecRoute, object>;
  components: { schemas: Record<string, object> };
}

const subset = JSON.parse(readFileSync(new URL('./openapi/subset.json', import.meta.url), 'utf8')) as Subset;
// Discord's own keywords (x-discord-union) and formats (snowflake, int64) are annotations here, not rules.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'discord', components: subset.components }, 'discord');
const validators = new Map<SpecRoute, ValidateFunction>();

function validator(route: SpecRoute): ValidateFunction {
  let v = validators.get(route);
  if (!v) {
    const schema = JSON.parse(JSON.stringify(subset.routes[route]).replaceAll('"#/components/', '"discord#/components/')) as object;
    v = ajv.compile(schema);
    validators.set(route, v);
  }
  return v;
}

/** What the spec says is wrong with a body for `route`; empty when it conforms. */
export function specProblems(route: SpecRoute, body: unknown): string[] {
  const v = validator(route);
  if (v(body)) return [];
  // anyOf/oneOf report every branch; the first few lines are enough to find the fault.
  return (v.errors ?? [])
    .slice(0, 8)
    .map((e) => `${route}${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export const SPEC_SOURCE = subset.source;

// Compiled once, when the fake is loaded (about a second): compiling on a first request could take
// longer than the 3 s Discord gives an interaction, on a busy machine.
for (const route of Object.keys(subset.routes) as SpecRoute[]) validator(route);
