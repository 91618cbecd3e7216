import type {} from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { CutoutError } from "../errors.js";

/** A request's fields, whichever way they came: multipart, urlencoded, JSON, or (where the protocol reads it) the query string. */
export interface RequestBody {
  fields: Record<string, string>;
  /** Uploaded files by field name. */
  files: Map<string, Buffer>;
}

/**
 * Collects a request's fields. Multipart parts are read one at a time by
 * @fastify/multipart, each file capped at the body limit and the parts
 * together too; urlencoded and JSON bodies have been parsed by fastify
 * within the same limit. A field given twice is refused rather than one
 * copy silently winning.
 */
export async function readRequestBody(request: FastifyRequest, withQuery: boolean, maxBytes: number): Promise<RequestBody> {
  const body: RequestBody = { fields: {}, files: new Map() };
  const add = (name: string, value: unknown, where: string) => {
    if (Object.hasOwn(body.fields, name) || body.files.has(name)) throw twice(name);
    if (Array.isArray(value)) throw twice(name);
    if (value === null || value === undefined) return;
    if (typeof value === "object") {
      throw new CutoutError(
        "validation_error",
        `${name} must be text, as it comes off a form, not ${where === "json" ? "a JSON object" : "an object"}`,
        {
          field: name,
        },
      );
    }
    body.fields[name] = String(value);
  };
  if (withQuery) for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) add(name, value, "query");
  if (request.isMultipart()) {
    let total = 0;
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const bytes = await part.toBuffer();
        if (Object.hasOwn(body.fields, part.fieldname) || body.files.has(part.fieldname)) throw twice(part.fieldname);
        body.files.set(part.fieldname, bytes);
        total += bytes.length;
      } else {
        add(part.fieldname, part.value, "form");
        total += String(part.value).length;
      }
      if (total > maxBytes) throw tooLarge(maxBytes);
    }
  } else if (request.body !== undefined && request.body !== null) {
    if (typeof request.body !== "object") throw new CutoutError("validation_error", "The body must be a form or a JSON object");
    for (const [name, value] of Object.entries(request.body as Record<string, unknown>)) add(name, value, "json");
  }
  return body;
}

export function tooLarge(maxBytes: number): CutoutError {
  return new CutoutError("image_too_large", `The request is larger than this server's body limit of ${maxBytes} bytes`);
}

function twice(name: string): CutoutError {
  return new CutoutError("validation_error", `${name} was given more than once`, { field: name });
}
