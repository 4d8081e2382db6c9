/**
 * Plain types of the graph builder, apart from proto.ts so that the package's public .d.ts never
 * reach `onnx-proto`'s generated types (which name a global `Long` they do not declare).
 */

/** A dimension: a fixed size, or a symbolic name (`dim_param`) the runtime binds per run. */
export type Dim = number | string;

/** Integer, list of integers, string, or `{ float }` (the only attribute kinds these graphs need). */
export type AttributeValue = number | readonly number[] | string | { readonly float: number };
