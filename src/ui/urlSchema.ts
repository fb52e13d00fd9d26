/**
 * A page's settings written once, as a table: each entry names its URL parameter, its label, its
 * default and its codec (the type, and for numbers the bounds). The values are read from and
 * written to the URL hash like useParam's, so a view stays a link. readSettings and settingPatch
 * are pure (unit-tested); useSettings is the hook.
 */
import { useCallback } from 'react';
import { numberCodec, setParams, useHash, type Codec } from './urlState';

export interface NumberBounds {
  min: number;
  max: number;
  /** Whole numbers only: the codec rounds what a link says. */
  integer: boolean;
}

export interface Setting<T> {
  /** The URL parameter. Never rename one: links made before would silently lose it. */
  param: string;
  /** What the form calls it. */
  label: string;
  default: T;
  codec: Codec<T>;
}

/** One Setting per field of S. */
export type Schema<S> = { readonly [K in keyof S]: Setting<S[K]> };

/** A number kept within `bounds` (a link's value is clamped, and rounded when `integer`). */
export function numberSetting(
  param: string,
  label: string,
  fallback: number,
  bounds: NumberBounds,
): Setting<number> & { bounds: NumberBounds } {
  const clamped = numberCodec(bounds.min, bounds.max);
  const codec: Codec<number> = {
    parse: (raw) => {
      const v = clamped.parse(raw);
      return v !== undefined && bounds.integer ? Math.round(v) : v;
    },
    format: clamped.format,
  };
  return { param, label, default: fallback, codec, bounds };
}

/** Every setting's default. */
export function defaultsOf<S>(schema: Schema<S>): S {
  const out = {} as S;
  for (const key of Object.keys(schema) as (keyof S)[]) out[key] = schema[key].default;
  return out;
}

/** The settings a URL's parameters give: a missing or unreadable one takes its default. */
export function readSettings<S>(schema: Schema<S>, params: URLSearchParams): S {
  const out = {} as S;
  for (const key of Object.keys(schema) as (keyof S)[]) {
    const s = schema[key];
    const raw = params.get(s.param);
    const parsed = raw === null ? undefined : s.codec.parse(raw);
    out[key] = parsed === undefined ? s.default : parsed;
  }
  return out;
}

/** The URL change that sets one setting; at its default the parameter is removed, to keep links short. */
export function settingPatch<S, K extends keyof S>(
  schema: Schema<S>,
  key: K,
  value: S[K],
): Record<string, string | null> {
  const s = schema[key];
  const text = s.codec.format(value);
  return { [s.param]: text === s.codec.format(s.default) ? null : text };
}

export type SetSetting<S> = <K extends keyof S>(key: K, value: S[K]) => void;

/** The settings of `schema` from the URL hash, and a setter for one of them. */
export function useSettings<S>(schema: Schema<S>): [S, SetSetting<S>] {
  const { params } = useHash();
  const set = useCallback<SetSetting<S>>((key, value) => setParams(settingPatch(schema, key, value)), [schema]);
  return [readSettings(schema, params), set];
}
