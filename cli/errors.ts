/** A mistake the user can fix (a flag, a file, a credential): printed as it is, without a stack. */
export class CliError extends Error {}
