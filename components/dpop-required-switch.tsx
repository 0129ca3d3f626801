// "Require DPoP" on an API (its tokens are only issued bound to a key) and on
// an application (its token requests must prove a key). Turning it on refuses
// every client that does not send DPoP proofs yet, so that asks first.
import { Badge } from "@/components/ui/badge";
import { GuardedSwitch } from "@/components/ui/guarded-switch";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  subject: "api" | "application";
  dpopRequired: boolean;
  action: ((on: boolean) => Promise<ActionResult<{ dpopRequired: boolean }>>) | null;
};

const TEXT = {
  api: {
    title: "Require DPoP-bound tokens",
    on: "Tokens for this API are issued only with a DPoP proof (RFC 9449) and are bound to the client's key (token_type DPoP): a stolen token is useless without the key. Requests without a proof get invalid_dpop_proof.",
    off: "Clients that send a DPoP proof get key-bound tokens; the others get Bearer tokens. Turn this on once every client of this API sends DPoP proofs.",
    confirm:
      "Every client of this API that does not send a DPoP proof stops getting tokens (invalid_dpop_proof). Tokens already issued stay valid until they expire.",
  },
  application: {
    title: "Require DPoP",
    on: "Every token request of this application must carry a DPoP proof (RFC 9449); its tokens are bound to the key that signed it. Requests without a proof get invalid_dpop_proof.",
    off: "This application gets key-bound tokens when it sends a DPoP proof, and Bearer tokens otherwise.",
    confirm:
      "If this application's services do not send DPoP proofs yet, they stop getting tokens (invalid_dpop_proof). Tokens already issued stay valid until they expire.",
  },
} as const;

export function DpopRequiredSwitch({ subject, dpopRequired, action }: Props) {
  const text = TEXT[subject];
  return (
    <div className="flex flex-wrap items-center justify-between gap-4">
      <div className="max-w-xl space-y-1 text-sm">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          {text.title} {dpopRequired ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Off</Badge>}
        </p>
        <p className="text-slate-600">{dpopRequired ? text.on : text.off}</p>
      </div>
      {action ? (
        <GuardedSwitch
          label={text.title}
          checked={dpopRequired}
          action={action}
          guard={true}
          confirm={{ title: `${text.title}?`, description: text.confirm, confirmLabel: "Require DPoP" }}
        />
      ) : null}
    </div>
  );
}
