/**
 * Clients written by somebody else: the request samples the services
 * publish in their API documentation (../shared/api-docs), kept here as
 * printed. The tests change only the base URL (and, where a sample names a
 * placeholder file such as /path/to/file.jpg, that path), then run them
 * unchanged against `cutout serve`.
 */

/** remove.bg's "Sample Code" (Node, fetch with FormData), remove-bg.txt. */
export const REMOVEBG_JS_SAMPLE = `import fs from "node:fs";

async function removeBg(blob) {
  const formData = new FormData();
  formData.append("size", "auto");
  formData.append("image_file", blob);

  const response = await fetch("https://api.remove.bg/v1.0/removebg", {
    method: "POST",
    headers: { "X-Api-Key": "INSERT_YOUR_API_KEY_HERE" },
    body: formData,
  });

  if (response.ok) {
    return await response.arrayBuffer();
  } else {
    throw new Error(\`\${response.status}: \${response.statusText}\`);
  }
}

const inputPath = "/path/to/file.jpg";
const fileBlob = await fs.openAsBlob(inputPath)
const rbgResultData = await removeBg(fileBlob);
fs.writeFileSync("no-bg.png", Buffer.from(rbgResultData));
`;

/** remove.bg's curl call from its "Rate Limit" sample (a JSON body naming an image URL), remove-bg.txt. */
export const REMOVEBG_CURL_JSON = `curl -i -s -X POST "https://api.remove.bg/v1.0/removebg" \\
    -H "Content-Type: application/json" \\
    -d '{"image_url":"https://www.remove.bg/example.jpg"}'`;

/** BgCut's "Sample Code" and "Authentication" curl, bgcut.txt. */
export const BGCUT_CURL_UPLOAD = `curl -H 'X-Api-Key: INSERT_YOUR_API_KEY_HERE' \\
-F 'image_file=@/path/to/file.jpg' \\
-F 'size=auto' \\
-f https://api.rembg.click/v1.0/removebg -o no-bg.png`;

/** BgCut's account curl, bgcut.txt. */
export const BGCUT_CURL_ACCOUNT = `curl -H 'X-Api-Key: INSERT_YOUR_API_KEY_HERE' https://api.rembg.click/v1.0/account`;

/**
 * rembg.com's "Full example" curl, rembg-com.txt. The text copy lost its line
 * breaks and kept a comment after each option, so it is not runnable as
 * printed; these are its options in its order, one per line, comments left
 * out.
 */
export const REMBG_COM_CURL = `curl -X POST "https://api.rembg.com/rmbg" \\
  -H "x-api-key: YOUR_API_KEY_HERE" \\
  -F "image=@/path/to/image.jpg" \\
  -F "format=webp" \\
  -F "w=800" \\
  -F "h=600" \\
  -F "exact_resize=false" \\
  -F "mask=false" \\
  -F "bg_color=#ffffffff" \\
  -F "angle=0" \\
  -F "expand=true"`;

/** rembg's README: its own server, an upload to POST /api/remove. */
export const REMBG_CURL_UPLOAD = `curl -s -F file=@/path/to/input.jpg "http://localhost:7000/api/remove"  -o output.png`;

/** rembg's README: its own server, GET /api/remove with an image URL. */
export const REMBG_CURL_URL = `curl -s "http://localhost:7000/api/remove?url=http://input.png" -o output.png`;

/** A sample with its base URL (and placeholder file paths) replaced. */
export function pointed(sample: string, base: string, files: Record<string, string> = {}): string {
  let text = sample.replace(
    /https?:\/\/(api\.remove\.bg|api\.rembg\.click|api\.rembg\.com|localhost:7000)(\/v1\.0)?/g,
    (_m, _host, version) => `${base}${version ?? ""}`,
  );
  for (const [placeholder, path] of Object.entries(files)) text = text.split(placeholder).join(path);
  return text;
}
