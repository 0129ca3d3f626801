// The headless CLI: `npm run grantry -- <command>` or `grantry <command>`.
// It calls the same domain functions as the dashboard.
import { bootstrap, closeDatabaseClient } from "../lib/runtime/bootstrap";
import { logToStderr } from "../lib/observability/log";
import { CliError, COMMANDS, flagOf, usage } from "./commands";

logToStderr();

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const args = argv.filter((a) => a !== "--json");
  const [group, verb] = args;
  if (!group || group === "help" || group === "--help" || group === "-h") {
    console.log(usage());
    return group ? 0 : 2;
  }
  // A one-word command (`grantry plan -f …`) takes everything after its name as options.
  const command = COMMANDS.find((c) => c.group === group && c.verb === "") ?? COMMANDS.find((c) => c.group === group && c.verb === verb);
  if (!command) {
    console.error(`Unknown command "${[group, verb].filter(Boolean).join(" ")}".\n\n${usage()}`);
    return 2;
  }
  let options;
  try {
    options = command.parse(args.slice(command.verb ? 2 : 1));
  } catch (error) {
    const message = (error as Error).message;
    console.error(json ? JSON.stringify({ error: { message, usage: `grantry ${command.usage}` } }) : `${message}\n\nUsage: grantry ${command.usage}`);
    return command.usageExit ?? 2;
  }
  options.json = json;
  const print = (result: unknown) => {
    console.log(json && !command.raw ? JSON.stringify(result, null, 2) : command.format(result as never));
    return command.exitCode ? command.exitCode(result as never) : 0;
  };
  const offline = typeof command.offline === "function" ? command.offline(options) : command.offline;
  if (offline) {
    try {
      return print(await command.run(options));
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      console.error(json ? JSON.stringify({ error: { message: error.message } }) : `Error: ${error.message}`);
      return 1;
    }
  }
  const database = await bootstrap();
  try {
    return print(await command.run(options));
  } catch (error) {
    const { DomainError } = await import("../lib/domain/errors");
    if (error instanceof CliError || error instanceof DomainError) {
      // The domain names fields (tokenLifetime); the user typed flags (--lifetime).
      const details = error instanceof DomainError ? Object.fromEntries(Object.entries(error.details).map(([field, text]) => [flagOf(field), text])) : {};
      const listed = Object.keys(details).length
        ? ` (${Object.entries(details)
            .map(([k, v]) => `${k}: ${v}`)
            .join("; ")})`
        : "";
      console.error(json ? JSON.stringify({ error: { message: error.message, details } }) : `Error: ${error.message}${listed}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDatabaseClient();
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Error: ${error.message}`);
    process.exit(1);
  },
);
