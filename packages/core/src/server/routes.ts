import { checkFapihubEndpoint, FAPIHUB_ENDPOINTS } from "../options/index.js";
import type { RouteReading } from "./handle.js";
import type { Protocol } from "./protocol.js";
import { FAPIHUB } from "./protocols/fapihub.js";
import { MINIMAL } from "./protocols/minimal.js";
import { REMBG } from "./protocols/rembg.js";
import { REMBG_COM } from "./protocols/rembg-com.js";
import { REMOVEBG } from "./protocols/removebg.js";

/** A route that answers with a cutout. */
export interface ImageRoute {
  method: "GET" | "POST";
  url: string;
  protocol: Protocol;
  reading: RouteReading;
  summary: string;
}

const fapihubRoutes: ImageRoute[] = Object.keys(FAPIHUB_ENDPOINTS).map((endpoint) => ({
  method: "POST",
  url: `/v2/rembg/${endpoint === "" ? "" : `${endpoint}/`}`,
  protocol: FAPIHUB,
  reading: { query: false, check: (fields) => checkFapihubEndpoint(endpoint, fields) },
  summary:
    endpoint === ""
      ? "fapihub: remove the background"
      : `fapihub: remove the background and ${{ blur: "blur it", color: "colour it", gradient: "paint a gradient", shadow: "add a shadow" }[endpoint] ?? endpoint}`,
}));

/** Every image route, by the protocol it speaks. Paths are each service's own, so a client changes only its base URL. */
export const IMAGE_ROUTES: readonly ImageRoute[] = [
  {
    method: "POST",
    url: "/v1.0/removebg",
    protocol: REMOVEBG,
    reading: { query: false },
    summary: "remove.bg / BgCut: remove the background (every remove.bg parameter)",
  },
  { method: "POST", url: "/rmbg", protocol: REMBG_COM, reading: { query: false }, summary: "rembg.com: remove the background" },
  ...fapihubRoutes,
  {
    method: "POST",
    url: "/v1/remove",
    protocol: MINIMAL,
    reading: { query: false },
    summary: "The minimal Remove Background API: remove the background",
  },
  {
    method: "POST",
    url: "/api/remove",
    protocol: REMBG,
    reading: { query: true },
    summary: "rembg server: remove the background of an upload",
  },
  {
    method: "GET",
    url: "/api/remove",
    protocol: REMBG,
    reading: { query: true },
    summary: "rembg server: remove the background of an image URL",
  },
];
