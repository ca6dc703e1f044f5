import { z } from 'zod';

/**
 * Control characters (C0, DEL, C1) and the Unicode line / paragraph separators: never part of a
 * name, and trouble wherever a name travels (a CSV row split in two, an XMP sidecar that is no
 * longer well-formed XML, a terminal told to do something).
 */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** A name a person typed (a city, a country): trimmed, 1..max characters, no control characters. */
export const plainName = (max = 100) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasControlCharacters(s), 'control characters are not allowed in a name');

/** The same, but may be empty (a city's country). */
export const optionalPlainName = (max = 100) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControlCharacters(s), 'control characters are not allowed in a name');
