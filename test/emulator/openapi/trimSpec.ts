/**
 * Writes discord-openapi.subset.json: the paths the emulator serves and every schema
 * they reference, from Discord's full description, so the schema test runs where
 * ../shared/discord-openapi is absent. Run: npx tsx test/emulator/openapi/trimSpec.ts <openapi.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRoutes } from '../../../src/emulator';

function main(source: string): void {
  const spec = JSON.parse(readFileSync(source, 'utf8'));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, template } of apiRoutes()) {
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (!op) continue;
    (paths[template] ??= {})[method.toLowerCase()] = { responses: op.responses };
  }
  const schemas: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    const text = JSON.stringify(node);
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (schemas[m[1]]) continue;
      schemas[m[1]] = spec.components.schemas[m[1]];
      visit(schemas[m[1]]);
    }
  };
  const responses: Record<string, unknown> = {};
  for (const m of JSON.stringify(paths).matchAll(/"#\/components\/responses\/([^"]+)"/g)) responses[m[1]] = spec.components.responses[m[1]];
  visit(paths);
  visit(responses);
  const out = { openapi: spec.openapi, info: { ...spec.info, description: 'Subset of Discord’s OpenAPI description: the routes the Guild Vault emulator serves.' }, paths, components: { schemas, responses } };
  writeFileSync(path.join(__dirname, 'discord-openapi.subset.json'), JSON.stringify(out));
}

main(process.argv[2] ?? path.resolve(__dirname, '../../../../shared/discord-openapi/openapi.json'));
