// The Node registry lives in @mtcnn/backends; re-exported for the CLI's modules.
export * from '@mtcnn/backends/node';
