import { DIALECT_FIELDS, type DialectName, OPTION_FIELDS } from "../options/index.js";
import type { ImageRoute } from "./routes.js";

/** Field descriptions from the options table, under every spelling a dialect uses; the dialects' own fields get a line here. */
function descriptions(dialect: DialectName): Map<string, string> {
  const known = new Map<string, string>();
  for (const option of OPTION_FIELDS) {
    if (dialect === "removebg" || dialect === "bgcut" ? option.removebg : false) known.set(option.field, option.description);
    for (const name of option.aliases?.[dialect] ?? []) known.set(name, option.description);
  }
  const own: Record<string, string> = {
    image_file: "The image (binary upload).",
    image_file_b64: "The image, base64-encoded.",
    image_url: "The image's http(s) URL; fetched by the server (public addresses only).",
    bg_image_url: "A background image's http(s) URL; fetched by the server (public addresses only).",
    bg_image_file: "A background image (binary upload).",
    type_level: "How finely the subject type is reported in X-Type; changes nothing in the image.",
    image: "The image (binary upload).",
    file: "The image (binary upload).",
    url: "The image's http(s) URL; fetched by the server (public addresses only).",
    w: "Output width in pixels.",
    h: "Output height in pixels.",
    mask: "true: the alpha mask alone.",
    om: "true: the alpha mask alone.",
    bgc: "Background colour as r,g,b,a (0..255 each).",
    a: "rembg's alpha matting: accepted; Cutout always refines edges.",
    af: "rembg's alpha matting foreground threshold (0..255): accepted, no effect.",
    ab: "rembg's alpha matting background threshold (0..255): accepted, no effect.",
    ae: "rembg's alpha matting erode size: accepted, no effect.",
    ppm: "rembg's mask post-processing: accepted, no effect.",
    model: "The provider's model name; Cutout runs its own model in place of the default one.",
    extras: "rembg's extra session parameters (JSON): accepted, ignored.",
    size: "Output size preset.",
    channels: "rgba, alpha (the matte) or rgb.",
    format: "Output format.",
    crop: "Crop to the subject.",
    bg_color: "Background colour.",
  };
  for (const [name, text] of Object.entries(own)) if (!known.has(name)) known.set(name, text);
  return known;
}

function formSchema(route: ImageRoute): object {
  const dialect = route.protocol.dialect;
  const { image, options } = DIALECT_FIELDS[dialect];
  const text = descriptions(dialect);
  const properties: Record<string, object> = {};
  for (const [name, kind] of image) {
    properties[name] =
      kind === "file" ? { type: "string", format: "binary" } : kind === "url" ? { type: "string", format: "uri" } : { type: "string" };
  }
  for (const name of options) properties[name] = name === "bg_image_file" ? { type: "string", format: "binary" } : { type: "string" };
  for (const [name, schema] of Object.entries(properties)) {
    const description = text.get(name);
    if (description) properties[name] = { ...schema, description };
  }
  return { type: "object", properties };
}

const ERROR_RESPONSES = {
  "400": { description: "Invalid parameters or an unusable image, in the protocol's own error shape (with core's error code)" },
  "401": { description: "Missing or unknown API key (remove.bg's route answers 403, as remove.bg does)" },
  "422": { description: "rembg's route: invalid parameters, in FastAPI's {detail: [...]} shape" },
  "429": { description: "Rate limit exceeded (X-RateLimit-* and Retry-After headers)" },
  "503": { description: "The queue is full (Retry-After), or the model is not available" },
};

/** An OpenAPI 3.1 description of every route, built from the route table and core's dialect fields, so it cannot drift from what is served. */
export function openApiDocument(routes: readonly ImageRoute[]): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const schema = formSchema(route);
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.protocol.title],
      responses: {
        "200": { description: "The image", content: { "image/*": { schema: { type: "string", format: "binary" } } } },
        ...ERROR_RESPONSES,
      },
    };
    if (route.method === "GET") {
      const { properties } = schema as { properties: Record<string, object> };
      operation.parameters = Object.entries(properties).map(([name, field]) => ({
        name,
        in: "query",
        required: name === "url",
        schema: field,
      }));
    } else {
      operation.requestBody = {
        required: true,
        content: {
          "multipart/form-data": { schema },
          "application/x-www-form-urlencoded": { schema },
          "application/json": { schema },
        },
      };
      if (route.protocol.id === "rembg") {
        const { properties } = schema as { properties: Record<string, object> };
        operation.parameters = ["bgc", "extras"].map((name) => ({ name, in: "query", schema: properties[name] }));
      }
    }
    paths[route.url] = { ...paths[route.url], [route.method.toLowerCase()]: operation };
  }
  const json = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
  paths["/v1.0/account"] = {
    get: {
      summary: "remove.bg: account balance (what the rate limit leaves this minute, in megapixels)",
      tags: ["remove.bg / BgCut"],
      responses: { "200": json("remove.bg's account shape"), "403": json("Missing or unknown API key") },
    },
  };
  paths["/healthz"] = { get: { summary: "The server is up; queue and counters", responses: { "200": json("ok") } } };
  paths["/readyz"] = { get: { summary: "The model is loaded", responses: { "200": json("ready"), "503": json("loading, or failed") } } };
  paths["/openapi.json"] = { get: { summary: "This document", responses: { "200": json("OpenAPI 3.1") } } };
  paths["/"] = { get: { summary: "A web page to try it", responses: { "200": { description: "HTML" } } } };
  return {
    openapi: "3.1.0",
    info: {
      title: "Cutout server",
      version: "1",
      description:
        "Local background removal speaking the paid APIs' protocols: remove.bg and BgCut, rembg.com, fapihub, the minimal Remove Background API and rembg's own server. Point a client at this server's base URL instead of the service's.",
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-Api-Key",
          description: "Also accepted as ApiKey (fapihub) or Authorization: Bearer",
        },
      },
    },
    security: [{ apiKey: [] }, {}],
    paths,
  };
}
