import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL, getModelSpec, isModelError, listModels } from "../src/index";

describe("manifest", () => {
  it("lists the models with typed specs", () => {
    const names = listModels().map((m) => m.name);
    expect(names).toEqual(["isnet-fp16", "isnet-q8"]);
    expect(DEFAULT_MODEL).toBe("isnet-fp16");
    for (const spec of listModels()) {
      expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(spec.source.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
      expect(spec.inputSize).toHaveLength(2);
      expect(spec.normalization.mean).toHaveLength(3);
      expect(spec.normalization.std).toHaveLength(3);
    }
  });

  it("getModelSpec defaults to DEFAULT_MODEL and rejects unknown names with the known ones", () => {
    expect(getModelSpec().name).toBe(DEFAULT_MODEL);
    expect(getModelSpec("isnet-q8").source.resource).toBe("/models/small");
    let caught: unknown;
    try {
      getModelSpec("nope");
    } catch (error) {
      caught = error;
    }
    expect(isModelError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "validation_error", field: "model" });
    expect(JSON.parse(JSON.stringify(caught))).toEqual({
      code: "validation_error",
      field: "model",
      message: "Unknown model 'nope'. Known models: isnet-fp16, isnet-q8",
    });
  });
});
