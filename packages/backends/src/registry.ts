/**
 * What a registry of backends is, for Node (`./node`) and browsers (`./browser`) alike: a plain
 * typed map from a name to a factory, frozen at build time. No `registerBackend` at run time: the
 * names a program accepts (the CLI's `--backend`, a server's query parameter) are then known to the
 * type checker and listed in `--help`, and an unknown name fails with one clear error. A backend
 * the registry does not list is still a plain `MtcnnBackend`: pass it to `createDetector`.
 */
import { createDetector, MtcnnError, type CreateDetectorOptions, type Detector, type MtcnnBackend } from '@mtcnn/core';

export interface BackendEntry<O> {
  /** One line for menus and `--help`, e.g. `ONNX Runtime, native CPU kernels`. */
  readonly description: string;
  /** A new backend; dispose it (or the detector that owns it) when done. */
  create(options: O): Promise<MtcnnBackend>;
}

/** The options argument of `createBackend`: optional when every option is. */
export type OptionsArg<O> = object extends O ? [options?: O] : [options: O];

/** A registry's exports, under the names `./node` and `./browser` export them by. */
export interface BackendRegistry<N extends string, O> {
  /** Every backend by name, in the order to offer them. */
  readonly BACKENDS: { readonly [K in N]: BackendEntry<O> };
  /** The names of `BACKENDS`, in order. */
  readonly BACKEND_NAMES: readonly N[];
  /** What to use (or offer first) when the user names none. */
  readonly DEFAULT_BACKEND: N;
  /** Whether `name` is one of `BACKEND_NAMES` (`toString` is not). */
  isBackendName(name: string): name is N;
  /** A new backend `name`; an unknown name is `MtcnnError('INVALID_OPTION')` naming the known ones. */
  createBackend(name: N, ...options: OptionsArg<O>): Promise<MtcnnBackend>;
  /** A detector on a new backend `name`; the backend is disposed if the detector options are refused. */
  openDetector(name: N, detector?: CreateDetectorOptions, ...options: OptionsArg<O>): Promise<Detector>;
}

/** A registry over `backends` (`where` names it in error messages: `Node`, `browser`). */
export function defineRegistry<N extends string, O>(
  where: string,
  backends: { readonly [K in N]: BackendEntry<O> },
  defaultBackend: NoInfer<N>,
): BackendRegistry<N, O> {
  const names = Object.freeze(Object.keys(backends) as N[]);
  const isBackendName = (name: string): name is N => Object.hasOwn(backends, name);
  const createBackend = (name: N, ...[options]: OptionsArg<O>): Promise<MtcnnBackend> => {
    if (!isBackendName(name)) {
      return Promise.reject(
        new MtcnnError(
          'INVALID_OPTION',
          `Unknown backend ${JSON.stringify(name)}; the ${where} backends are ${names.join(', ')}.`,
        ),
      );
    }
    return backends[name].create((options ?? {}) as O);
  };
  return {
    BACKENDS: backends,
    BACKEND_NAMES: names,
    DEFAULT_BACKEND: defaultBackend,
    isBackendName,
    createBackend,
    async openDetector(name, detector = {}, ...options) {
      const backend = await createBackend(name, ...options);
      try {
        return createDetector(backend, detector);
      } catch (e) {
        backend.dispose();
        throw e;
      }
    },
  };
}
