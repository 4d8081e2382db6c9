import type { BrowserBackendId } from './backends.js';

/**
 * What the browser says about its WebGL: whether it has one, and whether it runs on the CPU (a software rasteriser).
 */
export interface GpuInfo {
  webgl: boolean;
  /** The unmasked renderer string, when the browser tells it. */
  renderer?: string;
  software: boolean;
}

/** Renderer names of software WebGL: Chromium's SwiftShader, Mesa's llvmpipe / softpipe, Windows' basic driver. */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer !== undefined && SOFTWARE.test(renderer);
}

/** A short name for a software renderer (the full strings are long). */
export function softwareName(renderer: string | undefined): string {
  const m = renderer?.match(SOFTWARE);
  if (!m) return renderer ?? 'unknown renderer';
  return /swiftshader/i.test(m[0]) ? 'SwiftShader' : m[0];
}

/** Asks a throwaway WebGL context for its renderer. */
export function detectGpu(doc: Document = document): GpuInfo {
  try {
    const canvas = doc.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return { webgl: false, software: true };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { webgl: true, renderer, software: isSoftwareRenderer(renderer) };
  } catch {
    return { webgl: false, software: true };
  }
}

/**
 * The backend to start with: tfjs on WebGL only with a real GPU (on a software rasteriser it takes
 * 25-30 s per image); otherwise ONNX Runtime's WebAssembly build, the fastest without a GPU.
 */
export function defaultBackend(gpu: GpuInfo): { id: BrowserBackendId; why: string } {
  if (gpu.webgl && !gpu.software) return { id: 'tfjs-webgl', why: `picked for your GPU (${gpu.renderer || 'WebGL'})` };
  if (!gpu.webgl) return { id: 'onnx-wasm', why: 'picked: this browser has no WebGL, WebAssembly runs everywhere' };
  return {
    id: 'onnx-wasm',
    why:
      `picked: no GPU found (WebGL runs in software ` +
      `here, ${softwareName(gpu.renderer)}), and WebAssembly is much faster then`,
  };
}

/** A hint to switch, for a backend that is slow here (or was measured slow). */
export function slowHint(id: BrowserBackendId, gpu: GpuInfo, lastMs?: number): string | undefined {
  if (id === 'onnx-wasm') return undefined;
  if (id === 'tfjs-webgl' && gpu.software)
    return 'WebGL runs in software in this browser (no GPU): ONNX Runtime · WebAssembly is several times faster.';
  if (lastMs !== undefined && lastMs > 4000) {
    const seconds = (lastMs / 1000).toFixed(1);
    return `That took ${seconds} s: ONNX Runtime · WebAssembly is usually the fastest without a GPU.`;
  }
  return undefined;
}
