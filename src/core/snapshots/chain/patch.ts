import { canonicalJson } from '../canonical';
import type { NodeData } from '../types';

/**
 * A field-level patch: the top-level fields of a node that differ from its base version, and
 * those the node no longer has. Nested values (a channel's overwrites, a role's tags) are
 * replaced whole: they change together, and a patch stays readable as JSON.
 */
export interface NodePatch {
  set?: Record<string, unknown>;
  unset?: string[];
}

/**
 * Whether a patch is worth storing instead of the whole node: only when it is at most half the
 * node's size. A node edited field by field keeps patching against one base until the patch
 * grows past that; then a full version becomes the next base.
 */
const PATCH_MAX_RATIO = 0.5;

export function makePatch(base: NodeData, next: NodeData): NodePatch {
  const patch: NodePatch = {};
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    if (!(key in base) || canonicalJson(base[key]) !== canonicalJson(value)) (patch.set ??= {})[key] = value;
  }
  for (const key of Object.keys(base)) if (!(key in next) || next[key] === undefined) (patch.unset ??= []).push(key);
  return patch;
}

export function applyPatch(base: NodeData, patch: NodePatch): NodeData {
  const out: NodeData = { ...base };
  for (const key of patch.unset ?? []) delete out[key];
  for (const [key, value] of Object.entries(patch.set ?? {})) out[key] = value;
  return out;
}

/** The patch's canonical JSON when it pays, else undefined (store the node whole). */
export function patchWorthStoring(baseJson: string, nextJson: string): string | undefined {
  const patch = canonicalJson(makePatch(JSON.parse(baseJson) as NodeData, JSON.parse(nextJson) as NodeData));
  return patch.length <= nextJson.length * PATCH_MAX_RATIO ? patch : undefined;
}

/** A stored version's node: its data when full, its patch applied to its base when not. */
export function materialize(data: string, baseData: string | null | undefined, patched: boolean): NodeData {
  if (!patched) return JSON.parse(data) as NodeData;
  if (baseData === null || baseData === undefined) throw new Error('a patched version whose base version is missing');
  return applyPatch(JSON.parse(baseData) as NodeData, JSON.parse(data) as NodePatch);
}
