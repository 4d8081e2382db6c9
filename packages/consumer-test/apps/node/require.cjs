// CommonJS require() of an ESM-only package must fail with a message that says what to do.
try {
  require(process.argv[2]);
  console.log('loaded');
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}
