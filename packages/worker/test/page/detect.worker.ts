// The standard worker, as an app would use it: one import.
import '../../dist/worker.js';
