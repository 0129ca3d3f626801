// The packed packages through `require` (their CommonJS builds).
const { createTokenClient, isTokenError } = require("@grantry/client");
const { createVerifier, expressAuth } = require("@grantry/verify");
const run = require("./scenario.cjs");

run({ createTokenClient, isTokenError, createVerifier, expressAuth }, "require").catch((error) => {
  console.error(error);
  process.exit(1);
});
