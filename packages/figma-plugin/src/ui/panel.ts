/** The options panel: settings in and out of the form, what shows when, and problems next to their fields. */
import { type PluginSettings, settingsFrom } from "../protocol.js";
import type { OptionProblem } from "./cutout-options.js";

export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`ui.html has no #${id}`);
  return found as T;
}

const form = () => element<HTMLFormElement>("options");

/** Fills the form from settings. */
export function showSettings(settings: PluginSettings): void {
  const controls = form().elements;
  for (const [name, value] of Object.entries(settings)) {
    const control = controls.namedItem(name);
    if (control instanceof RadioNodeList) control.value = String(value);
    else if (control instanceof HTMLInputElement && control.type === "checkbox") control.checked = Boolean(value);
    else if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) control.value = String(value);
  }
  updateVisibility();
}

/** The settings the form shows now. */
export function readSettings(): PluginSettings {
  const controls = form().elements;
  const read: Record<string, unknown> = {};
  for (const name of Object.keys(settingsFrom(undefined))) {
    const control = controls.namedItem(name);
    if (control instanceof RadioNodeList) read[name] = control.value;
    else if (control instanceof HTMLInputElement && control.type === "checkbox") read[name] = control.checked;
    else if (control instanceof HTMLInputElement && (control.type === "number" || control.type === "range"))
      read[name] = control.valueAsNumber;
    else if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) read[name] = control.value;
  }
  return settingsFrom(read);
}

/** Rows shown only for some choices (`data-when="background=color"`, `"engine!=local"`), effects off in mask mode. */
export function updateVisibility(): void {
  const settings = readSettings();
  const values = settings as unknown as Record<string, unknown>;
  for (const row of document.querySelectorAll<HTMLElement>("[data-when]")) {
    const [, name, not, value] = /^(\w+)(!?)=(.+)$/.exec(row.dataset.when ?? "") ?? [];
    row.hidden = name === undefined || (String(values[name]) === value) === (not === "!");
  }
  const mask = settings.mode === "mask";
  element<HTMLFieldSetElement>("effects").disabled = mask;
  element("mask-hint").hidden = !mask;
  element<HTMLInputElement>("crop-margin").disabled = !settings.crop;
  element("blur-value").textContent = String(settings.blurRadius);
}

/** Marks the fields with problems (and says what is wrong under each); clears the rest. */
export function showProblems(problems: OptionProblem[]): void {
  for (const old of document.querySelectorAll(".problem")) old.remove();
  for (const control of document.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
  problems.forEach((problem, i) => {
    const control = document.getElementById(problem.control) ?? element("run");
    const note = document.createElement("p");
    note.className = "problem";
    note.id = `problem-${i}`;
    note.textContent = problem.message;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", note.id);
    (control.closest(".row") ?? control).after(note);
  });
  if (problems[0]) document.getElementById(problems[0].control)?.focus();
}
