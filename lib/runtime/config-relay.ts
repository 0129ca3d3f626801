// Configuration changes between the processes of one `npm start`: the
// protocol server, its Next.js process and, with --workers, the cluster
// primary that relays between them. A change made in one process (a secret
// revoked in the dashboard) reaches the token endpoint's cache in the others
// over their IPC channels before the dashboard's response does, so it takes
// effect on the next token request, as it did when they shared a process.
import { onTenantChanged } from "@/lib/domain/changes";
import { markRemoteChange } from "@/lib/oauth/cache";

export type ConfigChanged = { grantry: "config-changed"; tenantId: string };

export function isConfigChanged(message: unknown): message is ConfigChanged {
  const m = message as Partial<ConfigChanged> | null;
  return typeof m === "object" && m !== null && m.grantry === "config-changed" && typeof m.tenantId === "string";
}

type Channel = { send?: (message: ConfigChanged, callback: (error: Error | null) => void) => unknown; connected?: boolean };

/**
 * Tells `peer` of every change made in this process, and applies the changes
 * `peer` reports to this process's token cache. Returns the detach function.
 */
export function relayConfigChanges(peer: Channel & NodeJS.EventEmitter): () => void {
  const stopTelling = onTenantChanged((tenantId) => {
    // A peer that is gone (restarting) reloads everything when it is back: nothing to tell it.
    if (peer.connected !== false) peer.send?.({ grantry: "config-changed", tenantId }, () => {});
  });
  const hear = (message: unknown) => {
    if (isConfigChanged(message)) markRemoteChange(message.tenantId);
  };
  peer.on("message", hear);
  return () => {
    stopTelling();
    peer.off("message", hear);
  };
}
