/**
 * Float32 arithmetic. The reference computes every box in float32 tensors; doing the same
 * arithmetic in float64 moves boxes by a pixel now and then (pipeline step 5,
 * docs/architecture.md), so each operation here rounds to float32 exactly as one tensor op would.
 * (For + - * / on float32 operands, computing in float64 and rounding once is the correctly
 * rounded float32 result.)
 */
export const f32 = Math.fround;
export const add = (a: number, b: number): number => Math.fround(a + b);
export const sub = (a: number, b: number): number => Math.fround(a - b);
export const mul = (a: number, b: number): number => Math.fround(a * b);
export const div = (a: number, b: number): number => Math.fround(a / b);
