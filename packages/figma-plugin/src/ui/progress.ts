/**
 * The progress bar and status line. The model's download moves the bar by
 * bytes received. Inference gives no progress of its own (one onnxruntime
 * call), so while an image is cut out the bar moves by the time the last
 * cutout took on this computer (kept between launches), stopping short of
 * the end until the image is done; the first time, it says so instead.
 */
import type { ImageJob } from "../protocol.js";

const MB = 1024 * 1024;
/** The share of an image's slot the bar fills while its time runs; the rest waits for the result. */
const PACED = 0.9;

export class Progress {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly bar: HTMLElement,
    private readonly status: HTMLElement,
  ) {}

  begin(text: string): void {
    this.stopPacing();
    this.bar.hidden = false;
    this.say(text);
  }

  model(progress: { phase: "download" | "verify" | "quantize"; received: number; total?: number }): void {
    this.stopPacing();
    if (progress.phase === "download") {
      const total = progress.total ? ` of ${(progress.total / MB).toFixed(0)} MB` : "";
      this.say(`Downloading the model: ${(progress.received / MB).toFixed(0)}${total}`);
      if (progress.total) this.set(progress.received / progress.total);
    } else {
      this.say(progress.phase === "verify" ? "Checking the model…" : "Preparing the int8 model (once per launch)…");
      this.set(1);
    }
  }

  /** An image's cutout begins; `expectedMs` is how long the last one took here, if known. */
  cutting(job: ImageJob, expectedMs: number | undefined): void {
    this.stopPacing();
    const of = job.total > 1 ? ` (${job.index + 1} of ${job.total})` : "";
    this.say(
      `Cutting out ${job.label}${of}${expectedMs ? `, about ${Math.max(1, Math.round(expectedMs / 1000))} s` : ", timing this computer"}…`,
    );
    const started = performance.now();
    const update = () => {
      const within = expectedMs ? Math.min(PACED, (performance.now() - started) / expectedMs) : 0;
      this.set((job.index + within) / job.total);
    };
    update();
    if (expectedMs) this.timer = setInterval(update, 100);
  }

  end(text: string): void {
    this.stopPacing();
    this.set(1);
    this.bar.hidden = true;
    this.say(text);
  }

  fail(text: string): void {
    this.end(text);
    this.status.classList.add("danger");
  }

  private say(text: string): void {
    this.status.classList.remove("danger");
    this.status.textContent = text;
  }

  private set(fraction: number): void {
    const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    (this.bar.firstElementChild as HTMLElement).style.width = `${percent}%`;
    this.bar.setAttribute("aria-valuenow", String(percent));
  }

  private stopPacing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
