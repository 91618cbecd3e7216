import { expect } from "vitest";
import { CutoutError } from "../../src/errors.js";

/** Runs `fn`, expecting a validation_error for `field` whose message names the field and quotes `value`. */
export function expectInvalid(fn: () => unknown, field: string, value?: string): CutoutError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a validation error").toBeInstanceOf(CutoutError);
  const error = caught as CutoutError;
  expect(error.code).toBe("validation_error");
  expect(error.field).toBe(field);
  expect(error.message).toContain(field);
  if (value !== undefined) expect(error.message).toContain(`'${value}'`);
  return error;
}
