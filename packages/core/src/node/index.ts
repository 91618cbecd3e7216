/** `@cutout/core/node`: the Node adapter's building blocks (sharp, onnxruntime-node, the model loader), for tools around the engine. */
export { nodeCodec } from "./codec.js";
export { cpuCores, threadSettings } from "./cpu-cores.js";
export { type CpuFeatures, cpuFeatures, cpuSummary } from "./cpu-features.js";
export { type DecodedImage, type DecodedPhoto, decodeImage, decodePhoto } from "./decode.js";
export { encodeRendered, libvipsPng } from "./encode.js";
export { loadEngineModel, type ModelChoice } from "./engine-model.js";
export { loadModelBytes } from "./load-model.js";
export { encodePng } from "./png-encode.js";
export { type ImageInput, readInput } from "./read-input.js";
export { sharpResize } from "./sharp-resize.js";
export { writeFileAtomic } from "./write-atomic.js";
