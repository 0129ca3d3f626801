// The packed packages through `import` (their ESM builds).
import { createTokenClient, isTokenError } from "@grantry/client";
import { createVerifier, expressAuth } from "@grantry/verify";
import run from "./scenario.cjs";

await run({ createTokenClient, isTokenError, createVerifier, expressAuth }, "import");
