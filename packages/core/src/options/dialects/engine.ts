import type { BackgroundSpec, CanonicalOptions, ShadowType } from "../canonical.js";
import { assemble, type Draft, emptyDraft, type FieldError, type FieldNames, type Given, type MessageStyle } from "../draft.js";

/**
 * The machinery every dialect shares: walk the form fields, hand each to its
 * parser, collect every problem instead of stopping at the first, then check
 * how the fields combine. A dialect is a table of field parsers plus its
 * defaults and its way of wording errors.
 */

export type ImageKind = "file" | "url" | "base64";

export type DialectResult =
  | { ok: true; options: CanonicalOptions; image?: { kind: ImageKind; field: string } }
  | { ok: false; errors: FieldError[] };

export type DialectParser = (fields: Readonly<Record<string, string>>) => DialectResult;

/** Parses one field's text into the draft; throws a CutoutError (validation_error) when the text is wrong. */
export type FieldParser = (raw: string, field: string, draft: Draft) => void;

export interface DialectSpec {
  /** For messages: "remove.bg", "rembg.com"... */
  label: string;
  base: CanonicalOptions;
  /** Fields that carry the input image: recognised here, read by the caller. */
  imageFields: ReadonlyMap<string, ImageKind>;
  /** Checks an image field's text (a URL must be a URL); absent means anything goes (file names, base64). */
  imageCheck?: Partial<Record<ImageKind, (raw: string, field: string) => void>>;
  fields: ReadonlyMap<string, FieldParser>;
  names: FieldNames;
  style: MessageStyle;
  unknown(field: string, value: string, suggestion: string | undefined): string;
  /** Spellings users bring from other APIs, mapped to this dialect's field (rembg.com: width -> w). */
  hints?: ReadonlyMap<string, string>;
  shadowOpacity?: (type: ShadowType) => number;
}

export function runDialect(spec: DialectSpec, fields: Readonly<Record<string, string>>): DialectResult {
  const errors: FieldError[] = [];
  const draft = emptyDraft();
  let image: { kind: ImageKind; field: string; raw: string } | undefined;
  if (fields === null || typeof fields !== "object") {
    return {
      ok: false,
      errors: [{ field: "", value: String(fields), message: `${spec.label}: expected form fields (an object of strings)` }],
    };
  }
  for (const field of Object.keys(fields)) {
    const raw: unknown = fields[field];
    if (typeof raw !== "string") {
      errors.push({ field, value: String(raw), message: `${field} must be text, as it comes off a form or query string` });
      continue;
    }
    const kind = spec.imageFields.get(field);
    if (kind !== undefined) {
      if (image) {
        errors.push({ field, value: raw, message: spec.style.conflict(image.field, field) });
        continue;
      }
      if (record(errors, field, raw, () => spec.imageCheck?.[kind]?.(raw, field))) image = { kind, field, raw };
      continue;
    }
    const parse = spec.fields.get(field);
    if (!parse) {
      const suggestion = spec.hints?.get(field) ?? suggest(field, [...spec.fields.keys(), ...spec.imageFields.keys()]);
      errors.push({ field, value: raw, message: spec.unknown(field, raw, suggestion) });
      continue;
    }
    record(errors, field, raw, () => parse(raw, field, draft));
  }
  const options = assemble(draft, { base: spec.base, names: spec.names, style: spec.style, shadowOpacity: spec.shadowOpacity }, errors);
  if (errors.length > 0) return { ok: false, errors };
  return image ? { ok: true, options, image: { kind: image.kind, field: image.field } } : { ok: true, options };
}

/** Runs one parser; a validation error becomes a FieldError, so one bad field never hides the next. */
function record(errors: FieldError[], field: string, raw: string, parse: () => void): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    // Anything else is a bug in a parser; it is still reported against the field rather than thrown at a form.
    const message = error instanceof Error ? error.message : String(error);
    errors.push({ field, value: raw, message });
    return false;
  }
}

/** The known field this one most likely meant: same letters ignoring case, "-" and "_", else one edit away. */
export function suggest(field: string, known: readonly string[]): string | undefined {
  const squash = (name: string) => name.toLowerCase().replace(/[-_\s]/g, "");
  const target = squash(field);
  return known.find((name) => squash(name) === target) ?? known.find((name) => withinOneEdit(squash(name), target));
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return a === b;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

type Slot = Exclude<keyof Draft, "backgrounds">;
type SlotValue<K extends Slot> = NonNullable<Draft[K]> extends Given<infer T> ? T : never;

/** A field that sets one draft slot. */
export function slot<K extends Slot>(key: K, parse: (raw: string, field: string) => SlotValue<K>): FieldParser {
  return (raw, field, draft) => {
    const given: Given<SlotValue<K>> = { value: parse(raw, field), field, raw };
    (draft as Record<Slot, unknown>)[key] = given;
  };
}

/** A field that names a background; assemble refuses more than one. */
export function background(parse: (raw: string, field: string) => BackgroundSpec): FieldParser {
  return (raw, field, draft) => {
    draft.backgrounds.push({ value: parse(raw, field), field, raw });
  };
}

/** A field that is checked but changes nothing in the image (remove.bg `type_level`). */
export function checkOnly(parse: (raw: string, field: string) => unknown): FieldParser {
  return (raw, field) => {
    parse(raw, field);
  };
}

/** The usual wording for a field a dialect does not have. */
export function unknownField(label: string): DialectSpec["unknown"] {
  return (field, value, suggestion) =>
    `Unknown field '${field}' (got '${value}') for the ${label} API${suggestion === undefined ? "" : `: did you mean '${suggestion}'?`}`;
}
