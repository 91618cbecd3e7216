import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CutoutError } from "../../src/errors.js";
import { parseBackgroundFile, parseBackgroundImage } from "../../src/options/backgrounds.js";
import type { CanonicalOptions } from "../../src/options/canonical.js";
import { isRgba } from "../../src/options/colors.js";
import { DIALECT_NAMES, parseDialect } from "../../src/options/dialects/index.js";
import * as fields from "../../src/options/fields.js";
import { MARGIN_LIMIT } from "../../src/options/lengths.js";
import { resolveCanonical, validateCutoutOptions } from "../../src/options/resolve.js";

/**
 * Whatever text arrives, a field parser returns a value or throws a
 * validation_error naming its field; a dialect parser returns options or a
 * list of field errors. Nothing else, ever.
 */

const RUNS = { numRuns: 400 };

/** Pieces of every option's grammar, so random text often lands near (and in) the valid forms. */
const TOKENS = [
  "0",
  "1",
  "10",
  "50",
  "100",
  "101",
  "500",
  "501",
  "-1",
  "-360",
  "361",
  ".5",
  "2.5",
  "1e3",
  "+",
  "-",
  ".",
  "px",
  "PX",
  "%",
  "deg",
  " ",
  "  ",
  ",",
  ", ",
  "(",
  ")",
  "#",
  "#00f",
  "#ff880080",
  "red",
  "RED",
  "transparent",
  "rgb(",
  "rgba(",
  "linear-gradient(",
  "to ",
  "top",
  "right",
  "bottom",
  "left",
  "auto",
  "original",
  "center",
  "true",
  "false",
  "yes",
  "no",
  "preview",
  "small",
  "regular",
  "medium",
  "hd",
  "full",
  "4k",
  "50MP",
  "large",
  "png",
  "jpg",
  "jpeg",
  "webp",
  "bmp",
  "zip",
  "rgba",
  "alpha",
  "rgb",
  "drop",
  "3D",
  "3d",
  "car",
  "none",
  "product",
  "person",
  "latest",
  "https://",
  "http://example.com/a.png",
  "ftp://",
  "C:\\",
  "\0",
  "\n",
  "constructor",
  "__proto__",
  "toString",
  "Infinity",
  "NaN",
];

/** Grammar-shaped text: mostly valid margins, regions, gradients, offsets, numbers, with edge values mixed in. */
const separator = fc.constantFrom(" ", ", ", ",", "  ");
const length = fc.tuple(fc.integer({ min: -5, max: 600 }), fc.constantFrom("", "px", "%")).map(([n, unit]) => `${n}${unit}`);
const lengths = fc.tuple(fc.array(length, { minLength: 1, maxLength: 5 }), separator).map(([parts, sep]) => parts.join(sep));
const color = fc.oneof(
  { arbitrary: fc.constantFrom("red", "#00f", "81d4fa", "rgb(1, 2, 3)", "(0, 0, 0, 150)", "transparent"), weight: 6 },
  { arbitrary: fc.constantFrom("nope", "constructor", "rgb(1, 2)"), weight: 1 },
);
const position = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 100 }), weight: 6 },
  { arbitrary: fc.integer({ min: -10, max: 120 }), weight: 1 },
);
const gradient = fc
  .tuple(
    fc.option(
      fc.oneof(
        fc.integer({ min: -400, max: 400 }).map((n) => `${n}deg`),
        fc.constantFrom("to right", "to top left"),
      ),
    ),
    fc.array(fc.tuple(color, fc.option(position)), { maxLength: 4 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([angle, stops, sorted, wrap]) => {
    const ordered = sorted ? [...stops].sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0)) : stops;
    const written = ordered.map(([c, at]) => (at === null ? c : `${c} ${at}%`));
    const inner = [...(angle === null ? [] : [angle]), ...written].join(", ");
    return wrap ? `linear-gradient(${inner})` : inner;
  });
const offset = fc
  .tuple(
    fc.integer({ min: -50, max: 50 }),
    fc.integer({ min: -50, max: 50 }),
    fc.constantFrom("(%x, %y)", "%x,%y", "%x %y", "(%x %y", "%x"),
  )
  .map(([x, y, form]) => form.replace("%x", String(x)).replace("%y", String(y)));
const percent = fc.integer({ min: -5, max: 120 }).map((n) => `${n}%`);
const region = fc
  .tuple(
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 100 }),
    fc.constantFrom("px", "%", ""),
  )
  .map(([x1, y1, x2, y2, unit]) => `${x1}${unit} ${y1}${unit} ${x2}% ${y2}${unit}`);
const number = fc.oneof(fc.integer({ min: -500, max: 500 }).map(String), fc.double({ min: -500, max: 500, noNaN: true }).map(String));

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }).map((parts) => parts.join("")),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }).map((parts) => parts.join(" ")),
  lengths,
  gradient,
  offset,
  number,
  percent,
  region,
  fc.constantFrom(...TOKENS),
);

function validOrValidationError(field: string, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CutoutError);
    expect((error as CutoutError).code).toBe("validation_error");
    expect((error as CutoutError).field).toBe(field);
    expect((error as CutoutError).message).toContain(field);
    return undefined;
  }
}

const finite = (n: unknown) => typeof n === "number" && Number.isFinite(n);

/** Invariants every parsed value keeps, whichever way it was written. */
const PARSERS: Record<string, [(value: string, field: string) => unknown, (value: unknown) => boolean]> = {
  parseBoolean: [fields.parseBoolean, (v) => typeof v === "boolean"],
  parseNumber: [fields.parseNumber, finite],
  parseInteger: [fields.parseInteger, (v) => Number.isSafeInteger(v)],
  parsePositiveInteger: [fields.parsePositiveInteger, (v) => Number.isSafeInteger(v) && (v as number) > 0],
  parseMegapixelSize: [fields.parseMegapixelSize, (v) => typeof v === "object" && v !== null],
  parseLongSideSize: [fields.parseLongSideSize, (v) => typeof v === "object" && v !== null],
  parseDimension: [fields.parseDimension, (v) => Number.isSafeInteger(v) && (v as number) > 0],
  parseFormat: [fields.parseFormat, (v) => fields.FORMATS.includes(v as never)],
  parseChannels: [fields.parseChannels, (v) => fields.CHANNELS.includes(v as never)],
  parseSubject: [fields.parseSubject, (v) => fields.SUBJECTS.includes(v as never)],
  parseTypeLevel: [fields.parseTypeLevel, (v) => fields.TYPE_LEVELS.includes(v as never)],
  parseLength: [fields.parseLength, (v) => finite((v as { value: number }).value) && (v as { value: number }).value >= 0],
  parseMargin: [
    fields.parseMargin,
    (v) =>
      Object.values(v as Record<string, { value: number; unit: string }>).every(
        (side) => side.value >= 0 && side.value <= (side.unit === "%" ? MARGIN_LIMIT.percent : MARGIN_LIMIT.px),
      ),
  ],
  parseScale: [fields.parseScale, (v) => v === "original" || (finite(v) && (v as number) >= 0.1 && (v as number) <= 1)],
  parsePosition: [fields.parsePosition, (v) => typeof v === "object" && v !== null],
  parseRoi: [fields.parseRoi, (v) => typeof v === "object" && v !== null],
  parseRegion: [fields.parseRegion, (v) => v === null || typeof v === "object"],
  parseAngle: [fields.parseAngle, (v) => finite(v) && Math.abs(v as number) <= 360],
  parseColorField: [fields.parseColorField, isRgba],
  parseBackgroundColor: [fields.parseBackgroundColor, (v) => isRgba((v as { color: unknown }).color)],
  parseBlurRadius: [fields.parseBlurRadius, (v) => (v as { radius: number }).radius >= 1 && (v as { radius: number }).radius <= 50],
  parseImageUrl: [fields.parseImageUrl, (v) => typeof v === "string" && /^https?:\/\//i.test(v)],
  parseBackgroundImage: [parseBackgroundImage, (v) => (v as { type: string }).type === "image"],
  parseBackgroundFile: [parseBackgroundFile, (v) => (v as { type: string }).type === "image"],
  parseGradient: [
    fields.parseGradient,
    (v) => {
      const stops = (v as { stops: { at: number; color: unknown }[] }).stops;
      return (
        stops.length >= 2 &&
        stops.every(
          (stop, i) => stop.at >= 0 && stop.at <= 1 && isRgba(stop.color) && (i === 0 || stop.at >= (stops[i - 1] as { at: number }).at),
        )
      );
    },
  ],
  parseShadowType: [fields.parseShadowType, (v) => fields.SHADOW_TYPES.includes(v as never)],
  parseShadowOpacity: [fields.parseShadowOpacity, (v) => finite(v) && (v as number) >= 0 && (v as number) <= 1],
  parseOffset: [fields.parseOffset, (v) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n))],
  parseShadowBlur: [fields.parseShadowBlur, (v) => finite(v) && (v as number) >= 0],
};

describe("field parsers: any string gives a valid value or a validation_error", () => {
  for (const [name, [parse, valid]] of Object.entries(PARSERS)) {
    it(name, () => {
      fc.assert(
        fc.property(text, (value) => {
          const result = validOrValidationError("some_field", () => parse(value, "some_field"));
          if (result !== undefined) expect(valid(result), `${name}(${JSON.stringify(value)}) -> ${JSON.stringify(result)}`).toBe(true);
        }),
        RUNS,
      );
    });
  }
});

/** Every field name any dialect knows, plus strangers. */
const FIELD_NAMES = [
  "size",
  "type",
  "type_level",
  "format",
  "roi",
  "crop",
  "crop_margin",
  "scale",
  "position",
  "channels",
  "add_shadow",
  "semitransparency",
  "bg_color",
  "bg_image_url",
  "bg_image_file",
  "shadow_type",
  "shadow_opacity",
  "image_file",
  "image_file_b64",
  "image_url",
  "image",
  "file",
  "w",
  "h",
  "exact_resize",
  "mask",
  "angle",
  "expand",
  "url",
  "radius",
  "bgcolor",
  "top_color",
  "bottom_color",
  "shadow_color",
  "offset",
  "blur_radius",
  "model",
  "constructor",
  "__proto__",
  "toString",
  "Size",
  "width",
];

const form = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), text, { maxKeys: 8 });

function canonicalInvariants(options: CanonicalOptions): void {
  const { size, shadow, background, scale, angle } = options;
  if (size.kind === "megapixels" || size.kind === "longSide") expect(size.pixels).toBeGreaterThan(0);
  if (size.kind === "explicit") expect(size.width !== undefined || size.height !== undefined).toBe(true);
  expect(shadow.opacity).toBeGreaterThanOrEqual(0);
  expect(shadow.opacity).toBeLessThanOrEqual(1);
  expect(isRgba(shadow.color)).toBe(true);
  expect(shadow.blur).toBeGreaterThanOrEqual(0);
  if (background.type === "blur") expect(background.radius).toBeGreaterThanOrEqual(1);
  if (background.type === "color") expect(isRgba(background.color)).toBe(true);
  if (background.type !== "none") expect(options.channels).not.toBe("alpha");
  if (scale !== "original") expect(scale >= 0.1 && scale <= 1).toBe(true);
  expect(Math.abs(angle)).toBeLessThanOrEqual(360);
}

describe("dialect parsers: any form gives options or field errors, never a throw", () => {
  for (const dialect of DIALECT_NAMES) {
    it(dialect, () => {
      fc.assert(
        fc.property(form, (fieldsIn) => {
          const result = parseDialect(dialect, fieldsIn);
          if (result.ok) {
            canonicalInvariants(result.options);
            if (result.image) expect(Object.hasOwn(fieldsIn, result.image.field)).toBe(true);
          } else {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const error of result.errors) {
              expect(typeof error.field).toBe("string");
              expect(typeof error.value).toBe("string");
              expect(error.message.length).toBeGreaterThan(0);
            }
          }
        }),
        RUNS,
      );
    });
  }
});

describe("resolveCanonical: any input gives options or a validation_error", () => {
  const names = [
    "size",
    "width",
    "height",
    "exactResize",
    "format",
    "channels",
    "type",
    "bgColor",
    "bgImage",
    "bgGradient",
    "bgBlur",
    "shadowType",
    "shadowOpacity",
    "shadowColor",
    "shadowOffset",
    "shadowBlur",
    "crop",
    "cropMargin",
    "scale",
    "position",
    "roi",
    "angle",
    "expand",
    "semitransparency",
    "bgColour",
  ];
  const value = fc.oneof(
    text,
    fc.anything(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.tuple(fc.integer(), fc.integer()),
    fc.constant(null),
  );
  const input = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 6 });

  it("never throws anything but a validation_error naming an option", () => {
    fc.assert(
      fc.property(input, (options) => {
        try {
          canonicalInvariants(resolveCanonical(options));
        } catch (error) {
          expect(error).toBeInstanceOf(CutoutError);
          expect((error as CutoutError).code).toBe("validation_error");
          expect(Object.keys(options)).toContain((error as CutoutError).field);
        }
        expect(() => validateCutoutOptions(options)).not.toThrow();
      }),
      RUNS,
    );
  });
});
