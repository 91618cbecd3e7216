"use strict";
// The refinement's kernels, compiled to WebAssembly by scripts/build.mjs
// (AssemblyScript). src/wasm/kernels.ts loads them; see there for why.
Object.defineProperty(exports, "__esModule", { value: true });
exports.unitAlpha = exports.shrinkColours = exports.settledCells = exports.resizeRow = exports.resampleRow = exports.inputRow = exports.blendRows = exports.windowWorkBytes = exports.fitWindow = exports.settleBlocks = exports.pixelLevels = exports.fillCells = exports.applyRow = exports.writeForeground = exports.fusionWorkBytes = exports.fuseRect = void 0;
var blur_fusion_1 = require("./blur-fusion");
Object.defineProperty(exports, "fuseRect", { enumerable: true, get: function () { return blur_fusion_1.fuseRect; } });
Object.defineProperty(exports, "fusionWorkBytes", { enumerable: true, get: function () { return blur_fusion_1.fusionWorkBytes; } });
var foreground_1 = require("./foreground");
Object.defineProperty(exports, "writeForeground", { enumerable: true, get: function () { return foreground_1.writeForeground; } });
var guided_apply_1 = require("./guided-apply");
Object.defineProperty(exports, "applyRow", { enumerable: true, get: function () { return guided_apply_1.applyRow; } });
Object.defineProperty(exports, "fillCells", { enumerable: true, get: function () { return guided_apply_1.fillCells; } });
Object.defineProperty(exports, "pixelLevels", { enumerable: true, get: function () { return guided_apply_1.pixelLevels; } });
Object.defineProperty(exports, "settleBlocks", { enumerable: true, get: function () { return guided_apply_1.settleBlocks; } });
var guided_window_1 = require("./guided-window");
Object.defineProperty(exports, "fitWindow", { enumerable: true, get: function () { return guided_window_1.fitWindow; } });
Object.defineProperty(exports, "windowWorkBytes", { enumerable: true, get: function () { return guided_window_1.windowWorkBytes; } });
var input_1 = require("./input");
Object.defineProperty(exports, "blendRows", { enumerable: true, get: function () { return input_1.blendRows; } });
Object.defineProperty(exports, "inputRow", { enumerable: true, get: function () { return input_1.inputRow; } });
Object.defineProperty(exports, "resampleRow", { enumerable: true, get: function () { return input_1.resampleRow; } });
var matte_1 = require("./matte");
Object.defineProperty(exports, "resizeRow", { enumerable: true, get: function () { return matte_1.resizeRow; } });
Object.defineProperty(exports, "settledCells", { enumerable: true, get: function () { return matte_1.settledCells; } });
Object.defineProperty(exports, "shrinkColours", { enumerable: true, get: function () { return matte_1.shrinkColours; } });
Object.defineProperty(exports, "unitAlpha", { enumerable: true, get: function () { return matte_1.unitAlpha; } });
