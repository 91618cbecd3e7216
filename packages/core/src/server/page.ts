/**
 * The page at GET /: drop photos (or pick them), choose the main options,
 * see each one before and after over a checkerboard, download the result.
 * It calls the server's own remove.bg route, so it is also a working example
 * of that protocol. Self-contained: no request leaves for anywhere else.
 */
export function webPage({ keys }: { keys: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cutout</title>
<style>
  :root { color-scheme: light dark; font: 15px/1.45 system-ui, sans-serif; }
  body { margin: 0 auto; max-width: 1100px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  p.lead { margin: 0 0 18px; opacity: .75; }
  form { display: flex; flex-wrap: wrap; gap: 12px 18px; align-items: end; margin-bottom: 16px; }
  label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
  label.inline { flex-direction: row; align-items: center; gap: 6px; }
  select, input[type=password] { font: inherit; padding: 4px 6px; }
  #drop { border: 2px dashed #8888; border-radius: 12px; padding: 36px; text-align: center; cursor: pointer; margin-bottom: 18px; }
  #drop.over { border-color: #2f80ed; background: #2f80ed14; }
  .result { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-bottom: 22px; }
  .result h2 { grid-column: 1 / -1; font-size: 15px; margin: 0; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
  .pane { border-radius: 8px; overflow: hidden; min-height: 120px; display: flex; align-items: center; justify-content: center;
          background-color: #fff; background-image: linear-gradient(45deg, #ccc 25%, transparent 25%, transparent 75%, #ccc 75%),
          linear-gradient(45deg, #ccc 25%, transparent 25%, transparent 75%, #ccc 75%);
          background-size: 20px 20px; background-position: 0 0, 10px 10px; }
  .pane img { max-width: 100%; max-height: 480px; display: block; }
  .status { font-weight: normal; font-size: 13px; opacity: .8; }
  .error { color: #d33; }
  a.download { font-size: 13px; }
</style>
</head>
<body>
<h1>Cutout</h1>
<p class="lead">Background removal on this server, with the model running locally. Nothing is sent anywhere else.</p>
<form id="options">
  <label>Format <select name="format"><option value="png">PNG</option><option value="webp">WebP</option><option value="jpg">JPG</option></select></label>
  <label>Size <select name="size"><option value="auto">original</option><option value="preview">preview (0.25 MP)</option><option value="medium">medium (1.5 MP)</option><option value="hd">HD (4 MP)</option></select></label>
  <label>Shadow <select name="shadow_type"><option value="none">none</option><option value="drop">drop</option><option value="3D">3D</option></select></label>
  <label class="inline"><input type="checkbox" name="use_bg"> Background <input type="color" name="bg_color" value="#ffffff"></label>
  <label class="inline"><input type="checkbox" name="crop"> Crop to the subject</label>
  ${keys ? '<label>API key <input type="password" name="key" autocomplete="off" required></label>' : ""}
</form>
<div id="drop" tabindex="0" role="button">Drop photos here, or click to choose<input id="files" type="file" accept="image/*" multiple hidden></div>
<div id="results"></div>
<script>
const form = document.getElementById("options");
const drop = document.getElementById("drop");
const picker = document.getElementById("files");
const results = document.getElementById("results");

drop.addEventListener("click", () => picker.click());
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") picker.click(); });
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); run([...e.dataTransfer.files]); });
picker.addEventListener("change", () => { run([...picker.files]); picker.value = ""; });

async function run(files) {
  for (const file of files.filter((f) => f.type.startsWith("image/") || f.type === "")) await cut(file);
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function cut(file) {
  const status = element("span", { className: "status", textContent: "working…" });
  const after = element("div", { className: "pane after" });
  const card = element("section", { className: "result" },
    element("h2", {}, file.name, status),
    element("div", { className: "pane before" }, element("img", { src: URL.createObjectURL(file), alt: "before" })),
    after);
  results.prepend(card);
  const data = new FormData(form);
  const body = new FormData();
  body.append("image_file", file, file.name);
  for (const name of ["format", "size", "shadow_type"]) body.append(name, data.get(name));
  if (data.get("use_bg")) body.append("bg_color", data.get("bg_color"));
  if (data.get("crop")) body.append("crop", "true");
  const headers = data.get("key") ? { "X-Api-Key": data.get("key") } : {};
  const started = performance.now();
  try {
    const response = await fetch("/v1.0/removebg", { method: "POST", body, headers });
    if (!response.ok) {
      const json = await response.json().catch(() => ({}));
      throw new Error(json.errors?.[0]?.title ?? response.status + " " + response.statusText);
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const extension = (blob.type.split("/")[1] || "png").replace("jpeg", "jpg");
    after.append(element("img", { src: url, alt: "after" }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent = response.headers.get("x-width") + "×" + response.headers.get("x-height") + ", " + seconds + " s";
    status.after(element("a", { className: "download", href: url, download: file.name.replace(/\\.[^.]*$/, "") + ".cutout." + extension, textContent: "Download" }));
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  }
}
</script>
</body>
</html>
`;
}
