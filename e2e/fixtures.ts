// Shared credentials of the first owner created by the setup project.
export const OWNER = { email: "owner@example.com", password: "correct horse battery staple" };
export const STORAGE_STATE = ".tmp/e2e-owner.json";
