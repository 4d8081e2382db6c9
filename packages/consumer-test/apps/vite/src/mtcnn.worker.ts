// The README's worker file: the whole of it.
import '@mtcnn/worker/worker';
