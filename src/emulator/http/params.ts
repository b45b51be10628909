/**
 * Query-string parameters, validated like Discord does: bad values are
 * 400 Invalid Form Body (50035) naming the parameter.
 */
import { isSnowflake } from '../ids/snowflake';
import { invalidFormBody } from './apiError';

export class QueryParams {
  constructor(private readonly search: URLSearchParams) {}

  has(name: string): boolean {
    return this.search.has(name);
  }

  string(name: string): string | undefined {
    return this.search.get(name) ?? undefined;
  }

  int(name: string, bounds: { min: number; max: number; default: number }): number {
    const raw = this.search.get(name);
    if (raw === null || raw === '') return bounds.default;
    if (!/^-?\d+$/.test(raw.trim()))
      throw invalidFormBody([{ path: [name], code: 'NUMBER_TYPE_COERCE', message: `Value "${raw}" is not int.` }]);
    const value = Number(raw);
    if (value < bounds.min)
      throw invalidFormBody([{ path: [name], code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${bounds.min}.` }]);
    if (value > bounds.max)
      throw invalidFormBody([{ path: [name], code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${bounds.max}.` }]);
    return value;
  }

  snowflake(name: string): string | undefined {
    const raw = this.search.get(name);
    if (raw === null || raw === '') return undefined;
    if (!isSnowflake(raw)) throw invalidFormBody([{ path: [name], code: 'NUMBER_TYPE_COERCE', message: `Value "${raw}" is not snowflake.` }]);
    return raw;
  }

  bool(name: string): boolean | undefined {
    const raw = this.search.get(name);
    if (raw === null || raw === '') return undefined;
    const v = raw.toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    throw invalidFormBody([{ path: [name], code: 'BOOLEAN_TYPE_COERCE', message: `Value "${raw}" is not a boolean.` }]);
  }

  isoTimestamp(name: string): string | undefined {
    const raw = this.search.get(name);
    if (raw === null || raw === '') return undefined;
    if (Number.isNaN(Date.parse(raw)))
      throw invalidFormBody([{ path: [name], code: 'DATE_TIME_TYPE_PARSE', message: `Could not parse ${raw}. Should be ISO8601.` }]);
    return new Date(raw).toISOString();
  }
}
