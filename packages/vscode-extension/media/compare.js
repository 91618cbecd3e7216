// Compare view behaviour (loaded from the extension under the page's CSP; no inline script).
const view = document.getElementById("view");
const split = document.getElementById("split");
const before = document.getElementById("before");
const after = document.getElementById("after");
const tabs = { slider: document.getElementById("mode-slider"), sides: document.getElementById("mode-sides") };

function show(mode) {
  view.className = mode;
  for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-selected", String(name === mode));
  place();
}

tabs.slider.addEventListener("click", () => show("slider"));
tabs.sides.addEventListener("click", () => show("sides"));

// In the slider the cutout (which may be smaller, from a size preset) is drawn in the photo's box, and the
// range spans that box, so the thumb sits on the split.
function place() {
  const sliding = view.className === "slider";
  const box = before.getBoundingClientRect();
  for (const element of [after, split]) {
    element.style.width = sliding ? `${box.width}px` : "";
    element.style.height = sliding ? `${box.height}px` : "";
  }
}

split.addEventListener("input", () => view.style.setProperty("--split", split.value));

// A cropped or resized cutout does not line up with the photo: side by side is the honest view.
function decide() {
  if (!before.naturalWidth || !after.naturalWidth) return;
  const ratio = (img) => img.naturalWidth / img.naturalHeight;
  if (Math.abs(ratio(before) / ratio(after) - 1) > 0.01) {
    tabs.slider.disabled = true;
    tabs.slider.title = "The cutout is cropped or reshaped, so it does not line up with the image";
    show("sides");
  }
  place();
}

for (const img of [before, after]) img.addEventListener("load", decide);
window.addEventListener("resize", place);
decide();
