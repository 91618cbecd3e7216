import { describe, expect, it } from "vitest";
import { gradientFrom, parseGradient, verticalGradient } from "../../src/options/gradient.js";
import { expectInvalid } from "./support.js";

const RED = [255, 0, 0, 255];
const BLUE = [0, 0, 255, 255];
const WHITE = [255, 255, 255, 255];

describe("verticalGradient (fapihub top_color / bottom_color)", () => {
  it("runs top to bottom at 180 degrees with two stops", () => {
    expect(verticalGradient([255, 0, 0, 255], [0, 0, 255, 255])).toEqual({
      type: "gradient",
      angle: 180,
      stops: [
        { color: RED, at: 0 },
        { color: BLUE, at: 1 },
      ],
    });
  });
});

describe("parseGradient", () => {
  it("reads a CSS linear-gradient with an angle and a positioned stop", () => {
    expect(parseGradient("linear-gradient(45deg, red, #00f 40%, white)", "bg_gradient")).toEqual({
      type: "gradient",
      angle: 45,
      stops: [
        { color: RED, at: 0 },
        { color: BLUE, at: 0.4 },
        { color: WHITE, at: 1 },
      ],
    });
  });

  it("reads the inner list alone; no angle means 180 (top to bottom)", () => {
    expect(parseGradient("white, black", "bg_gradient")).toMatchObject({ angle: 180, stops: [{ at: 0 }, { at: 1 }] });
  });

  it("reads 'to <side>'", () => {
    expect(parseGradient("to right, red, blue", "g")).toMatchObject({ angle: 90 });
    expect(parseGradient("linear-gradient(to  top, red, blue)", "g")).toMatchObject({ angle: 0 });
    expect(parseGradient("to left, red, blue", "g")).toMatchObject({ angle: 270 });
  });

  it("keeps colours with commas inside parentheses whole", () => {
    const gradient = parseGradient("linear-gradient(rgb(255, 0, 0) 10%, (0, 0, 255, 128) 90%)", "g");
    expect(gradient).toEqual({
      type: "gradient",
      angle: 180,
      stops: [
        { color: RED, at: 0.1 },
        { color: [0, 0, 255, 128], at: 0.9 },
      ],
    });
  });

  it("spreads missing positions evenly between given ones, as CSS does", () => {
    const gradient = parseGradient("red, red, red 60%, red, red", "g");
    expect(gradient.type === "gradient" && gradient.stops.map((stop) => stop.at)).toEqual([0, 0.3, 0.6, 0.8, 1]);
  });

  it("allows equal neighbours for a hard edge", () => {
    const gradient = parseGradient("red 50%, blue 50%", "g");
    expect(gradient.type === "gradient" && gradient.stops.map((stop) => stop.at)).toEqual([0.5, 0.5]);
  });

  it.each([
    ["red", "one stop"],
    ["linear-gradient(45deg, red)", "one stop"],
    ["red 60%, blue 40%", "positions going backwards"],
    ["red, blue 120%", "a position over 100%"],
    ["red, blue -10%", "a negative position"],
    ["400deg, red, blue", "an angle out of range"],
    ["to top right, red, blue", "a corner keyword"],
    ["linear-gradient(red, blue", "unbalanced parentheses"],
    ["red,, blue", "an empty stop"],
    ["radial-gradient(red, blue)", "another gradient kind"],
    ["red, notacolour", "a bad colour"],
    ["", "nothing"],
  ])("refuses %j (%s)", (text) => {
    expectInvalid(() => parseGradient(text, "bg_gradient"), "bg_gradient", text);
  });
});

describe("gradientFrom (angle + stops)", () => {
  it("builds from typed stops with percentage positions", () => {
    expect(
      gradientFrom(
        90,
        [
          { color: [255, 0, 0, 255], at: 0 },
          { color: [0, 0, 255, 255], at: 100 },
        ],
        "g",
        "x",
      ),
    ).toEqual({
      type: "gradient",
      angle: 90,
      stops: [
        { color: RED, at: 0 },
        { color: BLUE, at: 1 },
      ],
    });
  });

  it("needs two stops", () => {
    expectInvalid(() => gradientFrom(90, [{ color: [0, 0, 0, 255] }], "g", "x"), "g");
  });
});
