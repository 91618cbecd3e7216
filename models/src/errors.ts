/**
 * The models package cannot import core's CutoutError: core depends on models,
 * not the other way round. ModelError has the same `{ code, message, field }`
 * shape, and its codes are a subset of core's, so core converts it one-to-one.
 */
export type ModelErrorCode = "model_unavailable" | "validation_error";

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  /** The option at fault, for validation errors. */
  readonly field: string | undefined;

  constructor(code: ModelErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelError";
    this.code = code;
    this.field = options.field;
  }

  toJSON(): { code: ModelErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isModelError(value: unknown): value is ModelError {
  return value instanceof ModelError;
}
