/**
 * Every failure that reaches a user carries a stable code. Hosts map codes to
 * their own conventions (CLI exit codes, HTTP statuses, n8n item errors), so a
 * code, once published, never changes meaning.
 */
export type ErrorCode =
  | "validation_error"
  | "invalid_image"
  | "image_too_large"
  | "unsupported_format"
  | "model_unavailable"
  | "inference_failed"
  | "input_unreadable"
  | "output_exists"
  | "output_unwritable"
  | "network_error"
  | "timeout"
  | "no_foreground"
  | "remote_auth_failed"
  | "remote_quota_exceeded"
  | "remote_rate_limited"
  | "remote_error";

export class CutoutError extends Error {
  readonly code: ErrorCode;
  /** The option or form field at fault, for validation errors. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CutoutError";
    this.code = code;
    this.field = options.field;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isCutoutError(value: unknown): value is CutoutError {
  return value instanceof CutoutError;
}

/** A validation error whose message names the option and the value it got, as sharp does. */
export function invalidOption(field: string, expected: string, got: unknown): CutoutError {
  return new CutoutError("validation_error", `Expected ${expected} for ${field} but received ${describe(got)}`, {
    field,
  });
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
